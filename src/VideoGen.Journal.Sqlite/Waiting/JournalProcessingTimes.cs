using System.Globalization;
using Microsoft.Data.Sqlite;

namespace VideoGen.Waiting;

/// <summary>
/// Seeds an <see cref="IProcessingTimeHistory"/> from a <see cref="Journal.SqliteJobJournal"/> file: every
/// completed submission's time from the intent (<c>created_at</c>, written just before the create request)
/// to its completion (<c>updated_at</c> of the <c>Completed</c> state, written when VideoGen saw the job
/// done), so a new process starts with what earlier ones saw.
/// </summary>
/// <remarks>
/// Read-only: the file is opened with <c>Mode=ReadOnly</c> and only read (<see cref="Journal.IJobJournal"/> is not
/// involved and not changed). The time includes the detection lag of the wait that saw the job done (about half a
/// poll interval; none for a long poll or a webhook) and whatever ran before the state was written (the CLI records a
/// job completed after its download; <c>videogen resume</c> when it found the job), so it is an upper bound of the
/// vendor's processing time. Within a process, the waits record the vendor's own times (completion minus creation) instead.
/// </remarks>
public static class JournalProcessingTimes
{
    /// <summary>The most entries read: the newest 100,000 completed submissions.</summary>
    public const int MaxEntries = 100_000;

    /// <summary>Records every completed submission of the journal at <paramref name="journalPath"/> into <paramref name="history"/>, oldest first.</summary>
    /// <param name="history">Where to record.</param>
    /// <param name="journalPath">The journal's SQLite file (for example <see cref="Journal.SqliteJobJournal.DefaultPath"/>).</param>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>How many times were recorded; 0 when the file does not exist.</returns>
    /// <exception cref="SqliteException">The file is not a readable journal.</exception>
    public static async Task<int> LoadAsync(IProcessingTimeHistory history, string journalPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentException.ThrowIfNullOrWhiteSpace(journalPath);
        if (!File.Exists(journalPath))
        {
            return 0;
        }

        var builder = new SqliteConnectionStringBuilder { DataSource = journalPath, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        await using var connection = new SqliteConnection(builder.ToString());
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT vendor, model, created_at, updated_at FROM (
                SELECT vendor, model, created_at, updated_at FROM submissions WHERE state = 'Completed' ORDER BY updated_at DESC LIMIT $max)
            ORDER BY updated_at
            """;
        command.Parameters.AddWithValue("$max", MaxEntries);
        var recorded = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var vendor = reader.GetString(0);
            var model = reader.IsDBNull(1) ? null : reader.GetString(1);
            if (DateTimeOffset.TryParse(reader.GetString(2), CultureInfo.InvariantCulture, DateTimeStyles.None, out var created)
                && DateTimeOffset.TryParse(reader.GetString(3), CultureInfo.InvariantCulture, DateTimeStyles.None, out var completed)
                && completed > created)
            {
                history.Record(vendor, model, completed - created);
                recorded++;
            }
        }

        return recorded;
    }
}
