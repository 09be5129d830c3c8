using Npgsql;
using NpgsqlTypes;

namespace VideoGen.Journal.PostgreSql;

/// <summary>
/// An <see cref="IJobJournal"/> in PostgreSQL, shared by every process and machine that submits paid jobs:
/// the intent row is committed before the create request leaves, the vendor's job id after. Every rule that
/// must hold across machines is the database's, not the callers': a client key and a correlation id are
/// unique (<c>INSERT ... ON CONFLICT DO NOTHING</c>, so two racing claims of one submission end with exactly
/// one row and one loser told so), and one vendor job id at one host belongs to at most one entry (a partial unique index on vendor, endpoint and
/// job id), so two reconciliations cannot claim the same job, while the same id issued by two hosts (a sandbox and the
/// real vendor) is two jobs. Columns added by later versions (<c>lease_*</c>, <c>endpoint</c>) are added on first use;
/// rows written before have a NULL endpoint (host unknown).
/// </summary>
/// <remarks>
/// The table is created on first use (<c>CREATE ... IF NOT EXISTS</c> under a transaction-scoped advisory lock, so
/// workers starting together do not race on the catalog). Timestamps are <c>timestamptz</c>; <c>updated_at</c> is the
/// database's clock, one clock for every machine.
/// </remarks>
public sealed class PostgreSqlJobJournal : IJobJournal, IAsyncDisposable, IDisposable
{
    /// <summary>The schema used when none is given.</summary>
    /// <value><c>videogen</c>.</value>
    public const string DefaultSchema = "videogen";

    // An arbitrary constant: the advisory lock that serializes schema creation across processes.
    private const long SchemaLockKey = 0x56_69_64_65_6F_47_65_6E; // "VideoGen"

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly string _table;
    private readonly string _schema;
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private volatile bool _created;
    private long _roundTrips;

    /// <summary>Opens the journal on <paramref name="connectionString"/> (an Npgsql connection string).</summary>
    /// <param name="connectionString">For example <c>Host=db;Username=videogen;Password=...;Database=videogen</c>.</param>
    /// <param name="schema">The schema that holds the table; <see cref="DefaultSchema"/> when null.</param>
    /// <exception cref="ArgumentException">The connection string is empty, or the schema is not a plain identifier.</exception>
    public PostgreSqlJobJournal(string connectionString, string? schema = null)
        : this(NpgsqlDataSource.Create(Require(connectionString)), schema, ownsDataSource: true)
    {
    }

    /// <summary>Opens the journal on a data source the caller owns (and disposes).</summary>
    /// <param name="dataSource">The data source.</param>
    /// <param name="schema">The schema that holds the table; <see cref="DefaultSchema"/> when null.</param>
    /// <exception cref="ArgumentException">The schema is not a plain identifier.</exception>
    public PostgreSqlJobJournal(NpgsqlDataSource dataSource, string? schema = null)
        : this(dataSource, schema, ownsDataSource: false)
    {
    }

    private PostgreSqlJobJournal(NpgsqlDataSource dataSource, string? schema, bool ownsDataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _schema = schema ?? DefaultSchema;
        if (_schema.Length is 0 or > 63 || !_schema.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_') || char.IsAsciiDigit(_schema[0]))
        {
            throw new ArgumentException("The schema must be a plain lower-case identifier (a-z, 0-9, _).", nameof(schema));
        }

        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _table = $"{_schema}.submissions";
    }

    /// <summary>How many statements this instance sent to the database (each one network round trip), for measurements.</summary>
    public long RoundTrips => Interlocked.Read(ref _roundTrips);

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">An entry with the same client key or correlation id exists (decided by the database's unique constraints).</exception>
    public async Task RecordIntentAsync(JournalEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var command = await CommandAsync(
            $"""
            INSERT INTO {_table} (correlation_id, client_key, vendor, model, prompt, request_json, state, job_id, detail, created_at, updated_at, lease_owner, lease_expires_at, endpoint)
            VALUES (@id, @key, @vendor, @model, @prompt, @request, @state, @job, @detail, @created, @updated, @owner, @expires, @endpoint)
            ON CONFLICT DO NOTHING
            """,
            cancellationToken).ConfigureAwait(false);
        command.Parameters.Add(Text("id", entry.CorrelationId));
        command.Parameters.Add(Text("key", entry.ClientKey));
        command.Parameters.Add(Text("vendor", entry.Vendor));
        command.Parameters.Add(Text("model", entry.Model));
        command.Parameters.Add(Text("prompt", entry.Prompt));
        command.Parameters.Add(Text("request", entry.RequestJson));
        command.Parameters.Add(Text("state", entry.State.ToString()));
        command.Parameters.Add(Text("job", entry.JobId));
        command.Parameters.Add(Text("detail", entry.Detail));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("created", entry.CreatedAt.ToUniversalTime()));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("updated", entry.UpdatedAt.ToUniversalTime()));
        command.Parameters.Add(Text("owner", entry.LeaseOwner));
        command.Parameters.Add(new NpgsqlParameter("expires", NpgsqlDbType.TimestampTz) { Value = entry.LeaseExpiresAt is { } expires ? expires.ToUniversalTime() : DBNull.Value });
        command.Parameters.Add(Text("endpoint", entry.Endpoint));

