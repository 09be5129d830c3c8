using Microsoft.Data.Sqlite;

namespace VideoGen.ReliabilityTests.Infrastructure;

/// <summary>One row of the CLI's journal, as the test reads it.</summary>
/// <param name="CorrelationId">The submission's correlation id.</param>
/// <param name="Vendor">The vendor id.</param>
/// <param name="Prompt">The prompt (holds the line's marker).</param>
/// <param name="State">The journal state, as stored.</param>
/// <param name="JobId">The job id, once known.</param>
internal sealed record JournalRow(string CorrelationId, string Vendor, string Prompt, string State, string? JobId);

/// <summary>
/// Holds the write lock of another process's SQLite journal (<c>BEGIN IMMEDIATE</c>; WAL mode lets readers go on):
/// while it is held, that process can record nothing, so no new submission can start (its intent is written
/// before its request is sent). A test takes it to look at the journal and kill the process at a moment it chose.
/// </summary>
internal sealed class JournalLock : IDisposable
{
    private readonly SqliteConnection _connection;

    private JournalLock(SqliteConnection connection, IReadOnlyList<JournalRow> rows)
    {
        _connection = connection;
        Rows = rows;
    }

    /// <summary>The journal's rows, read under the lock.</summary>
    public IReadOnlyList<JournalRow> Rows { get; }

    /// <summary>Takes the lock, or returns null when the journal does not exist yet or is busy for longer than a moment.</summary>
    public static JournalLock? TryTake(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA busy_timeout = 50;");
            Execute(connection, "BEGIN IMMEDIATE;");
            return new JournalLock(connection, Read(connection));
        }
        catch (SqliteException)
        {
            // Busy (the CLI is writing) or the table is not created yet: try again later.
            connection.Dispose();
            return null;
        }
    }

    /// <summary>Reads the journal without locking it.</summary>
    public static IReadOnlyList<JournalRow> ReadAll(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return Read(connection);
    }

    public void Dispose()
    {
        try
        {
            Execute(_connection, "ROLLBACK;");
        }
        finally
        {
            _connection.Dispose();
        }
    }

    private static IReadOnlyList<JournalRow> Read(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT correlation_id, vendor, prompt, state, job_id FROM submissions ORDER BY rowid";
        using var reader = command.ExecuteReader();
        var rows = new List<JournalRow>();
        while (reader.Read())
        {
            rows.Add(new JournalRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
        }

        return rows;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
