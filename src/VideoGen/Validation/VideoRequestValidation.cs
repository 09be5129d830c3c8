using VideoGen.Catalog;

namespace VideoGen.Validation;

/// <summary>
/// Checks a vendor-neutral request against the vendor's and model's rules before anything is sent.
/// </summary>
/// <remarks>
/// The rules come from the model catalog (<see cref="VideoModelCatalog"/>) and the vendor's contract:
/// the prompt is present and within the vendor's length limits; the model is one of the vendor's
/// (its default when none is named); duration, aspect ratio and resolution are ones the model
/// documents (not checked where the catalog documents none); start and end images are absolute
/// http(s) URLs the model can use; a model that cannot work from text alone gets a start image;
/// negative prompt, loop, extend, webhook and extra parameters are only given to vendors that have
/// them; an extension names a generation id and does not take a keyframe slot an image already has.
/// Every failure is reported at once; field names are the request's and options' property names.
/// </remarks>
public static class VideoRequestValidation
{
    /// <summary>Every failure of <paramref name="request"/> for <paramref name="vendor"/>, at once.</summary>
    /// <param name="vendor">The vendor the request is for.</param>
    /// <param name="request">The request.</param>
    /// <param name="options">The per-call options.</param>
    /// <returns>The failures; empty when the request may be sent.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="vendor"/> or <paramref name="request"/> is <see langword="null"/>.</exception>
    public static IReadOnlyList<ValidationFailure> Validate(VendorInfo vendor, VideoGenerationRequest request, VideoGenerationOptions? options = null) =>
        Check(vendor, request, options).Failures;

    /// <summary>Failures and warnings of one validation run.</summary>
    internal static (IReadOnlyList<ValidationFailure> Failures, IReadOnlyList<ValidationWarning> Warnings) Check(VendorInfo vendor, VideoGenerationRequest request, VideoGenerationOptions? options)
    {
        ArgumentNullException.ThrowIfNull(vendor);
        ArgumentNullException.ThrowIfNull(request);
        var modelId = request.Model ?? vendor.DefaultModel;
        var scoped = new Scoped<VideoGenerationRequest>(vendor, modelId, vendor.FindModel(modelId), request) { Options = options };
        var result = VideoGenerationRequestValidator.Instance.Validate(scoped);
        return (ValidationText.ToFailures(result), ValidationText.ToWarnings(result));
    }

    /// <summary>
    /// What the caller should know about <paramref name="request"/> that does not stop it being sent: today a model
    /// slug the catalog does not know, at a vendor whose model field is a free string (<see cref="VendorFeatures.OpenModels"/>).
    /// </summary>
    /// <param name="vendor">The vendor the request is for.</param>
    /// <param name="request">The request.</param>
    /// <param name="options">The per-call options.</param>
    /// <returns>The warnings; empty when there are none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="vendor"/> or <paramref name="request"/> is <see langword="null"/>.</exception>
    public static IReadOnlyList<ValidationWarning> Warnings(VendorInfo vendor, VideoGenerationRequest request, VideoGenerationOptions? options = null) =>
        Check(vendor, request, options).Warnings;

    /// <summary>Throws when <paramref name="request"/> breaks any rule of <paramref name="vendor"/>.</summary>
    /// <param name="vendor">The vendor the request is for.</param>
    /// <param name="request">The request.</param>
    /// <param name="options">The per-call options.</param>
    /// <exception cref="ArgumentNullException"><paramref name="vendor"/> or <paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="VideoGenValidationException">One or more rules are broken; the message lists every one (field, value given, what is allowed).</exception>
    public static void EnsureValid(VendorInfo vendor, VideoGenerationRequest request, VideoGenerationOptions? options = null)
    {
        var failures = Validate(vendor, request, options);
        if (failures.Count > 0)
        {
            throw new VideoGenValidationException(vendor.DisplayName, failures);
        }
    }
}
