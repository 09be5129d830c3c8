using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VideoGen.Downloads;
using VideoGen.Resilience;
using VideoGen.Tests.Infrastructure;
using VideoGen.Tests.Vendors.TestVendorWire;
using VideoGen.Waiting;

namespace VideoGen.Tests.Security;

/// <summary>
/// A sentinel API key goes through the library's whole flow — submit, poll, fail (401/402/403/429/500/503
/// bodies and headers that echo the key, a failed job whose reason quotes it, a 200 that puts it where a
/// number belongs, an undocumented status, a redirect), download — on real loopback servers with
/// Trace-level logging, HttpClientFactory logging and retries. The key must appear in no log record, no
/// exception (message, ToString, excerpt, code, request id, data, inner exceptions), no span, and in no
/// request to any host but the vendor API.
/// </summary>
public sealed class SecretHygieneTests : IAsyncLifetime
{
    private const string Sentinel = "sk-SENTINEL-7f3a9c-do-not-leak";
    private const string Prompt = "A red balloon drifting over a field of sunflowers at dawn, slow dolly-in";
    private static readonly byte[] Video = TestVideo.Mp4(64);

    private readonly RecordingLoggerProvider _logs = new();
    private readonly ConcurrentQueue<string> _storageBodies = new();
    private readonly ConcurrentQueue<Activity> _activities = new();
    private readonly ActivityListener _listener;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "videogen-hygiene-" + Guid.NewGuid().ToString("N"));
    private LoopbackServer _api = null!;
    private LoopbackServer _storage = null!;
    private EchoingVendorApi _vendor = null!;

    public SecretHygieneTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "VideoGen" or "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _activities.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public static TheoryData<string> Vendors => new(VendorDescriptors.All.Select(d => d.Id));

    public async Task InitializeAsync()
    {
        _storage = await LoopbackServer.StartAsync(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            _storageBodies.Enqueue(await reader.ReadToEndAsync());
            if (context.Request.Path.StartsWithSegments("/videos"))
            {
                context.Response.ContentType = "video/mp4";
                await context.Response.Body.WriteAsync(Video);
            }
            else
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                await context.Response.WriteAsync("""{"error": "not_found"}""");
            }
        });
        _vendor = new EchoingVendorApi(Sentinel, path => _storage.Url(path));
        _api = await LoopbackServer.StartAsync(context => _vendor.HandleAsync(context));
        _vendor.Self = _api.BaseUrl;
    }

    public async Task DisposeAsync()
    {
        _listener.Dispose();
        await _api.DisposeAsync();
        await _storage.DisposeAsync();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task WholeFlow_VendorEchoesTheKeyEverywhere_KeyReachesOnlyTheVendorApi(string vendorId)
    {
        var clock = new VirtualTimeProvider();
        using var provider = Services(vendorId, clock);
        var generator = provider.GetRequiredKeyedService<IVideoGenerator>(vendorId);
        var wire = VendorWires.Of(vendorId);
        var wait = new WaitOptions { TimeProvider = clock, Timeout = TimeSpan.FromHours(1) };
        var exceptions = new List<Exception>();
        var jobs = new List<VideoJob>();

        // Submit, poll to the end, download (through a redirect from the API host to storage for Elumenta,
        // NeuralBox and the gateway; straight from storage for AIML API and Oxen).
        var operation = await generator.StartGenerationAsync(new VideoGenerationRequest(Prompt));
        var job = await operation.WaitForCompletionAsync(wait);
        jobs.Add(job);
        using (var downloader = new VideoDownloader(new DownloadOptions { BlockPrivateNetworks = false }))
        {
            var download = await downloader.DownloadJobAsync(generator, job, Path.Combine(_directory, vendorId + ".mp4"), new VendorCredential(new Uri(_api.BaseUrl, vendorId + "/"), Sentinel));
            File.ReadAllBytes(download.Path).ShouldBe(Video);
            download.Source.Port.ShouldBe(_storage.BaseUrl.Port);
        }

        // Every error the vendor can answer, each body, code, request id and header echoing the key.
        _vendor.Mode = ApiMode.Error;
        foreach (var status in new[] { 401, 402, 403, 429, 500, 503 })
        {
            _vendor.ErrorStatus = status;
            exceptions.Add(await Should.ThrowAsync<VideoGenException>(() => generator.SubmitAsync(new VideoGenerationRequest(Prompt))));
            exceptions.Add(await Should.ThrowAsync<VideoGenException>(() => generator.GetJobAsync(job.Id)));
        }

        // A job that fails with the key in the vendor's reason.
        _vendor.Mode = ApiMode.FailedJob;
        var failed = await Should.ThrowAsync<JobFailedException>(() => generator.GetOperation(job.Id).WaitForCompletionAsync(wait));
        exceptions.Add(failed);
        jobs.Add(failed.Job);

        // A 200 whose typed field holds the key: JSON.NET quotes the value in its error.
        _vendor.Mode = ApiMode.KeyInTypedField;
        if (wire.StatusTypedFieldIsTolerant)
        {
            // Apiframe's typed field is a date, which the tolerant reader leaves empty (and logs, redacted).
            (await generator.GetJobAsync(job.Id)).CreatedAt.ShouldBeNull();
        }
        else
        {
            exceptions.Add(await Should.ThrowAsync<VideoGenException>(() => generator.GetJobAsync(job.Id)));
        }

        try
        {
            jobs.Add(await generator.SubmitAsync(new VideoGenerationRequest(Prompt)));
        }
        catch (VideoGenException e)
        {
            // Every contract but Apiframe's has a typed field in its submit answer.
            exceptions.Add(e);
        }

        // An undocumented status echoing the key, and a redirect off the API host.
        _vendor.Mode = ApiMode.Undocumented;
        exceptions.Add(await Should.ThrowAsync<VideoGenException>(() => generator.GetJobAsync(job.Id)));
        _vendor.Mode = ApiMode.RedirectToStorage;
        exceptions.Add(await Should.ThrowAsync<VideoGenException>(() => generator.SubmitAsync(new VideoGenerationRequest(Prompt))));
        exceptions.Add(await Should.ThrowAsync<VideoGenException>(() => generator.GetJobAsync(job.Id)));

        // The key was in use: the API got it on every request, and the echoes really carried it.
        var apiRequests = _api.Requests.ToList();
        apiRequests.ShouldNotBeEmpty();
        // Apiframe takes the key in X-API-Key (https://docs-v2.apiframe.ai/docs/getting-started/authentication), the others as a bearer token.
        if (wire.KeyHeader != "Authorization")
        {
            // API calls carry X-API-Key; a result file served by the API host itself is fetched by the downloader, which
            // authenticates to the vendor's own host as a bearer (Apiframe's real results are on cdn2.apiframe.ai, another host).
            apiRequests.Where(r => !r.PathAndQuery.Contains("/files/", StringComparison.Ordinal))
                .ShouldAllBe(r => r.Headers.GetValueOrDefault(wire.KeyHeader) == Sentinel && !r.Headers.ContainsKey("Authorization"));
        }
        else
        {
            apiRequests.ShouldAllBe(r => r.Headers.GetValueOrDefault("Authorization") == "Bearer " + Sentinel);
        }
        exceptions.Select(e => e.GetType()).ShouldContain(typeof(VideoGenAuthenticationException));
        exceptions.Select(e => e.GetType()).ShouldContain(typeof(InsufficientCreditsException));
        exceptions.Select(e => e.GetType()).ShouldContain(typeof(RateLimitedException));
        exceptions.Select(e => e.GetType()).ShouldContain(typeof(ServiceUnavailableException));
        exceptions.ShouldContain(e => e.Message.Contains("***", StringComparison.Ordinal), "the echoes reached the messages, redacted");

        // Storage: reached (downloads, the followed redirect), never with a credential or the key.
        var storageRequests = _storage.Requests.ToList();
        storageRequests.Count(r => r.PathAndQuery.StartsWith("/videos/", StringComparison.Ordinal)).ShouldBe(1);
        if (!VendorDescriptors.Get(vendorId).FollowsRedirects)
        {
            // The key travels in X-API-Key, which HttpClient would forward on a redirect: Apiframe's client follows none.
            storageRequests.ShouldNotContain(r => r.PathAndQuery.StartsWith("/bounce", StringComparison.Ordinal), "Apiframe's client must not follow a redirect");
        }
        else
        {
            storageRequests.ShouldContain(r => r.PathAndQuery.StartsWith("/bounce", StringComparison.Ordinal), "HttpClient followed the API's redirect to storage");
        }
        foreach (var request in storageRequests)
        {
            request.Headers.Keys.ShouldNotContain("Authorization", StringComparer.OrdinalIgnoreCase);
            request.PathAndQuery.ShouldNotContain(Sentinel);
            request.Headers.Values.ShouldAllBe(v => !v.Contains(Sentinel));
        }

        _storageBodies.ShouldAllBe(b => !b.Contains(Sentinel));

        // Logs at Trace (VideoGen's own and HttpClientFactory's, headers included), exceptions, jobs, spans.
        var records = _logs.Records.ToList();
        records.ShouldContain(r => r.Level == LogLevel.Trace && r.Message.Contains("Request Headers", StringComparison.Ordinal), "HttpClientFactory logged the request headers");
        records.ShouldContain(r => r.Category.StartsWith("VideoGen.", StringComparison.Ordinal) && r.Level == LogLevel.Information);
        records.ShouldContain(r => r.Category.StartsWith("VideoGen.", StringComparison.Ordinal) && r.Level == LogLevel.Error, "401 and 402 are logged as errors");
        records.ShouldContain(r => r.Category == "VideoGen.Resilience.ResilienceHandler", "the retries were logged");
        records.Where(r => r.AllText.Contains(Sentinel, StringComparison.Ordinal)).Select(r => $"{r.Level} {r.Category}: {r.AllText}").ShouldBeEmpty();
        records.Where(r => r.Level >= LogLevel.Information && r.AllText.Contains(Prompt[..20], StringComparison.Ordinal)).Select(r => $"{r.Level} {r.Category}: {r.Message}").ShouldBeEmpty("prompts are logged at Debug at most");

        exceptions.SelectMany(Chain).Where(text => text.Contains(Sentinel, StringComparison.Ordinal)).ShouldBeEmpty();
        jobs.Select(j => string.Join("|", j.Id, j.Model, j.VendorStatus, j.Error, j.ResultUri, string.Join(",", j.ResultUris))).ShouldAllBe(t => !t.Contains(Sentinel));

        var spans = _activities.ToList();
        spans.ShouldContain(a => a.OperationName == "videogen.submit");
        spans.SelectMany(a => a.TagObjects.Select(t => $"{t.Key}={t.Value}").Append(a.DisplayName).Append(a.StatusDescription ?? string.Empty))
            .ShouldAllBe(t => !t.Contains(Sentinel));
    }

    [Fact]
    public async Task DownloadAsync_HttpsRedirectsToHttp_IsRefusedBeforeTheHttpRequest()
    {
        var handler = new RedirectingHandler(new Uri("http://storage.test/video.mp4"));
        using var downloader = new VideoDownloader(new HttpClient(handler), new DownloadOptions { BlockPrivateNetworks = false });

        var e = await Should.ThrowAsync<VideoDownloadException>(() => downloader.DownloadAsync(
            new Uri("https://api.test/files/1.mp4"),
            Path.Combine(_directory, "refused.mp4"),
            new VendorCredential(new Uri("https://api.test/"), Sentinel)));

        e.Message.ShouldBe("Refused a redirect from https://api.test to http://storage.test: it would send the download in clear text.");
        handler.Requests.Select(r => r.RequestUri!.ToString()).ShouldBe(["https://api.test/files/1.mp4"]);
        handler.Requests[0].Headers.Authorization!.Parameter.ShouldBe(Sentinel);
        File.Exists(Path.Combine(_directory, "refused.mp4")).ShouldBeFalse();
    }

    [Theory]
    [InlineData("https://a.test/x.mp4", "http://a.test/x.mp4", true)]
    [InlineData("https://a.test/x.mp4", "http://b.test/x.mp4", true)]
    [InlineData("https://a.test/x.mp4", "ftp://b.test/x.mp4", true)]
    [InlineData("https://a.test/x.mp4", "https://b.test/x.mp4", false)]
    [InlineData("http://a.test/x.mp4", "https://b.test/x.mp4", false)]
    [InlineData("http://a.test/x.mp4", "http://b.test/x.mp4", false)]
    public void CheckRedirect_DowngradesAndOtherSchemes_AreRefused(string from, string to, bool refused)
    {
        var check = () => VideoDownloader.CheckRedirect(new Uri(from), new Uri(to));

        if (refused)
        {
            check.ShouldThrow<VideoDownloadException>();
        }
        else
        {
            check.ShouldNotThrow();
        }
    }

    private ServiceProvider Services(string vendorId, TimeProvider clock)
    {
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(_logs))
            .AddVideoGeneration(o =>
            {
                var vendor = o.GetVendor(vendorId);
                vendor.ApiKey = Sentinel;
                vendor.BaseUrl = new Uri(_api.BaseUrl, vendorId + "/");
            });
        var builder = services.AddVideoGenVendor(VideoGen.VendorDescriptors.Get(vendorId));

        // Retries (logged) for the reads that fail with 429, 500 and 503, on the virtual clock.
        builder.AddHttpMessageHandler(sp => new ResilienceHandler(new ResilienceOptions { TimeProvider = clock, UseJitter = false }, sp.GetRequiredService<ILoggerFactory>()));
        return services.BuildServiceProvider();
    }

    /// <summary>Every piece of text an exception chain carries.</summary>
    private static IEnumerable<string> Chain(Exception exception)
    {
        yield return exception.ToString();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            yield return e.Message;
            foreach (DictionaryEntry entry in e.Data)
            {
                yield return $"{entry.Key}={entry.Value}";
            }

            if (e is VideoGenException v)
            {
                yield return string.Join("|", v.ResponseExcerpt, v.ErrorCode, v.RequestId, v.JobId, v.Vendor);
            }

            if (e is JobFailedException f)
            {
                yield return string.Join("|", f.VendorReason, f.Job.Error, f.Job.VendorStatus);
            }
        }
    }

    private sealed class RedirectingHandler(Uri target) : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            var response = new HttpResponseMessage(HttpStatusCode.Found) { RequestMessage = request };
            response.Headers.Location = target;
            return Task.FromResult(response);
        }
    }
}
