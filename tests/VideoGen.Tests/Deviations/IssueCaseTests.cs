using VideoGen.Downloads;
using VideoGen.Tests.Infrastructure;
using VideoGen.Waiting;

namespace VideoGen.Tests.Deviations;

/// <summary>
/// The five cases of issue 11, each an HTTP exchange replayed by a loopback server through the real stack.
/// Each failed before the tolerant-reader changes (see the commit that adds them).
/// </summary>
public sealed class IssueCaseTests : IDisposable
{
    private const string A = "755f9bbb-d99b-4880-992b-f05244ddba61";
    private const string B = "0f3ea4aa-10e7-4dae-af0b-263ab4ac45f9";
    private readonly VirtualTimeProvider _clock = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("videogen-tolerant-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Case1_GetJobAsync_UnknownValueInAnInformationalEnum_ReadsTheFinishedJob()
    {
        await using var server = await LoopbackServer.StartAsync(ctx => Respond.Json(ctx, $$"""
            {"id":"{{A}}","state":"completed","generation_type":"add_audio","assets":{"video":"https://cdn.example/a.mp4"},"model":"ray-2"}
            """));
        var generator = LoopbackVendors.Create("aimlapi", server, _clock);

        var job = await generator.GetJobAsync(A);

        job.Id.ShouldBe(A);
        job.Status.ShouldBe(VideoJobStatus.Succeeded);
        job.ResultUri.ShouldBe(new Uri("https://cdn.example/a.mp4"));
        job.Model.ShouldBe("ray-2");
    }

    [Fact]
    public async Task Case2_SubmitAsync_Elumenta201InsteadOf200_KeepsTheJobId()
    {
        await using var server = await LoopbackServer.StartAsync(ctx => Respond.Json(ctx, """{"id":18502,"status":"pending"}""", status: 201));
        var generator = LoopbackVendors.Create("elumenta", server, _clock);

        var job = await generator.SubmitAsync("A red balloon");

        job.Id.ShouldBe("18502");
        job.Status.ShouldBe(VideoJobStatus.Queued);
        server.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Case3_WaitForCompletionAsync_Five502sWithHtmlWhileWaiting_RidesThemOut()
    {
        var reads = 0;
        await using var server = await LoopbackServer.StartAsync(ctx => Interlocked.Increment(ref reads) switch
        {
            1 => Respond.Json(ctx, """{"id":18500,"status":"pending"}"""),
            <= 6 => Respond.Html(ctx, 502),
            _ => Respond.Json(ctx, """{"id":18500,"status":"completed","result_url":"https://cdn.example/18500.mp4","tokens_spent":26}"""),
        });
        var generator = LoopbackVendors.Create("elumenta", server, _clock);

        var job = await generator.GetOperation("18500").WaitForCompletionAsync(new WaitOptions { TimeProvider = _clock, Timeout = TimeSpan.FromMinutes(15), Jitter = 0 });

        job.Status.ShouldBe(VideoJobStatus.Succeeded);
        job.ResultUri.ShouldBe(new Uri("https://cdn.example/18500.mp4"));
        reads.ShouldBe(7);
    }

    [Fact]
    public async Task Case4_VideoJobMonitor_BatchReadAnswers500Once_SurvivesAndFinishesEveryJob()
    {
        // Four answers of 500: the retry handler's three retries are spent, so the monitor sees the failure.
        var batches = 0;
        await using var server = await LoopbackServer.StartAsync(ctx => Interlocked.Increment(ref batches) <= 4
            ? Respond.Text(ctx, 500, """{"statusCode":500,"message":"Internal server error"}""", "application/json")
            : Respond.Json(ctx, $$"""
                {"generations":[{"id":"{{A}}","state":"completed","assets":{"video":"https://cdn.example/a.mp4"} },
                                {"id":"{{B}}","state":"failed","failure_reason":"nsfw"}]}
                """));
        var generator = LoopbackVendors.Create("aimlapi", server, _clock);
        var monitor = new VideoJobMonitor(generator, new JobMonitorOptions { TickInterval = TimeSpan.FromSeconds(1), Wait = new WaitOptions { TimeProvider = _clock, Jitter = 0 } });

        var jobs = await monitor.TrackAllAsync([Queued(A), Queued(B)]).WaitAsync(TimeSpan.FromSeconds(30));

        jobs.Select(j => j.Status).ShouldBe([VideoJobStatus.Succeeded, VideoJobStatus.Failed]);
        batches.ShouldBeGreaterThanOrEqualTo(5);
        await Should.NotThrowAsync(async () => await monitor.DisposeAsync());
    }

    [Fact]
    public async Task Case5_DownloadAsync_ResumeAnswered206StartingBeforeTheOffset_SkipsTheOverlap()
    {
        var file = Respond.File(27);
        var attempts = 0;
        await using var server = await LoopbackServer.StartAsync(ctx => Interlocked.Increment(ref attempts) == 1
            ? Respond.CutDownload(ctx, file, cutAfter: 10)
            : ctx.Request.Headers.Range.Count > 0 ? Respond.Range(ctx, file, from: 5, to: 26) : Respond.Whole(ctx, file));
        using var downloader = new VideoDownloader(new DownloadOptions { BlockPrivateNetworks = false, TimeProvider = _clock });
        var target = Path.Combine(_dir, "video.mp4");

        var result = await downloader.DownloadAsync(server.Url("video.mp4"), target);

        (await File.ReadAllBytesAsync(target)).ShouldBe(file);
        result.Bytes.ShouldBe(27);
        server.Requests.ToList()[1].Headers["Range"].ShouldBe("bytes=10-");
    }

    private static VideoJob Queued(string id) =>
        new() { Id = id, Vendor = "AIML API", Status = VideoJobStatus.Queued };
}
