namespace VideoGen.Journal;

/// <summary>
/// Implemented by adapters of vendors that let a client find a job it may have created without
/// knowing its id (Oxen.ai lists its queue by model). Found through <see cref="IVideoGenerator.GetService"/>.
/// </summary>
internal interface ISubmissionReconciler
{
    /// <summary>
    /// Lists every job at the vendor that could be the one <paramref name="entry"/>'s submission created: same
    /// model and prompt, created no earlier than the intent (less clock skew), in any state, finished or not.
    /// Which of them other journal entries already own is for the journal to decide.
    /// </summary>
    /// <param name="entry">The journal entry (prompt, model, time of the intent).</param>
    /// <param name="cancellationToken">A token to cancel the lookup.</param>
    /// <returns>
    /// The candidates (an empty list means the vendor has no such job); <see langword="null"/> when the vendor
    /// cannot show all of them, so their absence proves nothing.
    /// </returns>
    Task<IReadOnlyList<VideoJob>?> FindCandidatesAsync(JournalEntry entry, CancellationToken cancellationToken);
}
