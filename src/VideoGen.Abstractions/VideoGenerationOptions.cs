namespace VideoGen;

/// <summary>Per-call options of <see cref="IVideoGenerator.SubmitAsync"/>.</summary>
public sealed class VideoGenerationOptions
{
    /// <summary>The most this call may cost, in the vendor's unit. The worst-case estimate must fit or nothing is sent.</summary>
    /// <value>No per-call budget.</value>
    public decimal? MaxCost { get; set; }

    /// <summary>A https URL the vendor calls with progress and completion events, where it supports webhooks (the gateway).</summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>
    /// The caller's stable key for this logical submission (for example a batch file and line). With
    /// a job journal in the pipeline, a key already submitted is never submitted again: its job is
    /// returned instead.
    /// </summary>
    /// <value>No key: every call is a new submission.</value>
    public string? ClientKey { get; set; }

    /// <summary>
    /// An id the vendor stores with the job and shows again when it lists jobs, where it supports one, so a
    /// submission whose answer was lost can be found by it (<c>JournalingVideoGenerator</c> (VideoGen package) sets it to
    /// the journal's correlation id). Adapters of vendors without such a field ignore it.
    /// </summary>
    /// <value>None.</value>
    public string? ClientReference { get; set; }

    /// <summary>Vendor- or model-specific parameters passed through as they are (the gateway's per-model <c>parameters</c> object).</summary>
    public IDictionary<string, object?>? AdditionalProperties { get; set; }
}
