using VideoGen.AimlApi;
using VideoGen.Elumenta;
using VideoGen.Apiframe;
using VideoGen.Http;
using VideoGen.Oxen;
using VideoGen.Sandbox.Tests.Infrastructure;

namespace VideoGen.Sandbox.Tests;

/// <summary>The generated clients, pointed at the sandbox, round-trip every operation and map its errors.</summary>
public sealed class GeneratedClientTests : IAsyncLifetime
{
    private SandboxHarness _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxHarness.StartAsync(o => o.TimeScale = 0.001, fakeClock: false);

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task ElumentaClient_CreateThenPoll_ReadsPendingThenCompleted()
    {
        var client = new ElumentaClient(Configuration("Elumenta", "elumenta"), _sandbox.Http);

        var created = await client.CreateGenerationAsync(new GenerateRequest { Model = "kling-v2.1", Prompt = "A drone flyover of a futuristic city at night" });
        created.Status.ShouldBe("pending");
        created.CreatedAt.ShouldNotBeNull();
        var done = await PollAsync(() => client.GetGenerationAsync(created.Id), g => g.Status != "pending");

        done.Status.ShouldBe("completed");
        done.TokensSpent.ShouldBe(26);
        done.ResultUrl!.ToString().ShouldBe($"{_sandbox.Url}/media/elumenta/{created.Id}/1.mp4");
        done.ResultMetadata!.Duration.ShouldBe(5);
        done.CompletedAt.ShouldNotBeNull();
        (await _sandbox.Http.GetByteArrayAsync(done.ResultUrl)).Length.ShouldBeGreaterThan(1000);
    }

    [Fact]
    public async Task ApiframeClient_CreateThenGetJob_ReadsCompletedWithVideoUrl()
    {
        var client = new ApiframeClient(Configuration("Apiframe", "apiframe"), _sandbox.Http);

        var created = await client.CreateVideoAsync(new CreateVideoRequest { Prompt = "A fox in the snow", Model = VideoGen.Apiframe.VideoModel.Veo3 });
        created.Status.ShouldBe("QUEUED");
        var done = await PollAsync(() => client.GetJobAsync(created.JobId), j => j.Status is "COMPLETED" or "FAILED");

        done.Status.ShouldBe("COMPLETED");
        done.Progress.ShouldBe(100);
        ((string?)((Newtonsoft.Json.Linq.JObject)done.Result!)["videoUrl"])!.ShouldEndWith($"/media/apiframe/{created.JobId}/1.mp4");
        done.CreditCost.ShouldNotBeNull();
    }

    [Fact]
    public async Task AimlApiClient_CreateWaitExtendAndFetchMany_RoundTrip()
    {
        var client = new AimlApiClient(Configuration("AIML API", "aimlapi"), _sandbox.Http);

        var created = await client.CreateGenerationAsync(new CreateGenerationRequest { Prompt = "Flying jellyfish", AspectRatio = VideoGen.AimlApi.AspectRatio.Landscape16x9 });
        created.State.ShouldBe("queued");
        // Each call waits up to 30 s × 0.001 on the server; call again to keep waiting, as the vendor says.
        var done = await PollAsync(() => client.GetGenerationAsync(created.Id, GenerationWaitState.Completed), g => g.State != "queued" && g.State != "dreaming");
        done.State.ShouldBe("completed");
        done.Assets!.Video.ShouldNotBeNull();

        var extended = await client.CreateGenerationAsync(new CreateGenerationRequest
        {
            Prompt = "Keep flying",
            Keyframes = new Keyframes { Frame0 = new Keyframe { Type = KeyframeType.Generation, Id = created.Id } },
        });
        var both = await PollAsync(() => client.GetGenerationsAsync([created.Id, extended.Id], GenerationWaitState.Completed), l => l.Generations.All(g => g.State == "completed"));

        both.Generations.Select(g => g.Id).ShouldBe([created.Id, extended.Id]);
        both.Generations.ShouldAllBe(g => g.State == "completed");
    }

