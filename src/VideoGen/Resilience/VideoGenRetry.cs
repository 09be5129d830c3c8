using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using VideoGen.Logging;
using VideoGen.Telemetry;

namespace VideoGen.Resilience;

/// <summary>
/// VideoGen's retry strategy, expressed as the <see cref="HttpRetryStrategyOptions"/> of
/// Microsoft.Extensions.Http.Resilience (https://learn.microsoft.com/dotnet/core/resilience/http-resilience) on a
/// Polly v8 retry (https://www.pollydocs.org/strategies/retry.html). Both the DI registration
/// (<c>AddResilienceHandler</c> on every vendor's <c>IHttpClientBuilder</c>) and <see cref="ResilienceHandler"/> (for
/// an <see cref="HttpClient"/> built by hand) add exactly this strategy, so the rules below are stated once.
/// </summary>
/// <remarks>
/// What the library gives as is: the handler that runs the pipeline per request (the same request message is sent
/// again on a retry), the exponential backoff with jitter, the read-side transient test
/// (<see cref="HttpClientResiliencePredicates.IsTransient(Outcome{HttpResponseMessage})"/>:
/// <see cref="HttpRequestException"/>, a timeout, 408, 429, 5xx), the pipeline's <see cref="TimeProvider"/> for
/// every delay, and Polly's telemetry. What stays ours is marked <c>// CUSTOM:</c> below.
/// </remarks>
internal static class VideoGenRetry
{
    /// <summary>The name of VideoGen's pipeline in each vendor client's resilience handler (<c>{client}-VideoGen</c>).</summary>
    public const string PipelineName = "VideoGen";

