using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;
using VideoGen.Logging;
using VideoGen.Telemetry;

namespace VideoGen.Resilience;

/// <summary>
/// An HTTP handler that retries reads with Polly: GET and HEAD on 408, 429, 5xx and transport
/// errors, with jittered exponential backoff, honouring Retry-After (seconds or an HTTP date), and
/// never starting a retry past the caller's deadline: the request's own (<see cref="SetDeadline"/>), else
/// the one <see cref="Waiting.VideoJobOperation"/> and <see cref="Waiting.VideoJobMonitor"/> set for
/// their polls from <see cref="Waiting.WaitOptions.Timeout"/>. Other 4xx are not retried.
/// A POST is retried only when it provably was not acted on: it never left the machine (the connection or the
/// name lookup failed), or the server refused it with 429 (sent again after Retry-After); a paid create request
/// that may have been accepted (a 5xx, a connection dropped after sending) is never sent twice.
/// </summary>
public sealed class ResilienceHandler : DelegatingHandler
{
    private static readonly HttpRequestOptionsKey<DateTimeOffset> DeadlineKey = new("VideoGen.Deadline");
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly ResilienceOptions _options;

    private readonly ILogger _logger;

    /// <summary>Creates the handler.</summary>
    /// <param name="options">The retry options; <see langword="null"/> for the defaults.</param>
    /// <param name="loggerFactory">Where each retry is logged, at Warning (method, host, path, delay, cause; never a header). Default: no logging.</param>
    /// <exception cref="ArgumentException">The options are out of range.</exception>
    public ResilienceHandler(ResilienceOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        _options = options ?? new ResilienceOptions();
        _options.Validate();
        _logger = loggerFactory?.CreateLogger<ResilienceHandler>() ?? (ILogger)NullLogger.Instance;
        _pipeline = Build(_options);
    }

    private long _retries;

    /// <summary>Retries made so far by this handler (for telemetry and tests).</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Sets the time after which no retry of <paramref name="request"/> may start.</summary>
    /// <param name="request">The request.</param>
    /// <param name="deadline">The caller's deadline.</param>
    public static void SetDeadline(HttpRequestMessage request, DateTimeOffset deadline)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Options.Set(DeadlineKey, deadline);
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!_options.Enabled || _options.MaxRetries == 0)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RequestKey, request);

        // The request's own deadline wins; else the one the waiter set for this async flow (RequestDeadline).
        if ((request.Options.TryGetValue(DeadlineKey, out var own) ? own : RequestDeadline.Current) is { } deadline)
        {
            context.Properties.Set(DeadlinePropertyKey, deadline);
        }

        try
        {
            var first = true;
            return await _pipeline.ExecuteAsync(
                async (ctx, state) =>
                {
                    // An HttpRequestMessage is sent once; retries send a copy (reads carry no body).
                    var attempt = first ? state : Clone(state);
                    first = false;
                    return await base.SendAsync(attempt, ctx.CancellationToken).ConfigureAwait(false);
                },
                context,
                request).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("VideoGen.Request");

    private static readonly ResiliencePropertyKey<DateTimeOffset> DeadlinePropertyKey = new("VideoGen.Deadline");

    private ResiliencePipeline<HttpResponseMessage> Build(ResilienceOptions options) =>
        new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = options.TimeProvider }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = options.UseJitter,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
                OnRetry = args =>
                {
                    Interlocked.Increment(ref _retries);
                    var request = args.Context.Properties.GetValue(RequestKey, null!);
                    VideoGenTelemetry.Retries.Add(1, new KeyValuePair<string, object?>("http.request.method", request.Method.Method));

                    // The path, not the query: a query string is the caller's data.
                    VideoGenLog.Retrying(
                        _logger,
                        request.Method.Method,
                        request.RequestUri?.IsAbsoluteUri == true ? request.RequestUri.Authority : null,
                        request.RequestUri?.IsAbsoluteUri == true ? request.RequestUri.AbsolutePath : null,
                        args.RetryDelay.TotalSeconds,
                        args.AttemptNumber + 1,
                        options.MaxRetries,
                        args.Outcome.Result is { } response ? $"HTTP {(int)response.StatusCode}" : args.Outcome.Exception?.GetType().Name ?? "a failure");
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    private bool ShouldRetry(RetryPredicateArguments<HttpResponseMessage> args)
    {
        var request = args.Context.Properties.GetValue(RequestKey, null!);
        var retryable = args.Outcome switch
        {
            { Exception: HttpRequestException e } => IsIdempotent(request) || NeverSent(e),
            { Exception: TimeoutException } => IsIdempotent(request),
            { Exception: OperationCanceledException } when !args.Context.CancellationToken.IsCancellationRequested => IsIdempotent(request),
            { Result: { } response } => IsIdempotent(request) ? IsTransient(response.StatusCode) : NothingAccepted(response.StatusCode),
            _ => false,
        };
        if (!retryable)
        {
            return false;
        }

        // Never start a retry the caller would not wait for (the backoff is estimated without its jitter).
        if (args.Context.Properties.TryGetValue(DeadlinePropertyKey, out var deadline))
        {
            var backoff = TimeSpan.FromTicks((long)Math.Min(_options.BaseDelay.Ticks * Math.Pow(2, args.AttemptNumber), _options.MaxDelay.Ticks));
            var wait = RetryAfter(args.Outcome.Result) ?? backoff;
            return _options.TimeProvider.GetUtcNow() + wait < deadline;
        }

        return true;
    }

    private TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        var hint = response is null ? null : VendorErrorMapper.RetryAfter(response.Headers, _options.TimeProvider);
        return hint is { } h && h > _options.MaxDelay ? _options.MaxDelay : hint;
    }

    /// <summary>
    /// A 429 proves the request was refused before anything was done, so even a paid create may be sent again
    /// (after its Retry-After, bounded by <see cref="ResilienceOptions.MaxDelay"/>). A 5xx does not prove it: a proxy
    /// may answer 502 or 503 after forwarding the request, so a create answered 5xx is never sent again.
    /// </summary>
    private static bool NothingAccepted(HttpStatusCode status) => status == HttpStatusCode.TooManyRequests;

    private static bool IsIdempotent(HttpRequestMessage request) => request.Method == HttpMethod.Get || request.Method == HttpMethod.Head;

    /// <summary>The request provably never reached the server: the name lookup or the connection failed.</summary>
    private static bool NeverSent(HttpRequestException e) => e.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError;

    private static bool IsTransient(HttpStatusCode status) => status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    private static HttpRequestMessage Clone(HttpRequestMessage request)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Version = request.Version, VersionPolicy = request.VersionPolicy, Content = request.Content };
        foreach (var header in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        foreach (var option in request.Options)
        {
            ((IDictionary<string, object?>)copy.Options)[option.Key] = option.Value;
        }

        return copy;
    }
}
