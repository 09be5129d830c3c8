using System.Net;

namespace VideoGen;

/// <summary>The vendor refused the API key (HTTP 401): missing, wrong or revoked.</summary>
public sealed class VideoGenAuthenticationException : VideoGenException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message, naming the vendor and the vendor's words.</param>
    /// <param name="vendor">The vendor.</param>
    public VideoGenAuthenticationException(string message, string vendor)
        : base(message, vendor, HttpStatusCode.Unauthorized)
    {
    }
}

/// <summary>The account has too few credits for the request (HTTP 402). Nothing was charged.</summary>
public sealed class InsufficientCreditsException : VideoGenException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message, naming the vendor and the vendor's words.</param>
    /// <param name="vendor">The vendor.</param>
    public InsufficientCreditsException(string message, string vendor)
        : base(message, vendor, HttpStatusCode.PaymentRequired)
    {
    }
}

/// <summary>The vendor is rate limiting this client (HTTP 429).</summary>
public sealed class RateLimitedException : VideoGenException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message, naming the vendor and the vendor's words.</param>
    /// <param name="vendor">The vendor.</param>
    /// <param name="retryAfter">How long the vendor asked to wait, if it said.</param>
    public RateLimitedException(string message, string vendor, TimeSpan? retryAfter)
        : base(message, vendor, HttpStatusCode.TooManyRequests)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>How long the vendor asked to wait before the next request (Retry-After), if it said.</summary>
    public TimeSpan? RetryAfter { get; }
}

/// <summary>The vendor's service or queue is temporarily down (HTTP 503).</summary>
public sealed class ServiceUnavailableException : VideoGenException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message, naming the vendor and the vendor's words.</param>
    /// <param name="vendor">The vendor.</param>
    /// <param name="retryAfter">How long the vendor asked to wait, if it said.</param>
    public ServiceUnavailableException(string message, string vendor, TimeSpan? retryAfter)
        : base(message, vendor, HttpStatusCode.ServiceUnavailable)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>How long the vendor asked to wait before the next request (Retry-After), if it said.</summary>
    public TimeSpan? RetryAfter { get; }
}
