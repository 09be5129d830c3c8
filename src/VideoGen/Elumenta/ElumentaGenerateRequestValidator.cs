using FluentValidation;
using VideoGen.Catalog;
using VideoGen.Validation;

namespace VideoGen.Elumenta;

/// <summary>
/// The rules of Elumenta's and NeuralBox's generated <see cref="GenerateRequest"/> (specs/elumenta.yaml)
/// plus the model's capabilities from the catalog. Field names are the JSON names.
/// </summary>
internal sealed class ElumentaGenerateRequestValidator : AbstractValidator<Scoped<GenerateRequest>>
{
    /// <summary>The one instance: the rules hold no state, the vendor travels with the request.</summary>
    public static readonly ElumentaGenerateRequestValidator Instance = new();

    private ElumentaGenerateRequestValidator()
    {
        RuleFor(x => x.Request.Model)
            .Cascade(CascadeMode.Stop)
            .Must(m => !string.IsNullOrWhiteSpace(m))
            .WithMessage(x => $"a model slug is required, for example {ValidationText.List(x.Vendor.Models.Select(m => m.Id))}")
            .KnownModel()
            .OverridePropertyName("model");

        RuleFor(x => x.Request.Prompt)
            .ValidPrompt()
            .OverridePropertyName("prompt");

        When(x => x.Request.ImageUrl is not null, () =>
            RuleFor(x => x.Request.ImageUrl)
                .HttpUrl("an image_url")
                .ModelCan(VideoModes.ImageToVideo, "does not start from an image")
                .OverridePropertyName("image_url"));

        RuleFor(x => x.Request.ImageUrl)
            .Must((x, image) => image is not null || x.ModelAllows(VideoModes.TextToVideo))
            .WithMessage(x => $"{x.ModelId} makes videos from an image only: give an image_url")
            .OverridePropertyName("image_url");

        When(x => x.Request.Duration is not null, () =>
            RuleFor(x => x.Request.Duration!.Value)
                .Cascade(CascadeMode.Stop)
                .Member()
                .Must((x, d) => x.Model is not { Durations.Count: > 0 } model || model.Durations.Contains((int)d))
                .WithMessage(x => $"{x.Model!.Id} accepts {ValidationText.List(x.Model.Durations)} seconds")
                .OverridePropertyName("duration"));

        When(x => x.Request.AspectRatio is not null, () =>
            RuleFor(x => x.Request.AspectRatio!.Value)
                .Cascade(CascadeMode.Stop)
                .Member()
                .Must((x, r) => x.Model is not { AspectRatios.Count: > 0 } model || model.AspectRatios.Contains(ValidationText.WireName(r), StringComparer.Ordinal))
                .WithMessage(x => $"{x.Model!.Id} accepts {ValidationText.List(x.Model.AspectRatios)}")
                .OverridePropertyName("aspect_ratio"));

        When(x => !string.IsNullOrEmpty(x.Request.NegativePrompt), () =>
            RuleFor(x => x.Request.NegativePrompt)
                .Must((x, _) => x.Vendor.Has(VendorFeatures.NegativePrompt))
                .WithMessage(x => $"{x.Vendor.DisplayName} has no negative prompt; leave it out")
                .OverridePropertyName("negative_prompt"));
    }
}
