using System.Globalization;
using Microsoft.Data.Sqlite;

namespace VideoGen.Journal;

/// <summary>
/// The default <see cref="IJobJournal"/>: one SQLite file, written with full synchronous commits in
/// WAL mode so an entry that was recorded survives a killed process or a power cut.
/// </summary>
public sealed class SqliteJobJournal : IJobJournal, VideoGen.Waiting.IProcessingTimeSource
{
    /// <summary>How long one statement waits for another process's write lock: 10 seconds.</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How many times a write refused as busy is tried (each waiting up to <see cref="BusyTimeout"/>): 6.</summary>
    public const int BusyAttempts = 6;

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
            INSERT INTO submissions (correlation_id, client_key, vendor, model, prompt, request_json, state, job_id, detail, created_at, updated_at, lease_owner, lease_expires_at, endpoint)
            VALUES ($id, $key, $vendor, $model, $prompt, $request, $state, $job, $detail, $created, $updated, $owner, $expires, $endpoint)
            """;
        Bind(command, entry);
        try
        {
            await ExecuteAsync(command, cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19)
        {
            throw new InvalidOperationException($"The journal already has a submission with client key '{entry.ClientKey}' or correlation id '{entry.CorrelationId}'.", e);
        }
    }

    /// <inheritdoc />
    public async Task<bool> TryAcquireLeaseAsync(string correlationId, string owner, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();

        // One statement, so two processes cannot both see the lease free and both take it.
        command.CommandText = """
            UPDATE submissions SET lease_owner = $owner, lease_expires_at = $expires
            WHERE correlation_id = $id AND (lease_owner IS NULL OR lease_owner = $owner OR lease_expires_at IS NULL OR lease_expires_at <= $now)
            """;
        command.Parameters.AddWithValue("$id", correlationId);
        command.Parameters.AddWithValue("$owner", owner);
        command.Parameters.AddWithValue("$now", Time(now));
        command.Parameters.AddWithValue("$expires", Time(expiresAt));
        if (await ExecuteAsync(command, cancellationToken).ConfigureAwait(false) == 1)
        {
            return true;
        }

        return await FindAsync(correlationId, cancellationToken).ConfigureAwait(false) is null
            ? throw new InvalidOperationException($"The journal has no submission '{correlationId}'.")
            : false;
    }

    /// <inheritdoc />
    public async Task ReleaseLeaseAsync(string correlationId, string owner, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE submissions SET lease_owner = NULL, lease_expires_at = NULL WHERE correlation_id = $id AND lease_owner = $owner";
        command.Parameters.AddWithValue("$id", correlationId);
        command.Parameters.AddWithValue("$owner", owner);
        await ExecuteAsync(command, cancellationToken).ConfigureAwait(false);
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
        command.Parameters.AddWithValue("$updated", Time(DateTimeOffset.UtcNow));
        if (await ExecuteAsync(command, cancellationToken).ConfigureAwait(false) == 0)
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
    public async Task<JournalEntry?> FindByJobIdAtAsync(string vendor, string? endpoint, string jobId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM submissions WHERE vendor = $vendor AND job_id = $job AND endpoint IS $endpoint ORDER BY rowid DESC LIMIT 1";
        command.Parameters.AddWithValue("$vendor", vendor);
        command.Parameters.AddWithValue("$job", jobId);
        command.Parameters.AddWithValue("$endpoint", (object?)endpoint ?? DBNull.Value);
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
        SqliteDataReader reader;
        try
        {
            reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException e) when (IsDamaged(e))
        {
            throw Damaged(command.Connection?.DataSource, e);
        }

        await using var disposeReader = reader;
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
                DateTimeOffset.Parse(reader.GetString(reader.GetOrdinal("updated_at")), CultureInfo.InvariantCulture))
            {
                LeaseOwner = Nullable(reader, "lease_owner"),
                LeaseExpiresAt = Nullable(reader, "lease_expires_at") is { } expires ? DateTimeOffset.Parse(expires, CultureInfo.InvariantCulture) : null,
                Endpoint = Nullable(reader, "endpoint"),
            });
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
        command.Parameters.AddWithValue("$created", Time(entry.CreatedAt));
        command.Parameters.AddWithValue("$updated", Time(entry.UpdatedAt));
        command.Parameters.AddWithValue("$owner", (object?)entry.LeaseOwner ?? DBNull.Value);
        command.Parameters.AddWithValue("$expires", entry.LeaseExpiresAt is { } expires ? Time(expires) : DBNull.Value);
        command.Parameters.AddWithValue("$endpoint", (object?)entry.Endpoint ?? DBNull.Value);
    }

    /// <summary>UTC, round-trip format with a fixed width, so the text compares in time order.</summary>
    private static string Time(DateTimeOffset value) => value.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    /// <summary>
    /// Runs a write, riding out another process's write lock: SQLite's busy timeout waits up to <see cref="BusyTimeout"/>
    /// per attempt, and a write still refused as busy or locked is tried again, up to <see cref="BusyAttempts"/> times.
    /// </summary>
    private static async Task<int> ExecuteAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SqliteException e) when (IsBusy(e) && attempt < BusyAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), cancellationToken).ConfigureAwait(false);
            }
            catch (SqliteException e) when (IsDamaged(e))
            {
                throw Damaged(command.Connection?.DataSource, e);
            }
        }
    }

    private static bool IsBusy(SqliteException e) => e.SqliteErrorCode is 5 or 6;

    /// <summary>SQLITE_CORRUPT (11) or SQLITE_NOTADB (26): the file is not a journal this code can read.</summary>
    private static bool IsDamaged(SqliteException e) => e.SqliteErrorCode is 11 or 26;

    private static JobJournalException Damaged(string? path, SqliteException e) =>
        new($"The journal {path} is damaged or not a journal (SQLite error {e.SqliteErrorCode}: {e.Message}). Move it aside to start a new one (videogen then creates it again); the jobs it recorded can be looked up on the vendors' dashboards.", path, e);

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var pragma = connection.CreateCommand();

            // Durable before anything is sent: full sync, WAL for concurrent readers, wait on a busy writer.
            // The busy timeout first: switching to WAL needs a lock another process may hold.
            pragma.CommandText = $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;";
            await ExecuteAsync(pragma, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw e is SqliteException s && IsDamaged(s) ? Damaged(Path, s) : e;
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
                            updated_at TEXT NOT NULL,
                            lease_owner TEXT,
                            lease_expires_at TEXT,
                            endpoint TEXT);
                        CREATE INDEX IF NOT EXISTS submissions_state ON submissions (state);
                        CREATE INDEX IF NOT EXISTS submissions_job ON submissions (vendor, job_id);
                        """;
                    await ExecuteAsync(create, cancellationToken).ConfigureAwait(false);
                    await AddMissingColumnsAsync(connection, cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// A journal written by an earlier version lacks later columns: add them, empty. No lease is held by an old row, and
    /// its endpoint stays NULL: the host it was sent to is unknown (never filled in with a guess).
    /// </summary>
    private static async Task AddMissingColumnsAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var columns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await using (var info = connection.CreateCommand())
        {
            info.CommandText = "PRAGMA table_info(submissions)";
            await using var reader = await info.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                columns.Add(reader.GetString(1));
            }
        }

        foreach (var column in new[] { "lease_owner", "lease_expires_at", "endpoint" }.Where(c => !columns.Contains(c)))
        {
            await using var alter = connection.CreateCommand();
            alter.CommandText = $"ALTER TABLE submissions ADD COLUMN {column} TEXT";
            try
            {
                await ExecuteAsync(alter, cancellationToken).ConfigureAwait(false);
            }
            catch (SqliteException e) when (e.Message.Contains("duplicate column", StringComparison.OrdinalIgnoreCase))
            {
                // Another process added it first.
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>Reads this journal's completed submissions with <see cref="VideoGen.Waiting.JournalProcessingTimes.LoadAsync"/>.</remarks>
    public Task<int> LoadProcessingTimesAsync(VideoGen.Waiting.IProcessingTimeHistory history, CancellationToken cancellationToken = default) =>
        VideoGen.Waiting.JournalProcessingTimes.LoadAsync(history, Path, cancellationToken);
}