        // ON CONFLICT DO NOTHING: of two racing inserts of one client key, the database keeps one; the other
        // affects no row and learns it lost, without an aborted transaction or a half-written entry.
        if (await ExecuteAsync(command, cancellationToken).ConfigureAwait(false) == 0)
        {
            throw new InvalidOperationException($"The journal already has a submission with client key '{entry.ClientKey}' or correlation id '{entry.CorrelationId}'.");
        }
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The journal has no such entry, or <paramref name="jobId"/> already belongs to another entry of the same vendor.</exception>
    public async Task UpdateAsync(string correlationId, JournalState state, string? jobId = null, string? detail = null, CancellationToken cancellationToken = default)
    {
        await using var command = await CommandAsync(
            $"""
            UPDATE {_table} SET state = @state, job_id = COALESCE(@job, job_id), detail = COALESCE(@detail, detail), updated_at = now()
            WHERE correlation_id = @id
            """,
            cancellationToken).ConfigureAwait(false);
        command.Parameters.Add(Text("id", correlationId));
        command.Parameters.Add(Text("state", state.ToString()));
        command.Parameters.Add(Text("job", jobId));
        command.Parameters.Add(Text("detail", detail));
        int rows;
        try
        {
            rows = await ExecuteAsync(command, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new InvalidOperationException($"The vendor job '{jobId}' already belongs to another journal entry; '{correlationId}' was not changed.", e);
        }

        if (rows == 0)
        {
            throw new InvalidOperationException($"The journal has no submission '{correlationId}'.");
        }
    }

    /// <inheritdoc />
    /// <remarks>One conditional <c>UPDATE</c>: PostgreSQL locks the row, so of two processes racing for a free lease exactly one updates it and the other sees zero rows.</remarks>
    public async Task<bool> TryAcquireLeaseAsync(string correlationId, string owner, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        await using var command = await CommandAsync(
            $"""
            WITH taken AS (
                UPDATE {_table} SET lease_owner = @owner, lease_expires_at = @expires
                WHERE correlation_id = @id AND (lease_owner IS NULL OR lease_owner = @owner OR lease_expires_at IS NULL OR lease_expires_at <= @now)
                RETURNING 1)
            SELECT (SELECT count(*) FROM taken), (SELECT count(*) FROM {_table} WHERE correlation_id = @id)
            """,
            cancellationToken).ConfigureAwait(false);
        command.Parameters.Add(Text("id", correlationId));
        command.Parameters.Add(Text("owner", owner));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", now.ToUniversalTime()));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("expires", expiresAt.ToUniversalTime()));

        // One round trip answers both "did I take it" and "does the entry exist".
        var (taken, exists) = await ScalarPairAsync(command, cancellationToken).ConfigureAwait(false);
        return taken == 1 || (exists == 0 ? throw new InvalidOperationException($"The journal has no submission '{correlationId}'.") : false);
    }

    /// <inheritdoc />
    public async Task ReleaseLeaseAsync(string correlationId, string owner, CancellationToken cancellationToken = default)
    {
        await using var command = await CommandAsync($"UPDATE {_table} SET lease_owner = NULL, lease_expires_at = NULL WHERE correlation_id = @id AND lease_owner = @owner", cancellationToken).ConfigureAwait(false);
        command.Parameters.Add(Text("id", correlationId));
        command.Parameters.Add(Text("owner", owner));
        await ExecuteAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<JournalEntry?> FindAsync(string correlationId, CancellationToken cancellationToken = default) =>
        SingleAsync("correlation_id = @value", correlationId, cancellationToken);

    /// <inheritdoc />
    public Task<JournalEntry?> FindByClientKeyAsync(string clientKey, CancellationToken cancellationToken = default) =>
        SingleAsync("client_key = @value", clientKey, cancellationToken);

    /// <inheritdoc />
    public async Task<JournalEntry?> FindByJobIdAsync(string vendor, string jobId, CancellationToken cancellationToken = default)
    {
        await using var command = await CommandAsync($"SELECT * FROM {_table} WHERE vendor = @vendor AND job_id = @job ORDER BY seq DESC LIMIT 1", cancellationToken).ConfigureAwait(false);
        command.Parameters.Add(Text("vendor", vendor));
        command.Parameters.Add(Text("job", jobId));
        return (await ReadAllAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    /// <inheritdoc />
    public async Task<JournalEntry?> FindByJobIdAtAsync(string vendor, string? endpoint, string jobId, CancellationToken cancellationToken = default)
    {
        await using var command = await CommandAsync($"SELECT * FROM {_table} WHERE vendor = @vendor AND job_id = @job AND endpoint IS NOT DISTINCT FROM @endpoint ORDER BY seq DESC LIMIT 1", cancellationToken).ConfigureAwait(false);
        command.Parameters.Add(Text("vendor", vendor));
        command.Parameters.Add(Text("job", jobId));
        command.Parameters.Add(Text("endpoint", endpoint));
        return (await ReadAllAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<JournalEntry>> GetUnfinishedAsync(CancellationToken cancellationToken = default)
    {
        await using var command = await CommandAsync($"SELECT * FROM {_table} WHERE state IN ('Intent', 'OutcomeUnknown', 'Submitted') ORDER BY created_at, seq", cancellationToken).ConfigureAwait(false);
        return await ReadAllAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }

        _schemaGate.Dispose();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsDataSource)
        {
            _dataSource.Dispose();
        }

        _schemaGate.Dispose();
    }

    private async Task<JournalEntry?> SingleAsync(string where, string value, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync($"SELECT * FROM {_table} WHERE {where}", cancellationToken).ConfigureAwait(false);
        command.Parameters.Add(Text("value", value));
        return (await ReadAllAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    private async Task<IReadOnlyList<JournalEntry>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadAllCoreAsync(command, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException e) when (e is not PostgresException)
        {
            throw Unavailable(e);
        }
    }

    private async Task<IReadOnlyList<JournalEntry>> ReadAllCoreAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _roundTrips);
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
                reader.GetFieldValue<DateTimeOffset>(reader.GetOrdinal("created_at")),
                reader.GetFieldValue<DateTimeOffset>(reader.GetOrdinal("updated_at")))
            {
                LeaseOwner = Nullable(reader, "lease_owner"),
                LeaseExpiresAt = reader.IsDBNull(reader.GetOrdinal("lease_expires_at")) ? null : reader.GetFieldValue<DateTimeOffset>(reader.GetOrdinal("lease_expires_at")),
                Endpoint = Nullable(reader, "endpoint"),
            });
        }

        return entries;
    }

