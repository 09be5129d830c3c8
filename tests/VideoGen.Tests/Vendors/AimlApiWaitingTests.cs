using VideoGen.AimlApi;
using VideoGen.Testing;
using VideoGen.Waiting;

namespace VideoGen.Tests.Vendors;

/// <summary>AIML's wait-for-state GET (long poll) and batch GET, as the waiter and the monitor use them.</summary>
public sealed class AimlApiWaitingTests
{
    private const string A = "755f9bbb-d99b-4880-992b-f05244ddba61";
    private const string B = "0f3ea4aa-10e7-4dae-af0b-263ab4ac45f9";

    /// <summary>A job id of the video route (https://docs.aimlapi.com/api-references/video-models/luma-ai/luma-ray-2 § Full Example).</summary>
    private const string VideoRouteJob = "7c880e75-9892-4238-8464-49cb0c6deabd:luma/ray-2";

    [Fact]
    public async Task WaitForCompletionAsync_VideoRouteJob_PolledOnTheNormalScheduleOnTheWaitsClock()
    {
        var clock = new VirtualTimeProvider();
        var (handler, polls) = VideoRoute(clock, finishesAfter: TimeSpan.FromSeconds(50));
        var options = new WaitOptions { TimeProvider = clock, Jitter = 0 };
        var window = PollSchedule.WindowFor("aimlapi", "luma/ray-2");

        // A hang guard only: the fake clock moves every wait; a real-time hold of the read (the old 10 s sleep) trips it.
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(8));
        var job = await new VideoJobOperation(TestClients.AimlApi(handler).AsVideoGenerator(), Submitted(clock))
            .WaitForCompletionAsync(options, cancellationToken: guard.Token);

