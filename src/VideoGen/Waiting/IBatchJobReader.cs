namespace VideoGen.Waiting;

/// <summary>
/// Implemented by adapters of vendors that read several jobs in one request (AIML's
/// <c>generation_ids</c>). Found through <see cref="IVideoGenerator.GetService"/>.
/// </summary>
internal interface IBatchJobReader
{
    /// <summary>The most ids one request may carry.</summary>
    int MaxBatchSize { get; }

    /// <summary>Reads the jobs with <paramref name="jobIds"/> in one request (jobs the vendor does not return are missing from the result).</summary>
    /// <param name="jobIds">The job ids.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>The jobs found.</returns>
    Task<IReadOnlyList<VideoJob>> GetJobsAsync(IReadOnlyList<string> jobIds, CancellationToken cancellationToken);
}
