using FluentValidation;

using VideoGen.Catalog;
using VideoGen.Validation;
using Family = VideoGen.Apiframe.ApiframeVideoGenerator.Family;

namespace VideoGen.Apiframe;

/// <summary>
/// The rules of Apiframe's generated <see cref="CreateVideoRequest"/> (specs/apiframe.yaml): prompt 1–4,000
/// characters, a known model, webhook URL and events, and the per-model rules of the model pages under
/// https://docs-v2.apiframe.ai/docs/videos (the family's own parameters object only; durations, aspect ratios and
/// resolutions from the catalog; start images where a model is image-to-video only; end frames where a model has
/// them; hailuo's 1080p-only-at-6-s; kling-2.1's end image in pro mode). Field names are the JSON names.
/// </summary>
internal sealed class ApiframeCreateVideoRequestValidator : AbstractValidator<Scoped<CreateVideoRequest>>
{
    /// <summary>The one instance: the rules hold no state, the vendor travels with the request.</summary>
    public static readonly ApiframeCreateVideoRequestValidator Instance = new();

    private ApiframeCreateVideoRequestValidator()
    {
        RuleFor(x => x.Request.Prompt)
            .ValidPrompt()
            .OverridePropertyName("prompt");

        RuleFor(x => x.Request.Model)
            .KnownModel()
            .OverridePropertyName("model");

        When(x => x.Request.WebhookUrl is not null, () =>
            RuleFor(x => x.Request.WebhookUrl)
                .HttpsUrl("a webhookUrl")
                .OverridePropertyName("webhookUrl"));

        When(x => x.Request.WebhookEvents is { Count: > 0 }, () =>
        {
            RuleFor(x => x.Request.WebhookEvents)
                .Must((x, _) => x.Request.WebhookUrl is not null)
                .WithMessage("webhookEvents are sent to a webhookUrl: give one, or leave webhookEvents out")
                .OverridePropertyName("webhookEvents");

            RuleForEach(x => x.Request.WebhookEvents)
                .Member()
                .OverridePropertyName("webhookEvents");
        });

        RuleFor(x => x).Custom(CheckModelParameters);
    }

    /// <summary>What a family's parameters object says, in neutral terms.</summary>
    private sealed record Shape(string Name, int? Duration, string? AspectRatio, string? Resolution, object? StartImage, object? EndImage);

