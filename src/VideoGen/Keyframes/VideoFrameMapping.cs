using VideoGen.AimlApi;
using VideoGen.Catalog;

namespace VideoGen;

/// <summary>
/// Maps the frame options of a vendor-neutral <see cref="VideoGenerationRequest"/> (<see cref="VideoGenerationRequest.StartImage"/>,
/// <see cref="VideoGenerationRequest.EndImage"/>, <see cref="VideoGenerationRequest.Extend"/>) onto each vendor's
/// contract, and says which of them a vendor cannot take.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><b>AIML API (Luma)</b>: <c>keyframes.frame0</c> / <c>frame1</c>, each an image or an earlier generation
/// (003_c929ef2f8a37e003.txt § Extend video). Start image and forward extension both use <c>frame0</c>; end image and
/// backward extension both use <c>frame1</c>.</item>
/// <item><b>Elumenta, NeuralBox</b>: <c>image_url</c>, the starting image (000_19877c27d990fa7a.txt and
/// 002_f482a26cd93bb35a.txt § Request). They document no end frame and no extension.</item>
/// <item><b>Apiframe</b>: each model family's parameters object names its image fields (<c>klingParams.start_image</c>,
/// <c>veoParams.last_frame</c>, ...; https://docs-v2.apiframe.ai/docs/videos); the adapter maps them and the per-model
/// validator refuses an end frame where the model has none.</item>
/// <item><b>Oxen.ai</b>: seed 004 names no start or end image field.</item>
/// </list>
/// </remarks>
public static class VideoFrameMapping
{
    private const string AimlVendorId = "aimlapi";

    /// <summary>Every frame option of <paramref name="request"/> that <paramref name="vendor"/> cannot take, at once.</summary>
    /// <param name="vendor">The vendor the request is for.</param>
    /// <param name="request">The request.</param>
    /// <returns>The failures; empty when every frame option set can be sent.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="vendor"/> or <paramref name="request"/> is null.</exception>
    public static IReadOnlyList<ValidationFailure> Validate(VendorInfo vendor, VideoGenerationRequest request)
    {
        ArgumentNullException.ThrowIfNull(vendor);
        ArgumentNullException.ThrowIfNull(request);
        var failures = new List<ValidationFailure>();
        CheckImage(failures, nameof(VideoGenerationRequest.StartImage), request.StartImage);
        CheckImage(failures, nameof(VideoGenerationRequest.EndImage), request.EndImage);

        if (vendor.Has(VendorFeatures.Keyframes))
        {
            CheckKeyframes(failures, request);
        }
        else if (vendor.Has(VendorFeatures.StartImage))
        {
            var only = $"image_url, the starting image ({Catalog.SourceNames.ForPeople(vendor.Source)} § Request), is its only image field";

            // CUSTOM: a vendor some of whose models take an end frame (Apiframe) leaves the per-model check to its validator.
            if (request.EndImage is not null && !vendor.Models.Any(m => m.Supports(VideoModes.EndFrame)))
            {
                failures.Add(new ValidationFailure(nameof(VideoGenerationRequest.EndImage), request.EndImage.OriginalString,
                    $"{vendor.DisplayName} documents no end frame: {only}; leave it unset"));
            }

            AddNoExtend(failures, vendor, request);
        }
        else
        {
            var why = vendor.Has(VendorFeatures.Parameters)
                ? $"{vendor.DisplayName} takes images, if at all, in each model's own parameters object, which its document does not describe " +
                  "('see the individual model pages'); leave it unset and pass the model's field with VideoGenerationOptions.AdditionalProperties"
                : $"{vendor.DisplayName}'s document names no start or end image field; leave it unset";
            if (request.StartImage is not null)
            {
                failures.Add(new ValidationFailure(nameof(VideoGenerationRequest.StartImage), request.StartImage.OriginalString, why));
            }

            if (request.EndImage is not null)
            {
                failures.Add(new ValidationFailure(nameof(VideoGenerationRequest.EndImage), request.EndImage.OriginalString, why));
            }

            AddNoExtend(failures, vendor, request);
        }

        return failures;
    }

