using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;

namespace VideoGen.Resilience;

/// <summary>
/// Microsoft.Extensions.Http.Resilience's handler
/// (<see cref="Microsoft.Extensions.Http.Resilience.ResilienceHandler"/>) running VideoGen's retry, for an
/// <see cref="HttpClient"/> built without dependency injection (with DI, <c>AddVideoGeneration</c> adds the same retry
/// through <c>AddResilienceHandler</c>). Reads (GET, HEAD) are retried on 408, 429, 5xx and transport errors, with
/// jittered exponential backoff, honouring Retry-After (seconds or an HTTP date), and never starting a retry past the
/// caller's deadline: the request's own (<see cref="SetDeadline"/>), else the one <see cref="Waiting.VideoJobOperation"/>
/// and <see cref="Waiting.VideoJobMonitor"/> set for their polls from <see cref="Waiting.WaitOptions.Timeout"/>.
/// Other 4xx are not retried. A POST is retried only when it provably was not acted on: it never left the machine
/// (the connection or the name lookup failed), or the server refused it with 429 (sent again after Retry-After); a
/// paid create request that may have been accepted (a 5xx, a connection dropped after sending) is never sent twice.
/// </summary>
/// <example>
/// <code>
/// var http = new HttpClient(new ResilienceHandler { InnerHandler = new SocketsHttpHandler() });
/// </code>
/// </example>
public sealed class ResilienceHandler : Microsoft.Extensions.Http.Resilience.ResilienceHandler
{
    private readonly RetryCounter _counter;

    /// <summary>Creates the handler.</summary>
    /// <param name="options">The retry options; <see langword="null"/> for the defaults.</param>
    /// <param name="loggerFactory">Where each retry is logged, at Warning (method, host, path, delay, cause; never a header). Default: no logging.</param>
    /// <exception cref="ArgumentException">The options are out of range (the message lists every problem).</exception>
    public ResilienceHandler(ResilienceOptions? options = null, ILoggerFactory? loggerFactory = null)
        : this(new RetryCounter(), options ?? new ResilienceOptions(), loggerFactory)
    {
    }

    private ResilienceHandler(RetryCounter counter, ResilienceOptions options, ILoggerFactory? loggerFactory)
        : base(new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddVideoGenRetry(options, loggerFactory?.CreateLogger<ResilienceHandler>() ?? (ILogger)NullLogger.Instance, counter.Increment)
            .Build())
    {
        _counter = counter;
    }

    /// <summary>Retries made so far by this handler (for telemetry and tests).</summary>
    public long Retries => _counter.Value;

    /// <summary>Sets the time after which no retry of <paramref name="request"/> may start.</summary>
    /// <param name="request">The request.</param>
    /// <param name="deadline">The caller's deadline.</param>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    public static void SetDeadline(HttpRequestMessage request, DateTimeOffset deadline)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Options.Set(VideoGenRetry.DeadlineKey, deadline);
    }

    private sealed class RetryCounter
    {
        private long _value;

        public long Value => Interlocked.Read(ref _value);

        public void Increment() => Interlocked.Increment(ref _value);
    }
}
