using System.Text.RegularExpressions;
using FluentValidation;
using VideoGen.Catalog;

namespace VideoGen.Validation;

/// <summary>
/// The rules of a vendor-neutral <see cref="VideoGenerationRequest"/> and its <see cref="VideoGenerationOptions"/>
/// against one vendor and its catalog entry. Field names are the neutral request's property names.
/// </summary>
internal sealed partial class VideoGenerationRequestValidator : AbstractValidator<Scoped<VideoGenerationRequest>>
{
    /// <summary>The one instance: the rules hold no state, the vendor travels with the request.</summary>
    public static readonly VideoGenerationRequestValidator Instance = new();

    private VideoGenerationRequestValidator()
    {
        RuleFor(x => x.Request.Prompt)
            .ValidPrompt()
            .OverridePropertyName(nameof(VideoGenerationRequest.Prompt));

        RuleFor(x => x.ModelId)
            .KnownModel()
            .OverridePropertyName(nameof(VideoGenerationRequest.Model));

        OutputRules();
        ImageRules();
        OptionalFeatureRules();
        ExtendRules();
        OptionsRules();
    }

    private void OutputRules()
    {
        When(x => x.Request.DurationSeconds is not null, () =>
            RuleFor(x => x.Request.DurationSeconds!.Value)
                .DocumentedDuration()
                .OverridePropertyName(nameof(VideoGenerationRequest.DurationSeconds)));

        When(x => x.Request.AspectRatio is not null, () =>
            RuleFor(x => x.Request.AspectRatio!)
                .Cascade(CascadeMode.Stop)
                .Matches(AspectRatioShape())
                .WithMessage("an aspect ratio is width:height, for example 16:9")
                .DocumentedAspectRatio()
                .OverridePropertyName(nameof(VideoGenerationRequest.AspectRatio)));

        When(x => x.Request.Resolution is not null, () =>
            RuleFor(x => x.Request.Resolution!)
                .DocumentedResolution()
                .OverridePropertyName(nameof(VideoGenerationRequest.Resolution)));
    }

    private void ImageRules()
    {
        When(x => x.Request.StartImage is not null, () =>
            RuleFor(x => x.Request.StartImage)
                .HttpUrl("a start image")
                .ModelCanAny(x => x.Vendor.StartImageModes, x => x.Vendor.StartImageModes == VideoModes.ImageToVideo ? "does not start from an image" : "takes no start or reference image")
                .OverridePropertyName(nameof(VideoGenerationRequest.StartImage)));

        // A model that cannot make a video from text alone needs the image it animates.
        RuleFor(x => x.Request.StartImage)
            .Must((x, image) => image is not null || x.ModelAllows(VideoModes.TextToVideo))
            .WithMessage(x => $"{x.ModelId} makes videos from an image only: give a StartImage")
            .OverridePropertyName(nameof(VideoGenerationRequest.StartImage));

        When(x => x.Request.EndImage is not null, () =>
            RuleFor(x => x.Request.EndImage)
                .HttpUrl("an end image")
                .ModelCan(VideoModes.EndFrame, "cannot end on a given image")
                .OverridePropertyName(nameof(VideoGenerationRequest.EndImage)));
    }

    private void OptionalFeatureRules()
    {
        When(x => !string.IsNullOrEmpty(x.Request.NegativePrompt), () =>
            RuleFor(x => x.Request.NegativePrompt)
                .Must((x, _) => x.Model?.Has(x.Vendor, VendorFeatures.NegativePrompt) ?? x.Vendor.Has(VendorFeatures.NegativePrompt))
                .WithMessage(x => x.Vendor.Has(VendorFeatures.NegativePrompt)
                    ? $"{x.ModelId} takes no negative prompt; leave it out (models that do: {string.Join(", ", x.Vendor.Models.Where(m => m.Has(x.Vendor, VendorFeatures.NegativePrompt)).Select(m => m.Id))})"
                    : $"{x.Vendor.DisplayName} has no negative prompt; leave it out")
                .OverridePropertyName(nameof(VideoGenerationRequest.NegativePrompt)));

        // Loop = false is every vendor's behaviour; only asking for a loop needs the vendor's support.
        When(x => x.Request.Loop == true, () =>
            RuleFor(x => x.Request.Loop)
                .Must((x, _) => x.Vendor.Has(VendorFeatures.Loop))
                .WithMessage(x => $"{x.Vendor.DisplayName} cannot loop a video; leave Loop unset or false")
                .OverridePropertyName(nameof(VideoGenerationRequest.Loop)));
    }

