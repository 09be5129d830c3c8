using Npgsql;
using NpgsqlTypes;

namespace VideoGen.Hangfire;

/// <summary>One enqueued generation as stored in the work table.</summary>
internal sealed record WorkRow(
    string CorrelationId,
    string? Batch,
    string Vendor,
    string RequestJson,
    VideoWorkState State,
    string? JobId,
    string? VendorStatus,
    string? Result,
    string? Error,
    int Polls,
    int BackoffSteps,
    int Attempts,
    string? HangfireJobId,
    DateTimeOffset? SubmittedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public VideoWorkStatus ToStatus() => new(CorrelationId, Batch, Vendor, State, JobId, VendorStatus, Result, Error, Polls, HangfireJobId, CreatedAt, UpdatedAt);
}

/// <summary>A change to a work row; null members are left as they are.</summary>
internal sealed record WorkChange(VideoWorkState State)
{
    public string? JobId { get; init; }

    public string? VendorStatus { get; init; }

    public string? Result { get; init; }

    public string? Error { get; init; }

    public bool ClearError { get; init; }

    public int AddPolls { get; init; }

    public int? BackoffSteps { get; init; }

    public int AddAttempts { get; init; }

    public bool ResetAttempts { get; init; }

    public DateTimeOffset? SubmittedAt { get; init; }
}

/// <summary>
/// The work table in PostgreSQL: one row per enqueued generation, the state VideoGen's Hangfire steps share across
/// workers. Rows are keyed by correlation id (unique, so enqueueing one id twice makes one row); the one Hangfire job
/// that drives a row is claimed with a compare-and-set; and a step works on a row only under a session advisory lock
/// keyed by its id, which PostgreSQL frees when the holder's connection ends (a killed worker included).
/// </summary>
internal sealed class WorkStore(NpgsqlDataSource dataSource, string schema)
{
    private const long SchemaLockKey = 0x56_47_57_6F_72_6B_00_01;
    private readonly string _table = $"{schema}.work";
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private volatile bool _created;
    private long _roundTrips;

    public long RoundTrips => Interlocked.Read(ref _roundTrips);