    /// <summary>
    /// Adds VideoGen's retry to <paramref name="builder"/> (nothing when retries are disabled) and puts every delay on
    /// <see cref="ResilienceOptions.TimeProvider"/>.
    /// </summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="options">The validated options.</param>
    /// <param name="logger">Where each retry is logged, at Warning.</param>
    /// <param name="onRetry">Called once per retry (a handler's counter); may be null.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static ResiliencePipelineBuilder<HttpResponseMessage> AddVideoGenRetry(
        this ResiliencePipelineBuilder<HttpResponseMessage> builder,
        ResilienceOptions options,
        ILogger logger,
        Action? onRetry)
    {
        options.Validate();
        builder.TimeProvider = options.TimeProvider;

        // Polly refuses MaxRetryAttempts = 0, so "no retries" is a pipeline without the strategy.
        return options.Enabled && options.MaxRetries > 0
            ? builder.AddRetry(CreateStrategyOptions(options, logger, onRetry))
            : builder;
    }

    /// <summary>The retry options: the library's HTTP defaults, with VideoGen's method, deadline and Retry-After rules.</summary>
    public static HttpRetryStrategyOptions CreateStrategyOptions(ResilienceOptions options, ILogger logger, Action? onRetry) => new()
    {
        Name = "VideoGen-Retry",
        MaxRetryAttempts = options.MaxRetries,
        Delay = options.BaseDelay,
        MaxDelay = options.MaxDelay,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = options.UseJitter,
        ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args, options)),

        // CUSTOM: the library's Retry-After reader (ShouldRetryAfterHeader) turns an HTTP-date into a delay on
        // TimeProvider.System rather than on the pipeline's clock, and does not bound the delay by MaxDelay (Polly
        // takes a generated delay as given); a vendor's "retry in an hour" must not hold a poll for an hour.
        DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, options)),
        OnRetry = args =>
        {
            onRetry?.Invoke();
            var request = args.Context.GetRequestMessage();
            var method = request?.Method.Method ?? "?";
            VideoGenTelemetry.Retries.Add(1, new KeyValuePair<string, object?>("http.request.method", method));

            // The path, not the query: a query string is the caller's data.
            var uri = request?.RequestUri is { IsAbsoluteUri: true } absolute ? absolute : null;
            VideoGenLog.Retrying(
                logger,
                method,
                uri?.Authority,
                uri?.AbsolutePath,
                args.RetryDelay.TotalSeconds,
                args.AttemptNumber + 1,
                options.MaxRetries,
                args.Outcome.Result is { } response ? $"HTTP {(int)response.StatusCode}" : args.Outcome.Exception?.GetType().Name ?? "a failure");
            return ValueTask.CompletedTask;
        },
    };

    /// <summary>The key under which a request carries its own deadline (<see cref="ResilienceHandler.SetDeadline"/>).</summary>
    internal static readonly HttpRequestOptionsKey<DateTimeOffset> DeadlineKey = new("VideoGen.Deadline");

    private static bool ShouldRetry(RetryPredicateArguments<HttpResponseMessage> args, ResilienceOptions options)
    {
        var request = args.Context.GetRequestMessage();
        if (request is null)
        {
            return false;
        }

        // Reads: the library's transient test as is. CUSTOM: unsafe methods. The library's DisableForUnsafeHttpMethods
        // (https://learn.microsoft.com/dotnet/api/microsoft.extensions.http.resilience.httpretrystrategyoptionsextensions.disableforunsafehttpmethods)
        // never retries a POST, but a paid create that provably never reached the vendor should be sent again: the
        // connection or the name lookup failed, or the vendor refused it with 429 (nothing was accepted). A 5xx or a
        // connection dropped after sending proves nothing (a proxy may answer 502 after forwarding), so such a
        // create is never sent twice.
        var retryable = IsIdempotent(request)
            ? HttpClientResiliencePredicates.IsTransient(args.Outcome) || TimedOutOnItsOwn(args)
            : args.Outcome switch
            {
                { Exception: HttpRequestException e } => NeverSent(e),
                { Result: { } response } => response.StatusCode == HttpStatusCode.TooManyRequests,
                _ => false,
            };
        if (!retryable)
        {
            return false;
        }

        // CUSTOM: the caller's deadline. Polly's timeout strategy cancels an attempt; it cannot decline a retry whose
        // wait would end past the deadline and hand back the last answer (the waiter then reports it with the job id).
        // The request's own deadline wins; else the one the waiter set for this async flow (RequestDeadline).
        var deadline = request.Options.TryGetValue(DeadlineKey, out var own) ? own : RequestDeadline.Current;
        if (deadline is { } due)
        {
            // The backoff is estimated without its jitter.
            var backoff = TimeSpan.FromTicks((long)Math.Min(options.BaseDelay.Ticks * Math.Pow(2, args.AttemptNumber), options.MaxDelay.Ticks));
            var wait = RetryAfter(args.Outcome.Result, options) ?? backoff;
            return options.TimeProvider.GetUtcNow() + wait < due;
        }

        return true;
    }

    /// <summary>
    /// A read that timed out or was cancelled below us while the caller still waits (a connect timeout of the
    /// transport). CUSTOM: the library's overload that takes this case, IsTransient(outcome, cancellationToken), is
    /// marked experimental (EXTEXP0001); this is its rule for the cases the stable overload leaves out.
    /// </summary>
    private static bool TimedOutOnItsOwn(RetryPredicateArguments<HttpResponseMessage> args) =>
        args.Outcome.Exception is TimeoutException || (args.Outcome.Exception is OperationCanceledException && !args.Context.CancellationToken.IsCancellationRequested);

    private static TimeSpan? RetryAfter(HttpResponseMessage? response, ResilienceOptions options)
    {
        var hint = response is null ? null : VendorErrorMapper.RetryAfter(response.Headers, options.TimeProvider);
        return hint is { } h && h > options.MaxDelay ? options.MaxDelay : hint;
    }

    private static bool IsIdempotent(HttpRequestMessage request) => request.Method == HttpMethod.Get || request.Method == HttpMethod.Head;

    /// <summary>The request provably never reached the server: the name lookup or the connection failed.</summary>
    private static bool NeverSent(HttpRequestException e) => e.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError;
}
