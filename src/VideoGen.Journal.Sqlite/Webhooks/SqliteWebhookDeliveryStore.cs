using Microsoft.Data.Sqlite;

namespace VideoGen.Webhooks;

/// <summary>
/// A <see cref="IWebhookDeliveryStore"/> in a SQLite file (its own table, <c>webhook_deliveries</c>; the file may be the
/// journal's <c>journal.db</c>), so a delivery replayed after a restart is still a duplicate. Ids older than
/// <see cref="Retention"/> are deleted as new ones arrive: a vendor retries for hours, not weeks.
/// </summary>
public sealed class SqliteWebhookDeliveryStore : IWebhookDeliveryStore
{
    /// <summary>The default retention of delivery ids: 7 days.</summary>
    public static readonly TimeSpan DefaultRetention = TimeSpan.FromDays(7);

    private readonly string _connectionString;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _schema = new(1, 1);
    private bool _created;
    private long _inserts;

    /// <summary>Opens (and creates if needed) the store at <paramref name="path"/>.</summary>
    /// <param name="path">The SQLite file, for example <c>~/.videogen/journal.db</c>.</param>
    /// <param name="retention">How long an id is remembered; <see cref="DefaultRetention"/> when null.</param>
    /// <param name="clock">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, or <paramref name="retention"/> is not positive.</exception>
    public SqliteWebhookDeliveryStore(string path, TimeSpan? retention = null, TimeProvider? clock = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Retention = retention ?? DefaultRetention;
        if (Retention <= TimeSpan.Zero)
        {
            throw new ArgumentException($"retention must be positive (was {Retention}).", nameof(retention));
        }

        Path = System.IO.Path.GetFullPath(path);
        _clock = clock ?? TimeProvider.System;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true, DefaultTimeout = 30 }.ToString();
    }

    /// <summary>The SQLite file.</summary>
    public string Path { get; }

    /// <summary>How long an id is remembered.</summary>
    public TimeSpan Retention { get; }

    /// <inheritdoc />
    public async ValueTask<bool> TryRecordAsync(string deliveryId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deliveryId);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var now = _clock.GetUtcNow();
        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT OR IGNORE INTO webhook_deliveries (delivery_id, received_at) VALUES ($id, $at)";
        insert.Parameters.AddWithValue("$id", deliveryId);
        insert.Parameters.AddWithValue("$at", now.ToUnixTimeSeconds());
        var fresh = await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;

        // Trim now and then, not on every delivery.
        if (fresh && Interlocked.Increment(ref _inserts) % 100 == 1)
        {
            await using var trim = connection.CreateCommand();
            trim.CommandText = "DELETE FROM webhook_deliveries WHERE received_at < $before";
            trim.Parameters.AddWithValue("$before", (now - Retention).ToUnixTimeSeconds());
            await trim.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return fresh;
    }

    /// <inheritdoc />
    public async ValueTask ForgetAsync(string deliveryId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deliveryId);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM webhook_deliveries WHERE delivery_id = $id";
        delete.Parameters.AddWithValue("$id", deliveryId);
        await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_created)
        {
            var directory = System.IO.Path.GetDirectoryName(Path);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
        }

        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (!_created)
        {
            await _schema.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await using var create = connection.CreateCommand();
                create.CommandText = "CREATE TABLE IF NOT EXISTS webhook_deliveries (delivery_id TEXT PRIMARY KEY NOT NULL, received_at INTEGER NOT NULL)";
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                _created = true;
            }
            finally
            {
                _schema.Release();
            }
        }

        return connection;
    }
}
