using Newtonsoft.Json.Linq;
using VideoGen.Catalog;
using VideoGen.Apiframe;

namespace VideoGen.Tests.Vendors;

public sealed class ApiframeVideoGeneratorTests
{
    private const string Queued = """{"jobId": "b2c3d4e5-f6a7-8901-bcde-f23456789012", "status": "QUEUED"}""";

    private static (IVideoGenerator Generator, StubHttpHandler Handler) Create(string jobJson = "{}")
    {
        var handler = new StubHttpHandler()
            .OnJson(HttpMethod.Post, "/v2/videos/generate", Queued, System.Net.HttpStatusCode.Accepted)
            .OnJson(HttpMethod.Get, "/v2/jobs/[^/]+", jobJson);
        return (TestClients.Apiframe(handler).AsVideoGenerator(), handler);
    }

    [Fact]
    public async Task SubmitAsync_KlingRequest_SendsXApiKeyAndTheKlingParamsObject()
    {
        var (generator, handler) = Create();

        await generator.SubmitAsync(
            new VideoGenerationRequest("A drone flyover of a futuristic city at night")
            {
                Model = "kling-2.1",
                DurationSeconds = 10,
                AspectRatio = "16:9",
                StartImage = new Uri("https://example.com/start.png"),
                EndImage = new Uri("https://example.com/end.png"),
                NegativePrompt = "blur",
            },
            new VideoGenerationOptions
            {
                WebhookUrl = new Uri("https://hooks.example.com/videogen"),
                AdditionalProperties = new Dictionary<string, object?> { ["mode"] = "pro", ["cfg_scale"] = 0.5 },
            });

        var sent = handler.Requests.ShouldHaveSingleItem();

        // https://docs-v2.apiframe.ai/docs/getting-started/authentication: the key goes in X-API-Key, never as a bearer token.
        sent.Headers["X-API-Key"].ShouldBe(TestClients.ApiKey);
        sent.Authorization.ShouldBeNull();
        JToken.DeepEquals(sent.Json, JObject.Parse("""
            {
              "prompt": "A drone flyover of a futuristic city at night",
              "model": "kling-2.1",
              "webhookUrl": "https://hooks.example.com/videogen",
              "webhookEvents": ["progress", "completed", "failed"],
              "klingParams": {
                "duration": 10, "aspect_ratio": "16:9",
                "start_image": "https://example.com/start.png", "end_image": "https://example.com/end.png",
                "negative_prompt": "blur", "mode": "pro", "cfg_scale": 0.5
              }
            }
            """)).ShouldBeTrue(sent.Body);
    }

    [Theory]
    [InlineData("luma-ray-2", 5, "16:9", null, """{"lumaParams": {"duration": 5, "aspect_ratio": "16:9", "start_image": "https://example.com/a.png"}}""")]
    [InlineData("hailuo-02", 6, null, "768p", """{"hailuoParams": {"duration": 6, "resolution": "768p", "image": "https://example.com/a.png"}}""")]
    [InlineData("wan-2.6-flash", 5, null, "720p", """{"wanParams": {"image": "https://example.com/a.png", "duration": 5, "resolution": "720p"}}""")]
    [InlineData("veo-3.1", 8, "16:9", "1080p", """{"veoParams": {"duration": 8, "aspect_ratio": "16:9", "image": "https://example.com/a.png", "resolution": "1080p"}}""")]
    [InlineData("sora-2", 8, "16:9", null, """{"soraParams": {"duration": 8, "aspect_ratio": "16:9", "start_image": "https://example.com/a.png"}}""")]
    [InlineData("runway-gen4-turbo", 5, "16:9", null, """{"runwayParams": {"image": "https://example.com/a.png", "duration": 5, "aspect_ratio": "16:9"}}""")]
    [InlineData("grok-imagine-video", 6, "16:9", null, """{"grokImagineVideoParams": {"duration": 6, "aspect_ratio": "16:9", "reference_images": ["https://example.com/a.png"]}}""")]
    [InlineData("midjourney-video", null, null, "720p", """{"midjourneyVideoParams": {"start_image": "https://example.com/a.png", "resolution": "hd"}}""")]
    public async Task SubmitAsync_EachFamily_SendsOnlyItsOwnParametersObject(string model, int? duration, string? aspectRatio, string? resolution, string expectedParams)
    {
        var (generator, handler) = Create();

        await generator.SubmitAsync(new VideoGenerationRequest("A red balloon")
        {
            Model = model,
            DurationSeconds = duration,
            AspectRatio = aspectRatio,
            Resolution = resolution,
            StartImage = new Uri("https://example.com/a.png"),
        });

        var sent = handler.Requests.ShouldHaveSingleItem().Json;
        sent.Remove("prompt").ShouldBeTrue();
        sent.Remove("model").ShouldBeTrue();
        JToken.DeepEquals(sent, JObject.Parse(expectedParams)).ShouldBeTrue(sent.ToString());
    }

