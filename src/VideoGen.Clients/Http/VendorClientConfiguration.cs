using System.Diagnostics;

namespace VideoGen.Http;

// CUSTOM: nswag.json names this type as configurationClass; every generated client takes one in
// its constructor and hands it to VendorClientBase.

/// <summary>
/// What a generated vendor client needs besides its <see cref="HttpClient"/>: who the vendor is,
/// the API key and, optionally, a base URL that replaces the spec's server (a local sandbox, a proxy).
/// </summary>
[DebuggerDisplay("{Vendor,nq} {BaseUrl}")]
public sealed class VendorClientConfiguration
{
    /// <summary>Creates a configuration for <paramref name="vendor"/>.</summary>
    /// <param name="vendor">The vendor's display name, used in errors and telemetry (for example <c>Elumenta</c>).</param>
    /// <exception cref="ArgumentException"><paramref name="vendor"/> is empty.</exception>
    public VendorClientConfiguration(string vendor)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(vendor);
        Vendor = vendor;
    }

    /// <summary>The vendor's display name.</summary>
    public string Vendor { get; }

    /// <summary>The API key sent as <c>Authorization: Bearer</c>. Never logged, never put in a message.</summary>
    /// <value>No key: requests go out without an Authorization header.</value>
    /// <exception cref="ArgumentException">The key holds a character an HTTP header cannot carry (a control character such as a trailing carriage return, white space, or a non-ASCII character); the message names the kind and position, never the key.</exception>
    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    public string? ApiKey
    {
        get => _apiKey;
        init
        {
            // An empty key means none (no Authorization header), as before.
            if (!string.IsNullOrEmpty(value) && UnsendableKeyProblem(value) is { } problem)
            {
                throw new ArgumentException($"The {Vendor} API key cannot be sent in an HTTP header: {problem}.", nameof(ApiKey));
            }

            _apiKey = value;
        }
    }

    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    private readonly string? _apiKey;

    /// <summary>
    /// What makes <paramref name="key"/> unsendable as a bearer token, or null when it can be sent: only visible ASCII
    /// (0x21-0x7E) fits a header value without being refused or changed (RFC 9110 section 5.5; RFC 6750 section 2.1).
    /// The answer names the kind of character and its position, never the key.
    /// </summary>
    internal static string? UnsendableKeyProblem(string key)
    {
        if (key.Length == 0)
        {
            return "it is empty";
        }

        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            if (c is >= '!' and <= '~')
            {
                continue;
            }

            var kind = c switch
            {
                '\r' => "a carriage return (\\r)",
                '\n' => "a line feed (\\n)",
                ' ' or '\t' => "white space",
                < ' ' or '\u007f' => $"a control character (U+{(int)c:X4})",
                _ => "a non-ASCII character",
            };
            var where = i == key.Length - 1 ? "at its end" : i == 0 ? "at its start" : $"at position {i + 1} of {key.Length}";
            return $"it holds {kind} {where}";
        }

        return null;
    }

    /// <summary>A base URL that replaces the spec's first server, for example a local sandbox.</summary>
    /// <value>The spec's server.</value>
    public Uri? BaseUrl { get; init; }

    /// <summary>
    /// Whether the key goes in the request's options for <see cref="TransportAuthorizationHandler"/> to write at the
    /// transport, rather than in the Authorization header at once. Set for clients made by <c>AddVideoGeneration</c>,
    /// whose pipeline has that handler.
    /// </summary>
    internal bool AuthorizeAtTransport { get; init; }

    /// <summary>The default cap of a response body read by a client: 4 MiB (a job's status is a few KB).</summary>
    public const long DefaultMaxResponseBytes = 4L * 1024 * 1024;

    /// <summary>
    /// The most bytes of a successful response body a client reads (status, create and list responses are read
    /// whole before they are parsed); a longer body fails with <see cref="ResponseTooLargeException"/> once the cap
    /// is reached, so memory stays bounded whatever the vendor sends.
    /// </summary>
    /// <value><see cref="DefaultMaxResponseBytes"/>.</value>
    public long MaxResponseBytes { get; init; } = DefaultMaxResponseBytes;

    /// <summary>The User-Agent product token sent with every request.</summary>
    /// <value><c>VideoGen/&lt;version&gt;</c>.</value>
    public string UserAgent { get; init; } = DefaultUserAgent;

    /// <summary>The default User-Agent.</summary>
    public static readonly string DefaultUserAgent =
        "VideoGen/" + (typeof(VendorClientConfiguration).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

    /// <summary>Never shows the key.</summary>
    /// <returns>The vendor and base URL.</returns>
    public override string ToString() => $"{Vendor} {BaseUrl}".TrimEnd();
}
