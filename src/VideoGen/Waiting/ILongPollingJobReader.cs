namespace VideoGen.Waiting;

/// <summary>
/// Implemented by adapters of vendors whose status request can wait on the server (AIML's
/// wait-for-state GET): one request returns when the job's state moves on, or after the server's
/// own timeout with the current state. Found through <see cref="IVideoGenerator.GetService"/>.
/// </summary>
/// <remarks>
/// Not every job of such a vendor can be waited on at the server (AIML's video route has no wait-for-state GET):
/// a waiter asks <see cref="CanWaitOnServer"/> per job and polls the others on the normal schedule
/// (<see cref="JobPoller"/>), through the wait's own clock.
/// </remarks>
internal interface ILongPollingJobReader
{
    /// <summary>The longest a single request waits on the server.</summary>
    TimeSpan ServerWait { get; }

    /// <summary>
    /// Whether <paramref name="jobId"/> can be waited on at the server. When false, a waiter reads the job with
    /// <see cref="IVideoGenerator.GetJobAsync"/> on the normal poll schedule instead.
    /// </summary>
    /// <param name="jobId">The job id.</param>
    /// <returns>True (the default) when <see cref="WaitForCompletionOnServerAsync"/> waits on the server for this job.</returns>
    bool CanWaitOnServer(string jobId) => true;

    /// <summary>Reads the job, letting the server hold the request until it completes or its wait ends.</summary>
    /// <param name="jobId">The job id.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>The job as the server returned it.</returns>
    Task<VideoJob> WaitForCompletionOnServerAsync(string jobId, CancellationToken cancellationToken);
}