    private async Task<int> ExecuteAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _roundTrips);
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException e) when (e is not PostgresException)
        {
            throw Unavailable(e);
        }
    }

    private async Task<(long First, long Second)> ScalarPairAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _roundTrips);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return (reader.GetInt64(0), reader.GetInt64(1));
        }
        catch (NpgsqlException e) when (e is not PostgresException)
        {
            throw Unavailable(e);
        }
    }

    /// <summary>The server could not be reached or the connection broke: the write may or may not have happened.</summary>
    private JobJournalException Unavailable(NpgsqlException e) =>
        new($"The PostgreSQL journal on {Server} could not be reached or the connection broke: {e.Message}", Server, e);

    /// <summary>Host, port and database: never the password.</summary>
    private string Server
    {
        get
        {
            var builder = new NpgsqlConnectionStringBuilder(_dataSource.ConnectionString);
            return $"{builder.Host}:{builder.Port}/{builder.Database}";
        }
    }

    private static string? Nullable(NpgsqlDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    }

    private static NpgsqlParameter Text(string name, string? value) =>
        new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };

    private static string Require(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return connectionString;
    }

    private async Task<NpgsqlCommand> CommandAsync(string sql, CancellationToken cancellationToken)
    {
        if (!_created)
        {
            await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        }

        return _dataSource.CreateCommand(sql);
    }

    private async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        await _schemaGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_created)
            {
                return;
            }

            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

            // CREATE ... IF NOT EXISTS is not safe against itself in two sessions at once (both can pass the check and
            // one fails on the catalog's unique index); a transaction-scoped advisory lock makes the second wait.
            await using var create = new NpgsqlCommand(
                $"""
                SELECT pg_advisory_xact_lock({SchemaLockKey});
                CREATE SCHEMA IF NOT EXISTS {_schema};
                CREATE TABLE IF NOT EXISTS {_table} (
                    seq bigint GENERATED ALWAYS AS IDENTITY,
                    correlation_id text PRIMARY KEY,
                    client_key text UNIQUE,
                    vendor text NOT NULL,
                    model text,
                    prompt text NOT NULL,
                    request_json text NOT NULL,
                    state text NOT NULL,
                    job_id text,
                    detail text,
                    created_at timestamptz NOT NULL,
                    updated_at timestamptz NOT NULL,
                    lease_owner text,
                    lease_expires_at timestamptz,
                    endpoint text);
                ALTER TABLE {_table} ADD COLUMN IF NOT EXISTS lease_owner text;
                ALTER TABLE {_table} ADD COLUMN IF NOT EXISTS lease_expires_at timestamptz;
                ALTER TABLE {_table} ADD COLUMN IF NOT EXISTS endpoint text;
                CREATE INDEX IF NOT EXISTS submissions_state ON {_table} (state) WHERE state IN ('Intent', 'OutcomeUnknown', 'Submitted');
                CREATE UNIQUE INDEX IF NOT EXISTS submissions_endpoint_job ON {_table} (vendor, COALESCE(endpoint, ''), job_id) WHERE job_id IS NOT NULL;
                DROP INDEX IF EXISTS {_schema}.submissions_job;
                """,
                connection,
                transaction);
            Interlocked.Increment(ref _roundTrips);
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            _created = true;
        }
        finally
        {
            _schemaGate.Release();
        }
    }
}
