namespace VideoGen.Sandbox;

/// <summary>Where a sandbox job is in its lifecycle; each vendor words these phases its own way.</summary>
public enum SandboxJobPhase
{
    /// <summary>Accepted, waiting for a worker (Elumenta <c>pending</c>, gateway <c>QUEUED</c>, AIML <c>queued</c>, Oxen <c>queued</c>).</summary>
    Queued,

    /// <summary>Being generated (Elumenta <c>pending</c>, gateway <c>PROCESSING</c>, AIML <c>dreaming</c>, Oxen <c>processing</c>).</summary>
    Processing,

    /// <summary>Done, with a video (Elumenta <c>completed</c>, gateway <c>COMPLETED</c>, AIML <c>completed</c>, Oxen <c>succeeded</c>).</summary>
    Succeeded,

    /// <summary>Ended without a video; not charged (Elumenta, AIML, Oxen <c>failed</c>; gateway <c>FAILED</c>).</summary>
    Failed,

    /// <summary>Cancelled through <see cref="SandboxServer.CancelJob"/>; not charged (Oxen <c>cancelled</c>; the other vendors, which have no such state, report it as failed).</summary>
    Cancelled,
}

/// <summary>A sandbox job as it stands at one moment.</summary>
/// <param name="Vendor">The vendor id (<see cref="SandboxVendors"/>).</param>
/// <param name="Id">The id the vendor's API returned for the job.</param>
/// <param name="Model">The model id.</param>
/// <param name="Phase">The phase at the moment of the snapshot.</param>
/// <param name="CreatedAt">When the job was accepted.</param>
/// <param name="StartsAt">When it leaves the queue (or left it).</param>
/// <param name="FinishesAt">When it reaches (or reached) its planned end; a cancelled job ended earlier.</param>
/// <param name="Price">What was charged at submission, in the vendor's unit (refunded when the job fails or is cancelled).</param>
/// <param name="FailureReason">Why the job failed or was cancelled, when it did; null otherwise.</param>
public sealed record SandboxJobSnapshot(
    string Vendor,
    string Id,
    string Model,
    SandboxJobPhase Phase,
    DateTimeOffset CreatedAt,
    DateTimeOffset StartsAt,
    DateTimeOffset FinishesAt,
    decimal Price,
    string? FailureReason)
{
    /// <summary>The prompt the job was submitted with (null when the vendor's request had none), so a test can find the jobs one submission created.</summary>
    public string? Prompt { get; init; }
}
