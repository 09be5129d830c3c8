using VideoGen.Tests.Infrastructure;
using VideoGen.Tests.Waiting;
using VideoGen.Waiting;
using VideoGen.Webhooks;

namespace VideoGen.Tests.Webhooks;

public sealed class WebhookJobUpdatesTests
{
    private readonly VirtualTimeProvider _clock = new();

    [Fact]
    public void Publish_ReplayedDeliveryId_IsDroppedAsDuplicate()
    {
        var hub = new WebhookJobUpdates();
        var job = new VideoJob { Id = "job-1", Vendor = "Gateway", Status = VideoJobStatus.Running };

        hub.Publish("evt_1", job).ShouldBeTrue();
        hub.Publish("evt_1", job with { Status = VideoJobStatus.Succeeded }).ShouldBeFalse();
        hub.Publish("evt_2", job).ShouldBeTrue();
    }

    [Fact]
    public void Publish_BeyondDeliveryMemory_ForgetsTheOldestId()
    {
        var hub = new WebhookJobUpdates(deliveryMemory: 2);
        var job = new VideoJob { Id = "job-1", Vendor = "Gateway", Status = VideoJobStatus.Running };
        hub.Publish("a", job);
        hub.Publish("b", job);
        hub.Publish("c", job);

        hub.Publish("a", job).ShouldBeTrue();
        hub.Publish("c", job).ShouldBeFalse();
    }

    [Fact]
    public async Task WaitForCompletionAsync_WebhooksDeliverTheResult_NoPollIsMade()
    {
        var generator = new ScriptedVideoGenerator(_clock, TimeSpan.FromHours(1));
        var hub = new WebhookJobUpdates();
        hub.Publish("evt_1", generator.Submitted with { Status = VideoJobStatus.Running, Progress = 0.5 });
        hub.Publish("evt_2", generator.Submitted with { Status = VideoJobStatus.Succeeded, ResultUri = new Uri("https://cdn.example/v.mp4") });
        var updates = new List<JobUpdate>();

        var job = await new VideoJobOperation(generator, generator.Submitted)
            .WaitForCompletionAsync(new WaitOptions { TimeProvider = _clock, Webhooks = hub }, new Progress(updates.Add));

        job.ResultUri.ShouldBe(new Uri("https://cdn.example/v.mp4"));
        updates.Select(u => u.Progress).ShouldBe([0.5, null]);
        generator.PollTimes.ShouldBeEmpty();
    }

    [Fact]
    public async Task WaitForCompletionAsync_NoWebhookWithinGracePeriod_PollingTakesOver()
    {
        var generator = new ScriptedVideoGenerator(_clock, TimeSpan.FromSeconds(80));
        var options = new WaitOptions { TimeProvider = _clock, Jitter = 0, Webhooks = new WebhookJobUpdates(), WebhookGracePeriod = TimeSpan.FromSeconds(60) };

        var job = await new VideoJobOperation(generator, generator.Submitted).WaitForCompletionAsync(options);

        job.Status.ShouldBe(VideoJobStatus.Succeeded);
        generator.PollTimes[0].ShouldBe(TimeSpan.FromSeconds(60), "the first poll comes when the grace period ends (kling-v2.1 could have finished at 45 s)");
    }

    private sealed class Progress(Action<JobUpdate> report) : IProgress<JobUpdate>
    {
        public void Report(JobUpdate value) => report(value);
    }
}