    public async Task<bool> TryInsertAsync(string correlationId, string? batch, string vendor, string requestJson, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync(
            $"""
            INSERT INTO {_table} (correlation_id, batch, vendor, request_json, state, created_at, updated_at)
            VALUES (@id, @batch, @vendor, @request, 'Queued', now(), now())
            ON CONFLICT (correlation_id) DO NOTHING
            """,
            cancellationToken).ConfigureAwait(false);
        command.Parameters.Add(Text("id", correlationId));
        command.Parameters.Add(Text("batch", batch));
        command.Parameters.Add(Text("vendor", vendor));
        command.Parameters.Add(Text("request", requestJson));
        return await ExecuteAsync(command, cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Sets the row's Hangfire job when it has none; returns the job that drives it afterwards (this one or an earlier one).</summary>
    public async Task<string?> ClaimHangfireJobAsync(string correlationId, string hangfireJobId, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync(
            $"""
            WITH claimed AS (
                UPDATE {_table} SET hangfire_job_id = @job WHERE correlation_id = @id AND hangfire_job_id IS NULL RETURNING hangfire_job_id)
            SELECT hangfire_job_id FROM claimed UNION ALL SELECT hangfire_job_id FROM {_table} WHERE correlation_id = @id LIMIT 1
            """,
            cancellationToken).ConfigureAwait(false);
        command.Parameters.Add(Text("id", correlationId));
        command.Parameters.Add(Text("job", hangfireJobId));
        Interlocked.Increment(ref _roundTrips);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    /// <summary>Gives the row a new Hangfire job in place of <paramref name="previous"/> (whose job Hangfire no longer keeps).</summary>
    public async Task ReplaceHangfireJobAsync(string correlationId, string? previous, string hangfireJobId, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync(
            $"UPDATE {_table} SET hangfire_job_id = @job WHERE correlation_id = @id AND hangfire_job_id IS NOT DISTINCT FROM @previous",
            cancellationToken).ConfigureAwait(false);
        command.Parameters.Add(Text("id", correlationId));
        command.Parameters.Add(Text("job", hangfireJobId));
        command.Parameters.Add(Text("previous", previous));
        Interlocked.Increment(ref _roundTrips);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<WorkRow?> GetAsync(string correlationId, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync($"SELECT * FROM {_table} WHERE correlation_id = @id", cancellationToken).ConfigureAwait(false);
        command.Parameters.Add(Text("id", correlationId));
        return (await ReadAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    public async Task<IReadOnlyList<WorkRow>> FindByJobIdAsync(string jobId, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync($"SELECT * FROM {_table} WHERE job_id = @job", cancellationToken).ConfigureAwait(false);
        command.Parameters.Add(Text("job", jobId));
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<WorkRow>> ListAsync(string? batch, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync(
            batch is null ? $"SELECT * FROM {_table} ORDER BY created_at, correlation_id" : $"SELECT * FROM {_table} WHERE batch = @batch ORDER BY created_at, correlation_id",
            cancellationToken).ConfigureAwait(false);
        if (batch is not null)
        {
            command.Parameters.Add(Text("batch", batch));
        }

        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task UpdateAsync(string correlationId, WorkChange change, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync(
            $"""
            UPDATE {_table} SET
                state = @state,
                job_id = COALESCE(@job, job_id),
                vendor_status = COALESCE(@vendor_status, vendor_status),
                result = COALESCE(@result, result),
                error = CASE WHEN @clear THEN NULL ELSE COALESCE(@error, error) END,
                polls = polls + @polls,
                backoff_steps = COALESCE(@backoff, backoff_steps),
                attempts = CASE WHEN @reset THEN 0 ELSE attempts END + @attempts,
                submitted_at = COALESCE(submitted_at, @submitted),
                updated_at = now()
            WHERE correlation_id = @id
            """,
            cancellationToken).ConfigureAwait(false);
        command.Parameters.Add(Text("id", correlationId));
        command.Parameters.Add(Text("state", change.State.ToString()));
        command.Parameters.Add(Text("job", change.JobId));
        command.Parameters.Add(Text("vendor_status", change.VendorStatus));
        command.Parameters.Add(Text("result", change.Result));
        command.Parameters.Add(Text("error", change.Error));
        command.Parameters.Add(new NpgsqlParameter<bool>("clear", change.ClearError));
        command.Parameters.Add(new NpgsqlParameter<int>("polls", change.AddPolls));
        command.Parameters.Add(new NpgsqlParameter("backoff", NpgsqlDbType.Integer) { Value = (object?)change.BackoffSteps ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter<int>("attempts", change.AddAttempts));
        command.Parameters.Add(new NpgsqlParameter<bool>("reset", change.ResetAttempts));
        command.Parameters.Add(new NpgsqlParameter("submitted", NpgsqlDbType.TimestampTz) { Value = change.SubmittedAt is { } at ? at.ToUniversalTime() : DBNull.Value });
        if (await ExecuteAsync(command, cancellationToken).ConfigureAwait(false) == 0)
        {
            throw new InvalidOperationException($"No enqueued generation '{correlationId}'.");
        }
    }

    /// <summary>
    /// Takes the row's session advisory lock without waiting; null when another session holds it. The lock lives as long
    /// as the returned handle's connection: dispose it to release; a process that dies releases it with its connection.
    /// </summary>
    public async Task<IAsyncDisposable?> TryLockAsync(string correlationId, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@space, hashtext(@id))", connection);
            command.Parameters.Add(new NpgsqlParameter<int>("space", 0x5647));
            command.Parameters.Add(Text("id", correlationId));
            Interlocked.Increment(ref _roundTrips);
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true)
            {
                return new Lock(connection, correlationId, this);
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        await connection.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    public async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (_created)
        {
            return;
        }

        await _schemaGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_created)
            {
                return;
            }

            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var create = new NpgsqlCommand(
                $"""
                SELECT pg_advisory_xact_lock({SchemaLockKey});
                CREATE SCHEMA IF NOT EXISTS {schema};
                CREATE TABLE IF NOT EXISTS {_table} (
                    correlation_id text PRIMARY KEY,
                    batch text,
                    vendor text NOT NULL,
                    request_json text NOT NULL,
                    state text NOT NULL,
                    job_id text,
                    vendor_status text,
                    result text,
                    error text,
                    polls integer NOT NULL DEFAULT 0,
                    backoff_steps integer NOT NULL DEFAULT 0,
                    attempts integer NOT NULL DEFAULT 0,
                    hangfire_job_id text,
                    submitted_at timestamptz,
                    created_at timestamptz NOT NULL,
                    updated_at timestamptz NOT NULL);
                CREATE INDEX IF NOT EXISTS work_batch ON {_table} (batch);
                CREATE INDEX IF NOT EXISTS work_job ON {_table} (job_id) WHERE job_id IS NOT NULL;
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

    private async Task<NpgsqlCommand> CommandAsync(string sql, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        return dataSource.CreateCommand(sql);
    }

    private async Task<int> ExecuteAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _roundTrips);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<WorkRow>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _roundTrips);
        var rows = new List<WorkRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            string? Str(string name) => reader.IsDBNull(reader.GetOrdinal(name)) ? null : reader.GetString(reader.GetOrdinal(name));
            rows.Add(new WorkRow(
                reader.GetString(reader.GetOrdinal("correlation_id")),
                Str("batch"),
                reader.GetString(reader.GetOrdinal("vendor")),
                reader.GetString(reader.GetOrdinal("request_json")),
                Enum.Parse<VideoWorkState>(reader.GetString(reader.GetOrdinal("state"))),
                Str("job_id"),
                Str("vendor_status"),
                Str("result"),
                Str("error"),
                reader.GetInt32(reader.GetOrdinal("polls")),
                reader.GetInt32(reader.GetOrdinal("backoff_steps")),
                reader.GetInt32(reader.GetOrdinal("attempts")),
                Str("hangfire_job_id"),
                reader.IsDBNull(reader.GetOrdinal("submitted_at")) ? null : reader.GetFieldValue<DateTimeOffset>(reader.GetOrdinal("submitted_at")),
                reader.GetFieldValue<DateTimeOffset>(reader.GetOrdinal("created_at")),
                reader.GetFieldValue<DateTimeOffset>(reader.GetOrdinal("updated_at"))));
        }

        return rows;
    }

    private static NpgsqlParameter Text(string name, string? value) =>
        new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };

    private sealed class Lock(NpgsqlConnection connection, string correlationId, WorkStore store) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@space, hashtext(@id))", connection);
                command.Parameters.Add(new NpgsqlParameter<int>("space", 0x5647));
                command.Parameters.Add(Text("id", correlationId));
                Interlocked.Increment(ref store._roundTrips);
                await command.ExecuteScalarAsync().ConfigureAwait(false);
            }
            catch (NpgsqlException)
            {
                // The connection broke: the server released the lock with the session.
            }
            finally
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
