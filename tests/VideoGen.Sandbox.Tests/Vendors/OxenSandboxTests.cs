using Newtonsoft.Json.Linq;
using VideoGen.Sandbox.Tests.Infrastructure;

namespace VideoGen.Sandbox.Tests.Vendors;

public sealed class OxenSandboxTests
{
    private const string Model = "kling-video-v2-6-pro-text-to-video";

    [Fact]
    public async Task Enqueue_ValidRequest_AnswersOneQueuedGenerationPerRequestedGeneration()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var reply = await sandbox.PostAsync("/api/ai/queue", new { model = Model, prompt = "A sunset timelapse over the ocean", duration = 5, num_generations = 3 });

        reply.Code.ShouldBe(200, reply.Text);
        var generations = (JArray)reply.Object["generations"]!;
        generations.Count.ShouldBe(3);
        generations.ShouldAllBe(g => (string?)g["status"] == "queued");
        generations.Select(g => Guid.TryParse((string?)g["generation_id"], out var id) ? id : Guid.Empty).ShouldNotContain(Guid.Empty);
        sandbox.Server.Counters.JobsCreated("oxen").ShouldBe(3);
    }

    [Fact]
    public async Task Get_AsTheClockMoves_GoesQueuedProcessingSucceeded()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var id = await EnqueueAsync(sandbox, new { model = Model, prompt = "A sunset", duration = 5, seed = 42, aspect_ratio = "9:16" });

        var queued = (await sandbox.GetAsync($"/api/ai/queue/{id}")).Object;
        ((string?)queued["status"]).ShouldBe("queued");
        queued["started_at"]!.Type.ShouldBe(JTokenType.Null);
        ((string?)queued["model_name"]).ShouldBe(Model);
        ((string?)queued["media_type"]).ShouldBe("video");
        ((int)queued["seed"]!).ShouldBe(42);
        ((string?)queued["aspect_ratio"]).ShouldBe("9:16");
        ((int)queued["duration"]!).ShouldBe(5);

        var job = sandbox.AdvanceToStart("oxen", id);
        var processing = (await sandbox.GetAsync($"/api/ai/queue/{id}")).Object;
        ((string?)processing["status"]).ShouldBe("processing");
        ((long)processing["started_at"]!).ShouldBe(job.StartsAt.ToUnixTimeSeconds());

        sandbox.AdvanceToEnd("oxen", id);
        var succeeded = (await sandbox.GetAsync($"/api/ai/queue/{id}")).Object;
        ((string?)succeeded["status"]).ShouldBe("succeeded");
        ((string?)succeeded["result_url"]).ShouldBe($"{sandbox.Url}/media/oxen/{id}/1.mp4");
        succeeded["error_message"]!.Type.ShouldBe(JTokenType.Null);
        ((long)succeeded["completed_at"]!).ShouldBe(job.FinishesAt.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task Get_CancelledJob_AnswersCancelled()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var id = await EnqueueAsync(sandbox, new { model = Model, prompt = "A sunset" });

        sandbox.Server.CancelJob("oxen", id).ShouldBeTrue();
        sandbox.Server.CancelJob("oxen", id).ShouldBeFalse("it is no longer active");

        var cancelled = (await sandbox.GetAsync($"/api/ai/queue/{id}")).Object;
        ((string?)cancelled["status"]).ShouldBe("cancelled");
        ((string?)cancelled["error_message"]).ShouldBe("Cancelled through the sandbox");
        cancelled["started_at"]!.Type.ShouldBe(JTokenType.Null);
        cancelled["completed_at"]!.Type.ShouldNotBe(JTokenType.Null);
    }

    [Fact]
    public async Task Enqueue_AspectRatioTheModelCannotMake_FailsWhenTheGenerationRuns()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var id = await EnqueueAsync(sandbox, new { model = Model, prompt = "A sunset", aspect_ratio = "5:4" });
        sandbox.AdvanceToEnd("oxen", id);
        var failed = (await sandbox.GetAsync($"/api/ai/queue/{id}")).Object;

        ((string?)failed["status"]).ShouldBe("failed");
        ((string?)failed["error_message"]).ShouldBe($"aspect_ratio '5:4' is not supported by {Model}; supported: 16:9, 9:16, 1:1, 4:3, 3:4, 21:9, 9:21");
    }

    [Fact]
    public async Task Enqueue_EmptyBalance_GenerationFailsWithInsufficientCreditsAsDocumented()
    {
        await using var sandbox = await SandboxHarness.StartAsync(o => o.InitialCredits["oxen"] = 0);

        var id = await EnqueueAsync(sandbox, new { model = Model, prompt = "A sunset" });
        var job = sandbox.AdvanceToEnd("oxen", id);
        var failed = (await sandbox.GetAsync($"/api/ai/queue/{id}")).Object;

        ((string?)failed["status"]).ShouldBe("failed");
        ((string?)failed["error_message"]).ShouldBe("Insufficient credits");
        (job.FinishesAt - job.StartsAt).ShouldBe(TimeSpan.FromSeconds(3), "it fails 3 s after it starts, as in the vendor's example");
    }

    [Fact]
    public async Task Generate_Synchronous_BlocksUntilDoneAndAnswersVideoUrl()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var timersBefore = sandbox.FakeClock.ActiveTimers;

        var pending = sandbox.PostAsync("/api/ai/videos/generate", new { model = Model, prompt = "A red balloon", duration = 5 });
        await sandbox.FakeClock.WaitForTimersAsync(timersBefore + 1);
        pending.IsCompleted.ShouldBeFalse("the synchronous endpoint waits for the video");
        var job = sandbox.Server.GetJobs("oxen").Single();

        // Under load the endpoint's own wait timer can be registered after the first advance: keep the
        // clock at the finish until the answer comes (the fake clock never runs past it).
        for (var i = 0; i < 100 && !pending.IsCompleted; i++)
        {
            sandbox.FakeClock.AdvanceTo(job.FinishesAt);
            await Task.WhenAny(pending, Task.Delay(100));
        }

        var reply = await pending.WaitAsync(TimeSpan.FromSeconds(10));

        reply.Code.ShouldBe(200, reply.Text);
        ((string?)reply.Object["model"]).ShouldBe(Model);
        ((long)reply.Object["created"]!).ShouldBe(job.CreatedAt.ToUnixTimeSeconds());
        ((string?)reply.Object["videos"]![0]!["url"]).ShouldBe($"{sandbox.Url}/media/oxen/{job.Id}/1.mp4");
    }

    [Fact]
    public async Task Generate_B64Json_AnswersTheVideoInline()
    {
        await using var sandbox = await SandboxHarness.StartAsync(o => o.TimeScale = 0);

        var reply = await sandbox.PostAsync("/api/ai/videos/generate", new { model = Model, prompt = "A red balloon", response_format = "b64_json", aspect_ratio = "1:1" });

        reply.Code.ShouldBe(200, reply.Text);
        var bytes = Convert.FromBase64String((string)reply.Object["videos"]![0]!["b64_json"]!);
        Mp4.VideoSize(bytes).ShouldBe((48, 48));
    }

    [Fact]
    public async Task Generate_JobFails_Answers500GenerationFailed()
    {
        await using var sandbox = await SandboxHarness.StartAsync(o => o.TimeScale = 0);

        var reply = await sandbox.PostAsync("/api/ai/videos/generate", new { model = Model, prompt = "x " + SandboxOptions.FailurePromptMarker });

        reply.Code.ShouldBe(500);
        ((string?)reply.Object["status_message"]).ShouldBe("generation_failed");
    }

    [Fact]
    public async Task Generate_EmptyBalance_Answers402()
    {
        await using var sandbox = await SandboxHarness.StartAsync(o => o.InitialCredits["oxen"] = 0);

        var reply = await sandbox.PostAsync("/api/ai/videos/generate", new { model = Model, prompt = "A red balloon" });

        reply.Code.ShouldBe(402);
        ((string?)reply.Object["error"]!["type"]).ShouldBe("insufficient_credits");
        sandbox.Server.Counters.JobsCreated("oxen").ShouldBe(0);
    }

    [Fact]
    public async Task List_ByModel_ShowsActiveGenerationsUntilTheyAreDone()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var first = await EnqueueAsync(sandbox, new { model = Model, prompt = "one" });
        await EnqueueAsync(sandbox, new { model = "kling-video-o3-pro-reference-to-video", multi_prompt = new[] { new { prompt = "a", duration = 5 }, new { prompt = "b", duration = 5 } } });

        var active = (await sandbox.GetAsync($"/api/ai/queue?model={Model}")).Object;
        ((int)active["count"]!).ShouldBe(1);
        ((string?)active["generations"]![0]!["generation_id"]).ShouldBe(first);

        var all = (await sandbox.GetAsync("/api/ai/queue")).Object;
        ((int)all["count"]!).ShouldBe(2);
        ((string?)all["generations"]![1]!["model_name"]).ShouldBe("kling-video-o3-pro-reference-to-video");
        all["generations"]![1]!["prompt"].ShouldBeNull("a multi-shot generation has no single prompt");

        sandbox.FakeClock.Advance(TimeSpan.FromMinutes(16));
        ((int)(await sandbox.GetAsync($"/api/ai/queue?model={Model}")).Object["count"]!).ShouldBe(0, "without status only active generations are listed");
        var succeeded = (await sandbox.GetAsync($"/api/ai/queue?model={Model}&status=succeeded")).Object;
        ((int)succeeded["count"]!).ShouldBe(1);
        ((int)(await sandbox.GetAsync("/api/ai/queue?status=succeeded&media_type=image")).Object["count"]!).ShouldBe(0);
    }

    [Theory]
    [InlineData("/api/ai/queue", """{"prompt":"p"}""", "model is required")]
    [InlineData("/api/ai/queue", """{"model":"flux-1","prompt":"p"}""", "Model 'flux-1' was not found; video models: kling-video-v2-6-pro-text-to-video, kling-video-o3-pro-reference-to-video")]
    [InlineData("/api/ai/queue", """{"model":"kling-video-v2-6-pro-text-to-video"}""", "prompt or multi_prompt is required")]
    [InlineData("/api/ai/queue", """{"model":"kling-video-v2-6-pro-text-to-video","prompt":"p","multi_prompt":[{"prompt":"a"}]}""", "Send either prompt or multi_prompt, not both.")]
    [InlineData("/api/ai/queue", """{"model":"kling-video-v2-6-pro-text-to-video","prompt":"p","num_generations":5}""", "num_generations 5 is not allowed; use 1 to 4.")]
    [InlineData("/api/ai/queue", """{"model":"kling-video-v2-6-pro-text-to-video","prompt":"p","duration":"5"}""", "duration '5' is not allowed")]
    [InlineData("/api/ai/queue", """{"model":"kling-video-o3-pro-reference-to-video","multi_prompt":[{"duration":5}]}""", "multi_prompt[0] must be an object with a non-empty prompt")]
    [InlineData("/api/ai/videos/generate", """{"model":"kling-video-v2-6-pro-text-to-video","prompt":"p","response_format":"mp4"}""", "response_format 'mp4' is not allowed; allowed: url, b64_json")]
    [InlineData("/api/ai/videos/generate", """{"model":"kling-video-v2-6-pro-text-to-video","prompt":"p","aspect_ratio":"5:4"}""", "aspect_ratio '5:4' is not supported")]
    public async Task Post_InvalidRequest_Answers400WithOxenErrorShape(string path, string body, string title)
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var reply = await sandbox.PostAsync(path, body);

        reply.Code.ShouldBe(400, reply.Text);
        ((string?)reply.Object["status"]).ShouldBe("error");
        ((string?)reply.Object["status_message"]).ShouldBe("bad_request");
        ((string)reply.Object["error"]!["title"]!).ShouldContain(title);
        sandbox.Server.Counters.JobsCreated("oxen").ShouldBe(0);
    }

    [Fact]
    public async Task Get_UnknownOrInvalidId_AnswersTheDocumented404()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var unknown = await sandbox.GetAsync("/api/ai/queue/7cf9b23a-1234-5678-9abc-def012345678");
        var invalid = await sandbox.GetAsync("/api/ai/queue/nope");
        var badStatus = await sandbox.GetAsync("/api/ai/queue?status=done");

        unknown.Code.ShouldBe(404);
        unknown.Object.ToString(Newtonsoft.Json.Formatting.None).ShouldBe("""{"error":{"type":"resource_not_found","title":"The requested resource could not be found"},"status":"error","status_message":"resource_not_found"}""");
        invalid.Code.ShouldBe(404);
        badStatus.Code.ShouldBe(400);
    }

    [Fact]
    public async Task Requests_WithoutKey_Answer401()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var reply = await sandbox.GetAsync("/api/ai/queue", key: null);

        reply.Code.ShouldBe(401);
        ((string?)reply.Object["error"]!["type"]).ShouldBe("unauthorized");
    }

    [Fact]
    public async Task Delete_QueuedGeneration_CancelsItKeepsItAndRefunds()
    {
        // https://docs.oxen.ai/fine-tuning-api/cancel-generation.md: the row is retained with status cancelled.
        await using var sandbox = await SandboxHarness.StartAsync();
        var id = await EnqueueAsync(sandbox, new { model = Model, prompt = "A sunset" });

        var cancelled = await sandbox.SendAsync(HttpMethod.Delete, $"/api/ai/queue/{id}", null);

        cancelled.Code.ShouldBe(200, cancelled.Text);
        ((string?)cancelled.Object["generation_id"]).ShouldBe(id);
        ((string?)cancelled.Object["status"]).ShouldBe("cancelled");
        ((string?)(await sandbox.GetAsync($"/api/ai/queue/{id}")).Object["status"]).ShouldBe("cancelled");
        (await sandbox.SendAsync(HttpMethod.Delete, $"/api/ai/queue/{Guid.NewGuid()}", null)).Code.ShouldBe(404);
    }

    [Fact]
    public async Task Retry_Generation_CancelsItAndEnqueuesALinkedOne()
    {
        // https://docs.oxen.ai/fine-tuning-api/kill-%26-retry-generation.md
        await using var sandbox = await SandboxHarness.StartAsync();
        var id = await EnqueueAsync(sandbox, new { model = Model, prompt = "A sunset" });

        var retried = await sandbox.PostAsync($"/api/ai/queue/{id}/retry", new { });

        retried.Code.ShouldBe(200, retried.Text);
        ((string?)retried.Object["retried_from_id"]).ShouldBe(id);
        ((string?)retried.Object["generation_id"]).ShouldNotBe(id);
        ((string?)(await sandbox.GetAsync($"/api/ai/queue/{id}")).Object["status"]).ShouldBe("cancelled");
    }

    [Fact]
    public async Task CancelAsync_ThroughTheAdapterAndGeneratedClient_CancelsTheSandboxJob()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var id = await EnqueueAsync(sandbox, new { model = Model, prompt = "A sunset" });
        var client = new VideoGen.Oxen.OxenClient(
            new VideoGen.Http.VendorClientConfiguration("Oxen.ai") { ApiKey = SandboxHarness.Key, BaseUrl = new Uri(sandbox.Url + "/") },
            new HttpClient());
        using var generator = VideoGen.Oxen.OxenClientExtensions.AsVideoGenerator(client);

        var job = await generator.CancelAsync(id);

        job.Status.ShouldBe(VideoJobStatus.Cancelled);
    }

    private static async Task<string> EnqueueAsync(SandboxHarness sandbox, object body)
    {
        var reply = await sandbox.PostAsync("/api/ai/queue", body);
        reply.Code.ShouldBe(200, reply.Text);
        return (string)reply.Object["generations"]![0]!["generation_id"]!;
    }
}
