using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace VideoGen.Catalog;

/// <summary>
/// Every vendor and model VideoGen knows, read from the catalog data file (<c>Catalog/catalog.json</c>,
/// embedded in the library). Each entry cites the vendor document it comes from; inferred facts are
/// marked there with a reason.
/// </summary>
public sealed class VideoModelCatalog
{
    private static readonly Lazy<VideoModelCatalog> LazyDefault = new(() =>
    {
        using var stream = typeof(VideoModelCatalog).Assembly.GetManifestResourceStream("VideoGen.Catalog.catalog.json")
            ?? throw new InvalidOperationException("The embedded model catalog is missing.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    });

    private VideoModelCatalog(IReadOnlyList<VendorInfo> vendors)
    {
        Vendors = vendors;
    }

    /// <summary>The catalog shipped with the library.</summary>
    public static VideoModelCatalog Default => LazyDefault.Value;

    /// <summary>Every vendor.</summary>
    public IReadOnlyList<VendorInfo> Vendors { get; }

    /// <summary>Finds a vendor by id (case-insensitive); an alias (<see cref="VendorIds.Gateway"/>) finds its vendor.</summary>
    /// <param name="vendorId">The vendor id or alias.</param>
    /// <returns>The vendor, or <see langword="null"/>.</returns>
    public VendorInfo? FindVendor(string? vendorId) =>
        vendorId is null ? null : Vendors.FirstOrDefault(v => v.IsNamed(vendorId));

    /// <summary>Gets a vendor by id.</summary>
    /// <param name="vendorId">The vendor id.</param>
    /// <returns>The vendor.</returns>
    /// <exception cref="ArgumentException">No vendor has that id; the message lists the known ones.</exception>
    public VendorInfo GetVendor(string vendorId) =>
        FindVendor(vendorId) ?? throw new ArgumentException(
            $"Unknown vendor '{vendorId}'; known vendors: {string.Join(", ", Vendors.Select(v => v.Id))}.", nameof(vendorId));

    /// <summary>Reads a catalog from its JSON text (the format of <c>Catalog/catalog.json</c>).</summary>
    /// <param name="json">The catalog JSON.</param>
    /// <returns>The catalog.</returns>
    /// <exception cref="FormatException">The JSON is not a valid catalog.</exception>
    public static VideoModelCatalog Parse(string json)
    {
        try
        {
            var root = JObject.Parse(json);
            var vendors = ((JArray)root["vendors"]!).Cast<JObject>().Select(ReadVendor).ToList();
            return new VideoModelCatalog(vendors);
        }
        catch (Exception e) when (e is JsonException or InvalidCastException or NullReferenceException or ArgumentException or FormatException)
        {
            throw new FormatException("The model catalog is not valid: " + e.Message, e);
        }
    }

    private static VendorInfo ReadVendor(JObject v)
    {
        var id = Required(v, "id");
        var unit = Required(v, "priceUnit");
        return new VendorInfo
        {
            Id = id,
            Aliases = (v["aliases"] as JArray ?? []).Select(a => (string)a!).ToList(),
            DisplayName = Required(v, "displayName"),
            Spec = Required(v, "spec"),
            BaseUrl = new Uri(Required(v, "baseUrl")),
            BaseUrlInferred = (bool?)v["baseUrlInferred"] ?? false,
            ApiKeyEnvironmentVariable = Required(v, "apiKeyVariable"),
            FormerApiKeyEnvironmentVariables = (v["formerApiKeyVariables"] as JArray ?? []).Select(a => (string)a!).ToList(),
            PriceUnit = unit,
            DefaultModel = Required(v, "defaultModel"),
            DefaultDuration = v["defaultDuration"] is JObject d ? new DefaultDuration((int)d["seconds"]!, Required(d, "source")) : null,
            PromptMaxLength = (int?)v["promptMaxLength"],
            PromptMinLength = (int?)v["promptMinLength"] ?? 1,
            Features = (v["features"] as JArray ?? []).Select(f => (string)f!).ToHashSet(StringComparer.Ordinal),
            StartImageModes = v["startImageModes"] is JArray modes ? modes.Select(x => ParseMode((string)x!)).Aggregate(VideoModes.None, (a, b) => a | b) : VideoModes.ImageToVideo,
            Models = ((JArray)v["models"]!).Cast<JObject>().Select(m => ReadModel(m, id, unit)).ToList(),
            Source = Required(v, "source"),
        };
    }

    private static VideoModelInfo ReadModel(JObject m, string vendorId, string unit)
    {
        var processing = (JObject)m["processingSeconds"]!;
        var price = m["price"] as JObject;
        return new VideoModelInfo
        {
            Id = Required(m, "id"),
            VendorId = vendorId,
            Description = (string?)m["description"],
            Modes = ((JArray)m["modes"]!).Select(x => ParseMode((string)x!)).Aggregate(VideoModes.None, (a, b) => a | b),
            Features = m["features"] is JArray features ? features.Select(f => (string)f!).ToHashSet(StringComparer.Ordinal) : null,
            Durations = (m["durations"] as JArray ?? []).Select(x => (int)x).ToList(),
            MaxDurationSeconds = (int?)m["maxDurationSeconds"],
            AspectRatios = (m["aspectRatios"] as JArray ?? []).Select(x => (string)x!).ToList(),
            Resolutions = (m["resolutions"] as JArray ?? []).Select(x => (string)x!).ToList(),
            VideosPerJob = (int?)m["videosPerJob"] ?? 1,
            ProcessingTime = new ProcessingTime(
                TimeSpan.FromSeconds((double)processing["min"]!),
                TimeSpan.FromSeconds((double)processing["max"]!),
                (bool?)processing["inferred"] ?? false,
                (string)processing["source"]! + ((string?)processing["inferredReason"] is { } why ? " — inferred: " + why : string.Empty)),
            Price = price is null ? null : new ModelPrice((decimal)price["min"]!, (decimal)price["max"]!, unit, (string)price["source"]!, (string?)price["note"])
            {
                Exact = (bool?)price["exact"] ?? false,
                Points = (m["pricePoints"] as JArray ?? []).Select(p => new PricePoint((int)p["durationSeconds"]!, (decimal)p["amount"]!, (string)p["source"]!)).ToList(),
            },
            PriceNote = (string?)m["priceNote"],
            Source = Required(m, "source"),
        };
    }

    private static VideoModes ParseMode(string mode) => mode switch
    {
        "text-to-video" => VideoModes.TextToVideo,
        "image-to-video" => VideoModes.ImageToVideo,
        "end-frame" => VideoModes.EndFrame,
        "reference-images" => VideoModes.ReferenceImages,
        "audio" => VideoModes.Audio,
        "extend" => VideoModes.Extend,
        _ => throw new FormatException($"unknown mode '{mode}'"),
    };

    private static string Required(JObject o, string name) =>
        (string?)o[name] is { Length: > 0 } value ? value : throw new FormatException($"'{name}' is missing at {o.Path}");
}
