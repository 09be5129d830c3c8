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
    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    public string? ApiKey { get; init; }

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
