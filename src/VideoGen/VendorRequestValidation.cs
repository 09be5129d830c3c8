using FluentValidation;
using VideoGen.AimlApi;
using VideoGen.Apiframe;
using VideoGen.Elumenta;
using VideoGen.Oxen;
using VideoGen.Catalog;
using VideoGen.Validation;

namespace VideoGen;

// CUSTOM: one entry point over every vendor's request validator, so it sits in the root namespace above the vendors'
// namespaces (each vendor's validator builds on VideoGen.Validation; a list of them there made a namespace cycle).

/// <summary>
/// Checks a vendor's generated request type (the typed-client path) before it is sent: every constraint
/// its spec states (required fields, lengths, enum members, URL formats, either-or rules) plus the
/// capabilities the model catalog documents for the model it names. Field names are the JSON names
/// (<c>aspect_ratio</c>, <c>keyframes.frame0.url</c>, <c>multi_prompt[0].prompt</c>).
/// </summary>
/// <remarks>
/// Every failure is reported at once. Callback URLs (<c>webhookUrl</c>, <c>callback_url</c>) must be
/// https: the vendors only say "URL", but they post job results to it over the internet.
/// </remarks>
public static class VendorRequestValidation
{
    private const string ElumentaSpec = "elumenta.yaml";
    private const string ApiframeSpec = "apiframe.yaml";
    private const string AimlApiSpec = "aimlapi.yaml";
    private const string OxenSpec = "oxen.yaml";

    /// <summary>Every failure of an Elumenta or NeuralBox generate request, at once.</summary>
    /// <param name="vendor">The vendor the request is for (<c>elumenta</c> or <c>neuralbox</c>).</param>
    /// <param name="request">The request.</param>
    /// <returns>The failures; empty when the request may be sent.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="vendor"/> or <paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="vendor"/> does not speak the Elumenta contract (specs/elumenta.yaml).</exception>
    public static IReadOnlyList<ValidationFailure> Validate(VendorInfo vendor, Elumenta.GenerateRequest request) =>
        Run(vendor, request, ElumentaSpec, (_, r) => r.Model, ElumentaGenerateRequestValidator.Instance);

    /// <summary>
    /// What the caller should know about an Elumenta or NeuralBox generate request that does not stop it being sent
    /// (a model slug the catalog does not know: the contract's model is a free string, so it is sent as given).
    /// </summary>
    /// <param name="vendor">The vendor the request is for (<c>elumenta</c> or <c>neuralbox</c>).</param>
    /// <param name="request">The request.</param>
    /// <returns>The warnings; empty when there are none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="vendor"/> or <paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="vendor"/> does not speak the Elumenta contract (specs/elumenta.yaml).</exception>
    public static IReadOnlyList<ValidationWarning> Warnings(VendorInfo vendor, Elumenta.GenerateRequest request)
    {
        ArgumentNullException.ThrowIfNull(vendor);
        ArgumentNullException.ThrowIfNull(request);
        CheckSpec<Elumenta.GenerateRequest>(vendor, ElumentaSpec);
        var scoped = new Scoped<Elumenta.GenerateRequest>(vendor, request.Model ?? string.Empty, vendor.FindModel(request.Model), request);
        return ValidationText.ToWarnings(ElumentaGenerateRequestValidator.Instance.Validate(scoped));
    }

    /// <summary>Throws when an Elumenta or NeuralBox generate request breaks any rule.</summary>
    /// <param name="vendor">The vendor the request is for (<c>elumenta</c> or <c>neuralbox</c>).</param>
    /// <param name="request">The request.</param>
    /// <exception cref="ArgumentNullException"><paramref name="vendor"/> or <paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="vendor"/> does not speak the Elumenta contract (specs/elumenta.yaml).</exception>
    /// <exception cref="VideoGenValidationException">One or more rules are broken; the message lists every one (field, value given, what is allowed).</exception>
    public static void EnsureValid(VendorInfo vendor, Elumenta.GenerateRequest request) => Throw(vendor, Validate(vendor, request));

    /// <summary>Every failure of an Apiframe create-video request, at once.</summary>
    /// <param name="vendor">The vendor the request is for (<c>apiframe</c>).</param>
    /// <param name="request">The request.</param>
    /// <returns>The failures; empty when the request may be sent.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="vendor"/> or <paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="vendor"/> does not speak the Apiframe contract (specs/apiframe.yaml).</exception>
    public static IReadOnlyList<ValidationFailure> Validate(VendorInfo vendor, Apiframe.CreateVideoRequest request) =>
        Run(vendor, request, ApiframeSpec, (_, r) => ValidationText.WireName(r.Model), ApiframeCreateVideoRequestValidator.Instance);

