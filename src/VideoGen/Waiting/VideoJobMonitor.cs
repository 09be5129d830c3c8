using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VideoGen.Logging;
using VideoGen.Telemetry;

namespace VideoGen.Waiting;

/// <summary>
/// Tracks many jobs of one vendor with one loop: each tick it reads the jobs that are due (by each
/// job's own poll schedule), in batches where the vendor allows it, with at most
/// <see cref="JobMonitorOptions.MaxConcurrentRequests"/> requests in flight, and never reads one
/// job twice in the same tick. Use one monitor per vendor generator.
/// </summary>
/// <remarks>
/// The monitor logs through the generator's <see cref="ILoggerFactory"/> (<c>GetService(typeof(ILoggerFactory))</c>),
/// as <see cref="VideoJobOperation"/> does: each poll at Debug, each job's end at Information, a timeout at Warning.
/// </remarks>
public sealed class VideoJobMonitor : IAsyncDisposable
{
    private readonly IVideoGenerator _generator;
    private readonly JobMonitorOptions _options;
    private readonly ConcurrentDictionary<string, Tracked> _jobs = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _requests;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _work = new(0);
    private readonly SemaphoreSlim _adding = new(1, 1);
    private readonly Task _loop;
    private readonly ILogger _logger;
    private long _requestsSent;

    /// <summary>Starts a monitor over <paramref name="generator"/>.</summary>
    /// <param name="generator">The vendor's generator.</param>
    /// <param name="options">How to poll; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">The options are out of range.</exception>
    public VideoJobMonitor(IVideoGenerator generator, JobMonitorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(generator);
        _generator = generator;
        _options = options ?? new JobMonitorOptions();
        _options.Validate();
        _requests = new SemaphoreSlim(_options.MaxConcurrentRequests);
        _logger = (generator.GetService(typeof(ILoggerFactory)) as ILoggerFactory)?.CreateLogger<VideoJobMonitor>() ?? (ILogger)NullLogger.Instance;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The jobs being tracked.</summary>
    public int Count => _jobs.Count;

    /// <summary>The status requests sent so far (a batch counts once).</summary>
    public long RequestsSent => Interlocked.Read(ref _requestsSent);

    /// <summary>Tracks a job until it reaches a final state.</summary>
    /// <param name="job">The job, as submitted or read.</param>
    /// <param name="cancellationToken">A token to stop tracking this job.</param>
    /// <returns>The job in its final state (succeeded, failed, cancelled or expired).</returns>
    /// <exception cref="JobTimeoutException">The job did not finish within the wait timeout; it carries the job id.</exception>
    public Task<VideoJob> TrackAsync(VideoJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.HasCompleted)
        {
            return Task.FromResult(job);
        }

        var clock = _options.Wait.TimeProvider;
        var tracked = _jobs.GetOrAdd(job.Id, _ => new Tracked(job, clock, PollSchedule.For(job.Vendor, job.Model, _options.Wait)));
        if (cancellationToken.CanBeCanceled)
        {
            cancellationToken.Register(() =>
            {
                if (_jobs.TryRemove(job.Id, out var removed))
                {
                    removed.Completion.TrySetCanceled(cancellationToken);
                }
            });
        }

        _work.Release();
        return tracked.Completion.Task;
    }

    /// <summary>Tracks several jobs, added together so the first tick already reads them as one set.</summary>
    /// <param name="jobs">The jobs.</param>
    /// <param name="cancellationToken">A token to stop tracking them.</param>
    /// <returns>The jobs in their final states, in the order given.</returns>
    public Task<VideoJob[]> TrackAllAsync(IEnumerable<VideoJob> jobs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var tasks = new List<Task<VideoJob>>();
        _adding.Wait(cancellationToken);
        try
        {
            foreach (var job in jobs)
            {
                tasks.Add(TrackAsync(job, cancellationToken));
            }
        }
        finally
        {
            _adding.Release();
        }

        return Task.WhenAll(tasks);
    }

    /// <summary>Stops the loop; jobs still tracked are cancelled (they go on at the vendor).</summary>
    /// <returns>A task that completes when the loop has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        foreach (var job in _jobs.Values)
        {
            job.Completion.TrySetCanceled();
        }

