using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;

namespace VideoGen.Hangfire;

/// <summary>
/// VideoGen on Hangfire over PostgreSQL, in one object: the storage, the <see cref="Client"/> that enqueues and reports,
/// and <see cref="StartWorker"/> for the processes that do the work. Every process of a fleet opens one with the same
/// connection string.
/// </summary>
public sealed class VideoGenHangfire : IAsyncDisposable
{
    private readonly VideoGenRuntime _runtime;
    private readonly List<BackgroundJobServer> _servers = [];

    private VideoGenHangfire(VideoGenRuntime runtime, JobStorage storage)
    {
        _runtime = runtime;
        Storage = storage;
        Client = new VideoGenWorkClient(runtime, new BackgroundJobClient(storage));
    }

    /// <summary>Hangfire's storage (for the dashboard: <c>app.UseHangfireDashboard("/hangfire", storage: ...)</c>).</summary>
    public JobStorage Storage { get; }

    /// <summary>Enqueues generations and reports on them.</summary>
    public VideoGenWorkClient Client { get; }

    /// <summary>PostgreSQL statements sent by this process's journal and work table (Hangfire's own are not counted).</summary>
    public long RoundTrips => _runtime.Journal.RoundTrips + _runtime.Store.RoundTrips;

    /// <summary>Connects to PostgreSQL and creates the tables that are missing (Hangfire's, the journal's, the work table).</summary>
    /// <param name="options">The options.</param>
    /// <param name="cancellationToken">A token to cancel the setup.</param>
    /// <returns>The opened instance.</returns>
    /// <exception cref="ArgumentException">The options are invalid (every problem listed).</exception>
    public static async Task<VideoGenHangfire> OpenAsync(VideoGenHangfireOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var runtime = new VideoGenRuntime(options);
        try
        {
            await runtime.Store.EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
            var storage = new PostgreSqlStorage(
                new NpgsqlConnectionFactory(options.ConnectionString, new PostgreSqlStorageOptions()),
                new PostgreSqlStorageOptions
                {
                    PrepareSchemaIfNecessary = true,
                    QueuePollInterval = options.QueuePollInterval,
                    InvisibilityTimeout = options.InvisibilityTimeout,

                    // Its locks are rows only their holder deletes: a SIGKILLed worker's row would hold its job for
                    // Hangfire.PostgreSql's default 10 minutes (a live worker's step stuck in Processing meanwhile).
                    DistributedLockTimeout = options.DistributedLockTimeout,

                    // The fetched job's time is renewed while its worker lives, so a short timeout only hurts dead workers.
                    UseSlidingInvisibilityTimeout = true,
                });
            return new VideoGenHangfire(runtime, storage);
        }
        catch
        {
            await runtime.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts a Hangfire server in this process that runs VideoGen's jobs.</summary>
    /// <param name="workerCount">Concurrent runs (each run is short: submit, one poll, or a download).</param>
    /// <param name="serverName">The server's name in the dashboard; Hangfire's default when null.</param>
    /// <param name="schedulePollingInterval">How often scheduled polls are checked for being due; 1 second when null.</param>
    /// <returns>The server; disposing this instance stops it too.</returns>
    /// <exception cref="InvalidOperationException"><see cref="VideoGenHangfireOptions.Generators"/> is not set.</exception>
    public BackgroundJobServer StartWorker(int workerCount = 20, string? serverName = null, TimeSpan? schedulePollingInterval = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workerCount, 1);
        if (_runtime.Options.Generators is null)
        {
            throw new InvalidOperationException("VideoGenHangfireOptions.Generators is required to run a worker.");
        }

        var server = new BackgroundJobServer(
            new BackgroundJobServerOptions
            {
                WorkerCount = workerCount,
                Queues = [_runtime.Options.Queue],
                ServerName = serverName,
                SchedulePollingInterval = schedulePollingInterval ?? TimeSpan.FromSeconds(1),
                Activator = new StepsActivator(new VideoGenSteps(_runtime)),
            },
            Storage);
        _servers.Add(server);
        return server;
    }

    /// <summary>The steps, to run one directly (tests).</summary>
    internal VideoGenSteps CreateSteps() => new(_runtime);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            server.SendStop();
        }

        foreach (var server in _servers)
        {
            server.Dispose();
        }

        await _runtime.DisposeAsync().ConfigureAwait(false);
    }

    private sealed class StepsActivator(VideoGenSteps steps) : JobActivator
    {
        public override object ActivateJob(Type jobType) => jobType == typeof(VideoGenSteps) ? steps : base.ActivateJob(jobType);
    }
}
