using System.Net.Http.Headers;
using System.Text;

namespace VideoGen.Http;

// CUSTOM: nswag.json names this type as clientBaseClass and turns on
// generatePrepareRequestAndProcessResponseAsAsyncMethods, so every generated client calls the
// hooks below: authentication and headers go in here, errors come out here as typed exceptions,
// and the generated code stays untouched.

/// <summary>
/// The base of every generated vendor client: adds the API key and User-Agent to each request and
/// turns every error response into a typed <see cref="VideoGenException"/>.
/// </summary>
public abstract class VendorClientBase
{
    /// <summary>Creates the base with its configuration.</summary>
    /// <param name="configuration">The vendor, key and base URL.</param>
    /// <exception cref="ArgumentNullException"><paramref name="configuration"/> is null.</exception>
    protected VendorClientBase(VendorClientConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Configuration = configuration;
    }

    /// <summary>The vendor, key and base URL this client was created with.</summary>
    protected VendorClientConfiguration Configuration { get; }

    // CUSTOM: the vendor adapters (Vendors/) read the configuration to redact the key from errors they
    // wrap and to tell Elumenta from NeuralBox; it stays protected for everyone else.
    internal VendorClientConfiguration ClientConfiguration => Configuration;

    /// <summary>
    /// Applies VideoGen's JSON settings (lenient dates and enums, the error handler of <c>VendorJson</c>) to a generated
    /// client's serializer settings; the generated <c>UpdateJsonSerializerSettings</c> hook calls it (build/templates/Client.Class.Body.liquid).
    /// </summary>
    /// <param name="settings">The generated client's settings, changed in place.</param>
    /// <exception cref="ArgumentNullException"><paramref name="settings"/> is null.</exception>
    protected static void ConfigureJsonSerializerSettings(Newtonsoft.Json.JsonSerializerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        VendorJson.Configure(settings);
    }

    /// <summary>Where a request that carries the key in <see cref="ApiKeyHeaderName"/> was first sent (a redirect changes the request's URI).</summary>
    private static readonly HttpRequestOptionsKey<Uri?> KeyHeaderSentTo = new("VideoGen.KeyHeaderSentTo");

    /// <summary>The header that carries the API key, for vendors that do not take <c>Authorization: Bearer</c>.</summary>
    /// <value><see langword="null"/>: the key goes as <c>Authorization: Bearer</c>.</value>
    protected virtual string? ApiKeyHeaderName => null;

    /// <summary>Called by generated code before the URL is final. Does nothing.</summary>
    /// <param name="client">The HTTP client.</param>
    /// <param name="request">The request.</param>
    /// <param name="urlBuilder">The URL being built.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>A completed task.</returns>
    protected virtual Task PrepareRequestAsync(HttpClient client, HttpRequestMessage request, StringBuilder urlBuilder, CancellationToken cancellationToken)
        => Task.CompletedTask;