    [Theory]
    [InlineData("hailuo-02", "AspectRatio")]
    [InlineData("wan-2.6", "AspectRatio")]
    [InlineData("midjourney-video", "DurationSeconds")]
    public async Task SubmitAsync_FieldTheFamilyDoesNotDocument_IsRefusedBeforeSending(string model, string field)
    {
        var (generator, handler) = Create();

        var e = await Should.ThrowAsync<VideoGenValidationException>(() => generator.SubmitAsync(new VideoGenerationRequest("A red balloon")
        {
            Model = model,
            AspectRatio = field == "AspectRatio" ? "16:9" : null,
            DurationSeconds = field == "DurationSeconds" ? 5 : null,
            StartImage = new Uri("https://example.com/a.png"),
        }));

        e.Failures.Select(f => f.Field).ShouldContain(field);
        handler.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task SubmitAsync_PromptOnly_SendsNoParametersAndNoWebhook()
    {
        var (generator, handler) = Create();

        await generator.SubmitAsync("A red balloon");

        JToken.DeepEquals(handler.Requests.ShouldHaveSingleItem().Json, JObject.Parse(
            $$"""{"prompt": "A red balloon", "model": "{{VideoModelCatalog.Default.GetVendor("apiframe").DefaultModel}}"}""")).ShouldBeTrue(handler.Requests[0].Body);
    }

    [Fact]
    public async Task SubmitAsync_Accepted_MapsToQueuedJobWithTheRequestedModel()
    {
        var (generator, _) = Create();

        var job = await generator.SubmitAsync(new VideoGenerationRequest("A red balloon") { Model = "veo-3" });

        job.Id.ShouldBe("b2c3d4e5-f6a7-8901-bcde-f23456789012");
        job.Vendor.ShouldBe("Apiframe");
        job.Model.ShouldBe("veo-3");
        job.Status.ShouldBe(VideoJobStatus.Queued);
        job.VendorStatus.ShouldBe("QUEUED");
        job.RawRepresentation.ShouldBeOfType<CreateVideoResponse>();
    }

    [Fact]
    public async Task GetJobAsync_CompletedVideo_ReadsVideoUrlCostAndTimes()
    {
        // The job shape of https://docs-v2.apiframe.ai/docs/jobs/get with the video result of
        // https://apiframe.ai/docs/videos/luma/luma-ray-flash-2 (Example result).
        var (generator, handler) = Create("""
            {"id": "b2c3d4e5-f6a7-8901-bcde-f23456789012", "status": "COMPLETED", "model": "luma-ray-flash-2", "progress": 100,
             "result": {"videoUrl": "https://cdn2.apiframe.ai/videos/b2c3d4e5-f6a7-8901-bcde-f23456789012.mp4"},
             "error": null, "creditCost": 5, "webhookStatus": "sent",
             "createdAt": "2026-03-15T10:00:00.000Z", "completedAt": "2026-03-15T10:00:32.000Z"}
            """);

        var job = await generator.GetJobAsync("b2c3d4e5-f6a7-8901-bcde-f23456789012");

        handler.Requests.ShouldHaveSingleItem().Uri.AbsolutePath.ShouldBe("/v2/jobs/b2c3d4e5-f6a7-8901-bcde-f23456789012");
        job.Id.ShouldBe("b2c3d4e5-f6a7-8901-bcde-f23456789012");
        job.Status.ShouldBe(VideoJobStatus.Succeeded);
        job.Model.ShouldBe("luma-ray-flash-2");
        job.Progress.ShouldBe(1d);
        job.ResultUri.ShouldBe(new Uri("https://cdn2.apiframe.ai/videos/b2c3d4e5-f6a7-8901-bcde-f23456789012.mp4"));
        job.ResultUris.Count.ShouldBe(1);
        job.Cost.ShouldBe(new VideoCost(5m, "credits"));
        job.CreatedAt.ShouldBe(new DateTimeOffset(2026, 3, 15, 10, 0, 0, TimeSpan.Zero));
        job.CompletedAt.ShouldBe(new DateTimeOffset(2026, 3, 15, 10, 0, 32, TimeSpan.Zero));
        job.RawRepresentation.ShouldBeOfType<Job>();
    }

    [Fact]
    public async Task GetJobAsync_CompletedMidjourneyVideo_MapsAllFourVideos()
    {
        // https://docs-v2.apiframe.ai/docs/videos/midjourney-video (Output format): {"videos": [4 URLs]}.
        var (generator, _) = Create("""
            {"id": "job-1", "status": "COMPLETED", "model": "midjourney-video", "progress": 100,
             "result": {"videos": ["https://cdn2.apiframe.ai/videos/job-id-1.mp4", "https://cdn2.apiframe.ai/videos/job-id-2.mp4",
                                   "https://cdn2.apiframe.ai/videos/job-id-3.mp4", "https://cdn2.apiframe.ai/videos/job-id-4.mp4"]}}
            """);

        var job = await generator.GetJobAsync("job-1");

        job.Status.ShouldBe(VideoJobStatus.Succeeded);
        job.ResultUri.ShouldBe(new Uri("https://cdn2.apiframe.ai/videos/job-id-1.mp4"));
        job.ResultUris.Select(u => u.ToString()).ShouldBe(Enumerable.Range(1, 4).Select(i => $"https://cdn2.apiframe.ai/videos/job-id-{i}.mp4"));
    }

    [Fact]
    public async Task GetJobAsync_ResultAsABareUrlString_IsReadToo()
    {
        // https://docs-v2.apiframe.ai/docs/jobs/get (Completed job) shows "result" as a string.
        var (generator, _) = Create("""{"id": "a1", "status": "COMPLETED", "result": "https://cdn.apiframe.ai/results/a1b2c3d4.mp4", "creditCost": 10}""");

        var job = await generator.GetJobAsync("a1");

        job.ResultUri.ShouldBe(new Uri("https://cdn.apiframe.ai/results/a1b2c3d4.mp4"));
        job.Cost!.Amount.ShouldBe(10m);
    }

    [Theory]
    [InlineData("""{"images": ["https://cdn2.apiframe.ai/images/1.png"]}""")]
    [InlineData("""{"videoUrl": "not a url"}""")]
    [InlineData("""{"videos": [null, 3]}""")]
    [InlineData("42")]
    [InlineData("""{"videoUrl": "ftp://cdn.test/a.mp4"}""")]
    public async Task GetJobAsync_ResultWithoutAVideoUrl_GivesNoResultUri(string result)
    {
        var (generator, _) = Create($$"""{"id": "a1", "status": "COMPLETED", "result": {{result}}}""");

        var job = await generator.GetJobAsync("a1");

        job.ResultUri.ShouldBeNull();
        job.ResultUris.ShouldBeEmpty();
    }

    [Fact]
    public async Task GetJobAsync_Processing_ScalesPercentToFraction()
    {
        var (generator, _) = Create("""{"id": "job-1", "status": "PROCESSING", "progress": 65}""");

        var job = await generator.GetJobAsync("job-1");

        job.Status.ShouldBe(VideoJobStatus.Running);
        job.Progress!.Value.ShouldBe(0.65, 1e-9);
        job.ResultUris.ShouldBeEmpty();
    }

    [Fact]
    public async Task GetJobAsync_Failed_CarriesTheVendorErrorAndTheRefund()
    {
        var (generator, _) = Create("""{"id": "job-1", "status": "FAILED", "error": "Provider returned an error: content policy violation", "creditCost": 0}""");

        var job = await generator.GetJobAsync("job-1");

        job.Status.ShouldBe(VideoJobStatus.Failed);
        job.Error.ShouldBe("Provider returned an error: content policy violation");
        job.Cost.ShouldBe(new VideoCost(0m, "credits"));
    }

    [Fact]
    public async Task GetJobAsync_IdWithReservedCharacters_IsEscapedInThePath()
    {
        var (generator, handler) = Create("""{"id": "a/b c", "status": "QUEUED"}""");

        await generator.GetJobAsync("a/b c");

        handler.Requests.ShouldHaveSingleItem().Uri.AbsoluteUri.ShouldEndWith("/v2/jobs/a%2Fb%20c");
    }

    [Theory]
    [InlineData("QUEUED", VideoJobStatus.Queued)]
    [InlineData("PROCESSING", VideoJobStatus.Running)]
    [InlineData("COMPLETED", VideoJobStatus.Succeeded)]
    [InlineData("FAILED", VideoJobStatus.Failed)]
    [InlineData("completed", VideoJobStatus.Succeeded)]
    [InlineData("CANCELLED", VideoJobStatus.Unknown)]
    [InlineData("RUNNING", VideoJobStatus.Unknown)]
    [InlineData("", VideoJobStatus.Unknown)]
    [InlineData(null, VideoJobStatus.Unknown)]
    public void ToJobStatus_VendorWord_MapsToNormalizedStatus(string? word, VideoJobStatus expected)
    {
        ApiframeVideoGenerator.ToJobStatus(word).ShouldBe(expected);
    }

    [Theory]
    [InlineData(0d, 0d)]
    [InlineData(50d, 0.5)]
    [InlineData(100d, 1d)]
    [InlineData(150d, 1d)]
    [InlineData(-5d, 0d)]
    [InlineData(double.NaN, null)]
    [InlineData(null, null)]
    public void ToProgress_Percent_IsAFractionWithinZeroAndOne(double? percent, double? expected)
    {
        ApiframeVideoGenerator.ToProgress(percent).ShouldBe(expected);
    }

    [Fact]
    public async Task SubmitAsync_FieldsTheModelsFamilyHasNoPlaceFor_ThrowValidationAndSendNothing()
    {
        var (generator, handler) = Create();

        // runwayParams (https://docs-v2.apiframe.ai/docs/videos/runway/runway-gen4-turbo) has no negative prompt,
        // loop, end image or resolution; no Apiframe model extends an earlier generation.
        var e = await Should.ThrowAsync<VideoGenValidationException>(() => generator.SubmitAsync(new VideoGenerationRequest("A red balloon")
        {
            Model = "runway-gen4-turbo",
            NegativePrompt = "blur",
            Loop = true,
            EndImage = new Uri("https://example.com/end.png"),
            Resolution = "1080p",
            Extend = new VideoExtension("b2c3d4e5-f6a7-8901-bcde-f23456789012"),
        }));

        new[] { "NegativePrompt", "Loop", "EndImage", "Resolution", "Extend" }.ShouldBeSubsetOf(e.Failures.Select(f => f.Field));
        handler.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task SubmitAsync_AdditionalPropertyClashingWithAMappedParameter_ThrowsValidation()
    {
        var (generator, handler) = Create();

        var e = await Should.ThrowAsync<VideoGenValidationException>(() => generator.SubmitAsync(
            new VideoGenerationRequest("A red balloon") { DurationSeconds = 5 },
            new VideoGenerationOptions { AdditionalProperties = new Dictionary<string, object?> { ["duration"] = 10 } }));

        var failure = e.Failures.ShouldHaveSingleItem();
        failure.Field.ShouldBe("AdditionalProperties[duration]");
        failure.Value.ShouldBe("10");
        handler.Requests.ShouldBeEmpty();
    }

    [Fact]
    public void GetService_TypedClientAndVendor_AreReturned()
    {
        var client = TestClients.Apiframe(new StubHttpHandler());
        var generator = client.AsVideoGenerator();

        generator.GetService<IApiframeClient>().ShouldBeSameAs(client);
        generator.GetService<ApiframeClient>().ShouldBeSameAs(client);
        generator.GetService<VendorInfo>()!.Id.ShouldBe("apiframe");
    }
}