        _stop.Dispose();
        _requests.Dispose();
        _work.Dispose();
        _adding.Dispose();
    }

    private async Task RunAsync()
    {
        var clock = _options.Wait.TimeProvider;
        var batch = _generator.GetService(typeof(IBatchJobReader)) as IBatchJobReader;
        while (!_stop.IsCancellationRequested)
        {
            if (_jobs.IsEmpty)
            {
                // Idle: no ticks (and no requests) until a job is tracked.
                await _work.WaitAsync(_stop.Token).ConfigureAwait(false);
                continue;
            }

            // Distinct by construction: one entry per job id, so a job is read at most once per tick.
            // A tick never starts while TrackAllAsync is adding a set of jobs.
            await _adding.WaitAsync(_stop.Token).ConfigureAwait(false);
            var now = clock.GetTimestamp();
            var due = _jobs.Values.Where(j => now >= j.NextPollAt).ToList();

            // Every job is checked, not only the due ones: a job deferred by a long Retry-After must not outlive its timeout.
            var expired = _jobs.Values.Where(j => clock.GetElapsedTime(j.Started) >= _options.Wait.Timeout).ToList();
            _adding.Release();
            foreach (var job in expired)
            {
                VideoGenLog.WaitTimedOut(_logger, job.Last.Vendor, job.Last.Id, _options.Wait.Timeout.TotalSeconds, job.Last.Status);
                var timeout = new JobTimeoutException(job.Last.Vendor, job.Last.Id, clock.GetElapsedTime(job.Started), job.Last);
                VideoGenTelemetry.Fail(activity: null, timeout, job.Last.Vendor);
                Finish(job, timeout);
                due.Remove(job);
            }

            if (due.Count > 0)
            {
                var reads = batch is not null
                    ? due.Chunk(Math.Min(batch.MaxBatchSize, _options.MaxBatchSize)).Select(chunk => ReadBatchAsync(batch, chunk))
                    : due.Select(ReadOneAsync);
                await Task.WhenAll(reads).ConfigureAwait(false);
            }

            await Task.Delay(_options.TickInterval, clock, _stop.Token).ConfigureAwait(false);
        }
    }

    /// <summary>When the job's wait times out: the HTTP retry handler starts no retry past it.</summary>
    private DateTimeOffset Deadline(Tracked job)
    {
        var clock = _options.Wait.TimeProvider;
        return clock.GetUtcNow() + (_options.Wait.Timeout - clock.GetElapsedTime(job.Started));
    }

    private async Task ReadOneAsync(Tracked job)
    {
        await _requests.WaitAsync(_stop.Token).ConfigureAwait(false);
        try
        {
            Interlocked.Increment(ref _requestsSent);
            VideoGenTelemetry.Polls.Add(1, VideoGenTelemetry.VendorTag(job.Last.Vendor));
            using (Resilience.RequestDeadline.Begin(Deadline(job)))
            {
                Observe(job, await _generator.GetJobAsync(job.Last.Id, _stop.Token).ConfigureAwait(false));
            }
        }
        catch (Exception e) when (e is RateLimitedException or ServiceUnavailableException)
        {
            Defer(job, e);
        }
        catch (VideoGenException e)
        {
            Finish(job, e);
        }
        finally
        {
            _requests.Release();
        }
    }

    private async Task ReadBatchAsync(IBatchJobReader reader, Tracked[] jobs)
    {
        await _requests.WaitAsync(_stop.Token).ConfigureAwait(false);
        try
        {
            Interlocked.Increment(ref _requestsSent);
            VideoGenTelemetry.Polls.Add(1, VideoGenTelemetry.VendorTag(jobs[0].Last.Vendor));
            IReadOnlyList<VideoJob> read;
            using (Resilience.RequestDeadline.Begin(jobs.Min(Deadline)))
            {
                read = await reader.GetJobsAsync(jobs.Select(j => j.Last.Id).ToList(), _stop.Token).ConfigureAwait(false);
            }

            var byId = read.ToDictionary(j => j.Id, StringComparer.Ordinal);
            foreach (var job in jobs)
            {
                if (byId.TryGetValue(job.Last.Id, out var current))
                {
                    Observe(job, current);
                }
                else
                {
                    job.Polled();
                }
            }
        }
        catch (Exception e) when (e is RateLimitedException or ServiceUnavailableException)
        {
            foreach (var job in jobs)
            {
                Defer(job, e);
            }
        }
        finally
        {
            _requests.Release();
        }
    }

    private void Defer(Tracked job, Exception e)
    {
        var hint = Hint(e);
        VideoGenLog.PollDeferred(_logger, job.Last.Vendor, job.Last.Id, (int?)(e as VideoGenException)?.StatusCode, hint.TotalSeconds);
        job.Defer(hint);
    }

    private void Observe(Tracked job, VideoJob current)
    {
        job.Last = current;
        job.Polled();
        var elapsed = _options.Wait.TimeProvider.GetElapsedTime(job.Started);
        VideoGenLog.Polled(_logger, job.Polls, current.Vendor, current.Id, current.Status, current.Progress, elapsed.TotalSeconds);
        _options.Updates?.Report(new JobUpdate(current, elapsed, job.Polls));
        if (current.HasCompleted)
        {
            VideoGenLog.JobFinished(_logger, current.Vendor, current.Id, current.Status, elapsed.TotalSeconds, job.Polls);
            JobTelemetry.Finished(current, _logger, _options.Wait);
            _jobs.TryRemove(current.Id, out _);
            job.Completion.TrySetResult(current);
        }
    }

    private TimeSpan Hint(Exception e) =>
        (e as RateLimitedException)?.RetryAfter ?? (e as ServiceUnavailableException)?.RetryAfter ?? _options.Wait.PollInterval;

    private void Finish(Tracked job, Exception error)
    {
        if (_jobs.TryRemove(job.Last.Id, out _))
        {
            job.Completion.TrySetException(error);
        }
    }

    private sealed class Tracked
    {
        private readonly TimeProvider _clock;
        private readonly PollSchedule _schedule;

        private readonly TimeSpan _alreadyRunning;

        public Tracked(VideoJob job, TimeProvider clock, PollSchedule schedule)
        {
            _clock = clock;
            _schedule = schedule;
            Last = job;
            Started = clock.GetTimestamp();

            // A job tracked a while after it was created is further into its processing window.
            var sinceCreated = job.CreatedAt is { } created ? clock.GetUtcNow() - created : TimeSpan.Zero;
            _alreadyRunning = sinceCreated > TimeSpan.Zero ? sinceCreated : TimeSpan.Zero;
            NextPollAt = At(schedule.NextDelay(_alreadyRunning));
        }

        public VideoJob Last { get; set; }

        public long Started { get; }

        public long NextPollAt { get; private set; }

        public int Polls { get; private set; }

        public TaskCompletionSource<VideoJob> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Polled()
        {
            Polls++;
            NextPollAt = At(_schedule.NextDelay(_clock.GetElapsedTime(Started) + _alreadyRunning));
        }

        public void Defer(TimeSpan hint) => NextPollAt = At(hint);

        private long At(TimeSpan delay) => _clock.GetTimestamp() + (long)(delay.TotalSeconds * _clock.TimestampFrequency);
    }
}

