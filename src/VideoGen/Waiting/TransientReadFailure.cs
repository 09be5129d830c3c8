using System.Net;

namespace VideoGen.Waiting;

/// <summary>
/// Which failures of a status read a wait rides out until its own deadline: the vendor's 5xx, 408 and 429, a
/// connection that failed or was reset, a body cut off, a single read that timed out. Anything else (a 4xx, a
/// body VideoGen cannot read, a bad key) is the caller's to see at once.
/// </summary>
internal static class TransientReadFailure
{
    /// <summary>The most reads in a row a wait re-reads a job that says it succeeded but gives no result URL.</summary>
    public const int MissingResultRereads = 3;

    /// <summary>Whether <paramref name="e"/> is worth another read later.</summary>
    public static bool IsTransient(Exception e) => e switch
    {
        RateLimitedException or ServiceUnavailableException => true,
        VideoGenException { StatusCode: { } status } => IsTransient(status),
        VideoGenException { InnerException: { } inner } => IsTransport(inner),
        _ => IsTransport(e),
    };

    /// <summary>The delay the vendor asked for, if it said.</summary>
    public static TimeSpan? RetryAfter(Exception e) => (e as RateLimitedException)?.RetryAfter ?? (e as ServiceUnavailableException)?.RetryAfter;

    /// <summary>
    /// The delay before the <paramref name="failures"/>-th read after a transient failure: the poll interval doubled per
    /// failure in a row, up to the longest poll interval (or the vendor's hint).
    /// </summary>
    public static TimeSpan Backoff(Exception e, int failures, WaitOptions options)
    {
        if (RetryAfter(e) is { } hint)
        {
            return hint;
        }

        var ticks = options.PollInterval.Ticks * Math.Pow(2, Math.Min(failures - 1, 16));
        return TimeSpan.FromTicks((long)Math.Min(ticks, options.MaxPollInterval.Ticks));
    }

    /// <summary>A short cause for the log: the status, or the transport failure's type.</summary>
    public static string Cause(Exception e) => e is VideoGenException { StatusCode: { } status }
        ? $"HTTP {(int)status}"
        : (e.InnerException ?? e).GetType().Name;

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    private static bool IsTransport(Exception e) =>
        e is HttpRequestException or IOException or TimeoutException || (e is TaskCanceledException { InnerException: TimeoutException });
}
