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

/// <summary>
/// The vendor refused the request because the account's subscription plan does not include it (HTTP 403
/// <c>insufficient_plan</c> at Elumenta and NeuralBox). Retrying does not help; a higher plan does.
/// </summary>
public sealed class InsufficientPlanException : VideoGenException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message, naming the vendor and the vendor's words.</param>
    /// <param name="vendor">The vendor.</param>
    public InsufficientPlanException(string message, string vendor)
        : base(message, vendor, HttpStatusCode.Forbidden)
    {
    }
}

/// <summary>
/// The vendor no longer has a job this client submitted (HTTP 404 for an id that did exist): its record or
/// result file was removed after the vendor's retention period. Distinct from an unknown id, which is a
/// plain <see cref="VideoGenException"/> with status 404. <see cref="VideoGenException.JobId"/> is the job's id.
/// </summary>
public sealed class VideoGenJobExpiredException : VideoGenException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message, naming the vendor, the job and what to do.</param>
    /// <param name="vendor">The vendor.</param>
    /// <param name="jobId">The job the vendor no longer has.</param>
    /// <param name="innerException">The vendor's 404, as read.</param>
    public VideoGenJobExpiredException(string message, string vendor, string jobId, Exception? innerException = null)
        : base(message, vendor, HttpStatusCode.NotFound, innerException)
    {
        JobId = jobId;
    }
}

/// <summary>The vendor's contract has no such operation (for example cancelling a job at a vendor that documents no cancel).</summary>
public sealed class VideoGenNotSupportedException : VideoGenException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="operation">What was asked, in words (for example <c>cancelling a job</c>).</param>
    /// <param name="vendor">The vendor's display name, or <see langword="null"/> when not known.</param>
    public VideoGenNotSupportedException(string operation, string? vendor)
        : base($"{Capitalize(operation)} is not supported by {vendor ?? "this vendor"}: its published API has no such operation.", vendor)
    {
        Operation = operation;
    }

    /// <summary>What was asked, in words.</summary>
    public string Operation { get; }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
