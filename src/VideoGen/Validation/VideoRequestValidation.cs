using VideoGen.Catalog;

namespace VideoGen.Validation;

/// <summary>
/// Checks a vendor-neutral request against the vendor's and model's rules before anything is sent.
/// </summary>
public static class VideoRequestValidation
{
    /// <summary>Every failure of <paramref name="request"/> for <paramref name="vendor"/>, at once.</summary>
    /// <param name="vendor">The vendor the request is for.</param>
    /// <param name="request">The request.</param>
    /// <param name="options">The per-call options.</param>
    /// <returns>The failures; empty when the request may be sent.</returns>
    public static IReadOnlyList<ValidationFailure> Validate(VendorInfo vendor, VideoGenerationRequest request, VideoGenerationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(vendor);
        ArgumentNullException.ThrowIfNull(request);
        var failures = new List<ValidationFailure>();
        if (string.IsNullOrWhiteSpace(request.Prompt))
        {
            failures.Add(new ValidationFailure(nameof(request.Prompt), request.Prompt, "a prompt is required"));
        }

        var model = request.Model ?? vendor.DefaultModel;
        if (vendor.FindModel(model) is null)
        {
            failures.Add(new ValidationFailure(nameof(request.Model), model, $"{vendor.DisplayName} models are {string.Join(", ", vendor.Models.Select(m => m.Id))}"));
        }

        return failures;
    }

    /// <summary>Throws when <paramref name="request"/> breaks any rule of <paramref name="vendor"/>.</summary>
    /// <param name="vendor">The vendor the request is for.</param>
    /// <param name="request">The request.</param>
    /// <param name="options">The per-call options.</param>
    /// <exception cref="VideoGenValidationException">One or more rules are broken; the message lists every one.</exception>
    public static void EnsureValid(VendorInfo vendor, VideoGenerationRequest request, VideoGenerationOptions? options = null)
    {
        var failures = Validate(vendor, request, options);
        if (failures.Count > 0)
        {
            throw new VideoGenValidationException(vendor.DisplayName, failures);
        }
    }
}
