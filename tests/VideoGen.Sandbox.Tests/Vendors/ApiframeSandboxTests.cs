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
        var id = (string)(await sandbox.PostAsync("/v2/videos/generate", new { prompt = "A fox", model = "midjourney-video", midjourneyVideoParams = new { start_image = "https://example.com/forest.jpg" } })).Object["jobId"]!;

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
        ((double)completed["creditCost"]!).ShouldBeGreaterThanOrEqualTo(0);
        ((string?)completed["id"]).ShouldBe(id);
        completed["result"]!["videos"]!.Select(u => (string)u!).ShouldBe(
            Enumerable.Range(1, 4).Select(n => $"{sandbox.Url}/media/apiframe/{id}/{n}.mp4"),
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
    [InlineData("""{"prompt":"p","model":"kling-2.1","parameters":{"duration":5}}""", "parameters is not a field; send the model's own object")]
    [InlineData("""{"prompt":"p","model":"kling-2.1","lumaParams":{"duration":5}}""", "lumaParams is not for kling-2.1; send klingParams")]
    [InlineData("""{"prompt":"p","model":"kling-2.1","klingParams":[1]}""", "klingParams [1] is not an object")]
    [InlineData("""{"prompt":"p","model":"wan-2.6","wanParams":{"duration":20}}""", "wanParams.duration 20 is not allowed for wan-2.6; allowed: 5, 10, 15")]
    [InlineData("""{"prompt":"p","model":"midjourney-video"}""", "midjourney-video is image-to-video only: midjourneyVideoParams.start_image is required")]
    [InlineData("""{"prompt":"p","model":"hailuo-02","hailuoParams":{"resolution":"4k"}}""", "hailuoParams.resolution '4k' is not allowed for hailuo-02")]
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
        ((string?)unauthorized.Object["error"]).ShouldBe("Invalid API key");
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
        ((string?)events[4]["result"]!["videoUrl"]).ShouldBe($"{sandbox.Url}/media/apiframe/{id}/1.mp4");
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

    [Fact]
    public async Task Requests_BearerTokenInsteadOfXApiKey_Answer401()
    {
        // https://docs-v2.apiframe.ai/docs/getting-started/authentication: the key goes in X-API-Key; a bearer token is no key.
        await using var sandbox = await SandboxHarness.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "v2/videos/generate")
        {
            Content = new StringContent("""{"prompt":"p","model":"veo-3"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", SandboxHarness.Key);

        using var response = await sandbox.Http.SendAsync(request);

        ((int)response.StatusCode).ShouldBe(401);
    }

    [Fact]
    public async Task Requests_InactiveKey_Answer403()
    {
        await using var sandbox = await SandboxHarness.StartAsync(o => o.InactiveApiKeys = new HashSet<string> { SandboxHarness.Key });

        var reply = await sandbox.PostAsync("/v2/videos/generate", new { prompt = "p", model = "veo-3" });

        reply.Code.ShouldBe(403);
        ((string?)reply.Object["error"]).ShouldBe("API key is inactive");
    }

    [Fact]
    public async Task ListJobs_WithLimitAndCursor_WalksEveryJobNewestFirstOnce()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((string)(await sandbox.PostAsync("/v2/videos/generate", new { prompt = "p" + i, model = i % 2 == 0 ? "veo-3" : "kling-2.1" })).Object["jobId"]!);
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = (await sandbox.GetAsync("/v2/jobs?limit=2" + (cursor is null ? string.Empty : "&cursor=" + Uri.EscapeDataString(cursor)))).Object;
            seen.AddRange(page["jobs"]!.Select(j => (string)j["id"]!));
            cursor = (bool)page["hasMore"]! ? (string)page["nextCursor"]! : null;
        }
        while (cursor is not null);

        seen.ShouldBe(Enumerable.Reverse(ids));
        var veo = (await sandbox.GetAsync("/v2/jobs?model=veo-3&status=QUEUED")).Object;
        veo["jobs"]!.Select(j => (string)j["id"]!).ShouldBe([ids[4], ids[2], ids[0]]);
        ((bool)veo["hasMore"]!).ShouldBeFalse();
    }
}
