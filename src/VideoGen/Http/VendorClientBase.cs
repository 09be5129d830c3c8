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
    /// <exception cref="VideoGenException">The status is 4xx or 5xx; the subtype says which.</exception>
    protected virtual async Task ProcessResponseAsync(HttpClient client, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);

        // CUSTOM: a charset .NET does not know makes HttpContent.ReadAsStringAsync throw InvalidOperationException,
        // which generated code does not expect (it reads the body of an undocumented status as text). Such a
        // body is read as UTF-8, as the JSON reader reads every body anyway.
        if (response.Content?.Headers.ContentType is { CharSet.Length: > 0 } contentType && !IsKnownCharset(contentType.CharSet))
        {
            contentType.CharSet = null;
        }

        if ((int)response.StatusCode < 400)
        {
            return;
        }

        throw await VendorErrorMapper.CreateAsync(Configuration.Vendor, response, Configuration.ApiKey, cancellationToken).ConfigureAwait(false);
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
