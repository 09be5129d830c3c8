namespace VideoGen.Downloads;

/// <summary>How <see cref="VideoDownloader"/> fetches a result.</summary>
public sealed class DownloadOptions
{
    /// <summary>The default size cap: 2 GiB.</summary>
    public const long DefaultMaxBytes = 2L * 1024 * 1024 * 1024;

    /// <summary>The default idle-read timeout: 30 seconds without a byte.</summary>
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The default number of resumes after a dropped connection: 5.</summary>
    public const int DefaultMaxResumes = 5;

    /// <summary>The default number of redirects followed: 5.</summary>
    public const int DefaultMaxRedirects = 5;

    /// <summary>The default buffer size: 80 KiB (below the large-object heap threshold).</summary>
    public const int DefaultBufferSize = 80 * 1024;

    /// <summary>The default overall time limit of one download: 1 hour.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromHours(1);

    /// <summary>The default slowest average rate accepted: 1 KiB per second, measured over each <see cref="IdleTimeout"/>.</summary>
    public const long DefaultMinBytesPerSecond = 1024;

    /// <summary>
    /// How long one download may take in all, resumes and redirects included; past it the download fails and nothing
    /// is kept. <see cref="Timeout.InfiniteTimeSpan"/> for no limit.
    /// </summary>
    /// <value><see cref="DefaultTimeout"/>.</value>
    public TimeSpan Timeout { get; set; } = DefaultTimeout;

    /// <summary>
    /// The slowest average rate accepted, in bytes per second, measured over each <see cref="IdleTimeout"/> window: a
    /// server trickling a byte at a time (never idle, never done) fails the download. 0 turns the check off.
    /// </summary>
    /// <value><see cref="DefaultMinBytesPerSecond"/>.</value>
    public long MinBytesPerSecond { get; set; } = DefaultMinBytesPerSecond;

    /// <summary>
    /// Whether a result must be a video: a Content-Type of a document (text/*, HTML, JSON, XML) or a body that does not
    /// start with an ISO BMFF (MP4, MOV: <c>ftyp</c>) or Matroska/WebM (EBML) signature fails the download and nothing
    /// is kept, so an "Access denied" page is never saved as a video. The whole file's top-level structure is walked
    /// too (ISO BMFF boxes ending exactly at the end of the file, with <c>moov</c> and <c>mdat</c>; Matroska/WebM
    /// elements likewise), so a file cut short by a lying Content-Length is never kept.
    /// </summary>
    /// <value><see langword="true"/>.</value>
    public bool RequireVideo { get; set; } = true;

    /// <summary>The largest result accepted, in bytes; a larger one is refused and nothing is kept.</summary>
    /// <value><see cref="DefaultMaxBytes"/>.</value>
    public long MaxBytes { get; set; } = DefaultMaxBytes;

    /// <summary>How long a read may wait for the next byte before the download fails.</summary>
    /// <value><see cref="DefaultIdleTimeout"/>.</value>
    public TimeSpan IdleTimeout { get; set; } = DefaultIdleTimeout;

    /// <summary>How many times a dropped download is resumed with a Range request.</summary>
    /// <value><see cref="DefaultMaxResumes"/>.</value>
    public int MaxResumes { get; set; } = DefaultMaxResumes;

    /// <summary>How many redirects are followed (each is checked: http(s) only, never https to http, no credentials to other hosts).</summary>
    /// <value><see cref="DefaultMaxRedirects"/>.</value>
    public int MaxRedirects { get; set; } = DefaultMaxRedirects;

    /// <summary>
    /// Refuses result URLs whose host resolves to a loopback, private, link-local or unspecified
    /// address (checked on the address actually connected to, so DNS tricks do not get around it).
    /// </summary>
    /// <remarks>
    /// Blocked: loopback, private, shared (CGNAT), link-local, unique-local, multicast, broadcast, reserved, benchmarking
    /// and documentation ranges, and IPv6 forms that carry such an IPv4 address (IPv4-mapped, NAT64, 6to4, Teredo).
    /// While it is on, downloads do not go through a system proxy (HTTP_PROXY, HTTPS_PROXY): behind a proxy the
    /// guard could not see the address the proxy connects to.
    /// </remarks>
    /// <value><see langword="true"/>: on for real vendors. For a local sandbox, trust its origin with <see cref="TrustedOrigins"/>.</value>
    public bool BlockPrivateNetworks { get; set; } = true;

