using VideoGen.ContractTests.Infrastructure;

namespace VideoGen.ContractTests;

/// <summary>
/// For each spec, a Prism mock server receives a call from the generated client for every operation:
/// Prism's request validation must pass, and the client must read Prism's (spec-example) responses.
/// </summary>
public sealed class PrismContractTests
{
    [Fact]
    public async Task ElumentaClient_EveryOperation_PassesPrismValidation()
    {
        await using var session = await PrismSession.StartAsync("elumenta.yaml");
        var client = new Elumenta.ElumentaClient(session.Configuration("Elumenta"), session.Http);

        var created = await client.CreateGenerationAsync(new Elumenta.GenerateRequest
        {
            Model = "kling-v2.1",
            Prompt = "A time-lapse of a blooming flower, macro photography, soft natural light",
            Duration = Elumenta.VideoDuration.FiveSeconds,
            AspectRatio = Elumenta.AspectRatio.Landscape16x9,
            NegativePrompt = "blur",
        });
        created.Id.ShouldBeGreaterThan(0);
        created.Status.ShouldNotBeNullOrEmpty();

        var imageToVideo = await client.CreateGenerationAsync(new Elumenta.GenerateRequest
        {
            Model = "luma-ray2",
            Prompt = "The character slowly turns their head and smiles",
            ImageUrl = new Uri("https://example.com/portrait.jpg"),
        });
        imageToVideo.Id.ShouldBeGreaterThan(0);

        var fetched = await client.GetGenerationAsync(created.Id);
        fetched.Id.ShouldBeGreaterThan(0);
        fetched.Status.ShouldNotBeNullOrEmpty();

        var quote = await client.CalculatePriceAsync("kling-v2.1", new Elumenta.CalculatePriceRequest { Params = new Elumenta.CalculatePriceParams { Duration = 5, AspectRatio = "16:9" }, Count = 1 });
        quote.TokenCost.ShouldBeGreaterThanOrEqualTo(0);
        (await client.GetBalanceAsync()).ShouldNotBeNull();

        session.ShouldHaveCoveredEveryOperationWithoutViolations();
    }

    [Fact]
    public async Task ApiframeClient_EveryOperation_PassesPrismValidation()
    {
        await using var session = await PrismSession.StartAsync("apiframe.yaml");
        var client = new Apiframe.ApiframeClient(session.Configuration("Apiframe"), session.Http);

        var accepted = await client.CreateVideoAsync(new Apiframe.CreateVideoRequest
        {
            Model = Apiframe.VideoModel.Kling21,
            Prompt = "A drone flyover of a futuristic city at night",
            WebhookUrl = new Uri("https://hooks.example.com/videogen"),
            WebhookEvents = [Apiframe.WebhookEvent.Progress, Apiframe.WebhookEvent.Completed, Apiframe.WebhookEvent.Failed],
            KlingParams = new Apiframe.KlingParams { Duration = 5, Mode = Apiframe.KlingMode.Pro, AspectRatio = "16:9" },
        });
        accepted.JobId.ShouldNotBeNullOrEmpty();
        accepted.Status.ShouldNotBeNullOrEmpty();

        var job = await client.GetJobAsync(accepted.JobId);
        job.Id.ShouldNotBeNullOrEmpty();

        var page = await client.ListJobsAsync(status: Apiframe.JobStatusFilter.Completed, model: "kling-2.1", limit: 10);
        page.Jobs.ShouldNotBeNull();

        session.ShouldHaveCoveredEveryOperationWithoutViolations();
    }

    [Fact]
    public async Task AimlApiClient_EveryOperation_PassesPrismValidation()
    {
        await using var session = await PrismSession.StartAsync("aimlapi.yaml");
        var client = new AimlApi.AimlApiClient(session.Configuration("AIML API"), session.Http);

        var created = await client.CreateGenerationAsync(new AimlApi.CreateGenerationRequest
        {
            Prompt = "Flying jellyfish",
            AspectRatio = AimlApi.AspectRatio.Landscape16x9,
            Loop = false,
        });
        created.Id.ShouldNotBe(Guid.Empty);

        var extended = await client.CreateGenerationAsync(new AimlApi.CreateGenerationRequest
        {
            Prompt = "Flying jellyfish",
            AspectRatio = AimlApi.AspectRatio.Landscape16x9,
            Keyframes = new AimlApi.Keyframes
            {
                Frame0 = new AimlApi.Keyframe { Type = AimlApi.KeyframeType.Generation, Id = created.Id },
                Frame1 = new AimlApi.Keyframe { Type = AimlApi.KeyframeType.Image, Url = new Uri("https://example.com/image1.png") },
            },
        });
        extended.Id.ShouldNotBe(Guid.Empty);

        var waited = await client.GetGenerationAsync(created.Id, AimlApi.GenerationWaitState.Dreaming);
        waited.State.ShouldNotBeNullOrEmpty();

        var batch = await client.GetGenerationsAsync([created.Id, extended.Id], AimlApi.GenerationWaitState.Completed);
        batch.Generations.ShouldNotBeEmpty();

        // The documented video route (https://docs.aimlapi.com/api-references/video-models/luma-ai/luma-ray-2).
        var task = await client.CreateVideoGenerationAsync(new AimlApi.LumaVideoRequest
        {
            Model = AimlApi.LumaVideoModel.LumaRay2,
            Prompt = "A menacing evil dragon appears in a distance above the tallest mountain",
            AspectRatio = AimlApi.AspectRatio.Landscape16x9,
            Duration = AimlApi.LumaVideoDuration.Seconds9,
            Keyframes = new AimlApi.LumaVideoKeyframes
            {
                Frame0 = new AimlApi.LumaVideoKeyframe { Type = AimlApi.KeyframeType.Image, Url = new Uri("https://example.com/landscape.jpg") },
            },
        });
        task.Id.ShouldNotBeNullOrEmpty();
        (await client.GetVideoGenerationAsync(task.Id)).Status.ShouldNotBeNullOrEmpty();

        session.ShouldHaveCoveredEveryOperationWithoutViolations();
    }

    [Fact]
    public async Task OxenClient_EveryOperation_PassesPrismValidation()
    {
        await using var session = await PrismSession.StartAsync("oxen.yaml");
        var client = new Oxen.OxenClient(session.Configuration("Oxen.ai"), session.Http);

        var video = await client.GenerateVideoAsync(new Oxen.GenerateVideoRequest
        {
            Model = "kling-video-v2-6-pro-text-to-video",
            Prompt = "A red balloon floating upward through blue sky",
            Duration = 5,
        });
        video.Videos.ShouldNotBeEmpty();

        var queued = await client.EnqueueGenerationAsync(new Oxen.EnqueueGenerationRequest
        {
            Model = "kling-video-v2-6-pro-text-to-video",
            Prompt = "A sunset timelapse over the ocean",
            Duration = 5,
        });
        queued.Generations.ShouldNotBeEmpty();
        var generationId = queued.Generations.First().GenerationId;

        var generation = await client.GetQueuedGenerationAsync(generationId);
        generation.Status.ShouldNotBeNullOrEmpty();

        var list = await client.ListQueuedGenerationsAsync(model: "kling-video-v2-6-pro-text-to-video");
        (await client.CancelQueuedGenerationAsync(generationId)).ShouldNotBeNull();
        (await client.RetryQueuedGenerationAsync(generationId)).ShouldNotBeNull();
        list.Generations.ShouldNotBeNull();

        session.ShouldHaveCoveredEveryOperationWithoutViolations();
    }
}
