namespace VideoGen.Journal;

/// <summary>
/// A journaled submission was sent to another host than the one this client sends to (or its host was not recorded):
/// its job id means something only at its own host, so it was not read, reconciled, downloaded or submitted again here.
/// Nothing was sent and nothing was charged; the entry is unchanged.
/// </summary>
public sealed class JournalHostMismatchException : VideoGenException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="entry">The journal entry.</param>
    /// <param name="currentEndpoint">The endpoint of the client that refused it (<see cref="JournalEndpoint.Describe"/>), or <see langword="null"/> when unknown.</param>
    public JournalHostMismatchException(JournalEntry entry, string? currentEndpoint)
        : base(Describe(entry ?? throw new ArgumentNullException(nameof(entry)), currentEndpoint), entry.Vendor)
    {
        CorrelationId = entry.CorrelationId;
        RecordedEndpoint = entry.Endpoint;
        CurrentEndpoint = currentEndpoint;
        JobId = entry.JobId;
    }

    /// <summary>The submission's correlation id in the journal.</summary>
    public string CorrelationId { get; }

    /// <summary>Where the submission was sent (<see cref="JournalEntry.Endpoint"/>); <see langword="null"/> when the journal did not record it.</summary>
    public string? RecordedEndpoint { get; }

    /// <summary>Where this client sends; <see langword="null"/> when it is not known.</summary>
    public string? CurrentEndpoint { get; }

    private static string Describe(JournalEntry entry, string? current) =>
        $"Submission {entry.CorrelationId} ({entry.Vendor}{(entry.JobId is null ? string.Empty : $", job {entry.JobId}")}) was sent to {JournalEndpoint.Show(entry.Endpoint)}, " +
        $"but this client sends to {current ?? "an unknown host"}. A job id means something only at the host that issued it, so it was neither read nor submitted again here; " +
        (entry.Endpoint is null
            ? "videogen resume --assume-host takes the host you name (--base-url, or the vendor's API) as the one it was sent to."
            : $"point the client at {entry.Endpoint} (videogen: --base-url {entry.Endpoint}) to pick it up.");
}