    [Fact]
    public async Task OxenClient_GenerateEnqueueGetAndList_RoundTrip()
    {
        var client = new OxenClient(Configuration("Oxen.ai", "oxen"), _sandbox.Http);
        const string model = "kling-video-v2-6-pro-text-to-video";

        var sync = await client.GenerateVideoAsync(new GenerateVideoRequest { Model = model, Prompt = "A red balloon floating upward through blue sky", Duration = 5 });
        sync.Videos.ShouldHaveSingleItem().Url.ShouldNotBeNull();

        var queued = await client.EnqueueGenerationAsync(new EnqueueGenerationRequest { Model = model, Prompt = "A sunset timelapse over the ocean", Duration = 5, NumGenerations = 2 });
        queued.Generations.Count.ShouldBe(2);
        var first = queued.Generations[0].GenerationId;
        var done = await PollAsync(() => client.GetQueuedGenerationAsync(first), g => g.Status is "succeeded" or "failed" or "cancelled");
        done.Status.ShouldBe("succeeded");
        done.ResultUrl.ShouldNotBeNull();
        done.MediaType.ShouldBe("video");

        var succeeded = await client.ListQueuedGenerationsAsync(model: model, status: QueueStatus.Succeeded);
        succeeded.Generations.Select(g => g.GenerationId).ShouldContain(first);
        succeeded.Count.ShouldBe(succeeded.Generations.Count);
    }

    [Fact]
    public async Task Clients_MissingKey_ThrowVideoGenAuthenticationException()
    {
        var client = new ElumentaClient(new VendorClientConfiguration("Elumenta") { BaseUrl = _sandbox.Server.GetVendorBaseUrl("elumenta") }, _sandbox.Http);

        var error = await Should.ThrowAsync<VideoGenAuthenticationException>(() => client.GetGenerationAsync(18500));

        error.StatusCode.ShouldBe(System.Net.HttpStatusCode.Unauthorized);
        error.ErrorCode.ShouldBe("not_authenticated");
        error.RequestId.ShouldNotBeNull().ShouldStartWith("sbx-");
    }

    [Fact]
    public async Task Clients_NoCredits_ThrowInsufficientCreditsException()
    {
        _sandbox.Server.Ledger.SetBalance("gateway", "client_key_gateway", 0);
        var client = new ApiframeClient(Configuration("Gateway", "gateway"), _sandbox.Http);

        var error = await Should.ThrowAsync<InsufficientCreditsException>(() => client.CreateVideoAsync(new CreateVideoRequest { Prompt = "p", Model = VideoGen.Apiframe.VideoModel.Sora2 }));

        error.ErrorCode.ShouldBe("Insufficient credits");
    }

    [Fact]
    public async Task Clients_RateLimited_ThrowRateLimitedExceptionWithRetryAfter()
    {
        await using var limited = await SandboxHarness.StartAsync(o => { o.Faults.RateLimitRate = 1; o.Faults.RetryAfter = TimeSpan.FromSeconds(4); });
        var client = new OxenClient(new VendorClientConfiguration("Oxen.ai") { ApiKey = "k", BaseUrl = limited.Server.BaseUrl }, limited.Http);

        var error = await Should.ThrowAsync<RateLimitedException>(() => client.ListQueuedGenerationsAsync());

        error.RetryAfter.ShouldBe(TimeSpan.FromSeconds(4));
        error.ErrorCode.ShouldBe("rate_limited");
    }

    [Fact]
    public async Task Clients_InvalidRequest_ThrowWithTheVendorsWords()
    {
        var client = new OxenClient(Configuration("Oxen.ai", "oxen"), _sandbox.Http);

        var error = await Should.ThrowAsync<VideoGenException>(() => client.EnqueueGenerationAsync(new EnqueueGenerationRequest { Model = "nope", Prompt = "p" }));

        error.StatusCode.ShouldBe(System.Net.HttpStatusCode.BadRequest);
        error.ErrorCode.ShouldBe("bad_request");
        // VendorErrorMapper reads error.message / error.detail but not Oxen's error.title, so the words are in the excerpt only.
        error.ResponseExcerpt.ShouldNotBeNull().ShouldContain("Model 'nope' was not found");
    }

    private VendorClientConfiguration Configuration(string vendor, string id) =>
        new(vendor) { ApiKey = $"client_key_{id}", BaseUrl = _sandbox.Server.GetVendorBaseUrl(id) };

    private static async Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(20);
        }
    }
}