        job.Status.ShouldBe(VideoJobStatus.Succeeded);
        polls[0].ShouldBe(window.Min, "the first read comes at the earliest plausible finish, as for any polled job");
        polls.Zip(polls.Skip(1), (a, b) => b - a).ShouldAllBe(gap => gap == options.PollInterval);
        polls.Count.ShouldBe(1 + (int)Math.Ceiling((TimeSpan.FromSeconds(50) - window.Min) / options.PollInterval));
        handler.Requests.ShouldAllBe(r => r.Uri.AbsolutePath == "/v2/video/generations" && !r.Uri.Query.Contains("state="));
    }

    [Fact]
    public async Task WaitForCompletionAsync_VideoRouteJobPastTheDeadline_TimesOutAtTheWaitsDeadline()
    {
        var clock = new VirtualTimeProvider();
        var (handler, polls) = VideoRoute(clock, finishesAfter: TimeSpan.FromHours(1));
        var options = new WaitOptions { TimeProvider = clock, Jitter = 0, Timeout = TimeSpan.FromSeconds(45) };

        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(8));
        var error = await Should.ThrowAsync<JobTimeoutException>(() =>
            new VideoJobOperation(TestClients.AimlApi(handler).AsVideoGenerator(), Submitted(clock)).WaitForCompletionAsync(options, cancellationToken: guard.Token));

        error.JobId.ShouldBe(VideoRouteJob);
        error.Waited.ShouldBe(options.Timeout);
        polls[^1].ShouldBe(options.Timeout, "the last read is at the deadline, not past it");
        polls.ShouldAllBe(t => t <= options.Timeout);
    }

    [Fact]
    public void CanWaitOnServer_AimlRoutes_OnlyTheSeedsRouteWaitsOnTheServer()
    {
        var reader = (ILongPollingJobReader)TestClients.AimlApi(new StubHttpHandler()).AsVideoGenerator().GetService(typeof(ILongPollingJobReader))!;

        reader.CanWaitOnServer(A).ShouldBeTrue();
        reader.CanWaitOnServer(VideoRouteJob).ShouldBeFalse();
    }

    [Fact]
    public void CanWaitOnServer_ThroughTheJournalsReader_IsTheAdaptersAnswer()
    {
        var path = Path.Combine(Path.GetTempPath(), "videogen-" + Guid.NewGuid().ToString("N") + ".db");
        try
        {
            var generator = new VideoGen.Journal.JournalingVideoGenerator(
                TestClients.AimlApi(new StubHttpHandler()).AsVideoGenerator(), new VideoGen.Journal.SqliteJobJournal(path), VendorIds.AimlApi);

            // The journal wraps the adapter's reader to record what it reads; it must not turn a "no" into the default "yes".
            var reader = (ILongPollingJobReader)generator.GetService(typeof(ILongPollingJobReader))!;

            reader.CanWaitOnServer(VideoRouteJob).ShouldBeFalse();
            reader.CanWaitOnServer(A).ShouldBeTrue();
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }

    private static VideoJob Submitted(TimeProvider clock) =>
        new() { Id = VideoRouteJob, Vendor = "AIML API", Model = "luma/ray-2", Status = VideoJobStatus.Queued, CreatedAt = clock.GetUtcNow() };

    /// <summary>The video route's GET: <c>generating</c> until <paramref name="finishesAfter"/> on <paramref name="clock"/>, then <c>completed</c>.</summary>
    private static (StubHttpHandler Handler, List<TimeSpan> Polls) VideoRoute(TimeProvider clock, TimeSpan finishesAfter)
    {
        var start = clock.GetUtcNow();
        var polls = new List<TimeSpan>();
        var handler = new StubHttpHandler().On(HttpMethod.Get, "/v2/video/generations", _ =>
        {
            var at = clock.GetUtcNow() - start;
            polls.Add(at);
            return at >= finishesAfter
                ? StubHttpHandler.Json($$$"""{"id": "{{{VideoRouteJob}}}", "status": "completed", "video": {"url": "https://cdn.example/r.mp4"} }""")
                : StubHttpHandler.Json($$"""{"id": "{{VideoRouteJob}}", "status": "generating"}""");
        });
        return (handler, polls);
    }

    [Fact]
    public async Task WaitForCompletionAsync_AimlJob_LongPollsForTheCompletedState()
    {
        var reads = 0;
        var handler = new StubHttpHandler().On(HttpMethod.Get, "/v2/generate/video/luma-ai/generation", _ =>
        {
            var state = ++reads < 2 ? "dreaming" : "completed";
            return StubHttpHandler.Json($$$"""{"id": "{{{A}}}", "state": "{{{state}}}", "assets": {"video": "https://cdn.example/a.mp4"}}""");
        });
        var generator = TestClients.AimlApi(handler).AsVideoGenerator();

        var job = await generator.GetOperation(A).WaitForCompletionAsync(new WaitOptions { PollInterval = TimeSpan.FromMilliseconds(1) });

        job.ResultUri.ShouldBe(new Uri("https://cdn.example/a.mp4"));
        handler.Requests.Count.ShouldBe(2);
        handler.Requests.ShouldAllBe(r => r.Uri.Query.Contains("state=completed") && r.Uri.Query.Contains("generation_id=" + A));
    }

    [Fact]
    public async Task VideoJobMonitor_SeveralAimlJobs_ReadsThemInOneBatchRequest()
    {
        var handler = new StubHttpHandler().OnJson(HttpMethod.Get, "/v2/generate/video/luma-ai/generations", $$$"""
            {"generations": [{"id": "{{{A}}}", "state": "completed", "assets": {"video": "https://cdn.example/a.mp4"} }, {"id": "{{{B}}}", "state": "failed", "failure_reason": "nsfw"}]}
            """);
        var generator = TestClients.AimlApi(handler).AsVideoGenerator();
        await using var monitor = new VideoJobMonitor(generator, new JobMonitorOptions { TickInterval = TimeSpan.FromMilliseconds(5), Wait = new WaitOptions { Jitter = 0 } });

        var jobs = await monitor.TrackAllAsync(
        [
            new VideoJob { Id = A, Vendor = "AIML API", Status = VideoJobStatus.Queued, CreatedAt = DateTimeOffset.UtcNow.AddHours(-1) },
            new VideoJob { Id = B, Vendor = "AIML API", Status = VideoJobStatus.Queued, CreatedAt = DateTimeOffset.UtcNow.AddHours(-1) },
        ]);

        jobs.Select(j => j.Status).ShouldBe([VideoJobStatus.Succeeded, VideoJobStatus.Failed]);
        handler.Requests.Count.ShouldBe(1);
        var request = handler.Requests[0];
        request.Uri.Query.ShouldContain("generation_ids=" + A);
        request.Uri.Query.ShouldContain("generation_ids=" + B);
    }
}
