using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace VideoGen.Sandbox.Core;

/// <summary>One notification a job sends when the clock reaches <see cref="At"/>.</summary>
/// <param name="At">When the event happens.</param>
/// <param name="Terminal">Whether it is the job's last event.</param>
/// <param name="Build">The payload, or null when the receiver did not subscribe to this event.</param>
internal sealed record CallbackEvent(DateTimeOffset At, bool Terminal, Func<JToken?> Build);

/// <summary>The notifications of one job, in order, plus what to send instead when the job is cancelled.</summary>
internal sealed class CallbackSchedule(IReadOnlyList<CallbackEvent> events, Func<DateTimeOffset, JToken?> onCancelled)
{
    /// <summary>Extra headers of a delivery from its exact body and payload (Apiframe's X-Webhook-Signature and X-Webhook-Event); none by default.</summary>
    public Func<string, JToken, IEnumerable<KeyValuePair<string, string>>>? Headers { get; init; }

    private int _next;

    public bool Done { get; private set; }

    /// <summary>The payloads due at <paramref name="now"/>, in order; marks them sent.</summary>
    public IReadOnlyList<JToken> TakeDue(SandboxJob job, DateTimeOffset now)
    {
        var due = new List<JToken>();
        if (job.CancelledAt is { } cancelledAt && cancelledAt <= now)
        {
            // Events planned before the cancellation still went out; the rest are replaced by the cancellation.
            while (_next < events.Count && events[_next].At < cancelledAt)
            {
                AddIfSubscribed(due, events[_next++].Build());
            }

            AddIfSubscribed(due, onCancelled(cancelledAt));
            Done = true;
            return due;
        }

        while (_next < events.Count && events[_next].At <= now)
        {
            var next = events[_next++];
            AddIfSubscribed(due, next.Build());
            if (next.Terminal)
            {
                Done = true;
                break;
            }
        }

        if (_next >= events.Count)
        {
            Done = true;
        }

        return due;
    }

    public DateTimeOffset? NextAt() => _next < events.Count ? events[_next].At : null;

    private static void AddIfSubscribed(List<JToken> due, JToken? payload)
    {
        if (payload is not null)
        {
            due.Add(payload);
        }
    }
}

/// <summary>
/// Sends webhook (gateway) and callback (AIML API) notifications: one background task per job that sleeps on the
/// sandbox clock until each event, POSTs the JSON payload, and retries a failed delivery up to
/// <see cref="MaxAttempts"/> times. Stopped with the server.
/// </summary>
internal sealed class CallbackDispatcher : IAsyncDisposable
{
    /// <summary>Delivery attempts per event.</summary>
    public const int MaxAttempts = 3;

    /// <summary>The delay before the second attempt (doubled before the third), scaled by the time scale.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>How long one delivery attempt may take (real time).</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly double _timeScale;
    private readonly SandboxCounters _counters;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Task, byte> _running = new();

    public CallbackDispatcher(TimeProvider time, double timeScale, SandboxCounters counters, ILogger logger)
    {
        _time = time;
        _timeScale = timeScale;
        _counters = counters;
        _logger = logger;
        // Receivers are usually on loopback: a proxy from the environment must not get in the way.
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = AttemptTimeout };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("VideoGen-Sandbox/1.0");
    }

    public void Start(SandboxJob job, Uri target, CallbackSchedule schedule)
    {
        var task = Task.Run(() => RunAsync(job, target, schedule, _stopping.Token));
        _running.TryAdd(task, 0);
        _ = task.ContinueWith(t => _running.TryRemove(t, out _), TaskScheduler.Default);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_running.Keys).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping cancels pending waits and deliveries.
        }

        _http.Dispose();
        _stopping.Dispose();
    }

    private async Task RunAsync(SandboxJob job, Uri target, CallbackSchedule schedule, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                // Taken before the job is read: a cancellation after the read completes this signal (Cancel swaps in a
                // new one), so the wait below cannot miss it and sleep on to the next planned event.
                var changed = job.Changed;
                var now = _time.GetUtcNow();
                foreach (var payload in schedule.TakeDue(job, now))
                {
                    await DeliverAsync(job, target, payload, schedule, cancellationToken).ConfigureAwait(false);
                }

                if (schedule.Done)
                {
                    return;
                }

                if (schedule.NextAt() is not { } at)
                {
                    await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                // As in JobWaiter: measure from the latest time and re-check after arming the timer.
                var delay = at - _time.GetUtcNow();
                if (delay <= TimeSpan.Zero)
                {
                    continue;
                }

                using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var sleep = Task.Delay(delay, _time, stop.Token);
                if (_time.GetUtcNow() < at)
                {
                    await Task.WhenAny(sleep, changed).ConfigureAwait(false);
                }

                await stop.CancelAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The server is stopping.
        }
    }

    private async Task DeliverAsync(SandboxJob job, Uri target, JToken payload, CallbackSchedule schedule, CancellationToken cancellationToken)
    {
        var json = payload.ToString(Formatting.None);
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            try
            {
                using var content = new StringContent(json, Encoding.UTF8, "application/json");
                using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = content };
                foreach (var (name, value) in schedule.Headers?.Invoke(json, payload) ?? [])
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }

                using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    _counters.WebhookDelivered();
                    return;
                }

                _counters.WebhookFailed();
                _logger.LogWarning("Callback for {Vendor} job {JobId} to {Target} answered HTTP {Status} (attempt {Attempt} of {Max}).", job.Vendor, job.Id, target, (int)response.StatusCode, attempt, MaxAttempts);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                _counters.WebhookFailed();
                _logger.LogWarning("Callback for {Vendor} job {JobId} to {Target} failed: {Error} (attempt {Attempt} of {Max}).", job.Vendor, job.Id, target, e.Message, attempt, MaxAttempts);
            }

            if (attempt < MaxAttempts)
            {
                await Task.Delay(RetryDelay * attempt * _timeScale, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
