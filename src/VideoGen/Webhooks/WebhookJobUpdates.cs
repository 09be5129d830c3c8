using System.Collections.Concurrent;
using System.Threading.Channels;

namespace VideoGen.Webhooks;

/// <summary>
/// Where webhook deliveries meet the waiters: the webhook endpoint publishes each job update here,
/// and <see cref="Waiting.VideoJobOperation"/> reads them (see <see cref="Waiting.WaitOptions.Webhooks"/>),
/// falling back to polling when none arrives within the grace period. Duplicate deliveries (same
/// delivery id) are dropped.
/// </summary>
public sealed class WebhookJobUpdates
{
    /// <summary>The default number of delivery ids remembered for de-duplication: 10,000.</summary>
    public const int DefaultDeliveryMemory = InMemoryWebhookDeliveryStore.DefaultCapacity;

    /// <summary>The default number of jobs whose updates are buffered at once: 10,000 (finished jobs are dropped first).</summary>
    public const int DefaultMaxTrackedJobs = 10_000;

    private const int PerJobBuffer = 64;
    private readonly ConcurrentDictionary<string, Tracked> _jobs = new(StringComparer.Ordinal);
    private readonly IWebhookDeliveryStore _deliveries;
    private readonly int _maxTrackedJobs;
    private long _clock;

    /// <summary>Creates the hub with an in-memory delivery store.</summary>
    /// <param name="deliveryMemory">How many delivery ids to remember for de-duplication.</param>
    public WebhookJobUpdates(int deliveryMemory = DefaultDeliveryMemory)
        : this(new InMemoryWebhookDeliveryStore(deliveryMemory))
    {
    }

    /// <summary>Creates the hub over a delivery store (for example <c>SqliteWebhookDeliveryStore</c> (package VideoGen.Journal.Sqlite), so de-duplication survives a restart).</summary>
    /// <param name="deliveries">Where delivery ids are recorded; an in-memory store of <see cref="DefaultDeliveryMemory"/> ids when null.</param>
    /// <param name="maxTrackedJobs">How many jobs' updates are buffered at once; past it, finished jobs' buffers are dropped first, then the least recently used.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxTrackedJobs"/> is below 1.</exception>
    public WebhookJobUpdates(IWebhookDeliveryStore? deliveries, int maxTrackedJobs = DefaultMaxTrackedJobs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTrackedJobs, 1);
        _deliveries = deliveries ?? new InMemoryWebhookDeliveryStore();
        _maxTrackedJobs = maxTrackedJobs;
    }

    /// <summary>How many jobs' updates are buffered now (at most the <c>maxTrackedJobs</c> given).</summary>
    public int TrackedJobs => _jobs.Count;

    /// <summary>
    /// Raised for each delivery that is not a duplicate, after it is buffered for the waiters in this process: a
    /// job engine that waits elsewhere (VideoGen.Hangfire's scheduled polls) moves the job on from here. A handler that
    /// throws fails the delivery (the endpoint answers 500, so the vendor delivers it again) and the delivery id is
    /// forgotten by the delivery store, so that redelivery is not dropped as a duplicate.
    /// </summary>
    public event Action<VideoJob>? Published;

    /// <summary>Publishes one delivery's job update (blocks on the delivery store; prefer <see cref="PublishAsync"/>).</summary>
    /// <param name="deliveryId">The delivery id (the <c>webhook-id</c> header, or the vendor's event id); null when the vendor sends none.</param>
    /// <param name="job">The job as the delivery describes it.</param>
    /// <returns><see langword="false"/> when the delivery id was seen before (a duplicate, dropped).</returns>
    public bool Publish(string? deliveryId, VideoJob job) => PublishAsync(deliveryId, job).AsTask().GetAwaiter().GetResult();

    /// <summary>Publishes one delivery's job update, recording its id in the delivery store first.</summary>
    /// <param name="deliveryId">The delivery id; null when the vendor sends none (then it is not de-duplicated).</param>
    /// <param name="job">The job as the delivery describes it.</param>
    /// <param name="cancellationToken">A token to cancel the store's write.</param>
    /// <returns><see langword="false"/> when the delivery id was seen before (a duplicate, dropped).</returns>
    public async ValueTask<bool> PublishAsync(string? deliveryId, VideoJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (deliveryId is not null && !await _deliveries.TryRecordAsync(deliveryId, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        var tracked = Track(job.Id);
        tracked.Completed = job.HasCompleted;
        tracked.Channel.Writer.TryWrite(job);
        try
        {
            Published?.Invoke(job);
        }
        catch when (deliveryId is not null)
        {
            await _deliveries.ForgetAsync(deliveryId, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        return true;
    }

    /// <summary>Waits for the next update of <paramref name="jobId"/>, up to <paramref name="timeout"/>.</summary>
    internal async Task<VideoJob?> NextAsync(string jobId, TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        var channel = Track(jobId).Channel;
        if (channel.Reader.TryRead(out var ready))
        {
            return ready;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var read = channel.Reader.ReadAsync(wait.Token).AsTask();
        var timer = Task.Delay(timeout, clock, wait.Token);
        await Task.WhenAny(read, timer).ConfigureAwait(false);
        await wait.CancelAsync().ConfigureAwait(false);
        try
        {
            // A read that completed as the timer fired still counts: nothing delivered is dropped.
            return await read.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return null;
        }
    }

    /// <summary>Forgets a finished job's buffered updates.</summary>
    internal void Forget(string jobId) => _jobs.TryRemove(jobId, out _);

    /// <summary>The job's buffer, touched now; past the cap, finished jobs' buffers go first, then the least recently used.</summary>
    private Tracked Track(string jobId)
    {
        var tracked = _jobs.GetOrAdd(jobId, _ => new Tracked(Channel.CreateBounded<VideoJob>(new BoundedChannelOptions(PerJobBuffer) { FullMode = BoundedChannelFullMode.DropOldest })));
        tracked.LastTouched = Interlocked.Increment(ref _clock);
        if (_jobs.Count > _maxTrackedJobs)
        {
            lock (_jobs)
            {
                var excess = _jobs.Count - _maxTrackedJobs;
                foreach (var victim in _jobs.Where(j => j.Key != jobId).OrderBy(j => j.Value.Completed ? 0 : 1).ThenBy(j => j.Value.LastTouched).Take(excess).ToList())
                {
                    _jobs.TryRemove(victim.Key, out _);
                }
            }
        }

        return tracked;
    }

    private sealed class Tracked(Channel<VideoJob> channel)
    {
        public Channel<VideoJob> Channel { get; } = channel;

        public long LastTouched { get; set; }

        public bool Completed { get; set; }
    }
}
