namespace VideoGen.Journal;

/// <summary>
/// A durable record of every paid submission: written before the create request leaves the machine
/// (the intent, with a client correlation id) and after it (the vendor's job id), so a crash loses no
/// paid job and nothing is submitted twice by accident. <c>SqliteJobJournal</c> (package VideoGen.Journal.Sqlite) is the default;
/// implement this interface to share a journal between machines (a SQL server, a cloud table).
/// </summary>
public interface IJobJournal
{
    /// <summary>Records the intent to submit, before the request is sent.</summary>
    /// <param name="entry">The entry, in state <see cref="JournalState.Intent"/>.</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <remarks>
    /// The entry's <see cref="JournalEntry.LeaseOwner"/> and <see cref="JournalEntry.LeaseExpiresAt"/>, when set, are
    /// stored with it in the same write, so no other process can see the intent without its owner.
    /// </remarks>
    /// <returns>A task that completes when the entry is durable.</returns>
    /// <exception cref="InvalidOperationException">An entry with the same client key (or correlation id) exists: another process got there first.</exception>
    Task RecordIntentAsync(JournalEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Moves an entry to a new state.</summary>
    /// <param name="correlationId">The entry's correlation id.</param>
    /// <param name="state">The new state.</param>
    /// <param name="jobId">The vendor's job id, once known.</param>
    /// <param name="detail">A short note: the error or the final status.</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns>A task that completes when the change is durable.</returns>
    Task UpdateAsync(string correlationId, JournalState state, string? jobId = null, string? detail = null, CancellationToken cancellationToken = default);

    /// <summary>Finds an entry by correlation id.</summary>
    /// <param name="correlationId">The correlation id.</param>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The entry, or <see langword="null"/>.</returns>
    Task<JournalEntry?> FindAsync(string correlationId, CancellationToken cancellationToken = default);

    /// <summary>Finds an entry by the caller's key for the logical submission (for example a batch line).</summary>
    /// <param name="clientKey">The client key.</param>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The entry, or <see langword="null"/>.</returns>
    Task<JournalEntry?> FindByClientKeyAsync(string clientKey, CancellationToken cancellationToken = default);

    /// <summary>Finds an entry by the vendor's job id.</summary>
    /// <param name="vendor">The vendor id.</param>
    /// <param name="jobId">The job id.</param>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The entry, or <see langword="null"/>.</returns>
    Task<JournalEntry?> FindByJobIdAsync(string vendor, string jobId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Finds an entry by the vendor's job id at one host: the same id at another host (a standalone sandbox and the
    /// real vendor both count from small numbers) is another job.
    /// </summary>
    /// <param name="vendor">The vendor id.</param>
    /// <param name="endpoint">The entry's <see cref="JournalEntry.Endpoint"/>; <see langword="null"/> finds only entries whose host was not recorded.</param>
    /// <param name="jobId">The job id.</param>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The newest such entry, or <see langword="null"/>.</returns>
    /// <remarks>
    /// The default implementation asks <see cref="FindByJobIdAsync(string, string, CancellationToken)"/> and keeps its answer only when
    /// its endpoint is <paramref name="endpoint"/>; the stores in this library look the endpoint up in the database.
    /// </remarks>
    async Task<JournalEntry?> FindByJobIdAtAsync(string vendor, string? endpoint, string jobId, CancellationToken cancellationToken = default) =>
        await FindByJobIdAsync(vendor, jobId, cancellationToken).ConfigureAwait(false) is { } entry && string.Equals(entry.Endpoint, endpoint, StringComparison.OrdinalIgnoreCase)
            ? entry
            : null;

    /// <summary>Every entry not yet finished: intents whose outcome is unknown, and submitted jobs not yet completed.</summary>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The entries, oldest first.</returns>
    Task<IReadOnlyList<JournalEntry>> GetUnfinishedAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes or renews the lease on an entry, atomically: succeeds when the entry has no lease, when its lease
    /// expired at or before <paramref name="now"/>, or when <paramref name="owner"/> already holds it. While a
    /// process holds the lease on an entry, no other process changes it: it does not submit, reconcile, settle,
    /// wait for or download it. The owner renews the lease while it works (well before it expires).
    /// </summary>
    /// <param name="correlationId">The entry's correlation id.</param>
    /// <param name="owner">The owner's id (unique per process: <see cref="JournalLease.CurrentProcessOwner"/>).</param>
    /// <param name="now">The time the expiry of another owner's lease is compared with (UTC).</param>
    /// <param name="expiresAt">When the lease taken lapses unless renewed (UTC).</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns><see langword="true"/> when <paramref name="owner"/> holds the lease until <paramref name="expiresAt"/>; <see langword="false"/> when another owner holds it.</returns>
    /// <exception cref="InvalidOperationException">The journal has no entry with <paramref name="correlationId"/>.</exception>
    Task<bool> TryAcquireLeaseAsync(string correlationId, string owner, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken = default);

    /// <summary>Gives up the lease on an entry if <paramref name="owner"/> holds it; does nothing otherwise.</summary>
    /// <param name="correlationId">The entry's correlation id.</param>
    /// <param name="owner">The owner's id.</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns>A task that completes when the change is durable.</returns>
    Task ReleaseLeaseAsync(string correlationId, string owner, CancellationToken cancellationToken = default);
}

/// <summary>Where a submission stands.</summary>
public enum JournalState
{
    /// <summary>About to be sent; if the process died here, the outcome is unknown.</summary>
    Intent,

    /// <summary>The vendor accepted it; the job id is known.</summary>
    Submitted,

    /// <summary>The vendor (or validation) refused it for sure: no job exists, nothing was charged.</summary>
    Rejected,

    /// <summary>The request may or may not have created a job (the connection dropped after sending): reconcile before resubmitting.</summary>
    OutcomeUnknown,

    /// <summary>The job finished with a video.</summary>
    Completed,

    /// <summary>The job finished without a video (failed, cancelled, expired).</summary>
    Failed,
}

/// <summary>One submission in the journal.</summary>
/// <param name="CorrelationId">The client's id for this submission attempt.</param>
/// <param name="ClientKey">The caller's key for the logical submission (unique), if any.</param>
/// <param name="Vendor">The vendor id.</param>
/// <param name="Model">The model, if named.</param>
/// <param name="Prompt">The prompt (to reconcile by listing the vendor's jobs).</param>
/// <param name="RequestJson">The request, as JSON (never holds a key).</param>
/// <param name="State">Where it stands.</param>
/// <param name="JobId">The vendor's job id, once known.</param>
/// <param name="Detail">A short note: the error or the final status.</param>
/// <param name="CreatedAt">When the intent was recorded.</param>
/// <param name="UpdatedAt">When the entry last changed.</param>
public sealed record JournalEntry(
    string CorrelationId,
    string? ClientKey,
    string Vendor,
    string? Model,
    string Prompt,
    string RequestJson,
    JournalState State,
    string? JobId,
    string? Detail,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>
    /// Where the create request was sent: the API base URL as <see cref="JournalEndpoint.Describe"/> writes it (never a
    /// key, user info or query), or <see cref="JournalEndpoint.EmbeddedSandbox"/>. The job id is read, reconciled and
    /// downloaded at this host only.
    /// </summary>
    /// <value><see langword="null"/>: not recorded (an entry written before journals recorded hosts): the host is unknown, and is not guessed.</value>
    public string? Endpoint { get; init; }

    /// <summary>The id of the process that holds the entry's lease (<see cref="IJobJournal.TryAcquireLeaseAsync"/>), if any.</summary>
    /// <value><see langword="null"/>: nobody holds it.</value>
    public string? LeaseOwner { get; init; }

    /// <summary>When the lease lapses unless its owner renews it (UTC).</summary>
    /// <value><see langword="null"/>: nobody holds it.</value>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>Whether an owner other than <paramref name="owner"/> holds an unexpired lease on the entry at <paramref name="now"/>.</summary>
    /// <param name="owner">The caller's owner id.</param>
    /// <param name="now">The current time (UTC).</param>
    /// <returns><see langword="true"/> when another owner may still be working on the entry (for example still sending its create request).</returns>
    public bool IsLeasedByOther(string owner, DateTimeOffset now) =>
        LeaseOwner is { } holder && holder != owner && LeaseExpiresAt is { } expires && expires > now;

    /// <summary>Whether the entry still needs attention (an unknown outcome, or a job not yet finished).</summary>
    public bool IsUnfinished => State is JournalState.Intent or JournalState.OutcomeUnknown or JournalState.Submitted;
}
