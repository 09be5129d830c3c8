namespace VideoGen.Waiting;

/// <summary>
/// Implemented by adapters of vendors whose status request can wait on the server (AIML's
/// wait-for-state GET): one request returns when the job's state moves on, or after the server's
/// own timeout with the current state. Found through <see cref="IVideoGenerator.GetService"/>.
/// </summary>
internal interface ILongPollingJobReader
{
    /// <summary>The longest a single request waits on the server.</summary>
    TimeSpan ServerWait { get; }

    /// <summary>Reads the job, letting the server hold the request until it completes or its wait ends.</summary>
    /// <param name="jobId">The job id.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>The job as the server returned it.</returns>
    Task<VideoJob> WaitForCompletionOnServerAsync(string jobId, CancellationToken cancellationToken);
}
