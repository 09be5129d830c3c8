using System.Net;
using System.Net.Http.Headers;
using VideoGen.Telemetry;

namespace VideoGen.Downloads;

/// <summary>
/// Downloads a finished video to a file safely: streamed with constant memory, written atomically
/// (a temporary file renamed at the end), resumed with a Range request after a dropped connection,
/// capped in size, failed when the server goes idle, http(s) only, and never sending the vendor's
/// API key to any host other than the vendor's API — redirects included.
/// </summary>
public sealed class VideoDownloader : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsClient;
    private readonly DownloadOptions _options;

    /// <summary>Creates a downloader with its own HTTP client (no automatic redirects; private networks blocked per <paramref name="options"/>).</summary>
    /// <param name="options">How to download; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">The options are out of range.</exception>
    public VideoDownloader(DownloadOptions? options = null)
        : this(new HttpClient(CreateHandler(options ??= new DownloadOptions())) { Timeout = Timeout.InfiniteTimeSpan }, options)
    {
        _ownsClient = true;
    }

    /// <summary>Creates a downloader over <paramref name="httpClient"/>, whose handler must not follow redirects itself (see <see cref="CreateHandler"/>).</summary>
    /// <param name="httpClient">The client; its timeout should be infinite (the idle timeout applies instead).</param>
    /// <param name="options">How to download; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">The options are out of range.</exception>
    public VideoDownloader(HttpClient httpClient, DownloadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        _options = options ?? new DownloadOptions();
        _options.Validate();
        _http = httpClient;
    }

    /// <summary>
    /// The handler VideoGen downloads with: no automatic redirects, and, when <see cref="DownloadOptions.BlockPrivateNetworks"/>
    /// is on, the private-network guard on the address actually connected to, with no proxy (a proxy would hide the target's address).
    /// </summary>
    /// <param name="options">The options.</param>
    /// <returns>A new handler.</returns>
    public static SocketsHttpHandler CreateHandler(DownloadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None };
        if (options.BlockPrivateNetworks)
        {
            // Through a proxy (HTTP_PROXY, HTTPS_PROXY) the connect callback would see the proxy's address, and the
            // proxy would resolve the target itself: the guard connects directly, so it checks the target's address.
            handler.UseProxy = false;
            handler.ConnectCallback = NetworkGuard.ConnectPublicOnly([.. options.TrustedOrigins]);
        }

        return handler;
    }

    /// <summary>Downloads <paramref name="source"/> to <paramref name="destinationPath"/>.</summary>
    /// <param name="source">The result URL (http or https).</param>
    /// <param name="destinationPath">The file to write; it appears only when the download is complete.</param>
    /// <param name="credential">The vendor's API and key, for result URLs served by the vendor's API itself; never sent elsewhere.</param>
    /// <param name="progress">Receives the bytes written so far.</param>
    /// <param name="refreshSource">Asked once for a fresh URL when the result URL has expired (403, 404, 410), for example by re-reading the job.</param>
    /// <param name="cancellationToken">A token to cancel the download; nothing partial is left.</param>
    /// <returns>What was written.</returns>
    /// <exception cref="VideoDownloadException">The URL is not http(s), leads to a private network, redirects unsafely, is too large, went idle, or kept failing.</exception>
    public async Task<DownloadResult> DownloadAsync(
        Uri source,
        string destinationPath,
        VendorCredential? credential = null,
        IProgress<DownloadProgress>? progress = null,
        Func<CancellationToken, Task<Uri?>>? refreshSource = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(destinationPath);
        EnsureHttp(source);

        var destination = Path.GetFullPath(destinationPath);
        var directory = Path.GetDirectoryName(destination)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(destination)}.{Guid.NewGuid():N}.partial");
        using var span = VideoGenTelemetry.Start("download", vendor: null);
        span?.SetTag("server.address", source.Host);
        try
        {
            DownloadResult result;
            // The whole download, resumes and redirects included, ends by DownloadOptions.Timeout.
            using var overall = new CancellationTokenSource(_options.Timeout);
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, overall.Token);
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.Asynchronous))
            {
                try
                {
                    result = await CopyAsync(source, file, credential, progress, refreshSource, bounded.Token).ConfigureAwait(false);
                    await file.FlushAsync(bounded.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (overall.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw new VideoDownloadException($"The download from {source.Host} did not complete within {_options.Timeout.TotalSeconds:0.#} s (DownloadOptions.Timeout); nothing was kept.");
                }
            }

            // The bytes the server announced all arrived, but a Content-Length shorter than the real body (a proxy, a
            // cache, a server that lies) still cuts the file: only a whole container becomes the result.
            if (_options.RequireVideo && CheckWhole(temp) is { } problem)
            {
                throw new VideoDownloadException($"The download from {source.Host} ({result.Bytes} bytes) is not a whole video: {problem}; nothing was kept.");
            }

            File.Move(temp, destination, overwrite: true);
            VideoGenTelemetry.DownloadedBytes.Add(result.Bytes);
            span?.SetTag("videogen.download.bytes", result.Bytes);
            return result with { Path = destination };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            VideoGenTelemetry.Fail(span, e, vendor: null);
            throw;
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>Downloads a finished job's result; an expired result URL is refreshed once by re-reading the job.</summary>
    /// <param name="generator">The generator of the job's vendor.</param>
    /// <param name="job">The succeeded job.</param>
    /// <param name="destinationPath">The file to write.</param>
    /// <param name="credential">The vendor's API and key, for results served by the vendor's API itself.</param>
    /// <param name="progress">Receives the bytes written so far.</param>
    /// <param name="cancellationToken">A token to cancel the download.</param>
    /// <returns>What was written.</returns>
    /// <exception cref="VideoDownloadException">The job has no result URL, or the download failed.</exception>
    public async Task<DownloadResult> DownloadJobAsync(IVideoGenerator generator, VideoJob job, string destinationPath, VendorCredential? credential = null, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(job);
        var source = job.ResultUri ?? throw new VideoDownloadException($"{job.Vendor} job {job.Id} has no result URL (status {job.Status}).") { JobId = job.Id };
        try
        {
            var result = await DownloadAsync(
                source,
                destinationPath,
                credential,
                progress,
                async ct => (await generator.GetJobAsync(job.Id, ct).ConfigureAwait(false)).ResultUri,
                cancellationToken).ConfigureAwait(false);

            // The file is whole on disk: a journal in the pipeline records the job finished (only now, never before).
            if (generator.GetService(typeof(Journal.IJobCompletionRecorder)) is Journal.IJobCompletionRecorder recorder)
            {
                await recorder.RecordDownloadedAsync(job).ConfigureAwait(false);
            }

            return result;
        }
        catch (VideoDownloadException e)
        {
            // The job is done and paid for: the message says how to fetch its video again.
            throw new VideoDownloadException($"{e.Message} {job.Vendor} job {job.Id} is finished; download it again with `videogen download {job.Id}`.", e) { JobId = job.Id };
        }
    }

    private static string? CheckWhole(string path)
    {
        using var written = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return MediaSignature.FindStructureProblem(written);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsClient)
        {
            _http.Dispose();
        }
    }

    private async Task<DownloadResult> CopyAsync(Uri source, FileStream file, VendorCredential? credential, IProgress<DownloadProgress>? progress, Func<CancellationToken, Task<Uri?>>? refreshSource, CancellationToken cancellationToken)
    {
        var buffer = new byte[_options.BufferSize];
        var head = new byte[MediaSignature.HeadLength];
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var current = source;
        var refreshed = false;
        var resumes = 0;
        long written = 0;
        EntityTagHeaderValue? etag = null;
        while (true)
        {
            try
            {
                var (response, finalUri) = await SendAsync(current, written, etag, credential, cancellationToken).ConfigureAwait(false);
                using (response)
                {
                    if (response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.Gone && refreshSource is not null && !refreshed)
                    {
                        refreshed = true;
                        current = await refreshSource(cancellationToken).ConfigureAwait(false)
                            ?? throw new VideoDownloadException($"The result URL on {current.Host} has expired (HTTP {(int)response.StatusCode}) and no fresh one is available.");
                        EnsureHttp(current);
                        continue;
                    }

                    if (IsTransient(response.StatusCode) && resumes < _options.MaxResumes)
                    {
                        // The storage host is briefly unwell (5xx, 408, 429): wait and ask again for the rest.
                        resumes++;
                        await Task.Delay(RetryDelay(response, resumes), _options.TimeProvider, cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    if (!response.IsSuccessStatusCode)
                    {
                        throw new VideoDownloadException($"{finalUri.Host} answered HTTP {(int)response.StatusCode} {Outside(response.ReasonPhrase, credential)} for the result URL{(resumes > 0 ? $" (after {resumes} retries)" : string.Empty)}.");
                    }

                    // Where the body's first byte belongs (RFC 9110 §14.4): a 206 may start before the offset asked
                    // for (an overlap to skip) or after it (a gap: start over), and a 200 is the whole file again.
                    var start = StartOf(response, written, etag);
                    if (start is null)
                    {
                        file.SetLength(0);
                        written = 0;
                        etag = null;
                        if (response.StatusCode == HttpStatusCode.PartialContent)
                        {
                            if (resumes++ >= _options.MaxResumes)
                            {
                                throw new VideoDownloadException($"{finalUri.Host} kept answering ranges that do not fit the file ({response.Content.Headers.ContentRange}).");
                            }

                            continue;
                        }
                    }

                    var skip = written - (start ?? 0);
                    var total = TotalLength(response);
                    var end = response.StatusCode == HttpStatusCode.PartialContent && response.Content.Headers.ContentRange?.To is { } to ? to + 1 : total;
                    if (total > _options.MaxBytes)
                    {
                        throw TooLarge(finalUri, total.Value);
                    }

                    etag = response.Headers.ETag;
                    var contentType = response.Content.Headers.ContentType?.MediaType;
                    if (_options.RequireVideo && MediaSignature.IsDocumentType(contentType))
                    {
                        throw NotAVideo(finalUri, contentType);
                    }

                    await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                    var window = System.Diagnostics.Stopwatch.StartNew();
                    long windowBytes = 0;
                    while (true)
                    {
                        idle.TryReset();
                        idle.CancelAfter(_options.IdleTimeout);
                        int read;
                        try
                        {
                            read = await body.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                        {
                            throw new VideoDownloadException($"{finalUri.Host} sent no data for {_options.IdleTimeout.TotalSeconds:0.#} s; the download was abandoned.");
                        }

                        if (read == 0)
                        {
                            break;
                        }

                        var offset = 0;
                        if (skip > 0)
                        {
                            // Bytes the file already holds (the server started before the offset asked for).
                            offset = (int)Math.Min(skip, read);
                            skip -= offset;
                            if (offset == read)
                            {
                                continue;
                            }
                        }

                        read -= offset;

                        if (written + read > _options.MaxBytes)
                        {
                            throw TooLarge(finalUri, written + read);
                        }

                        if (written < head.Length)
                        {
                            buffer.AsSpan(offset, (int)Math.Min(read, head.Length - written)).CopyTo(head.AsSpan((int)written));
                        }

                        await file.WriteAsync(buffer.AsMemory(offset, read), cancellationToken).ConfigureAwait(false);
                        written += read;

                        // Never idle yet never done (a byte now and then) is as stuck as idle: the average over each
                        // IdleTimeout window must reach MinBytesPerSecond.
                        windowBytes += read;
                        if (window.Elapsed >= _options.IdleTimeout)
                        {
                            if (windowBytes < _options.MinBytesPerSecond * window.Elapsed.TotalSeconds)
                            {
                                throw new VideoDownloadException(
                                    $"{finalUri.Host} sent {windowBytes} bytes in {window.Elapsed.TotalSeconds:0.#} s, below the {_options.MinBytesPerSecond} bytes/s minimum (DownloadOptions.MinBytesPerSecond); the download was abandoned.");
                            }

                            window.Restart();
                            windowBytes = 0;
                        }
                        progress?.Report(new DownloadProgress(written, total));
                    }

                    if ((end ?? total) is { } expected && written < expected)
                    {
                        throw new IOException($"The connection closed after {written} of {expected} bytes.");
                    }

                    if (total is { } length && written != length)
                    {
                        // The ranges put together do not make the file the server said it has: never keep such a file.
                        throw new VideoDownloadException($"The download from {finalUri.Host} has {written} bytes but the server said the file has {length}; nothing was kept.");
                    }

                    if (_options.RequireVideo && !MediaSignature.IsVideo(head.AsSpan(0, (int)Math.Min(written, head.Length))))
                    {
                        throw NotAVideo(finalUri, contentType);
                    }

                    return new DownloadResult(file.Name, written, contentType, finalUri, resumes);
                }
            }
            catch (HttpRequestException e) when (e.InnerException is PrivateNetworkBlockedException blocked)
            {
                throw new VideoDownloadException(blocked.Message, e);
            }
            catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested && resumes < _options.MaxResumes)
            {
                // A dropped connection: ask for the rest with a Range request.
                resumes++;
            }
            catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                throw new VideoDownloadException($"The download from {current.Host} failed after {resumes} resumes: {Outside(e.Message, credential)}", Excerpt.Shows(ChainText(e), credential?.ApiKey) ? null : e);
            }
        }
    }

    private async Task<(HttpResponseMessage Response, Uri FinalUri)> SendAsync(Uri uri, long offset, EntityTagHeaderValue? etag, VendorCredential? credential, CancellationToken cancellationToken)
    {
        for (var redirects = 0; ; redirects++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            if (offset > 0)
            {
                request.Headers.Range = new RangeHeaderValue(offset, null);
                if (etag is not null)
                {
                    request.Headers.IfRange = new RangeConditionHeaderValue(etag);
                }
            }

            // The key goes only to the vendor's own API origin, never to storage hosts or redirect targets elsewhere.
            if (credential is not null && credential.Covers(uri))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential.ApiKey);
            }

            var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if ((int)response.StatusCode is < 300 or >= 400 || response.Headers.Location is null)
            {
                return (response, uri);
            }

            var next = response.Headers.Location.IsAbsoluteUri ? response.Headers.Location : new Uri(uri, response.Headers.Location);
            response.Dispose();
            if (redirects >= _options.MaxRedirects)
            {
                throw new VideoDownloadException($"The result URL redirected more than {_options.MaxRedirects} times.");
            }

            CheckRedirect(uri, next);
            uri = next;
        }
    }

    /// <summary>Refuses redirects to other schemes and from https down to http.</summary>
    internal static void CheckRedirect(Uri from, Uri to)
    {
        EnsureHttp(to);
        if (from.Scheme == Uri.UriSchemeHttps && to.Scheme == Uri.UriSchemeHttp)
        {
            throw new VideoDownloadException($"Refused a redirect from https://{from.Host} to http://{to.Host}: it would send the download in clear text.");
        }
    }

    private static void EnsureHttp(Uri uri)
    {
        if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new VideoDownloadException($"Result URL scheme '{(uri.IsAbsoluteUri ? uri.Scheme : "relative")}' is not allowed; only http and https are.");
        }
    }

    /// <summary>
    /// The file offset of the body's first byte when it can be placed in the file written so far: 0 for a 200 on a
    /// first request, the <c>Content-Range</c> start of a 206 at or before <paramref name="written"/> (of the same
    /// entity tag, where one was given). <see langword="null"/> when the file must start over: a 200 after a cut,
    /// a range that starts past what is written, a 206 without a byte range, or another entity.
    /// </summary>
    private static long? StartOf(HttpResponseMessage response, long written, EntityTagHeaderValue? etag)
    {
        if (response.StatusCode != HttpStatusCode.PartialContent)
        {
            return written == 0 ? 0 : null;
        }

        var range = response.Content.Headers.ContentRange;
        if (range is not { HasRange: true, From: { } from } || !string.Equals(range.Unit, "bytes", StringComparison.OrdinalIgnoreCase) || from > written)
        {
            return null;
        }

        if (written > 0 && etag is not null && response.Headers.ETag is { } now && !string.Equals(now.Tag, etag.Tag, StringComparison.Ordinal))
        {
            return null;
        }

        return from;
    }

    /// <summary>The whole file's length, where the response says: the Content-Range total of a 206, the Content-Length of a 200.</summary>
    private static long? TotalLength(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.PartialContent
            ? response.Content.Headers.ContentRange?.Length
            : response.Content.Headers.ContentLength;

    private static VideoDownloadException NotAVideo(Uri uri, string? contentType) =>
        new($"{uri.Host} sent {(contentType is null ? "a body" : $"a {Excerpt.Of(contentType)} body")} that is not a video (no MP4 or WebM signature), " +
            "perhaps an error or sign-in page; nothing was kept (DownloadOptions.RequireVideo).");

    /// <summary>Text from the storage server or the transport (a reason phrase, an exception's words): bounded, and without the key in any form.</summary>
    private static string Outside(string? text, VendorCredential? credential) => Excerpt.Of(text, credential?.ApiKey) ?? string.Empty;

    private static string ChainText(Exception? e)
    {
        var text = new System.Text.StringBuilder();
        for (; e is not null; e = e.InnerException)
        {
            text.Append(e.Message).Append('\n');
        }

        return text.ToString();
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>The storage host's Retry-After (at most <see cref="MaxRetryDelay"/>), else 0.5 s doubled per retry up to that cap.</summary>
    private TimeSpan RetryDelay(HttpResponseMessage response, int retry)
    {
        var hint = VendorErrorMapper.RetryAfter(response.Headers, _options.TimeProvider);
        var backoff = TimeSpan.FromMilliseconds(500 * Math.Pow(2, Math.Min(retry - 1, 10)));
        var delay = hint ?? backoff;
        return delay > MaxRetryDelay ? MaxRetryDelay : delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
    }

    /// <summary>The longest wait before asking a storage host again: 30 seconds.</summary>
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    private VideoDownloadException TooLarge(Uri uri, long bytes) =>
        new($"The result on {uri.Host} is {bytes} bytes or more, over the {_options.MaxBytes}-byte cap (DownloadOptions.MaxBytes); nothing was kept.");
}
