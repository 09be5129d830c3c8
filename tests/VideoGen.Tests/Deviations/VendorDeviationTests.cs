using Microsoft.AspNetCore.Http;
using VideoGen.Downloads;
using VideoGen.Tests.Infrastructure;
using VideoGen.Tests.Vendors.TestVendorWire;
using VideoGen.Waiting;

namespace VideoGen.Tests.Deviations;

/// <summary>
/// The vendor-deviation suite (issue 11): for each vendor, its documented job response mutated in the ways vendors
/// really deviate, served by a loopback server to the real stack (generated client, retry handler, adapter, waiter,
/// downloader). Each ends in the right job or a typed error carrying the job id: never a hang, a lost id or a wrong file.
/// </summary>
public sealed class VendorDeviationTests : IDisposable
{
    private readonly VirtualTimeProvider _clock = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("videogen-deviation-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string, string> Mutations
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var vendor in Vendor.All)
            {
                foreach (var mutation in new[] { "documented", "added-fields", "unknown-enum", "unix-seconds", "unix-millis-string", "no-zone", "nanoseconds", "garbage-date", "nulls", "other-2xx", "id-other-type", "error-object" })
                {
                    data.Add(vendor, mutation);
                }
            }

            return data;
        }
    }

    public static TheoryData<string> Vendors => new(Vendor.All);

    [Theory]
    [MemberData(nameof(Mutations))]
    public async Task GetJobAsync_MutatedCompletedJob_IsReadWithIdStatusAndResult(string vendorId, string mutation)
    {
        var vendor = Vendor.Of(vendorId);
        var (status, body) = vendor.Completed(mutation, "https://cdn.example/v.mp4");
        await using var server = await LoopbackServer.StartAsync(ctx => Respond.Json(ctx, body, status));
        var generator = LoopbackVendors.Create(vendorId, server, _clock);

        var job = await generator.GetJobAsync(vendor.Id);

        job.Id.ShouldBe(vendor.Id);
        job.Status.ShouldBe(VideoJobStatus.Succeeded, body);
        job.ResultUri.ShouldBe(new Uri("https://cdn.example/v.mp4"));
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task GetJobAsync_UnknownStatusWithAnError_IsFailedInTheVendorsWords(string vendorId)
    {
        var vendor = Vendor.Of(vendorId);
        await using var server = await LoopbackServer.StartAsync(ctx => Respond.Json(ctx, vendor.UnknownStatusWithError("moderated", "Blocked by the safety filter")));
        var generator = LoopbackVendors.Create(vendorId, server, _clock);

        var job = await generator.GetJobAsync(vendor.Id);

        job.Id.ShouldBe(vendor.Id);
        job.Status.ShouldBe(VideoJobStatus.Failed);
        job.Error.ShouldNotBeNull().ShouldContain("Blocked by the safety filter");
        job.Error.ShouldContain("moderated");
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task WaitForCompletionAsync_BurstOf5xxAndResets_RidesItOutToTheJob(string vendorId)
    {
        var vendor = Vendor.Of(vendorId);
        var reads = 0;
        await using var server = await LoopbackServer.StartAsync(ctx =>
        {
            var n = Interlocked.Increment(ref reads);
            if (n == 3)
            {
                ctx.Abort();
                return Task.CompletedTask;
            }

            return n switch
            {
                <= 8 => Respond.Text(ctx, n % 2 == 0 ? 502 : 503, "<html>upstream</html>", "text/html"),
                9 => Respond.Text(ctx, 504, "", "text/plain"),
                _ => Respond.Json(ctx, vendor.Completed("documented", "https://cdn.example/v.mp4").Body),
            };
        });
        var generator = LoopbackVendors.Create(vendorId, server, _clock);

        var job = await generator.GetOperation(vendor.Id).WaitForCompletionAsync(new WaitOptions { TimeProvider = _clock, Jitter = 0, UseLongPoll = false });

        job.Status.ShouldBe(VideoJobStatus.Succeeded);
        job.Id.ShouldBe(vendor.Id);
        reads.ShouldBe(10);
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task WaitForCompletionAsync_5xxUntilTheDeadline_TimesOutWithTheJobId(string vendorId)
    {
        var vendor = Vendor.Of(vendorId);
        await using var server = await LoopbackServer.StartAsync(ctx => Respond.Text(ctx, 500, "oops"));
        var generator = LoopbackVendors.Create(vendorId, server, _clock);

        var error = await Should.ThrowAsync<JobTimeoutException>(() => generator.GetOperation(vendor.Id)
            .WaitForCompletionAsync(new WaitOptions { TimeProvider = _clock, Jitter = 0, UseLongPoll = false, Timeout = TimeSpan.FromMinutes(3) }));

        error.JobId.ShouldBe(vendor.Id);
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task WaitForCompletionAsync_CompletedWithoutResultUrl_RereadsThenFailsWithTheJobId(string vendorId)
    {
        var vendor = Vendor.Of(vendorId);
        var reads = 0;
        await using var server = await LoopbackServer.StartAsync(ctx =>
        {
            Interlocked.Increment(ref reads);
            return Respond.Json(ctx, vendor.Completed("documented", resultUrl: null).Body);
        });
        var generator = LoopbackVendors.Create(vendorId, server, _clock);

        var error = await Should.ThrowAsync<VideoGenException>(() => generator.GetOperation(vendor.Id)
            .WaitForCompletionAsync(new WaitOptions { TimeProvider = _clock, Jitter = 0, UseLongPoll = false }));

        error.JobId.ShouldBe(vendor.Id);
        error.Message.ShouldContain("no result URL");
        reads.ShouldBe(4);
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task WaitForCompletionAsync_CompletedBeforeTheUrlIsWritten_ReadsItOnTheNextRead(string vendorId)
    {
        var vendor = Vendor.Of(vendorId);
        var reads = 0;
        await using var server = await LoopbackServer.StartAsync(ctx => Respond.Json(ctx, vendor.Completed("documented", Interlocked.Increment(ref reads) < 3 ? null : "https://cdn.example/v.mp4").Body));
        var generator = LoopbackVendors.Create(vendorId, server, _clock);

        var job = await generator.GetOperation(vendor.Id).WaitForCompletionAsync(new WaitOptions { TimeProvider = _clock, Jitter = 0, UseLongPoll = false });

        job.ResultUri.ShouldBe(new Uri("https://cdn.example/v.mp4"));
    }

    [Theory]
    [InlineData("overlap", 5L, 26L, "27")]
    [InlineData("exact", 10L, 26L, "27")]
    [InlineData("later", 15L, 26L, "27")]
    [InlineData("unknown-total", 10L, 26L, "*")]
    [InlineData("other-etag", 10L, 26L, "27")]
    public async Task DownloadJobAsync_CutThenOddContentRange_WritesExactlyTheFile(string kind, long from, long to, string total)
    {
        var file = Respond.File(27);
        var attempts = 0;
        await using var server = await LoopbackServer.StartAsync(ctx =>
        {
            var n = Interlocked.Increment(ref attempts);
            if (n == 1)
            {
                return Respond.CutDownload(ctx, file, cutAfter: 10);
            }

            if (n == 2)
            {
                return Respond.Text(ctx, 503, "busy");
            }

            return ctx.Request.Headers.Range.Count > 0
                ? Respond.Range(ctx, file, from, to, total, etag: kind == "other-etag" ? "\"v2\"" : "\"v1\"")
                : Respond.Whole(ctx, file, kind == "other-etag" ? "\"v2\"" : "\"v1\"");
        });
        using var downloader = new VideoDownloader(new DownloadOptions { BlockPrivateNetworks = false, TimeProvider = _clock });
        var job = new VideoJob { Id = "18500", Vendor = "Elumenta", Status = VideoJobStatus.Succeeded, ResultUri = server.Url("v.mp4") };
        var generator = LoopbackVendors.Create("elumenta", server, _clock);

        var result = await downloader.DownloadJobAsync(generator, job, Path.Combine(_dir, kind + ".mp4"));

        (await File.ReadAllBytesAsync(result.Path)).ShouldBe(file);
    }

    [Fact]
    public async Task DownloadJobAsync_StorageKeepsFailing_SaysHowToResumeAndKeepsTheJobId()
    {
        await using var server = await LoopbackServer.StartAsync(ctx => Respond.Text(ctx, 503, "down"));
        using var downloader = new VideoDownloader(new DownloadOptions { BlockPrivateNetworks = false, TimeProvider = _clock });
        var job = new VideoJob { Id = "18500", Vendor = "Elumenta", Status = VideoJobStatus.Succeeded, ResultUri = server.Url("v.mp4") };
        var generator = LoopbackVendors.Create("elumenta", server, _clock);
        var target = Path.Combine(_dir, "never.mp4");

        var error = await Should.ThrowAsync<VideoDownloadException>(() => downloader.DownloadJobAsync(generator, job, target));

        error.JobId.ShouldBe("18500");
        error.Message.ShouldContain("videogen download 18500");
        File.Exists(target).ShouldBeFalse();
        server.Requests.Count.ShouldBe(DownloadOptions.DefaultMaxResumes + 1);
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task SubmitAsync_429ThenAccepted_SendsTheSameRequestOnceMore(string vendorId)
    {
        var vendor = Vendor.Of(vendorId);
        var bodies = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var server = await LoopbackVendors.ThrottledOnceAsync(vendor.Accepted, bodies);
        var generator = LoopbackVendors.Create(vendorId, server, _clock);

        var job = await generator.SubmitAsync(new VideoGenerationRequest("A red balloon"));

        job.Id.ShouldBe(vendor.Id);
        bodies.Count.ShouldBe(2);
        bodies.Distinct().Count().ShouldBe(1);
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task SubmitAsync_502OnCreate_IsNeverResent(string vendorId)
    {
        await using var server = await LoopbackServer.StartAsync(ctx => Respond.Html(ctx, 502));
        var generator = LoopbackVendors.Create(vendorId, server, _clock);

        await Should.ThrowAsync<VideoGenException>(() => generator.SubmitAsync(new VideoGenerationRequest("A red balloon")));

        server.Requests.Count(r => r.Method == "POST").ShouldBe(1);
    }

    [Theory]
    [InlineData("Location", "/api/v2/generate/18503")]
    [InlineData("X-Job-Id", "18503")]
    public async Task SubmitAsync_202WithAnEmptyBodyAndTheIdInAHeader_KeepsTheId(string header, string value)
    {
        await using var server = await LoopbackServer.StartAsync(ctx => Respond.Empty(ctx, 202, (header, value)));
        var generator = LoopbackVendors.Create("elumenta", server, _clock);

        var job = await generator.SubmitAsync(new VideoGenerationRequest("A red balloon"));

        job.Id.ShouldBe("18503");
        job.Status.ShouldBe(VideoJobStatus.Queued);
    }

    /// <summary>Each vendor contract's documented job, and its deviations (the bodies are its <see cref="VendorWire"/>).</summary>
    internal sealed record Vendor(string Name, string Id)
    {
        /// <summary>One vendor per contract (NeuralBox answers as Elumenta does).</summary>
        public static readonly string[] All = [.. VendorWires.OnePerContract];

        private VendorWire Wire => VendorWires.Of(Name);

        public static Vendor Of(string name) => new(name, VendorWires.Of(name).JobId);

        public (int Status, string Body) Accepted => (Wire.AcceptedStatus, Wire.AcceptedBody);

        public string UnknownStatusWithError(string status, string words) => Wire.UnknownStatusWithError(status, words);

        /// <summary>The documented completed job (as in the specs' examples), mutated.</summary>
        public (int Status, string Body) Completed(string mutation, string? resultUrl)
        {
            var url = resultUrl is null ? "null" : $"\"{resultUrl}\"";
            var date = mutation switch
            {
                "unix-seconds" => "1772971500",
                "unix-millis-string" => "\"1772971500000\"",
                "no-zone" => "\"2026-03-08T12:05:00\"",
                "nanoseconds" => "\"2026-03-08T12:05:00.123456789Z\"",
                "garbage-date" => "\"yesterday-ish\"",
                "nulls" => "null",
                _ => "\"2026-03-08T12:05:00Z\"",
            };
            var extra = mutation == "added-fields" ? ",\"new_field\":{\"nested\":[1,2,3]},\"trace\":\"abc\"" : string.Empty;
            var error = mutation == "error-object" ? ",\"error\":{\"code\":\"none\",\"message\":\"no error\"}" : mutation == "nulls" ? ",\"error\":null" : string.Empty;
            return (mutation == "other-2xx" ? 203 : 200, Wire.CompletedBody(mutation, url, date, error, extra));
        }
    }
}