    /// <summary>Throws when an Apiframe create-video request breaks any rule.</summary>
    /// <param name="vendor">The vendor the request is for (<c>apiframe</c>).</param>
    /// <param name="request">The request.</param>
    /// <exception cref="ArgumentNullException"><paramref name="vendor"/> or <paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="vendor"/> does not speak the Apiframe contract (specs/apiframe.yaml).</exception>
    /// <exception cref="VideoGenValidationException">One or more rules are broken; the message lists every one (field, value given, what is allowed).</exception>
    public static void EnsureValid(VendorInfo vendor, Apiframe.CreateVideoRequest request) => Throw(vendor, Validate(vendor, request));

    /// <summary>Every failure of an AIML API (Luma) create or extend request, keyframes included, at once.</summary>
    /// <param name="vendor">The vendor the request is for (<c>aimlapi</c>).</param>
    /// <param name="request">The request. Without a model, the vendor's default model's capabilities apply (the server's default, <c>ray-2</c>).</param>
    /// <returns>The failures; empty when the request may be sent.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="vendor"/> or <paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="vendor"/> does not speak the AIML API contract (specs/aimlapi.yaml).</exception>
    public static IReadOnlyList<ValidationFailure> Validate(VendorInfo vendor, AimlApi.CreateGenerationRequest request) =>
        Run(vendor, request, AimlApiSpec, (v, r) => r.Model is { } model ? ValidationText.WireName(model) : v.DefaultModel, AimlApiCreateGenerationRequestValidator.Instance);

    /// <summary>Throws when an AIML API (Luma) create or extend request breaks any rule.</summary>
    /// <param name="vendor">The vendor the request is for (<c>aimlapi</c>).</param>
    /// <param name="request">The request.</param>
    /// <exception cref="ArgumentNullException"><paramref name="vendor"/> or <paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="vendor"/> does not speak the AIML API contract (specs/aimlapi.yaml).</exception>
    /// <exception cref="VideoGenValidationException">One or more rules are broken; the message lists every one (field, value given, what is allowed).</exception>
    public static void EnsureValid(VendorInfo vendor, AimlApi.CreateGenerationRequest request) => Throw(vendor, Validate(vendor, request));

    /// <summary>Every failure of an Oxen.ai generate request, or enqueue request (<see cref="Oxen.EnqueueGenerationRequest"/>, whose <c>num_generations</c> is checked too), at once.</summary>
    /// <param name="vendor">The vendor the request is for (<c>oxen</c>).</param>
    /// <param name="request">The request.</param>
    /// <returns>The failures; empty when the request may be sent.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="vendor"/> or <paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="vendor"/> does not speak the Oxen.ai contract (specs/oxen.yaml).</exception>
    public static IReadOnlyList<ValidationFailure> Validate(VendorInfo vendor, Oxen.GenerateVideoRequest request) =>
        Run(vendor, request, OxenSpec, (_, r) => r.Model, OxenGenerateVideoRequestValidator.Instance);

    /// <summary>Throws when an Oxen.ai generate or enqueue request breaks any rule.</summary>
    /// <param name="vendor">The vendor the request is for (<c>oxen</c>).</param>
    /// <param name="request">The request (a <see cref="Oxen.EnqueueGenerationRequest"/> too).</param>
    /// <exception cref="ArgumentNullException"><paramref name="vendor"/> or <paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="vendor"/> does not speak the Oxen.ai contract (specs/oxen.yaml).</exception>
    /// <exception cref="VideoGenValidationException">One or more rules are broken; the message lists every one (field, value given, what is allowed).</exception>
    public static void EnsureValid(VendorInfo vendor, Oxen.GenerateVideoRequest request) => Throw(vendor, Validate(vendor, request));

    private static IReadOnlyList<ValidationFailure> Run<T>(VendorInfo vendor, T request, string spec, Func<VendorInfo, T, string?> modelOf, IValidator<Scoped<T>> validator)
    {
        ArgumentNullException.ThrowIfNull(vendor);
        ArgumentNullException.ThrowIfNull(request);
        CheckSpec<T>(vendor, spec);
        var modelId = modelOf(vendor, request);
        var scoped = new Scoped<T>(vendor, modelId ?? string.Empty, vendor.FindModel(modelId), request);
        return ValidationText.ToFailures(validator.Validate(scoped));
    }

    private static void CheckSpec<T>(VendorInfo vendor, string spec)
    {
        if (!string.Equals(vendor.Spec, spec, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"A {typeof(T).FullName} is a request of specs/{spec}; vendor '{vendor.Id}' speaks specs/{vendor.Spec}.", nameof(vendor));
        }
    }

    private static void Throw(VendorInfo vendor, IReadOnlyList<ValidationFailure> failures)
    {
        if (failures.Count > 0)
        {
            throw new VideoGenValidationException(vendor.DisplayName, failures);
        }
    }
}
