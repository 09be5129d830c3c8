using System.Net;

namespace VideoGen;

/// <summary>
/// The base of every exception VideoGen throws for a vendor or job problem. Catch this one type to
/// handle every VideoGen failure; catch a subtype only where your code branches on it.
/// </summary>
/// <remarks>
/// Messages never contain an API key: bodies are cut to <see cref="ResponseExcerptLimit"/> characters
/// and every configured key is redacted before the text reaches a message or property.
/// </remarks>
public class VideoGenException : Exception
{
    /// <summary>The most characters of a response body kept in <see cref="ResponseExcerpt"/>.</summary>
    /// <value>512.</value>
    public const int ResponseExcerptLimit = 512;

    /// <summary>Creates an exception with a message and the vendor context.</summary>
    /// <param name="message">What went wrong, in words a user can act on.</param>
    /// <param name="vendor">The vendor the request went to, if any.</param>
    /// <param name="statusCode">The HTTP status the vendor answered with, if any.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public VideoGenException(string message, string? vendor = null, HttpStatusCode? statusCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Vendor = vendor;
        StatusCode = statusCode;
    }

    /// <summary>The vendor (for example <c>Elumenta</c>), or <see langword="null"/> for a client-side failure.</summary>
    public string? Vendor { get; }

    /// <summary>The HTTP status the vendor answered with, or <see langword="null"/> when no response arrived.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The vendor's own error code or short error name, where its body gives one.</summary>
    public string? ErrorCode { get; internal set; }

    /// <summary>The vendor's request id (from a response header or the body), where it gives one.</summary>
    public string? RequestId { get; internal set; }

    /// <summary>The first <see cref="ResponseExcerptLimit"/> characters of the response body, secrets redacted.</summary>
    public string? ResponseExcerpt { get; internal set; }

    /// <summary>The vendor's job id, when the failure concerns a job that exists (it can be awaited or inspected again).</summary>
    public string? JobId { get; internal set; }
}
