namespace VideoGen.Hangfire;

/// <summary>Where one enqueued video generation stands.</summary>
public enum VideoWorkState
{
    /// <summary>Enqueued; the paid create request has not been sent yet.</summary>
    Queued,

    /// <summary>The create request is being sent, or was refused for a passing reason (429, 503) and will be tried again.</summary>
    Submitting,

    /// <summary>The vendor accepted the job (its id is known); waiting for it to finish.</summary>
    Waiting,

    /// <summary>The video was stored at the destination.</summary>
    Completed,

    /// <summary>Finished without a video: refused by the vendor for good, or the job failed, was cancelled or expired. <see cref="VideoWorkStatus.Error"/> says why.</summary>
    Failed,

    /// <summary>
    /// The create request may or may not have created a paid job (the connection dropped after sending, a 5xx, a worker
    /// killed mid-request) and the vendor cannot be asked: it is never resent. Look the job up at the vendor with
    /// <see cref="VideoWorkStatus.CorrelationId"/>, then settle it with <c>videogen resume --settle</c>.
    /// </summary>
    OutcomeUnknown,
}

/// <summary>One enqueued video generation, as <see cref="VideoGenWorkClient.GetStatusAsync"/> reports it.</summary>
/// <param name="CorrelationId">The id given at enqueue time (also the journal's client key for this submission).</param>
/// <param name="Batch">The batch it belongs to, if any.</param>
/// <param name="Vendor">The vendor id.</param>
/// <param name="State">Where it stands.</param>
/// <param name="JobId">The vendor's job id, once known.</param>
/// <param name="VendorStatus">The vendor's last reported status.</param>
/// <param name="Result">Where the video was stored (a file path, or what the <see cref="IVideoSink"/> returned).</param>
/// <param name="Error">Why it failed or why its outcome is unknown.</param>
/// <param name="Polls">How many times the vendor was asked about the job.</param>
/// <param name="HangfireJobId">The Hangfire background job that drives it (find it in the dashboard).</param>
/// <param name="CreatedAt">When it was enqueued.</param>
/// <param name="UpdatedAt">When it last changed.</param>
public sealed record VideoWorkStatus(
    string CorrelationId,
    string? Batch,
    string Vendor,
    VideoWorkState State,
    string? JobId,
    string? VendorStatus,
    string? Result,
    string? Error,
    int Polls,
    string? HangfireJobId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Whether nothing more will happen to it (completed, failed, or outcome unknown).</summary>
    public bool IsFinal => State is VideoWorkState.Completed or VideoWorkState.Failed or VideoWorkState.OutcomeUnknown;
}
