namespace VideoGen.Journal;

/// <summary>
/// The journal could not be read or written: it is damaged, not a journal, or held locked by another process for
/// longer than the journal waits. When the failure came after a paid create request was accepted,
/// <see cref="VideoGenException.JobId"/> holds the job's id: the job exists and is billed, only the journal does
/// not know it yet (look it up with <c>videogen status</c>, settle it with <c>videogen resume --settle</c>).
/// </summary>
public sealed class JobJournalException : VideoGenException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="journalPath">The journal's location (a file path or a server name), if known.</param>
    /// <param name="innerException">The storage error.</param>
    public JobJournalException(string message, string? journalPath, Exception? innerException)
        : base(message, vendor: null, statusCode: null, innerException)
    {
        JournalPath = journalPath;
    }

    /// <summary>The journal's location, if known.</summary>
    public string? JournalPath { get; }
}

/// <summary>
/// Another live process owns this submission (it holds its lease in the journal: it is sending, waiting for or
/// downloading it). Nothing was sent; the other process finishes it. Run again once it ended to pick the result up.
/// </summary>
public sealed class SubmissionInProgressException : VideoGenException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="vendor">The vendor.</param>
    /// <param name="correlationId">The submission's correlation id in the journal.</param>
    /// <param name="owner">The lease holder's owner id (<see cref="JournalLease"/>).</param>
    public SubmissionInProgressException(string? vendor, string correlationId, string owner)
        : base($"Submission {correlationId} is being handled by another videogen ({JournalLease.Describe(owner)}); nothing was sent. Run again after it ends to pick up its result.", vendor)
    {
        CorrelationId = correlationId;
        Owner = owner;
    }

    /// <summary>The submission's correlation id in the journal.</summary>
    public string CorrelationId { get; }

    /// <summary>The owner id of the process holding the lease.</summary>
    public string Owner { get; }
}