    private static void CheckModelParameters(Scoped<CreateVideoRequest> scoped, ValidationContext<Scoped<CreateVideoRequest>> context)
    {
        var request = scoped.Request;
        var family = ApiframeVideoGenerator.FamilyOf(scoped.ModelId);
        var given = Shapes(request).ToList();
        foreach (var other in given.Where(s => s.Family != family))
        {
            Fail(other.Shape.Name, "(set)", $"{other.Shape.Name} is for {FamilyModels(other.Family)}; {scoped.ModelId} reads {NameOf(family)}");
        }

        var shape = given.FirstOrDefault(s => s.Family == family).Shape;
        var model = scoped.Model;
        if (model is null || family == Family.Unknown)
        {
            return;
        }

        var name = NameOf(family);
        if (shape?.StartImage is null && !model.Supports(VideoModes.TextToVideo))
        {
            Fail($"{name}.{StartField(family)}", null, $"{model.Id} makes videos from an image only (https://docs-v2.apiframe.ai/docs/videos): give one");
        }

        if (shape is null)
        {
            return;
        }

        if (shape.StartImage is not null && !model.Supports(VideoModes.ImageToVideo))
        {
            Fail($"{name}.{StartField(family)}", shape.StartImage.ToString(), $"nothing: {model.Id} does not start from an image");
        }

        if (shape.EndImage is not null && !model.Supports(VideoModes.EndFrame))
        {
            Fail($"{name}.{EndField(family)}", shape.EndImage.ToString(), $"nothing: {model.Id} has no end frame; {scoped.ModelsThatCan(VideoModes.EndFrame)}");
        }

        if (shape.Duration is { } duration && model.Durations.Count > 0 && !model.Durations.Contains(duration))
        {
            Fail($"{name}.duration", duration.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{model.Id} accepts {ValidationText.List(model.Durations)} seconds");
        }

        if (shape.AspectRatio is { } ratio && model.AspectRatios.Count > 0 && !model.AspectRatios.Contains(ratio, StringComparer.Ordinal))
        {
            Fail($"{name}.aspect_ratio", ratio, $"{model.Id} accepts {ValidationText.List(model.AspectRatios)}");
        }

        if (shape.Resolution is { } resolution && model.Resolutions.Count > 0 && !model.Resolutions.Contains(resolution, StringComparer.OrdinalIgnoreCase))
        {
            Fail($"{name}.resolution", resolution, $"{model.Id} accepts {ValidationText.List(model.Resolutions)}");
        }

        // https://docs-v2.apiframe.ai/docs/videos/hailuo/hailuo-02 and .../hailuo-2-3: "1080p resolution does not support 10s duration".
        if (family == Family.Hailuo && string.Equals(shape.Resolution, "1080p", StringComparison.OrdinalIgnoreCase) && shape.Duration == 10)
        {
            Fail("hailuoParams.duration", "10", $"6 seconds at 1080p: {model.Id} does not make 10 s at 1080p");
        }

        if (family == Family.Kling && request.KlingParams?.Mode is { } mode)
        {
            // The mode exists on the kling-2.1 and kling-3.0 pages only.
            if (model.Id is not ("kling-2.1" or "kling-3.0"))
            {
                Fail("klingParams.mode", mode.ToString(), $"nothing: {model.Id} has no mode (only kling-2.1 and kling-3.0 do)");
            }
            else if (model.Id == "kling-2.1" && mode == KlingMode.Standard && shape.EndImage is not null)
            {
                Fail("klingParams.end_image", shape.EndImage.ToString(), "nothing in standard mode: kling-2.1 takes an end image in pro mode only (https://docs-v2.apiframe.ai/docs/videos/kling/kling-2-1)");
            }
        }

        void Fail(string field, string? value, string allowed) =>
            context.AddFailure(new FluentValidation.Results.ValidationFailure(field, allowed, value));
    }

    private static IEnumerable<(Family Family, Shape Shape)> Shapes(CreateVideoRequest r)
    {
        if (r.GrokImagineVideoParams is { } g)
        {
            yield return (Family.GrokImagineVideo, new("grokImagineVideoParams", g.Duration, g.AspectRatio, null, g.ReferenceImages is { Count: > 0 } refs ? refs[0] : null, null));
        }

        if (r.HailuoParams is { } h)
        {
            yield return (Family.Hailuo, new("hailuoParams", h.Duration, null, h.Resolution, h.Image, h.EndImage));
        }

        if (r.LumaParams is { } l)
        {
            yield return (Family.Luma, new("lumaParams", l.Duration, l.AspectRatio, null, l.StartImage, l.EndImage));
        }

        if (r.KlingParams is { } k)
        {
            yield return (Family.Kling, new("klingParams", k.Duration, k.AspectRatio, null, k.StartImage, k.EndImage));
        }

        if (r.MidjourneyVideoParams is { } m)
        {
            var resolution = m.Resolution switch { MidjourneyVideoResolution.Sd => "480p", MidjourneyVideoResolution.Hd => "720p", _ => null };
            yield return (Family.MidjourneyVideo, new("midjourneyVideoParams", null, null, resolution, m.StartImage, null));
        }

        if (r.RunwayParams is { } rw)
        {
            yield return (Family.Runway, new("runwayParams", rw.Duration, rw.AspectRatio, null, rw.Image, null));
        }

        if (r.SeedanceParams is { } s)
        {
            yield return (Family.Seedance, new("seedanceParams", s.Duration, s.AspectRatio, s.Resolution, s.StartImage, s.EndImage));
        }

        if (r.SoraParams is { } so)
        {
            yield return (Family.Sora, new("soraParams", so.Duration, so.AspectRatio, so.Resolution, so.StartImage, null));
        }

        if (r.VeoParams is { } v)
        {
            yield return (Family.Veo, new("veoParams", v.Duration, v.AspectRatio, v.Resolution, v.Image, v.LastFrame));
        }

        if (r.WanParams is { } w)
        {
            yield return (Family.Wan, new("wanParams", w.Duration, null, w.Resolution, w.Image, null));
        }
    }

    private static string NameOf(Family family) => family switch
    {
        Family.GrokImagineVideo => "grokImagineVideoParams",
        Family.Hailuo => "hailuoParams",
        Family.Luma => "lumaParams",
        Family.Kling => "klingParams",
        Family.MidjourneyVideo => "midjourneyVideoParams",
        Family.Runway => "runwayParams",
        Family.Seedance => "seedanceParams",
        Family.Sora => "soraParams",
        Family.Veo => "veoParams",
        Family.Wan => "wanParams",
        _ => "no parameters object",
    };

    private static string FamilyModels(Family family) => family switch
    {
        Family.GrokImagineVideo => "grok-imagine-video",
        Family.MidjourneyVideo => "midjourney-video",
        _ => NameOf(family).Replace("Params", string.Empty, StringComparison.Ordinal) + "-* models",
    };

    private static string StartField(Family family) => family switch
    {
        Family.GrokImagineVideo => "reference_images",
        Family.Hailuo or Family.Runway or Family.Veo or Family.Wan => "image",
        _ => "start_image",
    };

    private static string EndField(Family family) => family switch
    {
        Family.Veo => "last_frame",
        _ => "end_image",
    };
}
