namespace VideoGen;

/// <summary>The state of a video job as last read from its vendor.</summary>
public sealed record VideoJob
{
    /// <summary>The vendor's job id: keep it, it is how the job is found again.</summary>
    public required string Id { get; init; }

    /// <summary>
    /// The vendor's display name, for people (for example <c>AIML API</c>: the catalog vendor's display name).
    /// Messages and logs show it; look a vendor up by <see cref="VendorId"/>, not by this.
    /// </summary>
    public required string Vendor { get; init; }

    /// <summary>
    /// The vendor's stable id (for example <c>aimlapi</c>: the catalog's vendor id, VideoGen's <c>VendorIds</c>), the key a
    /// vendor is looked up by (the catalog, the vendor descriptors, the journal, the poll schedule). Every built-in adapter
    /// sets it from its catalog entry. <see langword="null"/> on a job made without it (for example one serialized before
    /// this property existed, which holds only <see cref="Vendor"/>); VideoGen's lookups then resolve <see cref="Vendor"/>
    /// as a vendor id, alias or display name.
    /// </summary>
    public string? VendorId { get; init; }

    /// <summary>The model, where known.</summary>
    public string? Model { get; init; }

    /// <summary>The status, normalized across vendors.</summary>
    public required VideoJobStatus Status { get; init; }

    /// <summary>The vendor's own status word, as it sent it (for example <c>dreaming</c>).</summary>
    public string? VendorStatus { get; init; }

    /// <summary>Progress from 0 to 1, where the vendor reports it.</summary>
    public double? Progress { get; init; }

    /// <summary>Where the finished video can be downloaded.</summary>
    public Uri? ResultUri { get; init; }

    /// <summary>Every result URL, for vendors that return several videos per job.</summary>
    public IReadOnlyList<Uri> ResultUris { get; init; } = [];

    /// <summary>What the job cost, as the vendor reported it.</summary>
    public VideoCost? Cost { get; init; }

    /// <summary>The vendor's reason, when the job failed.</summary>
    public string? Error { get; init; }

    /// <summary>When the vendor created the job.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>When the vendor finished the job.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>The vendor's response object (a generated contract type), for what the neutral shape leaves out.</summary>
    public object? RawRepresentation { get; init; }

    /// <summary>Whether the job reached a final state (succeeded, failed, cancelled or expired).</summary>
    public bool HasCompleted => Status is VideoJobStatus.Succeeded or VideoJobStatus.Failed or VideoJobStatus.Cancelled or VideoJobStatus.Expired;
}

/// <summary>A job's status, normalized across vendors.</summary>
public enum VideoJobStatus
{
    /// <summary>The vendor sent a status VideoGen does not know; read <see cref="VideoJob.VendorStatus"/>.</summary>
    Unknown = 0,

    /// <summary>Waiting for a worker.</summary>
    Queued,

    /// <summary>Being generated.</summary>
    Running,

    /// <summary>Finished; the video can be downloaded.</summary>
    Succeeded,

    /// <summary>Finished without a video; see <see cref="VideoJob.Error"/>.</summary>
    Failed,

    /// <summary>Cancelled before it finished.</summary>
    Cancelled,

    /// <summary>The job or its result is no longer available.</summary>
    Expired,
}

/// <summary>An amount in a vendor's own unit.</summary>
/// <param name="Amount">The amount.</param>
/// <param name="Unit">The unit, for example <c>Elumenta tokens</c> or <c>AI/ML tokens</c>.</param>
public sealed record VideoCost(decimal Amount, string Unit)
{
    /// <summary>The amount and unit, for example <c>26 Elumenta tokens</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Amount:0.##} {Unit}";
}