    /// <summary>
    /// Called by generated code with the final URL: adds the User-Agent and the bearer key (for clients made by
    /// <c>AddVideoGeneration</c>, the key is written at the transport, below every logging and custom handler).
    /// </summary>
    /// <param name="client">The HTTP client.</param>
    /// <param name="request">The request.</param>
    /// <param name="url">The final URL.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>A completed task.</returns>
    protected virtual Task PrepareRequestAsync(HttpClient client, HttpRequestMessage request, string url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.UserAgent.ParseAdd(Configuration.UserAgent);
        if (string.IsNullOrEmpty(Configuration.ApiKey))
        {
            return Task.CompletedTask;
        }

        if (Configuration.AuthorizeAtTransport)
        {
            // CUSTOM: the handler at the bottom of the factory's pipeline writes the header (see TransportAuthorizationHandler).
            request.Options.Set(TransportAuthorizationHandler.ApiKey, Configuration.ApiKey);
            if (ApiKeyHeaderName is { } name)
            {
                request.Options.Set(TransportAuthorizationHandler.ApiKeyHeader, name);
            }
        }
        else if (ApiKeyHeaderName is { } name)
        {
            request.Headers.TryAddWithoutValidation(name, Configuration.ApiKey);

            // CUSTOM: HttpClient drops Authorization on a redirect but forwards other headers; where the request ended up is checked on the response.
            request.Options.Set(KeyHeaderSentTo, request.RequestUri);
        }
        else
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Configuration.ApiKey);
        }

        return Task.CompletedTask;
    }

    /// <summary>Called by generated code when the response headers arrive: error statuses become typed exceptions.</summary>
    /// <param name="client">The HTTP client.</param>
    /// <param name="response">The response.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>A task that completes when the response was checked.</returns>
    /// <exception cref="VideoGenException">The status is 4xx or 5xx (the subtype says which), or the HttpClient followed a redirect to another origin with the key header.</exception>
    protected virtual async Task ProcessResponseAsync(HttpClient client, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.RequestMessage is { } sent && sent.Options.TryGetValue(KeyHeaderSentTo, out var first) && first is not null
            && sent.RequestUri is { } last && !string.Equals(first.GetLeftPart(UriPartial.Authority), last.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
        {
            // A client made by hand on an HttpClient that follows redirects: the key header went to another origin. It cannot
            // be called back; the user must hear it (and nothing from that origin is read as the vendor's answer).
            response.Dispose();
            throw new VideoGenException(
                $"{Configuration.Vendor} redirected a request from {first.GetLeftPart(UriPartial.Authority)} to {last.GetLeftPart(UriPartial.Authority)}, and the HttpClient followed it " +
                $"with the {ApiKeyHeaderName} header: the API key reached {last.Host}. Rotate the key, and give the client an HttpClient that does not follow redirects " +
                "(SocketsHttpHandler.AllowAutoRedirect = false; the clients AddVideoGeneration makes follow none).",
                Configuration.Vendor);
        }

        // CUSTOM: a charset .NET does not know makes HttpContent.ReadAsStringAsync throw InvalidOperationException,
        // which generated code does not expect (it reads the body of an undocumented status as text). Such a
        // body is read as UTF-8, as the JSON reader reads every body anyway.
        if (response.Content?.Headers.ContentType is { CharSet.Length: > 0 } contentType && !IsKnownCharset(contentType.CharSet))
        {
            contentType.CharSet = null;
        }

        if ((int)response.StatusCode is >= 200 and < 300)
        {
            AcceptAnySuccess(response);
        }

        if ((int)response.StatusCode < 400)
        {
            // CUSTOM: generated code parses the body with a synchronous JSON reader, which no cancellation token
            // reaches: a body trickling in at 1 byte/s, or an endless one, would hold the call past every deadline
            // and buffer without bound. The body is read here first, asynchronously under the caller's token and
            // up to MaxResponseBytes, and the parser reads that copy.
            if (response.Content is not null)
            {
                response.Content = await BufferBoundedAsync(response.Content, Configuration.Vendor, Configuration.MaxResponseBytes, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        throw await VendorErrorMapper.CreateAsync(Configuration.Vendor, response, Configuration.ApiKey, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads <paramref name="content"/> into memory, at most <paramref name="limit"/> bytes, honouring <paramref name="cancellationToken"/> on every read.</summary>
    /// <exception cref="ResponseTooLargeException">The body is longer than <paramref name="limit"/>.</exception>
    internal static async Task<HttpContent> BufferBoundedAsync(HttpContent content, string vendor, long limit, CancellationToken cancellationToken)
    {
        limit = Math.Min(limit, Array.MaxLength);
        var announced = content.Headers.ContentLength;
        var headers = content.Headers.ToList();
        if (announced > limit)
        {
            content.Dispose();
            throw new ResponseTooLargeException(vendor, limit, announced);
        }

        using var buffer = new MemoryStream(announced is { } n ? (int)n : 0);

        // CUSTOM: the read chunk is pooled (issue 17 item 4): a fresh 16 KiB array per status call was the largest
        // allocation of the call.
        var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent((int)Math.Min(16 * 1024, limit + 1));
        try
        {
            using (content)
            {
                await using var body = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                while (true)
                {
                    var read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    if (buffer.Length + read > limit)
                    {
                        throw new ResponseTooLargeException(vendor, limit, announced);
                    }

                    buffer.Write(chunk, 0, read);
                }
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }

        var copy = new ByteArrayContent(buffer.GetBuffer(), 0, (int)buffer.Length);
        foreach (var header in headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return copy;
    }

    private static readonly HttpRequestOptionsKey<int[]> DocumentedSuccessKey = new("VideoGen.DocumentedSuccess");

    /// <summary>Headers a vendor may name a created job's id in when its body is empty (besides <c>Location</c>).</summary>
    private static readonly string[] IdHeaders = ["x-job-id", "job-id", "x-generation-id", "generation-id", "x-id", "id"];

    // CUSTOM: build/templates/Client.Class.BeforeSend.liquid calls this for every 2xx the spec documents for the operation.

    /// <summary>Called by generated code before a request is sent: records the 2xx statuses the operation documents.</summary>
    /// <param name="request">The request.</param>
    /// <param name="statusCodes">The documented success statuses, the primary one first; none for an operation that documents none.</param>
    protected static void Documented(HttpRequestMessage request, params int[] statusCodes)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Options.Set(DocumentedSuccessKey, statusCodes);
    }

    /// <summary>
    /// Tolerant reader: a 2xx the operation does not document (201 or 202 where the spec says 200) is read as the
    /// documented one, since the body is the same resource; a create answered with an empty body but the job's id
    /// in <c>Location</c> or an id header becomes <see cref="AcceptedWithoutBodyException"/>, which keeps that id.
    /// </summary>
    private void AcceptAnySuccess(HttpResponseMessage response)
    {
        if (response.RequestMessage is not { } request || !request.Options.TryGetValue(DocumentedSuccessKey, out var documented) || documented.Length == 0)
        {
            return;
        }

        if (request.Method == HttpMethod.Post && response.Content?.Headers.ContentLength == 0 && IdFromHeaders(response) is { } id)
        {
            throw new AcceptedWithoutBodyException(Configuration.Vendor, id, response.StatusCode);
        }

        if (!documented.Contains((int)response.StatusCode))
        {
            VendorJson.UndocumentedStatus(response.StatusCode);
            response.StatusCode = (System.Net.HttpStatusCode)documented[0];
        }
    }

    private static string? IdFromHeaders(HttpResponseMessage response)
    {
        if (response.Headers.Location is { } location)
        {
            var path = location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString.Split('?', '#')[0];
            var last = path.TrimEnd('/').Split('/').LastOrDefault();
            if (!string.IsNullOrWhiteSpace(last))
            {
                return Uri.UnescapeDataString(last);
            }
        }

        foreach (var name in IdHeaders)
        {
            if (response.Headers.TryGetValues(name, out var values) && values.FirstOrDefault() is { Length: > 0 and <= 200 } value)
            {
                return value.Trim();
            }
        }

        return null;
    }

    private static bool IsKnownCharset(string charset)
    {
        try
        {
            Encoding.GetEncoding(charset.Trim('"'));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
