using System.Net.Http.Headers;

namespace VideoGen.Http;

// CUSTOM: for clients made by IHttpClientFactory (AddVideoGeneration), VendorClientBase hands the key over in
// HttpRequestMessage.Options and this handler, installed just above the primary handler, writes the
// Authorization header. Every handler above it — HttpClientFactory's logging (whose structured header
// values are not redacted, only its message text is), the caller's own handlers, retries — sees no
// credential at all.

/// <summary>
/// Moves the API key from the request's options into its Authorization header, at the transport; and
/// redacts the key from response headers that echo it, before any handler above sees them.
/// </summary>
internal sealed class TransportAuthorizationHandler : DelegatingHandler
{
    /// <summary>Where <see cref="VendorClientBase"/> puts the key for this handler.</summary>
    public static readonly HttpRequestOptionsKey<string> ApiKey = new("VideoGen.ApiKey");

    /// <summary>The header that carries the key, when the vendor does not take <c>Authorization: Bearer</c> (Apiframe: <c>X-API-Key</c>).</summary>
    public static readonly HttpRequestOptionsKey<string> ApiKeyHeader = new("VideoGen.ApiKeyHeader");

    public TransportAuthorizationHandler(HttpMessageHandler inner)
        : base(inner)
    {
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(ApiKey, out var key) || string.IsNullOrEmpty(key))
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var header = request.Options.TryGetValue(ApiKeyHeader, out var name) ? name : null;
        if (header is null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        else
        {
            request.Headers.TryAddWithoutValidation(header, key);
        }

        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Sent: the header leaves with the request. A retry above copies the request's headers, and
            // response.RequestMessage reaches callers and loggers; neither gets the key.
            request.Headers.Authorization = null;
            if (header is not null)
            {
                request.Headers.Remove(header);
            }
        }

        // A vendor or a debugging proxy that echoes the key in a header (a request id, a diagnostic), as is or encoded, would
        // otherwise hand it to every logging handler above.
        Redact(response.Headers, key);
        if (response.Content is not null)
        {
            Redact(response.Content.Headers, key);
        }

        return response;
    }

    private static void Redact(HttpHeaders headers, string key)
    {
        var echoing = headers.NonValidated
            .Where(h => h.Value.Any(v => Excerpt.Shows(v, key)))
            .Select(h => (h.Key, Values: h.Value.Select(v => Excerpt.Redact(v, key)).ToList()))
            .ToList();
        foreach (var (name, values) in echoing)
        {
            headers.Remove(name);
            headers.TryAddWithoutValidation(name, values);
        }
    }
}
