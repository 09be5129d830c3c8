using FluentValidation;
using VideoGen.Catalog;

namespace VideoGen.Validation;

/// <summary>Rules every validator shares, written once so their messages read the same everywhere.</summary>
internal static class RuleExtensions
{
    /// <summary>A prompt: present, not blank, and within the vendor's length limits (counted in Unicode characters).</summary>
    public static IRuleBuilderOptions<Scoped<T>, string> ValidPrompt<T>(this IRuleBuilderInitial<Scoped<T>, string> rule) =>
        rule.Cascade(CascadeMode.Stop)
            .Must(p => !string.IsNullOrWhiteSpace(p))
            .WithMessage("a prompt is required: describe the video")
            .Must((x, p) => WithinLimits(x.Vendor, p))
            .WithMessage((x, p) => PromptLimits(x.Vendor, p));

    /// <summary>An absolute http(s) URL (an image or video the vendor downloads).</summary>
    public static IRuleBuilderOptions<T, Uri?> HttpUrl<T>(this IRuleBuilder<T, Uri?> rule, string what) =>
        rule.Must(ValidationText.IsHttpUrl).WithMessage($"{what} is an absolute http(s) URL");

    /// <summary>
    /// An absolute https URL the vendor calls back. CUSTOM: the vendors' documents only say "URL";
    /// VideoGen asks for https because the vendor posts job results to it over the internet.
    /// </summary>
    public static IRuleBuilderOptions<T, Uri?> HttpsUrl<T>(this IRuleBuilder<T, Uri?> rule, string what) =>
        rule.Must(ValidationText.IsHttpsUrl).WithMessage($"{what} is an absolute https URL");

    /// <summary>
    /// The model the request names is in the vendor's catalog entry. Where the vendor's model field is a free string
    /// (<see cref="VendorFeatures.OpenModels"/>) an unknown slug is a warning, not a failure: the vendor documents more
    /// slugs than VideoGen's catalog holds.
    /// </summary>
    public static IRuleBuilderOptions<Scoped<T>, TModel> KnownModel<T, TModel>(this IRuleBuilder<Scoped<T>, TModel> rule) =>
        rule.Must((x, _) => x.Model is not null)
            .WithMessage(x => x.Vendor.Has(VendorFeatures.OpenModels)
                ? $"not in VideoGen's {x.Vendor.DisplayName} catalog (known: {ValidationText.List(x.Vendor.Models.Select(m => m.Id))}); it is sent as given, so its durations, aspect ratios and price are not checked here"
                : $"{x.Vendor.DisplayName} models are {ValidationText.List(x.Vendor.Models.Select(m => m.Id))}")
            .WithSeverity(x => x.Vendor.Has(VendorFeatures.OpenModels) ? Severity.Warning : Severity.Error);

    /// <summary>A generated enum value that is one of the enum's members (a cast can make any number an enum).</summary>
    public static IRuleBuilderOptions<T, TEnum> Member<T, TEnum>(this IRuleBuilder<T, TEnum> rule)
        where TEnum : struct, Enum =>
        rule.Must(v => Enum.IsDefined(v))
            .WithMessage($"the contract allows {ValidationText.List(Enum.GetValues<TEnum>().Select(v => ValidationText.WireName(v)))}");

    /// <summary>A duration in seconds the model documents (any positive one where the catalog documents none; at most the maximum where only that is known).</summary>
    public static IRuleBuilderOptions<Scoped<T>, int> DocumentedDuration<T>(this IRuleBuilderInitial<Scoped<T>, int> rule) =>
        rule.Cascade(CascadeMode.Stop)
            .GreaterThan(0)
            .WithMessage("a duration is a positive number of seconds")
            .Must((x, d) => x.Model is not { Durations.Count: > 0 } model || model.Durations.Contains(d))
            .WithMessage(x => $"{x.Model!.Id} accepts {ValidationText.List(x.Model.Durations)} seconds")
            .Must((x, d) => x.Model is not { Durations.Count: 0, MaxDurationSeconds: { } max } || d <= max)
            .WithMessage(x => $"{x.Model!.Id} makes videos of at most {x.Model.MaxDurationSeconds} seconds");

    /// <summary>An aspect ratio the model documents (anything where the catalog documents none).</summary>
    public static IRuleBuilderOptions<Scoped<T>, string> DocumentedAspectRatio<T>(this IRuleBuilder<Scoped<T>, string> rule) =>
        rule.Must((x, r) => x.Model is not { AspectRatios.Count: > 0 } model || model.AspectRatios.Contains(r, StringComparer.Ordinal))
            .WithMessage(x => $"{x.Model!.Id} accepts {ValidationText.List(x.Model.AspectRatios)}");

    /// <summary>A resolution the model documents (anything where the catalog documents none).</summary>
    public static IRuleBuilderOptions<Scoped<T>, string> DocumentedResolution<T>(this IRuleBuilder<Scoped<T>, string> rule) =>
        rule.Must((x, r) => x.Model is not { Resolutions.Count: > 0 } model || model.Resolutions.Contains(r, StringComparer.Ordinal))
            .WithMessage(x => $"{x.Model!.Id} makes {ValidationText.List(x.Model.Resolutions)}");

    /// <summary>The model can do <paramref name="modes"/> (passes when the catalog does not know the model: that is reported on its own).</summary>
    public static IRuleBuilderOptions<Scoped<T>, TProperty> ModelCan<T, TProperty>(this IRuleBuilder<Scoped<T>, TProperty> rule, VideoModes modes, string cannot) =>
        rule.Must((x, _) => x.ModelAllows(modes))
            .WithMessage(x => $"{x.ModelId} {cannot} ({x.ModelsThatCan(modes)})");

    /// <summary>The model can do at least one of the modes <paramref name="modes"/> gives (passes when the catalog does not know the model).</summary>
    public static IRuleBuilderOptions<Scoped<T>, TProperty> ModelCanAny<T, TProperty>(this IRuleBuilder<Scoped<T>, TProperty> rule, Func<Scoped<T>, VideoModes> modes, string cannot) =>
        rule.ModelCanAny(modes, _ => cannot);

    /// <summary>As above, with the words chosen per request.</summary>
    public static IRuleBuilderOptions<Scoped<T>, TProperty> ModelCanAny<T, TProperty>(this IRuleBuilder<Scoped<T>, TProperty> rule, Func<Scoped<T>, VideoModes> modes, Func<Scoped<T>, string> cannot) =>
        rule.Must((x, _) => x.Model is null || (x.Model.Modes & modes(x)) != VideoModes.None)
            .WithMessage(x => $"{x.ModelId} {cannot(x)} ({(modes(x) == VideoModes.ImageToVideo ? x.ModelsThatCan(modes(x)) : x.ModelsThatCanAny(modes(x)))})");

    private static bool WithinLimits(VendorInfo vendor, string prompt)
    {
        var length = ValidationText.Characters(prompt);
        return length >= vendor.PromptMinLength && (vendor.PromptMaxLength is not { } max || length <= max);
    }

    private static string PromptLimits(VendorInfo vendor, string prompt)
    {
        var limits = vendor.PromptMaxLength is { } max
            ? $"{vendor.DisplayName} prompts are {vendor.PromptMinLength} to {max} characters"
            : $"{vendor.DisplayName} prompts are at least {vendor.PromptMinLength} characters";
        return $"{limits}; this one has {ValidationText.Characters(prompt)}";
    }
}
