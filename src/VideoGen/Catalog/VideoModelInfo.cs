namespace VideoGen.Catalog;

/// <summary>What VideoGen knows about one model of one vendor, with the source of each fact.</summary>
public sealed class VideoModelInfo
{
    /// <summary>The vendor's model id (for example <c>kling-v2.1</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The vendor id (for example <c>elumenta</c>).</summary>
    public required string VendorId { get; init; }

    /// <summary>The vendor's own description, where it gives one.</summary>
    public string? Description { get; init; }

    /// <summary>What the model can do.</summary>
    public required VideoModes Modes { get; init; }

    /// <summary>The durations in seconds the model accepts; empty when the vendor documents none.</summary>
    public IReadOnlyList<int> Durations { get; init; } = [];

    /// <summary>The longest duration in seconds, where only a maximum is documented.</summary>
    public int? MaxDurationSeconds { get; init; }

    /// <summary>The aspect ratios (<c>16:9</c>, ...) the model accepts; empty when the vendor documents none.</summary>
    public IReadOnlyList<string> AspectRatios { get; init; } = [];

    /// <summary>The resolutions (<c>720p</c>, ...) the model produces; empty when not documented.</summary>
    public IReadOnlyList<string> Resolutions { get; init; } = [];

    /// <summary>How many videos one job returns.</summary>
    /// <value>1.</value>
    public int VideosPerJob { get; init; } = 1;

    /// <summary>The expected processing time.</summary>
    public required ProcessingTime ProcessingTime { get; init; }

    /// <summary>The documented price, or <see langword="null"/> when the vendor documents none.</summary>
    public ModelPrice? Price { get; init; }

    /// <summary>Why there is no price, when <see cref="Price"/> is null.</summary>
    public string? PriceNote { get; init; }

    /// <summary>
    /// The request options (<see cref="VendorFeatures"/>, today <c>negative-prompt</c>) this model takes where they differ
    /// per model (catalog model <c>features</c>; Apiframe: only the Kling, Veo and Wan families' parameters have a negative prompt).
    /// </summary>
    /// <value><see langword="null"/>: the vendor's <see cref="VendorInfo.Features"/> apply to the model.</value>
    public IReadOnlySet<string>? Features { get; init; }

    /// <summary>Whether the model takes a request option: its own <see cref="Features"/> where the catalog lists them, else the vendor's.</summary>
    /// <param name="vendor">The model's vendor.</param>
    /// <param name="feature">The option, as in <see cref="VendorFeatures"/>.</param>
    /// <returns><see langword="true"/> when it does.</returns>
    public bool Has(VendorInfo vendor, string feature)
    {
        ArgumentNullException.ThrowIfNull(vendor);
        return Features?.Contains(feature) ?? vendor.Has(feature);
    }

    /// <summary>Where the entry comes from (seed file § section, or a public URL).</summary>
    public required string Source { get; init; }

    /// <summary>Whether the model supports every mode in <paramref name="modes"/>.</summary>
    /// <param name="modes">The modes wanted.</param>
    /// <returns><see langword="true"/> when all are supported.</returns>
    public bool Supports(VideoModes modes) => (Modes & modes) == modes;

    /// <inheritdoc />
    public override string ToString() => $"{VendorId}/{Id}";
}

/// <summary>The expected processing time of a model, from submission to a finished video.</summary>
/// <param name="Min">The earliest plausible finish.</param>
/// <param name="Max">The latest usual finish.</param>
/// <param name="Inferred">Whether the range is inferred rather than documented.</param>
/// <param name="Source">Where the figures come from, and why when inferred.</param>
public sealed record ProcessingTime(TimeSpan Min, TimeSpan Max, bool Inferred, string Source);

/// <summary>A model's documented price for one job, in the vendor's unit.</summary>
/// <param name="Min">The lowest documented price.</param>
/// <param name="Max">The highest documented price.</param>
/// <param name="Unit">The unit (for example <c>Elumenta tokens</c>).</param>
/// <param name="Source">Where the figures come from.</param>
/// <param name="Note">What the figures depend on.</param>
public sealed record ModelPrice(decimal Min, decimal Max, string Unit, string Source, string? Note)
{
    /// <summary>Prices documented for a specific duration (for example a vendor's worked example).</summary>
    public IReadOnlyList<PricePoint> Points { get; init; } = [];

    /// <summary>
    /// Whether a source calls the price exact (catalog <c>"exact": true</c>). A single figure in a table whose page says
    /// the cost depends on duration and resolution is not exact.
    /// </summary>
    /// <value><see langword="false"/> unless the catalog says so.</value>
    public bool Exact { get; init; }

    /// <summary>Whether the price is one exact figure: a single figure that a source calls exact.</summary>
    public bool IsExact => Exact && Min == Max;
}

/// <summary>A documented price for one duration.</summary>
/// <param name="DurationSeconds">The duration the price is for.</param>
/// <param name="Amount">The price.</param>
/// <param name="Source">Where it is documented.</param>
public sealed record PricePoint(int DurationSeconds, decimal Amount, string Source);
