namespace VideoGen;

/// <summary>
/// Waiting for a job took longer than allowed. The job is not lost: <see cref="VideoGenException.JobId"/>
/// carries its id, so it can be awaited again later, from this process or another.
/// </summary>
public sealed class JobTimeoutException : VideoGenException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="vendor">The vendor.</param>
    /// <param name="jobId">The job's id.</param>
    /// <param name="waited">How long was waited.</param>
    /// <param name="lastKnown">The job as last read, if it was read at all.</param>
    public JobTimeoutException(string? vendor, string jobId, TimeSpan waited, VideoJob? lastKnown)
        : base($"{vendor} job {jobId} did not finish within {waited.TotalSeconds:0.#} s (last status: {lastKnown?.VendorStatus ?? lastKnown?.Status.ToString() ?? "never read"}). The job may still finish: wait for it again with its id {jobId}.", vendor)
    {
        JobId = jobId;
        Waited = waited;
        LastKnown = lastKnown;
    }

    /// <summary>How long was waited.</summary>
    public TimeSpan Waited { get; }

    /// <summary>The job as last read, if it was read at all.</summary>
    public VideoJob? LastKnown { get; }
}
