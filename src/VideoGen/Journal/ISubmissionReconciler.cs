namespace VideoGen.Journal;

/// <summary>
/// Implemented by the adapter of a vendor that lets a client find a job it may have created without knowing its id,
/// found through <see cref="IVideoGenerator.GetService"/>: Oxen.ai lists its queue by model today; a vendor with a job
/// listing or a history endpoint (Apiframe's <c>GET /v2/jobs</c>, Elumenta's history) plugs in the same way.
/// <see cref="JournalingVideoGenerator.ReconcileAsync"/> calls it only when no live process holds the entry's lease,
/// so the create request can no longer be in flight from its owner.
/// </summary>
/// <remarks>
/// How to match, best first:
/// <list type="number">
/// <item>A vendor that stores a client reference with a job and shows it in its listing: the adapter sent
/// <see cref="VideoGenerationOptions.ClientReference"/> (the journal's <see cref="JournalEntry.CorrelationId"/>) with the
/// create request; return the one job whose reference is <c>entry.CorrelationId</c> (or none).</item>
/// <item>Otherwise by what was asked: same model and prompt, created no earlier than <see cref="JournalEntry.CreatedAt"/>
/// less clock skew. The journal drops the jobs other entries own and settles only on exactly one.</item>
/// </list>
/// </remarks>
internal interface ISubmissionReconciler
{
    /// <summary>
    /// Lists every job at the vendor that could be the one <paramref name="entry"/>'s submission created (see the
    /// remarks for how to match), in any state, finished or not. Which of them other journal entries already own is
    /// for the journal to decide.
    /// </summary>
    /// <param name="entry">The journal entry (correlation id, prompt, model, time of the intent).</param>
    /// <param name="cancellationToken">A token to cancel the lookup.</param>
    /// <returns>
    /// The candidates (an empty list means the vendor has no such job); <see langword="null"/> when the vendor
    /// cannot show all of them (a shortened or paged listing not read to its end), so their absence proves nothing.
    /// </returns>
    Task<IReadOnlyList<VideoJob>?> FindCandidatesAsync(JournalEntry entry, CancellationToken cancellationToken);
}
