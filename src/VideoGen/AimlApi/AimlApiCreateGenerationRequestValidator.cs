using System.Globalization;
using FluentValidation;
using VideoGen.Catalog;
using VideoGen.Validation;

namespace VideoGen.AimlApi;

/// <summary>
/// The rules of AIML API's generated <see cref="CreateGenerationRequest"/> (specs/aimlapi.yaml) plus the
/// model's capabilities from the catalog. Field names are the JSON names (<c>keyframes.frame0.url</c>).
/// </summary>
/// <remarks>
/// Keyframes: <c>frame0</c> is the first frame, <c>frame1</c> the last. A keyframe of type <c>image</c>
/// carries a <c>url</c> and no <c>id</c>; one of type <c>generation</c> carries the earlier generation's
/// <c>id</c> (a UUID) and no <c>url</c> (the vendor schema is an anyOf of those two closed objects).
/// An image in <c>frame0</c> is image-to-video, an image in <c>frame1</c> an end frame, a generation in
/// either an extension (forward from <c>frame0</c>, backward into <c>frame1</c>).
/// </remarks>
internal sealed class AimlApiCreateGenerationRequestValidator : AbstractValidator<Scoped<CreateGenerationRequest>>
{
    /// <summary>The one instance: the rules hold no state, the vendor travels with the request.</summary>
    public static readonly AimlApiCreateGenerationRequestValidator Instance = new();

    private AimlApiCreateGenerationRequestValidator()
    {
        RuleFor(x => x.Request.Prompt)
            .ValidPrompt()
            .OverridePropertyName("prompt");

        // The seed's page requires aspect_ratio (specs/aimlapi.yaml CreateGenerationRequest x-vendor-required).
        RuleFor(x => x.Request.AspectRatio)
            .NotNull()
            .WithMessage("aspect_ratio is required by AI/ML API's Luma page, for example 16:9")
            .OverridePropertyName("aspect_ratio");

        When(x => x.Request.Model is not null, () =>
            RuleFor(x => x.Request.Model!.Value)
                .KnownModel()
                .OverridePropertyName("model"));

        When(x => x.Request.GenerationType is not null, () =>
            RuleFor(x => x.Request.GenerationType!.Value)
                .Member()
                .OverridePropertyName("generation_type"));

        When(x => x.Request.AspectRatio is not null, () =>
            RuleFor(x => x.Request.AspectRatio!.Value)
                .Cascade(CascadeMode.Stop)
                .Member()
                .Must((x, r) => x.Model is not { AspectRatios.Count: > 0 } model || model.AspectRatios.Contains(ValidationText.WireName(r), StringComparer.Ordinal))
                .WithMessage(x => $"{x.Model!.Id} accepts {ValidationText.List(x.Model.AspectRatios)}")
                .OverridePropertyName("aspect_ratio"));

        When(x => x.Request.Resolution is not null, () =>
            RuleFor(x => x.Request.Resolution!.Value)
                .Cascade(CascadeMode.Stop)
                .Member()
                .Must((x, r) => x.Model is not { Resolutions.Count: > 0 } model || model.Resolutions.Contains(ValidationText.WireName(r), StringComparer.Ordinal))
                .WithMessage(x => $"{x.Model!.Id} makes {ValidationText.List(x.Model.Resolutions)}")
                .OverridePropertyName("resolution"));

        When(x => x.Request.Duration is not null, () =>
            RuleFor(x => x.Request.Duration!.Value)
                .Cascade(CascadeMode.Stop)
                .Member()
                .Must((x, d) => x.Model is not { Durations.Count: > 0 } model || model.Durations.Contains(Seconds(d)))
                .WithMessage(x => $"{x.Model!.Id} accepts {ValidationText.List(x.Model.Durations.Select(s => $"{s}s"))}")
                .OverridePropertyName("duration"));

        When(x => x.Request.CallbackUrl is not null, () =>
            RuleFor(x => x.Request.CallbackUrl)
                .HttpsUrl("a callback_url")
                .OverridePropertyName("callback_url"));

        // A model that cannot make a video from text alone needs a first frame to start from.
        RuleFor(x => x.Request.Keyframes)
            .Must((x, k) => k?.Frame0 is not null || x.ModelAllows(VideoModes.TextToVideo))
            .WithMessage(x => $"{x.ModelId} makes videos from an image only: give keyframes.frame0")
            .WithState(_ => new Shown(null))
            .OverridePropertyName("keyframes.frame0");

        FrameRules("frame0", r => r.Keyframes?.Frame0, VideoModes.ImageToVideo, "does not start from an image");
        FrameRules("frame1", r => r.Keyframes?.Frame1, VideoModes.EndFrame, "cannot end on a given image");
    }

    /// <summary>The seconds of a duration member (<c>5s</c> is 5).</summary>
    private static int Seconds(VideoDuration duration) =>
        int.Parse(ValidationText.WireName(duration).TrimEnd('s'), NumberStyles.None, CultureInfo.InvariantCulture);

    private void FrameRules(string slot, Func<CreateGenerationRequest, Keyframe?> frame, VideoModes imageMode, string imageCannot)
    {
        var name = "keyframes." + slot;
        When(x => frame(x.Request) is not null, () =>
        {
            RuleFor(x => frame(x.Request)!.Type)
                .Member()
                .OverridePropertyName(name + ".type");

            When(x => frame(x.Request)!.Type == KeyframeType.Image, () =>
            {
                RuleFor(x => frame(x.Request)!.Url)
                    .Cascade(CascadeMode.Stop)
                    .NotNull()
                    .WithMessage("a keyframe of type image needs the image's url")
                    .HttpUrl("a keyframe url")
                    .OverridePropertyName(name + ".url");

                RuleFor(x => frame(x.Request)!.Id)
                    .Null()
                    .WithMessage("a keyframe of type image takes a url and no id (an id goes with type generation)")
                    .OverridePropertyName(name + ".id");

                RuleFor(x => frame(x.Request)!.Type)
                    .ModelCan(imageMode, imageCannot)
                    .OverridePropertyName(name + ".type");
            });

            When(x => frame(x.Request)!.Type == KeyframeType.Generation, () =>
            {
                RuleFor(x => frame(x.Request)!.Id)
                    .Must(id => id is { } guid && guid != Guid.Empty)
                    .WithMessage("a keyframe of type generation needs the earlier generation's id (a UUID)")
                    .OverridePropertyName(name + ".id");

                RuleFor(x => frame(x.Request)!.Url)
                    .Null()
                    .WithMessage("a keyframe of type generation takes an id and no url (a url goes with type image)")
                    .OverridePropertyName(name + ".url");

                RuleFor(x => frame(x.Request)!.Type)
                    .ModelCan(VideoModes.Extend, "cannot extend an earlier generation")
                    .OverridePropertyName(name + ".type");
            });
        });
    }
}
