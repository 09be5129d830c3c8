using System.Globalization;
using Microsoft.Data.Sqlite;

namespace VideoGen.Journal;

/// <summary>
/// The default <see cref="IJobJournal"/>: one SQLite file, written with full synchronous commits in
/// WAL mode so an entry that was recorded survives a killed process or a power cut.
/// </summary>
public sealed class SqliteJobJournal : IJobJournal
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _schema = new(1, 1);
    private bool _created;

    /// <summary>Opens (and creates if needed) the journal at <paramref name="path"/>.</summary>
    /// <param name="path">The database file.</param>
    public SqliteJobJournal(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true }.ToString();
    }

    /// <summary>The default location: <c>~/.videogen/journal.db</c>.</summary>
    public static string DefaultPath => System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".videogen", "journal.db");

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public async Task RecordIntentAsync(JournalEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO submissions (correlation_id, client_key, vendor, model, prompt, request_json, state, job_id, detail, created_at, updated_at)
            VALUES ($id, $key, $vendor, $model, $prompt, $request, $state, $job, $detail, $created, $updated)
            """;
        Bind(command, entry);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19)
        {
            throw new InvalidOperationException($"The journal already has a submission with client key '{entry.ClientKey}' or correlation id '{entry.CorrelationId}'.", e);
        }
    }

    /// <inheritdoc />
    public async Task UpdateAsync(string correlationId, JournalState state, string? jobId = null, string? detail = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE submissions SET state = $state, job_id = COALESCE($job, job_id), detail = COALESCE($detail, detail), updated_at = $updated
            WHERE correlation_id = $id
            """;
        command.Parameters.AddWithValue("$id", correlationId);
        command.Parameters.AddWithValue("$state", state.ToString());
        command.Parameters.AddWithValue("$job", (object?)jobId ?? DBNull.Value);
        command.Parameters.AddWithValue("$detail", (object?)detail ?? DBNull.Value);
        command.Parameters.AddWithValue("$updated", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            throw new InvalidOperationException($"The journal has no submission '{correlationId}'.");
        }
    }

    /// <inheritdoc />
    public Task<JournalEntry?> FindAsync(string correlationId, CancellationToken cancellationToken = default) =>
        SingleAsync("correlation_id = $value", correlationId, cancellationToken);

    /// <inheritdoc />
    public Task<JournalEntry?> FindByClientKeyAsync(string clientKey, CancellationToken cancellationToken = default) =>
        SingleAsync("client_key = $value", clientKey, cancellationToken);

    /// <inheritdoc />
    public async Task<JournalEntry?> FindByJobIdAsync(string vendor, string jobId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM submissions WHERE vendor = $vendor AND job_id = $job ORDER BY rowid DESC LIMIT 1";
        command.Parameters.AddWithValue("$vendor", vendor);
        command.Parameters.AddWithValue("$job", jobId);
        return (await ReadAllAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<JournalEntry>> GetUnfinishedAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM submissions WHERE state IN ('Intent', 'OutcomeUnknown', 'Submitted') ORDER BY created_at, rowid";
        return await ReadAllAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private async Task<JournalEntry?> SingleAsync(string where, string value, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM submissions WHERE " + where;
        command.Parameters.AddWithValue("$value", value);
        return (await ReadAllAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    private static async Task<IReadOnlyList<JournalEntry>> ReadAllAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var entries = new List<JournalEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new JournalEntry(
                reader.GetString(reader.GetOrdinal("correlation_id")),
                Nullable(reader, "client_key"),
                reader.GetString(reader.GetOrdinal("vendor")),
                Nullable(reader, "model"),
                reader.GetString(reader.GetOrdinal("prompt")),
                reader.GetString(reader.GetOrdinal("request_json")),
                Enum.Parse<JournalState>(reader.GetString(reader.GetOrdinal("state"))),
                Nullable(reader, "job_id"),
                Nullable(reader, "detail"),
                DateTimeOffset.Parse(reader.GetString(reader.GetOrdinal("created_at")), CultureInfo.InvariantCulture),
                DateTimeOffset.Parse(reader.GetString(reader.GetOrdinal("updated_at")), CultureInfo.InvariantCulture)));
        }

        return entries;
    }

    private static string? Nullable(SqliteDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    }

    private static void Bind(SqliteCommand command, JournalEntry entry)
    {
        command.Parameters.AddWithValue("$id", entry.CorrelationId);
        command.Parameters.AddWithValue("$key", (object?)entry.ClientKey ?? DBNull.Value);
        command.Parameters.AddWithValue("$vendor", entry.Vendor);
        command.Parameters.AddWithValue("$model", (object?)entry.Model ?? DBNull.Value);
        command.Parameters.AddWithValue("$prompt", entry.Prompt);
        command.Parameters.AddWithValue("$request", entry.RequestJson);
        command.Parameters.AddWithValue("$state", entry.State.ToString());
        command.Parameters.AddWithValue("$job", (object?)entry.JobId ?? DBNull.Value);
        command.Parameters.AddWithValue("$detail", (object?)entry.Detail ?? DBNull.Value);
        command.Parameters.AddWithValue("$created", entry.CreatedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$updated", entry.UpdatedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var pragma = connection.CreateCommand())
        {
            // Durable before anything is sent: full sync, WAL for concurrent readers, wait on a busy writer.
            pragma.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 10000;";
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (!_created)
        {
            await _schema.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (!_created)
                {
                    await using var create = connection.CreateCommand();
                    create.CommandText = """
                        CREATE TABLE IF NOT EXISTS submissions (
                            correlation_id TEXT PRIMARY KEY,
                            client_key TEXT UNIQUE,
                            vendor TEXT NOT NULL,
                            model TEXT,
                            prompt TEXT NOT NULL,
                            request_json TEXT NOT NULL,
                            state TEXT NOT NULL,
                            job_id TEXT,
                            detail TEXT,
                            created_at TEXT NOT NULL,
                            updated_at TEXT NOT NULL);
                        CREATE INDEX IF NOT EXISTS submissions_state ON submissions (state);
                        CREATE INDEX IF NOT EXISTS submissions_job ON submissions (vendor, job_id);
                        """;
                    await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    _created = true;
                }
            }
            finally
            {
                _schema.Release();
            }
        }

        return connection;
    }
}