    /// <summary>
    /// Origins (scheme, host and port) that may be on a private or loopback address although
    /// <see cref="BlockPrivateNetworks"/> is on: a local sandbox or a tunnel to the vendor. Only these exact origins are
    /// trusted; every other private address stays blocked.
    /// </summary>
    /// <value>None.</value>
    public IList<Uri> TrustedOrigins { get; } = [];

    /// <summary>The copy buffer size in bytes.</summary>
    /// <value><see cref="DefaultBufferSize"/>.</value>
    public int BufferSize { get; set; } = DefaultBufferSize;

    /// <summary>The clock the waits between retries of a failing storage host (5xx, 408, 429) go through.</summary>
    /// <value><see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Checks the options once, where they enter; lists every problem.</summary>
    /// <exception cref="ArgumentException">One or more options are out of range.</exception>
    internal void Validate()
    {
        var problems = new List<string>();
        if (MaxBytes <= 0)
        {
            problems.Add($"MaxBytes must be positive (was {MaxBytes})");
        }

        if (IdleTimeout <= TimeSpan.Zero)
        {
            problems.Add($"IdleTimeout must be positive (was {IdleTimeout})");
        }

        if (Timeout <= TimeSpan.Zero && Timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            problems.Add($"Timeout must be positive or infinite (was {Timeout})");
        }

        if (MinBytesPerSecond < 0)
        {
            problems.Add($"MinBytesPerSecond must not be negative (was {MinBytesPerSecond})");
        }

        if (MaxResumes < 0)
        {
            problems.Add($"MaxResumes must not be negative (was {MaxResumes})");
        }

        if (MaxRedirects < 0)
        {
            problems.Add($"MaxRedirects must not be negative (was {MaxRedirects})");
        }

        if (BufferSize < 1024)
        {
            problems.Add($"BufferSize must be at least 1024 (was {BufferSize})");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid DownloadOptions: " + string.Join("; ", problems) + ".");
        }
    }
}

/// <summary>A finished download.</summary>
/// <param name="Path">The file written.</param>
/// <param name="Bytes">Its size.</param>
/// <param name="ContentType">The content type the server gave.</param>
/// <param name="Source">The URL the bytes finally came from (after redirects).</param>
/// <param name="Resumes">How many times a dropped connection was resumed.</param>
public sealed record DownloadResult(string Path, long Bytes, string? ContentType, Uri Source, int Resumes);

/// <summary>Bytes received so far.</summary>
/// <param name="Bytes">Bytes written.</param>
/// <param name="TotalBytes">The total, when the server said.</param>
public sealed record DownloadProgress(long Bytes, long? TotalBytes);

/// <summary>The vendor API a credential belongs to: the key is sent only to this scheme, host and port.</summary>
/// <param name="ApiBaseUrl">The vendor API's base URL.</param>
/// <param name="ApiKey">The API key.</param>
public sealed record VendorCredential(Uri ApiBaseUrl, string ApiKey)
{
    /// <summary>Never shows the key.</summary>
    /// <returns>The API base URL.</returns>
    public override string ToString() => $"VendorCredential {{ ApiBaseUrl = {ApiBaseUrl}, ApiKey = *** }}";

    /// <summary>Whether <paramref name="uri"/> is on the vendor's API origin (same scheme, host and port).</summary>
    internal bool Covers(Uri uri) =>
        string.Equals(uri.Scheme, ApiBaseUrl.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(uri.IdnHost, ApiBaseUrl.IdnHost, StringComparison.OrdinalIgnoreCase)
        && uri.Port == ApiBaseUrl.Port;
}

/// <summary>A result could not be downloaded safely; nothing partial is left at the destination.</summary>
public sealed class VideoDownloadException : VideoGenException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong, naming the URL's host (never a key).</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public VideoDownloadException(string message, Exception? innerException = null)
        : base(message, vendor: null, statusCode: null, innerException)
    {
    }
}
