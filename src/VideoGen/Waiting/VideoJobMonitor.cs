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
    private readonly WaitOptions _wait;
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
        _wait = _options.Wait.WithHistoryOf(generator);
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

        var tracked = _jobs.GetOrAdd(job.Id, _ => new Tracked(new JobPoller(job.Id, job, _wait, _logger)));
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
        catch (Exception)
        {
            // The loop ends by cancellation; whatever else ended it already failed the jobs it held (RunAsync).
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
        try
        {
            await LoopAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (!_stop.IsCancellationRequested)
        {
            // Never expected (every read's failure is handled per job), but a loop that dies must not leave a job
            // waiting forever: each one ends with the error, its id in hand.
            foreach (var job in _jobs.Values)
            {
                Finish(job, new VideoGenException($"Tracking job {job.Last.Id} stopped: {e.Message}", job.Last.Vendor, innerException: e) { JobId = job.Last.Id });
            }

            throw;
        }
    }

    private async Task LoopAsync()
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
            var expired = _jobs.Values.Where(j => j.Poller.IsPastDeadline).ToList();
            _adding.Release();
            foreach (var job in expired)
            {
                Finish(job, job.Poller.TimedOut());
                due.Remove(job);
            }

            if (due.Count > 0)
            {
                // A job whose batch read failed in a way a retry would not fix is read on its own, so its own error shows.
                var single = batch is null ? due : due.Where(j => j.ReadAlone).ToList();
                var reads = single.Select(ReadOneAsync);
                if (batch is not null)
                {
                    reads = reads.Concat(due.Where(j => !j.ReadAlone).Chunk(Math.Min(batch.MaxBatchSize, _options.MaxBatchSize)).Select(chunk => ReadBatchAsync(batch, chunk)));
                }

                await Task.WhenAll(reads.ToList()).ConfigureAwait(false);
            }

            await Task.Delay(_options.TickInterval, clock, _stop.Token).ConfigureAwait(false);
        }
    }

    private async Task ReadOneAsync(Tracked job)
    {
        await _requests.WaitAsync(_stop.Token).ConfigureAwait(false);
        try
        {
            Interlocked.Increment(ref _requestsSent);
            // A request still running at the job's deadline (a hung server, a body trickling in) is abandoned: the
            // next tick times the job out instead of the whole tick waiting for it.
            using var deadline = job.Poller.BeginRead();
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, deadline.Token);
            Observe(job, await _generator.GetJobAsync(job.Last.Id, bounded.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
        {
            // The deadline passed mid-request; the tick's timeout check reports it.
        }
        catch (Exception e) when (!_stop.IsCancellationRequested && TransientReadFailure.IsTransient(e))
        {
            Defer(job, e);
        }
        catch (Exception e) when (!_stop.IsCancellationRequested)
        {
            // Any other failure of this job's read ends this job only, with its id; the loop goes on.
            Finish(job, WithJobId(e, job));
        }
        finally
        {
            _requests.Release();
        }
    }

    private static VideoGenException WithJobId(Exception e, Tracked job)
    {
        if (e is VideoGenException typed)
        {
            typed.JobId ??= job.Last.Id;
            return typed;
        }

        return new VideoGenException($"Reading job {job.Last.Id} failed: {e.Message}", job.Last.Vendor, innerException: e) { JobId = job.Last.Id };
    }

    private async Task ReadBatchAsync(IBatchJobReader reader, Tracked[] jobs)
    {
        await _requests.WaitAsync(_stop.Token).ConfigureAwait(false);
        try
        {
            Interlocked.Increment(ref _requestsSent);
            IReadOnlyList<VideoJob> read;

            // The earliest deadline of the chunk bounds the one request.
            using (var deadline = jobs.MinBy(j => j.Poller.Deadline)!.Poller.BeginRead())
            using (var bounded = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, deadline.Token))
            {
                try
                {
                    read = await reader.GetJobsAsync(jobs.Select(j => j.Last.Id).ToList(), bounded.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
                {
                    // The earliest deadline of the chunk passed mid-request: the tick's timeout check reports it.
                    return;
                }
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
                    job.Poller.Skipped();
                    job.Schedule();
                }
            }
        }
        catch (Exception e) when (!_stop.IsCancellationRequested && TransientReadFailure.IsTransient(e))
        {
            foreach (var job in jobs)
            {
                Defer(job, e);
            }
        }
        catch (Exception e) when (!_stop.IsCancellationRequested)
        {
            // The batch read failed in a way another batch read would not fix (a body VideoGen cannot read, a 4xx):
            // each job is read on its own from now on, so one bad job cannot hold the others, and its own error shows.
            VideoGenLog.PollFailedTransiently(_logger, jobs[0].Last.Vendor, string.Join(",", jobs.Select(j => j.Last.Id)), TransientReadFailure.Cause(e), _options.Wait.PollInterval.TotalSeconds);
            foreach (var job in jobs)
            {
                job.ReadAlone = true;
                job.Poller.Defer(_options.Wait.PollInterval);
                job.Schedule();
            }
        }
        finally
        {
            _requests.Release();
        }
    }

    private static void Defer(Tracked job, Exception e)
    {
        job.Poller.FailedTransiently(e);
        job.Schedule();
    }

    private void Observe(Tracked job, VideoJob current)
    {
        bool updated;
        try
        {
            updated = job.Poller.Observe(current);
        }
        catch (VideoGenException e)
        {
            // "Completed" without a result URL in every re-read: an error for this job, with its id.
            Finish(job, e);
            return;
        }

        if (!updated)
        {
            job.Schedule();
            return;
        }

        _options.Updates?.Report(new JobUpdate(current, job.Poller.Elapsed, job.Poller.Polls));
        if (current.HasCompleted)
        {
            _jobs.TryRemove(current.Id, out _);
            job.Completion.TrySetResult(current);
            return;
        }

        job.Schedule();
    }

    private void Finish(Tracked job, Exception error)
    {
        if (_jobs.TryRemove(job.Last.Id, out _))
        {
            job.Completion.TrySetException(error);
        }
    }

    /// <summary>A tracked job: its poller (which decides when it is due and when it times out) and its completion.</summary>
    private sealed class Tracked
    {
        public Tracked(JobPoller poller)
        {
            Poller = poller;
            Schedule();
        }

        public JobPoller Poller { get; }

        public VideoJob Last => Poller.LastKnown!;

        /// <summary>When the job is next due, in <see cref="TimeProvider.GetTimestamp"/> units.</summary>
        public long NextPollAt { get; private set; }

        /// <summary>Whether this job is read on its own rather than in a batch (its batch read failed for good).</summary>
        public bool ReadAlone { get; set; }

        public TaskCompletionSource<VideoJob> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Sets when the job is next due from its poller's next delay.</summary>
        public void Schedule()
        {
            var clock = Poller.Clock;
            NextPollAt = clock.GetTimestamp() + (long)(Poller.NextDelay().TotalSeconds * clock.TimestampFrequency);
        }
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
