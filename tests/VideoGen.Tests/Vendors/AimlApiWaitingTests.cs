using VideoGen.AimlApi;
using VideoGen.Waiting;

namespace VideoGen.Tests.Vendors;

/// <summary>AIML's wait-for-state GET (long poll) and batch GET, as the waiter and the monitor use them.</summary>
public sealed class AimlApiWaitingTests
{
    private const string A = "755f9bbb-d99b-4880-992b-f05244ddba61";
    private const string B = "0f3ea4aa-10e7-4dae-af0b-263ab4ac45f9";

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
