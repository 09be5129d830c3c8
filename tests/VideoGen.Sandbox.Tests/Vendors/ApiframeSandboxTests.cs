using Newtonsoft.Json.Linq;
using VideoGen.Sandbox.Tests.Infrastructure;

namespace VideoGen.Sandbox.Tests.Vendors;

public sealed class ApiframeSandboxTests
{
    [Fact]
    public async Task Create_ValidRequest_Answers202QueuedWithJobId()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var reply = await sandbox.PostAsync("/v2/videos/generate", new { prompt = "A fox in the snow", model = "kling-2.1" });

        reply.Code.ShouldBe(202, reply.Text);
        Guid.TryParse((string?)reply.Object["jobId"], out _).ShouldBeTrue();
        ((string?)reply.Object["status"]).ShouldBe("QUEUED");
    }

    [Fact]
    public async Task GetJob_AsTheClockMoves_GoesQueuedProcessingCompletedWithProgressAndVideoUrls()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var id = (string)(await sandbox.PostAsync("/v2/videos/generate", new { prompt = "A fox", model = "midjourney-video" })).Object["jobId"]!;

        var queued = (await sandbox.GetAsync($"/v2/jobs/{id}")).Object;
        ((string?)queued["status"]).ShouldBe("QUEUED");
        ((double)queued["progress"]!).ShouldBe(0);
        queued["result"]!.Type.ShouldBe(JTokenType.Null);
        queued["completedAt"]!.Type.ShouldBe(JTokenType.Null);

        var job = sandbox.Job("gateway", id);
        sandbox.FakeClock.AdvanceTo(job.StartsAt + ((job.FinishesAt - job.StartsAt) / 2));
        var processing = (await sandbox.GetAsync($"/v2/jobs/{id}")).Object;
        ((string?)processing["status"]).ShouldBe("PROCESSING");
        ((double)processing["progress"]!).ShouldBe(50, 0.2);

        sandbox.AdvanceToEnd("gateway", id);
        var completed = (await sandbox.GetAsync($"/v2/jobs/{id}")).Object;
        ((string?)completed["status"]).ShouldBe("COMPLETED");
        ((double)completed["progress"]!).ShouldBe(100);
        ((string?)completed["model"]).ShouldBe("midjourney-video");
        completed["result"]!["videoUrls"]!.Select(u => (string)u!).ShouldBe(
            Enumerable.Range(1, 4).Select(n => $"{sandbox.Url}/media/gateway/{id}/{n}.mp4"),
            "Midjourney Video returns 4 videos per request");
        completed["error"]!.Type.ShouldBe(JTokenType.Null);
        ((string?)completed["completedAt"]).ShouldNotBeNull();
    }

    [Fact]
    public async Task GetJob_JobAskedToFail_AnswersFailedWithError()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var id = (string)(await sandbox.PostAsync("/v2/videos/generate", new { prompt = "x " + SandboxOptions.FailurePromptMarker, model = "veo-3" })).Object["jobId"]!;

        sandbox.AdvanceToEnd("gateway", id);
        var failed = (await sandbox.GetAsync($"/v2/jobs/{id}")).Object;

        ((string?)failed["status"]).ShouldBe("FAILED");
        ((string)failed["error"]!).ShouldContain("asked the sandbox to fail");
        failed["result"]!.Type.ShouldBe(JTokenType.Null);
    }

    [Theory]
    [InlineData("""{"model":"kling-2.1"}""", "prompt is required")]
    [InlineData("""{"model":"kling-2.1","prompt":""}""", "prompt has 0 characters; allowed: 1–4,000")]
    [InlineData("""{"prompt":"p","model":"kling-v2.1"}""", "model 'kling-v2.1' is not available; allowed: grok-imagine-video")]
    [InlineData("""{"prompt":"p"}""", "model (missing) is not available")]
    [InlineData("""{"prompt":"p","model":"kling-2.1","webhookUrl":"not a url"}""", "webhookUrl 'not a url' is not an absolute http(s) URL")]
    [InlineData("""{"prompt":"p","model":"kling-2.1","webhookEvents":["done"]}""", "webhookEvents [\"done\"] is not allowed; send an array of: progress, completed, failed")]
    [InlineData("""{"prompt":"p","model":"kling-2.1","parameters":[1]}""", "parameters [1] is not allowed")]
    [InlineData("""{"prompt":"p","model":"wan-2.6","parameters":{"duration":20}}""", "parameters.duration 20 is not allowed for wan-2.6; use whole seconds from 1 to 15")]
    public async Task Create_InvalidRequest_Answers400ValidationError(string body, string message)
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var reply = await sandbox.PostAsync("/v2/videos/generate", body);

        reply.Code.ShouldBe(400, reply.Text);
        ((string?)reply.Object["error"]).ShouldBe("Validation error");
        ((string)reply.Object["message"]!).ShouldContain(message);
    }

    [Fact]
    public async Task Create_PromptOf4000CharactersAccepted_4001Refused()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        (await sandbox.PostAsync("/v2/videos/generate", new { prompt = new string('a', 4000), model = "veo-3" })).Code.ShouldBe(202);
        var refused = await sandbox.PostAsync("/v2/videos/generate", new { prompt = new string('a', 4001), model = "veo-3" });

        refused.Code.ShouldBe(400);
        ((string)refused.Object["message"]!).ShouldContain("prompt has 4,001 characters; allowed: 1–4,000");
    }

    [Fact]
    public async Task Requests_WithoutKey_Answer401AndUnknownJob404()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var unauthorized = await sandbox.PostAsync("/v2/videos/generate", new { prompt = "p", model = "veo-3" }, key: null);
        var missing = await sandbox.GetAsync("/v2/jobs/does-not-exist");

        unauthorized.Code.ShouldBe(401);
        ((string?)unauthorized.Object["error"]).ShouldBe("Unauthorized");
        missing.Code.ShouldBe(404);
        ((string)missing.Object["message"]!).ShouldContain("does-not-exist");
    }

    [Fact]
    public async Task Create_EmptyBalance_Answers402InsufficientCredits()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        sandbox.Server.Ledger.SetBalance("gateway", SandboxHarness.Key, 0);

        var reply = await sandbox.PostAsync("/v2/videos/generate", new { prompt = "p", model = "veo-3" });

        reply.Code.ShouldBe(402);
        ((string?)reply.Object["error"]).ShouldBe("Insufficient credits");
        sandbox.Server.Counters.JobsCreated("gateway").ShouldBe(0);
    }

    [Fact]
    public async Task Webhooks_SubscribedEvents_ArePostedToTheReceiverInOrder()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sandbox = await SandboxHarness.StartAsync(o => o.TimeScale = 0.001, fakeClock: false);

        var id = (string)(await sandbox.PostAsync("/v2/videos/generate", new
        {
            prompt = "A fox",
            model = "kling-2.1",
            webhookUrl = receiver.Url,
            webhookEvents = new[] { "progress", "completed" },
        })).Object["jobId"]!;

        var events = new List<JObject>();
        for (var i = 0; i < 5; i++)
        {
            events.Add(await receiver.NextAsync());
        }

        events.Select(e => (string?)e["event"]).ShouldBe(["progress", "progress", "progress", "progress", "completed"]);
        events.ShouldAllBe(e => (string?)e["jobId"] == id);
        events.Take(4).Select(e => (double)e["progress"]!).ShouldBe([0, 25, 50, 75]);
        events.Take(4).ShouldAllBe(e => (string?)e["status"] == "PROCESSING");
        ((string?)events[4]["status"]).ShouldBe("COMPLETED");
        ((string?)events[4]["result"]!["videoUrls"]![0]).ShouldBe($"{sandbox.Url}/media/gateway/{id}/1.mp4");
        (await receiver.TryNextAsync(TimeSpan.FromMilliseconds(300))).ShouldBeNull("nothing follows the completed event");
        sandbox.Server.Counters.WebhooksDelivered.ShouldBe(5);
    }

    [Fact]
    public async Task Webhooks_OnlyFailedSubscribed_SendsOneFailedEvent()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sandbox = await SandboxHarness.StartAsync(o => o.TimeScale = 0.001, fakeClock: false);

        var id = (string)(await sandbox.PostAsync("/v2/videos/generate", new
        {
            prompt = "A fox " + SandboxOptions.FailurePromptMarker,
            model = "kling-2.1",
            webhookUrl = receiver.Url,
            webhookEvents = new[] { "failed" },
        })).Object["jobId"]!;

        var failed = await receiver.NextAsync();
        ((string?)failed["event"]).ShouldBe("failed");
        ((string?)failed["status"]).ShouldBe("FAILED");
        ((string?)failed["jobId"]).ShouldBe(id);
        ((string)failed["error"]!).ShouldContain("asked the sandbox to fail");
        (await receiver.TryNextAsync(TimeSpan.FromMilliseconds(300))).ShouldBeNull();
        receiver.All.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Webhooks_ReceiverFailsFirstAttempt_DeliveryIsRetried()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 1);
        await using var sandbox = await SandboxHarness.StartAsync(o => o.TimeScale = 0.001, fakeClock: false);

        await sandbox.PostAsync("/v2/videos/generate", new { prompt = "A fox", model = "kling-2.1", webhookUrl = receiver.Url, webhookEvents = new[] { "completed" } });

        var completed = await receiver.NextAsync();
        ((string?)completed["event"]).ShouldBe("completed");
        receiver.All.Count.ShouldBe(2, "the first attempt got 503, the second 204");
        await SandboxHarness.EventuallyAsync(() => sandbox.Server.Counters.WebhooksDelivered == 1, "the sandbox has counted the delivery");
        sandbox.Server.Counters.WebhookDeliveryFailures.ShouldBe(1);
    }

    [Fact]
    public async Task Webhooks_JobCancelled_SendsFailedAndStops()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sandbox = await SandboxHarness.StartAsync();

        var id = (string)(await sandbox.PostAsync("/v2/videos/generate", new { prompt = "A fox", model = "kling-2.1", webhookUrl = receiver.Url })).Object["jobId"]!;
        sandbox.Server.CancelJob("gateway", id).ShouldBeTrue();

        var failed = await receiver.NextAsync();
        ((string?)failed["event"]).ShouldBe("failed");
        ((string?)failed["error"]).ShouldBe("Cancelled through the sandbox");
        ((string?)(await sandbox.GetAsync($"/v2/jobs/{id}")).Object["status"]).ShouldBe("FAILED");
    }
}