    private void ExtendRules()
    {
        When(x => x.Request.Extend is not null, () =>
        {
            RuleFor(x => x.Request.Extend)
                .Cascade(CascadeMode.Stop)
                .Must((x, _) => x.Vendor.Has(VendorFeatures.Extend))
                .WithMessage(x => $"{x.Vendor.DisplayName} cannot extend an earlier generation; leave Extend unset")
                .WithState(x => ShowExtension(x.Request.Extend!))
                .ModelCan(VideoModes.Extend, "cannot extend an earlier generation")
                .WithState(x => ShowExtension(x.Request.Extend!))
                .OverridePropertyName(nameof(VideoGenerationRequest.Extend));

            When(x => x.Vendor.Has(VendorFeatures.Extend), () =>
            {
                RuleFor(x => x.Request.Extend!.GenerationId)
                    .Cascade(CascadeMode.Stop)
                    .Must(id => !string.IsNullOrWhiteSpace(id))
                    .WithMessage("the id of the generation to extend is required")
                    // The keyframes contract (AIML API's Luma) types a generation keyframe's id as a UUID on the seed's route;
                    // its video route (models luma/..., specs/aimlapi.yaml LumaVideoKeyframe) names its own jobs <uuid>:<model>.
                    .Must((x, id) => !x.Vendor.Has(VendorFeatures.Keyframes) || (Guid.TryParse(id, out var guid) && guid != Guid.Empty)
                        || (x.ModelId.Contains('/', StringComparison.Ordinal) && VideoRouteJobId.IsMatch(id)))
                    .WithMessage(x => x.ModelId.Contains('/', StringComparison.Ordinal)
                        ? $"{x.Vendor.DisplayName} video-route generation ids are a UUID, a colon and the model, for example 7c880e75-9892-4238-8464-49cb0c6deabd:luma/ray-2"
                        : $"{x.Vendor.DisplayName} generation ids are UUIDs, for example 0f3ea4aa-10e7-4dae-af0b-263ab4ac45f9")
                    .OverridePropertyName($"{nameof(VideoGenerationRequest.Extend)}.{nameof(VideoExtension.GenerationId)}");

                // The extended generation takes a keyframe slot: frame0 forward, frame1 backward. A start
                // image takes frame0 and an end image frame1, so each pair would fill one slot twice.
                RuleFor(x => x.Request.Extend)
                    .Must((x, e) => e!.Backward || x.Request.StartImage is null)
                    .WithMessage("extending forward puts the earlier generation in the first frame (keyframes.frame0), where StartImage also goes; give one of them (an EndImage can go with it)")
                    .WithState(x => ShowExtension(x.Request.Extend!))
                    .Must((x, e) => !e!.Backward || x.Request.EndImage is null)
                    .WithMessage("extending backward puts the earlier generation in the last frame (keyframes.frame1), where EndImage also goes; give one of them (a StartImage can go with it)")
                    .WithState(x => ShowExtension(x.Request.Extend!))
                    .OverridePropertyName(nameof(VideoGenerationRequest.Extend));
            });
        });
    }

    private void OptionsRules()
    {
        When(x => x.Options?.WebhookUrl is not null, () =>
            RuleFor(x => x.Options!.WebhookUrl)
                .Cascade(CascadeMode.Stop)
                .Must((x, _) => x.Vendor.Has(VendorFeatures.Webhooks))
                .WithMessage(x => $"{x.Vendor.DisplayName} sends no webhooks; poll the job instead")
                .HttpsUrl("a webhook URL")
                .OverridePropertyName(nameof(VideoGenerationOptions.WebhookUrl)));

        When(x => x.Options?.AdditionalProperties is { Count: > 0 }, () =>
            RuleFor(x => x.Options!.AdditionalProperties)
                .Must((x, _) => x.Vendor.Has(VendorFeatures.Parameters))
                .WithMessage(x => $"{x.Vendor.DisplayName} takes no model-specific parameters; use the request's own properties")
                .OverridePropertyName(nameof(VideoGenerationOptions.AdditionalProperties)));

        When(x => x.Options?.MaxCost is not null, () =>
            RuleFor(x => x.Options!.MaxCost!.Value)
                .GreaterThanOrEqualTo(0m)
                .WithMessage(x => $"a budget is zero or more {x.Vendor.PriceUnit}")
                .OverridePropertyName(nameof(VideoGenerationOptions.MaxCost)));
    }

    private static Shown ShowExtension(VideoExtension extension) =>
        new($"generation {ValidationText.Show(extension.GenerationId) ?? "(missing)"}, {(extension.Backward ? "backward" : "forward")}");

    [GeneratedRegex("^[1-9][0-9]*:[1-9][0-9]*$", RegexOptions.CultureInvariant)]
    internal static partial Regex AspectRatioShape();
}
