using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace VideoGen;

/// <summary>
/// Turns a vendor's error response into the matching <see cref="VideoGenException"/>. The vendors'
/// error bodies differ (Elumenta and the gateway <c>{"error": "code", "message": "..."}</c>, AIML API's
/// NestJS <c>{"statusCode", "message": "..." or [...], "error"}</c>, Oxen.ai's
/// <c>{"error": {"type", "title"}, "status", "status_message"}</c>, others <c>{"error": {"message", "code"}}</c>
/// or <c>{"detail": ...}</c>), so the reader is tolerant: it takes the first field that fits and never
/// fails on a body it does not understand.
/// </summary>
internal static class VendorErrorMapper
{
    private static readonly string[] RequestIdHeaders = ["x-request-id", "request-id", "x-correlation-id", "cf-ray"];

    /// <summary>The most characters of the vendor's words quoted in a message (the full body is in the excerpt).</summary>
    internal const int MessageWordsLimit = 300;

    /// <summary>The most characters of an error body read.</summary>
    internal const int MaxBodyChars = 64 * 1024;

    /// <summary>Reads the error response and builds the exception (it does not throw it).</summary>
    public static async Task<VideoGenException> CreateAsync(string vendor, HttpResponseMessage response, string? apiKey, CancellationToken cancellationToken)
    {
        string body;
        try
        {
            body = response.Content is null ? string.Empty : await ReadBoundedAsync(response.Content, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            body = string.Empty;
        }

        return Create(vendor, response.StatusCode, body, response.Headers, apiKey);
    }

    /// <summary>
    /// Reads at most <see cref="MaxBodyChars"/> characters: an error body is only quoted, so a vendor (or a
    /// proxy) answering with megabytes must not be buffered whole.
    /// </summary>
    private static async Task<string> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var charset = content.Headers.ContentType?.CharSet;
        Encoding encoding;
        try
        {
            encoding = string.IsNullOrEmpty(charset) ? Encoding.UTF8 : Encoding.GetEncoding(charset.Trim('"'));
        }
        catch (ArgumentException)
        {
            encoding = Encoding.UTF8;
        }

        using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: true);
        var buffer = new char[MaxBodyChars];
        var read = await reader.ReadBlockAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
        return new string(buffer, 0, read);
    }

    /// <summary>Builds the exception from a status, body and headers.</summary>
    public static VideoGenException Create(string vendor, HttpStatusCode status, string? body, HttpResponseHeaders? headers, string? apiKey)
    {
        var (vendorMessage, code, bodyRequestId) = Read(body);
        var requestId = Bounded(bodyRequestId ?? FirstHeader(headers, RequestIdHeaders), apiKey, 100);
        code = Bounded(code, apiKey, 100);
        // Elumenta and NeuralBox put the wait in the 429 body as `retry_after` seconds
        // (https://docs.elumenta.ru/en/concepts/rate-limits.md § Handling Rate Limit Errors); the header wins when both exist.
        var retryAfter = RetryAfter(headers) ?? BodyRetryAfter(body);

        // Redact before cutting, so a key that straddles the cut cannot leak in part.
        var words = vendorMessage is null ? string.Empty : $": {Bounded(vendorMessage, apiKey, MessageWordsLimit)}";
        var codePart = code is null ? string.Empty : $" [{code}]";
        var idPart = requestId is null ? string.Empty : $" (request id {requestId})";
        var prefix = $"{vendor} answered HTTP {(int)status} {ReasonPhrase(status)}{codePart}{words}{idPart}";

        VideoGenException exception = status switch
        {
            HttpStatusCode.Unauthorized => new VideoGenAuthenticationException(
                $"{prefix}. Check the API key configured for {vendor}.", vendor),
            HttpStatusCode.PaymentRequired => new InsufficientCreditsException(
                $"{prefix}. The account has too few credits for this request; nothing was generated.", vendor),
            // Elumenta and NeuralBox: 403 insufficient_plan is the plan, not the key (error-handling guide).
            HttpStatusCode.Forbidden when string.Equals(code, "insufficient_plan", StringComparison.OrdinalIgnoreCase) => new InsufficientPlanException(
                $"{prefix}. The account's subscription plan does not include this; a higher plan is needed (retrying does not help).", vendor),
            HttpStatusCode.TooManyRequests => new RateLimitedException(
                $"{prefix}.{RetryAfterText(retryAfter)}", vendor, retryAfter),
            HttpStatusCode.ServiceUnavailable => new ServiceUnavailableException(
                $"{prefix}.{RetryAfterText(retryAfter)}", vendor, retryAfter),
            _ => new VideoGenException($"{prefix}.", vendor, status),
        };

        exception.ErrorCode = code;
        exception.RequestId = requestId;
        exception.ResponseExcerpt = Excerpt.Of(body, apiKey);
        return exception;
    }

    private static (string? Message, string? Code, string? RequestId) Read(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, null, null);
        }

        JToken token;
        try
        {
            token = JToken.Parse(body);
        }
        catch (JsonException)
        {
            // Not JSON (an HTML error page, plain text): the first line is the vendor's words.
            return (body.Trim().Split('\n')[0].Trim(), null, null);
        }

        if (token is not JObject obj)
        {
            return (null, null, null);
        }

        string? message = null;
        string? code = null;
        var error = obj["error"];
        if (error is JObject errorObject)
        {
            // Oxen.ai: {"error": {"type": "resource_not_found", "title": "..."}}.
            message = Text(errorObject["message"]) ?? Text(errorObject["detail"]) ?? Text(errorObject["title"]);
            code = Text(errorObject["code"]) ?? Text(errorObject["type"]);
        }
        else if (error is JValue)
        {
            // {"error": "Validation error", "message": "..."}: the short name is the code.
            var errorText = Text(error);
            var detail = Text(obj["message"]) ?? Text(obj["detail"]);
            (message, code) = detail is null ? (errorText, null) : (detail, errorText);
        }

        message ??= Text(obj["message"]) ?? Text(obj["detail"]) ?? Text(obj["error_message"]);
        code ??= Text(obj["code"]) ?? Text(obj["error_code"]) ?? Text(obj["status_message"]);
        var requestId = Text(obj["request_id"]) ?? Text(obj["requestId"]);
        return (message, code, requestId);
    }

    /// <summary>A non-negative whole <c>retry_after</c> (seconds) at the top level of a JSON error body, else null.</summary>
    private static TimeSpan? BodyRetryAfter(string? body)
    {
        if (string.IsNullOrWhiteSpace(body) || body.TrimStart()[0] != '{')
        {
            return null;
        }

        try
        {
            return JToken.Parse(body) is JObject { } obj && obj["retry_after"] is JValue { Type: JTokenType.Integer } value
                && value.Value<long>() is var seconds and >= 0 and <= 86_400
                ? TimeSpan.FromSeconds(seconds)
                : null;
        }
        catch (Newtonsoft.Json.JsonException)
        {
            return null;
        }
    }

    private static string? Text(JToken? token) => token switch
    {
        null => null,
        JValue { Type: JTokenType.String or JTokenType.Integer } value => value.ToString(System.Globalization.CultureInfo.InvariantCulture),

        // NestJS validation errors are a list of strings; FastAPI's are a list of {"msg": ...} objects.
        JArray array when array.Count > 0 => array
            .Select(item => item is JObject o ? Text(o["msg"]) ?? Text(o["message"]) : Text(item))
            .OfType<string>()
            .DefaultIfEmpty()
            .Aggregate((a, b) => a + "; " + b),
        _ => null,
    };

    // Invariant, so a message reads "1.5 s" whatever the machine's culture.
    private static string RetryAfterText(TimeSpan? retryAfter) =>
        retryAfter is { } r ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $" Retry after {r.TotalSeconds:0.###} s.") : string.Empty;

    private static string? Bounded(string? text, string? apiKey, int limit)
    {
        if (text is null)
        {
            return null;
        }

        var redacted = Excerpt.Redact(text, apiKey);
        return redacted.Length > limit ? redacted[..limit] + "…" : redacted;
    }

    /// <summary>
    /// The request id of a response the generated client could not read (<see cref="Http.ApiException.Headers"/>): the
    /// first of the same headers an error response is read for, bounded and redacted the same way.
    /// </summary>
    internal static string? RequestId(IReadOnlyDictionary<string, IEnumerable<string>>? headers, string? apiKey)
    {
        if (headers is null)
        {
            return null;
        }

        foreach (var name in RequestIdHeaders)
        {
            var header = headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase));
            if (header.Value?.FirstOrDefault() is { } value)
            {
                return Bounded(value, apiKey, 100);
            }
        }

        return null;
    }

    private static string? FirstHeader(HttpResponseHeaders? headers, IEnumerable<string> names)
    {
        if (headers is null)
        {
            return null;
        }

        foreach (var name in names)
        {
            if (headers.TryGetValues(name, out var values))
            {
                return values.FirstOrDefault();
            }
        }

        return null;
    }

    /// <summary>Retry-After as seconds or an HTTP date, relative to now; null when absent or unreadable.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseHeaders? headers, TimeProvider? clock = null)
    {
        var value = headers?.RetryAfter;
        if (value?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (value?.Date is { } date)
        {
            var wait = date - (clock ?? TimeProvider.System).GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private static string ReasonPhrase(HttpStatusCode status) => status switch
    {
        HttpStatusCode.PaymentRequired => "Payment Required",
        HttpStatusCode.TooManyRequests => "Too Many Requests",
        _ => System.Text.RegularExpressions.Regex.Replace(status.ToString(), "(?<=[a-z])(?=[A-Z])", " "),
    };
}