/// <summary>How <see cref="VideoJobMonitor"/> polls.</summary>
public sealed class JobMonitorOptions
{
    /// <summary>The default tick: 1 second.</summary>
    public static readonly TimeSpan DefaultTickInterval = TimeSpan.FromSeconds(1);

    /// <summary>The default cap of requests in flight (and so connections per host): 8.</summary>
    public const int DefaultMaxConcurrentRequests = 8;

    /// <summary>The default most ids per batch request: 100.</summary>
    public const int DefaultMaxBatchSize = 100;

    /// <summary>How often the loop looks for due jobs.</summary>
    /// <value><see cref="DefaultTickInterval"/>.</value>
    public TimeSpan TickInterval { get; set; } = DefaultTickInterval;

    /// <summary>The most status requests in flight at once; with one connection each, the most connections per host.</summary>
    /// <value><see cref="DefaultMaxConcurrentRequests"/>.</value>
    public int MaxConcurrentRequests { get; set; } = DefaultMaxConcurrentRequests;

    /// <summary>The most job ids in one batch request, where the vendor reads several jobs at once.</summary>
    /// <value><see cref="DefaultMaxBatchSize"/>.</value>
    public int MaxBatchSize { get; set; } = DefaultMaxBatchSize;

    /// <summary>Each job's poll schedule and timeout, and the clock.</summary>
    /// <value>The <see cref="WaitOptions"/> defaults.</value>
    public WaitOptions Wait { get; set; } = new();

    /// <summary>Receives every job update.</summary>
    public IProgress<JobUpdate>? Updates { get; set; }

    internal void Validate()
    {
        var problems = new List<string>();
        if (TickInterval <= TimeSpan.Zero)
        {
            problems.Add($"TickInterval must be positive (was {TickInterval})");
        }

        if (MaxConcurrentRequests < 1)
        {
            problems.Add($"MaxConcurrentRequests must be at least 1 (was {MaxConcurrentRequests})");
        }

        if (MaxBatchSize < 1)
        {
            problems.Add($"MaxBatchSize must be at least 1 (was {MaxBatchSize})");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid JobMonitorOptions: " + string.Join("; ", problems) + ".");
        }

        Wait.Validate();
    }
}
