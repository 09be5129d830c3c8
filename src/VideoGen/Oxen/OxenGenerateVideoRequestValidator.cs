using System.Collections;
using FluentValidation;
using Newtonsoft.Json.Linq;
using VideoGen.Catalog;
using VideoGen.Validation;

namespace VideoGen.Oxen;

/// <summary>
/// The rules of Oxen.ai's generated <see cref="GenerateVideoRequest"/> and <see cref="EnqueueGenerationRequest"/>
/// (specs/oxen.yaml) plus the capabilities of the models the catalog knows. Field names are the JSON names.
/// </summary>
/// <remarks>
/// The spec keeps <c>model</c> an open string (Oxen serves many models, x-known-values lists the documented
/// ones), so a model the catalog does not know is passed through and only its model-independent rules apply.
/// </remarks>
internal sealed class OxenGenerateVideoRequestValidator : AbstractValidator<Scoped<GenerateVideoRequest>>
{
    /// <summary>The fewest generations one enqueue request asks for (specs/oxen.yaml num_generations minimum).</summary>
    public const int MinGenerations = 1;

    /// <summary>The most generations one enqueue request asks for (specs/oxen.yaml num_generations maximum).</summary>
    public const int MaxGenerations = 4;

    /// <summary>The one instance: the rules hold no state, the vendor travels with the request.</summary>
    public static readonly OxenGenerateVideoRequestValidator Instance = new();

    private OxenGenerateVideoRequestValidator()
    {
        RuleFor(x => x.Request.Model)
            .Must(m => !string.IsNullOrWhiteSpace(m))
            .WithMessage(x => $"a model id is required, for example {ValidationText.List(x.Vendor.Models.Select(m => m.Id))}")
            .OverridePropertyName("model");

        PromptRules();

        When(x => x.Request.Duration is not null, () =>
            RuleFor(x => x.Request.Duration!.Value)
                .DocumentedDuration()
                .OverridePropertyName("duration"));

        When(x => x.Request.AspectRatio is not null, () =>
            RuleFor(x => x.Request.AspectRatio!)
                .Cascade(CascadeMode.Stop)
                .Matches(VideoGenerationRequestValidator.AspectRatioShape())
                .WithMessage("an aspect ratio is width:height, for example 16:9")
                .DocumentedAspectRatio()
                .OverridePropertyName("aspect_ratio"));

        ImageRules();

        When(x => x.Request.InputVideo is not null, () =>
            RuleFor(x => x.Request.InputVideo)
                .HttpUrl("an input_video")
                .OverridePropertyName("input_video"));

        When(x => x.Request.ResponseFormat is not null, () =>
            RuleFor(x => x.Request.ResponseFormat!.Value)
                .Member()
                .OverridePropertyName("response_format"));

        When(x => x.Request is EnqueueGenerationRequest { NumGenerations: not null }, () =>
            RuleFor(x => ((EnqueueGenerationRequest)x.Request).NumGenerations!.Value)
                .InclusiveBetween(MinGenerations, MaxGenerations)
                .WithMessage($"one request enqueues {MinGenerations} to {MaxGenerations} generations")
                .OverridePropertyName("num_generations"));
    }

    private void PromptRules()
    {
        // Either prompt or multi_prompt, never both (the spec describes the rule; the server rejects both or neither).
        RuleFor(x => x.Request.Prompt)
            .Must((x, p) => p is not null || x.Request.MultiPrompt is not null)
            .WithMessage("give a prompt, or a multi_prompt for a multi-shot video")
            .OverridePropertyName("prompt");

        RuleFor(x => x.Request.MultiPrompt)
            .Must((x, m) => m is null || x.Request.Prompt is null)
            .WithMessage("give a prompt or a multi_prompt, not both")
            .OverridePropertyName("multi_prompt");

        When(x => x.Request.Prompt is not null && x.Request.MultiPrompt is null, () =>
            RuleFor(x => x.Request.Prompt!)
                .ValidPrompt()
                .OverridePropertyName("prompt"));

        When(x => x.Request.MultiPrompt is not null && x.Request.Prompt is null, () =>
        {
            RuleFor(x => x.Request.MultiPrompt!)
                .Must(m => m.Count > 0)
                .WithMessage("a multi_prompt has at least one shot")
                .OverridePropertyName("multi_prompt");

            RuleForEach(x => x.Request.MultiPrompt!)
                .Cascade(CascadeMode.Stop)
                .NotNull()
                .WithMessage("a shot is an object with a prompt")
                .ChildRules(shot =>
                {
                    shot.RuleFor(s => s.Prompt)
                        .Must(p => !string.IsNullOrWhiteSpace(p))
                        .WithMessage("every shot needs a prompt: describe the shot")
                        .OverridePropertyName("prompt");
                    shot.RuleFor(s => s.Duration)
                        .Must(d => d is null or > 0)
                        .WithMessage("a shot's duration is a positive number of seconds")
                        .OverridePropertyName("duration");
                })
                .OverridePropertyName("multi_prompt");
        });
    }

    private void ImageRules()
    {
        When(x => x.Request.InputImage is not null, () =>
            RuleFor(x => x.Request.InputImage)
                .Must(IsUrlOrUrls)
                .WithMessage("an input_image is an absolute http(s) URL, or a non-empty array of them")
                // The one statement of which models take input_image is the catalog's StartImageModes.
                .ModelCanAny(x => x.Vendor.StartImageModes, "takes no input image")
                .OverridePropertyName("input_image"));

        RuleFor(x => x.Request.InputImage)
            .Must((x, image) => image is not null || x.ModelAllows(VideoModes.TextToVideo))
            .WithMessage(x => $"{x.ModelId} makes videos from an image only: give an input_image")
            .OverridePropertyName("input_image");
    }

    /// <summary>A URL string, or a non-empty array of them (input_image is a string or an array in the reference).</summary>
    private static bool IsUrlOrUrls(object? value) => value switch
    {
        string or Uri or JValue => IsUrl(value),
        IEnumerable items => items.Cast<object?>().ToList() is { Count: > 0 } list && list.All(IsUrl),
        _ => false,
    };

    private static bool IsUrl(object? value) => value switch
    {
        Uri uri => ValidationText.IsHttpUrl(uri),
        string text => Uri.TryCreate(text, UriKind.Absolute, out var uri) && ValidationText.IsHttpUrl(uri),
        JValue { Value: var inner } => inner is string or Uri && IsUrl(inner),
        _ => false,
    };
}
