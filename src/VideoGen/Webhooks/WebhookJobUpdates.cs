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
    public const int DefaultDeliveryMemory = 10_000;

    private const int PerJobBuffer = 64;
    private readonly ConcurrentDictionary<string, Channel<VideoJob>> _jobs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Queue<string> _seenOrder = new();
    private readonly int _deliveryMemory;

    /// <summary>Creates the hub.</summary>
    /// <param name="deliveryMemory">How many delivery ids to remember for de-duplication.</param>
    public WebhookJobUpdates(int deliveryMemory = DefaultDeliveryMemory)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(deliveryMemory, 1);
        _deliveryMemory = deliveryMemory;
    }

    /// <summary>
    /// Raised for each delivery that is not a duplicate, after it is buffered for the waiters in this process: a
    /// job engine that waits elsewhere (VideoGen.Hangfire's scheduled polls) moves the job on from here. A handler that
    /// throws fails the delivery (the endpoint answers 500, so the vendor delivers it again) and the delivery id is
    /// forgotten, so that redelivery is not dropped as a duplicate.
    /// </summary>
    public event Action<VideoJob>? Published;

    /// <summary>Publishes one delivery's job update.</summary>
    /// <param name="deliveryId">The delivery id (the <c>webhook-id</c> header, or the vendor's event id); null when the vendor sends none.</param>
    /// <param name="job">The job as the delivery describes it.</param>
    /// <returns><see langword="false"/> when the delivery id was seen before (a duplicate, dropped).</returns>
    public bool Publish(string? deliveryId, VideoJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (deliveryId is not null && !Remember(deliveryId))
        {
            return false;
        }

        var channel = _jobs.GetOrAdd(job.Id, _ => NewChannel());
        channel.Writer.TryWrite(job);
        try
        {
            Published?.Invoke(job);
        }
        catch when (deliveryId is not null)
        {
            Unremember(deliveryId);
            throw;
        }

        return true;
    }

    /// <summary>Waits for the next update of <paramref name="jobId"/>, up to <paramref name="timeout"/>.</summary>
    internal async Task<VideoJob?> NextAsync(string jobId, TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        var channel = _jobs.GetOrAdd(jobId, _ => NewChannel());
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

    private static Channel<VideoJob> NewChannel() =>
        Channel.CreateBounded<VideoJob>(new BoundedChannelOptions(PerJobBuffer) { FullMode = BoundedChannelFullMode.DropOldest });

    private void Unremember(string deliveryId)
    {
        lock (_seen)
        {
            _seen.Remove(deliveryId);
        }
    }

    private bool Remember(string deliveryId)
    {
        lock (_seen)
        {
            if (!_seen.Add(deliveryId))
            {
                return false;
            }

            _seenOrder.Enqueue(deliveryId);
            if (_seenOrder.Count > _deliveryMemory)
            {
                _seen.Remove(_seenOrder.Dequeue());
            }

            return true;
        }
    }
}
