using System.Net;

namespace VideoGen.Http;

// CUSTOM: nswag.json sets exceptionClass to this type (generateExceptionClasses: false), so every
// generated client throws one shared exception that belongs to the VideoGen family instead of
// one ApiException per generated namespace.

/// <summary>
/// Thrown by a generated client when a response cannot be read as its contract says
/// (unexpected status, unreadable or missing body).
/// </summary>
public class ApiException : VideoGenException
{
    /// <summary>Creates the exception; called by generated code.</summary>
    /// <param name="message">The generator's description of the failure.</param>
    /// <param name="statusCode">The HTTP status code.</param>
    /// <param name="response">The response body, if read (kept only as a bounded excerpt).</param>
    /// <param name="headers">The response headers.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public ApiException(string message, int statusCode, string? response, IReadOnlyDictionary<string, IEnumerable<string>> headers, Exception? innerException)
        : base($"{message} (HTTP {statusCode}).", vendor: null, (HttpStatusCode)statusCode, innerException)
    {
        Headers = headers;
        ResponseExcerpt = Excerpt.Of(response);
        Response = response;
    }

    /// <summary>The response headers.</summary>
    public IReadOnlyDictionary<string, IEnumerable<string>> Headers { get; }

    // CUSTOM: generated code does not know the API key, so the vendor adapters redact the whole body
    // with it before cutting an excerpt (cutting first could leave part of a key behind).
    internal string? Response { get; }
}

/// <summary>
/// Thrown by a generated client for a documented error response whose body was read as <typeparamref name="TResult"/>.
/// </summary>
/// <typeparam name="TResult">The documented error body type.</typeparam>
public class ApiException<TResult> : ApiException
{
    /// <summary>Creates the exception; called by generated code.</summary>
    /// <param name="message">The generator's description of the failure.</param>
    /// <param name="statusCode">The HTTP status code.</param>
    /// <param name="response">The response body, if read (kept only as a bounded excerpt).</param>
    /// <param name="headers">The response headers.</param>
    /// <param name="result">The error body, as the contract types it.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public ApiException(string message, int statusCode, string? response, IReadOnlyDictionary<string, IEnumerable<string>> headers, TResult result, Exception? innerException)
        : base(message, statusCode, response, headers, innerException)
    {
        Result = result;
    }

    /// <summary>The error body, as the contract types it.</summary>
    public TResult Result { get; }
}
