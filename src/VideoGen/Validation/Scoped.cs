using VideoGen.Catalog;

namespace VideoGen.Validation;

/// <summary>
/// A request together with what the rules read beside it: the vendor it is for and the catalog
/// entry of the model it names (resolved once, so every rule sees the same model).
/// </summary>
/// <typeparam name="T">The request type.</typeparam>
/// <param name="Vendor">The vendor the request is for.</param>
/// <param name="ModelId">The model id as sent (the vendor's default when the request names none).</param>
/// <param name="Model">The catalog entry of <paramref name="ModelId"/>; <see langword="null"/> when the catalog does not know it.</param>
/// <param name="Request">The request.</param>
internal sealed record Scoped<T>(VendorInfo Vendor, string ModelId, VideoModelInfo? Model, T Request)
{
    /// <summary>The per-call options (vendor-neutral path only).</summary>
    public VideoGenerationOptions? Options { get; init; }

    /// <summary>Whether the catalog knows the model and it can do every mode in <paramref name="modes"/>; true when the model is unknown (that is reported once, elsewhere).</summary>
    public bool ModelAllows(VideoModes modes) => Model is null || Model.Supports(modes);

    /// <summary>The vendor's models that can do at least one of <paramref name="modes"/>, for messages.</summary>
    public string ModelsThatCanAny(VideoModes modes)
    {
        var ids = Vendor.Models.Where(m => (m.Modes & modes) != VideoModes.None).Select(m => m.Id).ToList();
        return ids.Count == 0
            ? $"no {Vendor.DisplayName} model can"
            : $"{Vendor.DisplayName} models that can: {ValidationText.List(ids, "and")}";
    }

    /// <summary>The vendor's models that can do <paramref name="modes"/>, for messages.</summary>
    public string ModelsThatCan(VideoModes modes)
    {
        var ids = Vendor.Models.Where(m => m.Supports(modes)).Select(m => m.Id).ToList();
        return ids.Count == 0
            ? $"no {Vendor.DisplayName} model can"
            : $"{Vendor.DisplayName} models that can: {ValidationText.List(ids, "and")}";
    }
}
