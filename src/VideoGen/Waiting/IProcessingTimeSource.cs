namespace VideoGen.Waiting;

/// <summary>
/// A store that remembers finished jobs' processing times across processes (for example a journal) and can
/// seed an <see cref="IProcessingTimeHistory"/> with them, so a new process starts with what earlier ones saw.
/// </summary>
/// <remarks>
/// <c>AddVideoGeneration</c> seeds the container's history from the registered <see cref="Journal.IJobJournal"/>
/// when it implements this interface (the SQLite journal of the VideoGen.Journal.Sqlite package does).
/// </remarks>
public interface IProcessingTimeSource
{
    /// <summary>Records every remembered processing time into <paramref name="history"/>, oldest first.</summary>
    /// <param name="history">Where to record.</param>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>How many times were recorded.</returns>
    Task<int> LoadProcessingTimesAsync(IProcessingTimeHistory history, CancellationToken cancellationToken = default);
}
