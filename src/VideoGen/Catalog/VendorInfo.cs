namespace VideoGen.Catalog;

/// <summary>What VideoGen knows about one vendor: where it lives, how it is paid, and its models.</summary>
public sealed class VendorInfo
{
    /// <summary>
    /// The vendor id: a stable key used in configuration, the CLI, journals and keyed services (<c>elumenta</c>,
    /// <c>neuralbox</c>, <c>apiframe</c>, <c>aimlapi</c>, <c>oxen</c>). Look vendors up by it, never by <see cref="DisplayName"/>.
    /// </summary>
    public required string Id { get; init; }

    /// <summary>Other ids that name this vendor wherever an id is read (catalog <c>aliases</c>; <c>gateway</c> for <c>apiframe</c>).</summary>
    /// <value>None.</value>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>The vendor's display name.</summary>
    public required string DisplayName { get; init; }

    /// <summary>The spec in <c>specs/</c> that describes the vendor's contract.</summary>
    public required string Spec { get; init; }

    /// <summary>The vendor's API base URL.</summary>
    public required Uri BaseUrl { get; init; }

    /// <summary>Whether <see cref="BaseUrl"/> is a placeholder because the vendor's documents name no host.</summary>
    public bool BaseUrlInferred { get; init; }

    /// <summary>The environment variable the API key is read from (for example <c>ELUMENTA_API_KEY</c>).</summary>
    public required string ApiKeyEnvironmentVariable { get; init; }

    /// <summary>
    /// Former names of <see cref="ApiKeyEnvironmentVariable"/>, read in order when it is unset (catalog
    /// <c>formerApiKeyVariables</c>; <c>GATEWAY_API_KEY</c> for Apiframe).
    /// </summary>
    /// <value>None.</value>
    public IReadOnlyList<string> FormerApiKeyEnvironmentVariables { get; init; } = [];

    /// <summary>The unit prices are in (for example <c>Elumenta tokens</c>).</summary>
    public required string PriceUnit { get; init; }

    /// <summary>The model used when a request names none.</summary>
    public required string DefaultModel { get; init; }

    /// <summary>
    /// The duration the vendor's contract uses when a request names none, where documented (catalog
    /// <c>defaultDuration</c>: Elumenta and NeuralBox, 5 s); pricing estimates with it.
    /// </summary>
    /// <value>None: the vendor documents no default.</value>
    public DefaultDuration? DefaultDuration { get; init; }

    /// <summary>The longest prompt, in characters, where documented.</summary>
    public int? PromptMaxLength { get; init; }

    /// <summary>The shortest prompt, in characters.</summary>
    /// <value>1.</value>
    public int PromptMinLength { get; init; } = 1;

    /// <summary>Request options the vendor's contract has (<c>negative-prompt</c>, <c>webhooks</c>, <c>loop</c>, ...).</summary>
    public IReadOnlySet<string> Features { get; init; } = new HashSet<string>();

    /// <summary>
    /// The modes a model needs for the vendor's contract to take a start image: the adapter sends
    /// <see cref="VideoGenerationRequest.StartImage"/> to the field these modes use (Oxen.ai's <c>input_image</c> serves
    /// image-to-video and reference-to-video models alike). Validation reads this, so what it accepts is what the adapter maps.
    /// </summary>
    /// <value><see cref="VideoModes.ImageToVideo"/> unless the catalog says otherwise (<c>startImageModes</c>).</value>
    public VideoModes StartImageModes { get; init; } = VideoModes.ImageToVideo;

    /// <summary>The vendor's models.</summary>
    public required IReadOnlyList<VideoModelInfo> Models { get; init; }

    /// <summary>Where the entry comes from.</summary>
    public required string Source { get; init; }

    /// <summary>Whether <paramref name="idOrAlias"/> names this vendor: its <see cref="Id"/> or one of its <see cref="Aliases"/> (ordinal, case-insensitive).</summary>
    /// <param name="idOrAlias">A vendor id or alias.</param>
    /// <returns><see langword="true"/> when it does.</returns>
    public bool IsNamed(string? idOrAlias) =>
        idOrAlias is not null
        && (string.Equals(Id, idOrAlias, StringComparison.OrdinalIgnoreCase) || Aliases.Contains(idOrAlias, StringComparer.OrdinalIgnoreCase));

    /// <summary>Finds a model by id (ordinal, case-insensitive).</summary>
    /// <param name="modelId">The model id.</param>
    /// <returns>The model, or <see langword="null"/>.</returns>
    public VideoModelInfo? FindModel(string? modelId) =>
        modelId is null ? null : Models.FirstOrDefault(m => string.Equals(m.Id, modelId, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether the vendor's contract has the named feature.</summary>
    /// <param name="feature">The feature, as in <see cref="Features"/>.</param>
    /// <returns><see langword="true"/> when it has.</returns>
    public bool Has(string feature) => Features.Contains(feature);

    /// <inheritdoc />
    public override string ToString() => Id;
}

/// <summary>A vendor's documented default duration.</summary>
/// <param name="Seconds">The duration, in seconds.</param>
/// <param name="Source">Where the vendor documents it.</param>
public sealed record DefaultDuration(int Seconds, string Source);

/// <summary>The request options a vendor's contract can have, as named in <see cref="VendorInfo.Features"/>.</summary>
public static class VendorFeatures
{
    /// <summary>A negative prompt.</summary>
    public const string NegativePrompt = "negative-prompt";

    /// <summary>A start image URL.</summary>
    public const string StartImage = "start-image";

    /// <summary>Webhook notifications.</summary>
    public const string Webhooks = "webhooks";

    /// <summary>A per-model parameters object.</summary>
    public const string Parameters = "parameters";

    /// <summary>A looping video.</summary>
    public const string Loop = "loop";

    /// <summary>Keyframes (<c>frame0</c>/<c>frame1</c>).</summary>
    public const string Keyframes = "keyframes";

    /// <summary>Extending an earlier generation.</summary>
    public const string Extend = "extend";

    /// <summary>Reading several jobs in one request.</summary>
    public const string BatchStatus = "batch-status";

    /// <summary>A status request that waits on the server for a state (long poll).</summary>
    public const string LongPoll = "long-poll";

    /// <summary>A synchronous generate endpoint.</summary>
    public const string SyncGenerate = "sync-generate";

    /// <summary>Listing queued jobs by model.</summary>
    public const string QueueList = "queue-list";

    /// <summary>
    /// The contract's model field is a free string: a slug the catalog does not know is sent with a
    /// <see cref="ValidationWarning"/> rather than refused (Elumenta and NeuralBox document more slugs than their model table).
    /// </summary>
    public const string OpenModels = "open-models";

    /// <summary>Cancelling a submitted job (<see cref="IVideoGenerator"/>'s <c>CancelAsync</c>).</summary>
    public const string Cancel = "cancel";

    /// <summary>An exact price quote from the vendor before submit (Elumenta's Calculate Price).</summary>
    public const string PriceQuote = "price-quote";
}