    /// <summary>
    /// The AIML API (Luma) keyframes for <paramref name="request"/>: <see cref="VideoGenerationRequest.StartImage"/> or a
    /// forward <see cref="VideoGenerationRequest.Extend"/> become <c>frame0</c>; <see cref="VideoGenerationRequest.EndImage"/>
    /// or a backward one become <c>frame1</c>.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <returns>The keyframes, or <see langword="null"/> when the request sets no frame option (a text-to-video request).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="VideoGenValidationException">
    /// An image is not an absolute http(s) URL, the generation id is not a UUID, or two options claim the same frame;
    /// the message lists every problem.
    /// </exception>
    public static Keyframes? ToAimlKeyframes(VideoGenerationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var vendor = VideoModelCatalog.Default.GetVendor(AimlVendorId);
        var failures = Validate(vendor, request);
        if (failures.Count > 0)
        {
            throw new VideoGenValidationException(vendor.DisplayName, failures);
        }

        Keyframe? frame0 = request.StartImage is { } start ? LumaKeyframes.Image(start) : null;
        Keyframe? frame1 = request.EndImage is { } end ? LumaKeyframes.Image(end) : null;
        if (request.Extend is { } extend)
        {
            var generation = LumaKeyframes.Generation(extend.GenerationId);
            if (extend.Backward)
            {
                frame1 = generation;
            }
            else
            {
                frame0 = generation;
            }
        }

        return frame0 is null && frame1 is null ? null : new Keyframes { Frame0 = frame0, Frame1 = frame1 };
    }

    /// <summary>
    /// The <c>image_url</c> of an Elumenta or NeuralBox request: <see cref="VideoGenerationRequest.StartImage"/>.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="vendor">The vendor (Elumenta or NeuralBox, one contract); <see langword="null"/> for Elumenta.</param>
    /// <returns>The starting image, or <see langword="null"/> for a text-to-video request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="VideoGenValidationException">
    /// The start image is not an absolute http(s) URL, or the request sets an end image or an extension, which the
    /// contract does not have; the message lists every problem.
    /// </exception>
    public static Uri? ToElumentaImageUrl(VideoGenerationRequest request, VendorInfo? vendor = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        vendor ??= VideoModelCatalog.Default.GetVendor("elumenta");
        var failures = Validate(vendor, request);
        if (failures.Count > 0)
        {
            throw new VideoGenValidationException(vendor.DisplayName, failures);
        }

        return request.StartImage;
    }

    private static void CheckImage(List<ValidationFailure> failures, string field, Uri? image)
    {
        if (image is not null && !LumaKeyframes.IsHttpUrl(image))
        {
            failures.Add(new ValidationFailure(field, image.OriginalString, $"use {LumaKeyframes.ImageUrlRule}"));
        }
    }

    private static void CheckKeyframes(List<ValidationFailure> failures, VideoGenerationRequest request)
    {
        if (request.Extend is not { } extend)
        {
            return;
        }

        if (LumaKeyframes.TryParseGenerationId(extend.GenerationId) is null)
        {
            failures.Add(new ValidationFailure($"{nameof(VideoGenerationRequest.Extend)}.{nameof(VideoExtension.GenerationId)}",
                string.IsNullOrEmpty(extend.GenerationId) ? null : extend.GenerationId, $"use {LumaKeyframes.GenerationIdRule}"));
        }

        if (!extend.Backward && request.StartImage is not null)
        {
            failures.Add(new ValidationFailure(nameof(VideoGenerationRequest.StartImage), request.StartImage.OriginalString,
                "a forward extension already takes the first frame (frame0 = the earlier generation); set either StartImage or a forward Extend"));
        }

        if (extend.Backward && request.EndImage is not null)
        {
            failures.Add(new ValidationFailure(nameof(VideoGenerationRequest.EndImage), request.EndImage.OriginalString,
                "a backward extension already takes the last frame (frame1 = the earlier generation); set either EndImage or a backward Extend"));
        }
    }

    private static void AddNoExtend(List<ValidationFailure> failures, VendorInfo vendor, VideoGenerationRequest request)
    {
        if (request.Extend is { } extend)
        {
            failures.Add(new ValidationFailure(nameof(VideoGenerationRequest.Extend), extend.GenerationId,
                $"{vendor.DisplayName} documents no way to extend an earlier generation (AIML API's Luma does); leave it unset"));
        }
    }
}
