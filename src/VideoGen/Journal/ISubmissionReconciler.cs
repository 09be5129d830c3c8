namespace VideoGen.Journal;

/// <summary>
/// Implemented by adapters of vendors that let a client find a job it may have created without
/// knowing its id (Oxen.ai lists its queue by model). Found through <see cref="IVideoGenerator.GetService"/>.
/// </summary>
internal interface ISubmissionReconciler
{
    /// <summary>Looks for the job an unknown-outcome submission created.</summary>
    /// <param name="entry">The journal entry (prompt, model, time of the intent).</param>
    /// <param name="knownJobIds">Job ids already accounted for by other entries (not candidates).</param>
    /// <param name="cancellationToken">A token to cancel the lookup.</param>
    /// <returns>The job, or <see langword="null"/> when the vendor shows none.</returns>
    Task<VideoJob?> FindSubmissionAsync(JournalEntry entry, IReadOnlySet<string> knownJobIds, CancellationToken cancellationToken);
}
