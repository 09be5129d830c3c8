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
        return (TestClients.Gateway(handler).AsVideoGenerator(), handler);
    }

    [Fact]
    public async Task SubmitAsync_FullRequest_PutsModelFieldsIntoParameters()
    {
        var (generator, handler) = Create();

        await generator.SubmitAsync(
            new VideoGenerationRequest("A drone flyover of a futuristic city at night")
            {
                Model = "kling-2.1",
                DurationSeconds = 10,
                AspectRatio = "16:9",
                Resolution = "1080p",
                StartImage = new Uri("https://example.com/start.png"),
                EndImage = new Uri("https://example.com/end.png"),
            },
            new VideoGenerationOptions
            {
                WebhookUrl = new Uri("https://hooks.example.com/videogen"),
                AdditionalProperties = new Dictionary<string, object?> { ["mode"] = "pro", ["cfg_scale"] = 0.5 },
            });

        var sent = handler.Requests.ShouldHaveSingleItem();
        sent.Authorization.ShouldBe("Bearer " + TestClients.ApiKey);
        JToken.DeepEquals(sent.Json, JObject.Parse("""
            {
              "prompt": "A drone flyover of a futuristic city at night",
              "model": "kling-2.1",
              "webhookUrl": "https://hooks.example.com/videogen",
              "webhookEvents": ["progress", "completed", "failed"],
              "parameters": {
                "duration": 10, "aspectRatio": "16:9", "resolution": "1080p",
                "imageUrl": "https://example.com/start.png", "endImageUrl": "https://example.com/end.png",
                "mode": "pro", "cfg_scale": 0.5
              }
            }
            """)).ShouldBeTrue(sent.Body);
    }

    [Fact]
    public async Task SubmitAsync_PromptOnly_SendsNoParametersAndNoWebhook()
    {
        var (generator, handler) = Create();

        await generator.SubmitAsync("A red balloon");

        JToken.DeepEquals(handler.Requests.ShouldHaveSingleItem().Json, JObject.Parse(
            $$"""{"prompt": "A red balloon", "model": "{{VideoModelCatalog.Default.GetVendor("gateway").DefaultModel}}"}""")).ShouldBeTrue();
    }

    [Fact]
    public async Task SubmitAsync_Accepted_MapsToQueuedJobWithTheRequestedModel()
    {
        var (generator, _) = Create();

        var job = await generator.SubmitAsync(new VideoGenerationRequest("A red balloon") { Model = "veo-3" });

        job.Id.ShouldBe("b2c3d4e5-f6a7-8901-bcde-f23456789012");
        job.Vendor.ShouldBe("Gateway");
        job.Model.ShouldBe("veo-3");
        job.Status.ShouldBe(VideoJobStatus.Queued);
        job.VendorStatus.ShouldBe("QUEUED");
        job.RawRepresentation.ShouldBeOfType<CreateVideoResponse>();
    }

    [Fact]
    public async Task GetJobAsync_CompletedWithFourVideos_MapsEveryUrlAndProgress()
    {
        var (generator, handler) = Create("""
            {"jobId": "job-1", "status": "COMPLETED", "model": "midjourney-video", "progress": 100,
             "result": {"videoUrls": ["https://cdn.test/1.mp4", "https://cdn.test/2.mp4", "https://cdn.test/3.mp4", "https://cdn.test/4.mp4"]},
             "createdAt": "2026-03-08T12:00:00Z", "completedAt": "2026-03-08T12:02:00Z"}
            """);

        var job = await generator.GetJobAsync("job-1");

        handler.Requests.ShouldHaveSingleItem().Uri.AbsolutePath.ShouldBe("/v2/jobs/job-1");
        job.Status.ShouldBe(VideoJobStatus.Succeeded);
        job.Model.ShouldBe("midjourney-video");
        job.Progress.ShouldBe(1d);
        job.ResultUri.ShouldBe(new Uri("https://cdn.test/1.mp4"));
        job.ResultUris.Count.ShouldBe(4);
        job.CreatedAt.ShouldBe(new DateTimeOffset(2026, 3, 8, 12, 0, 0, TimeSpan.Zero));
        job.CompletedAt.ShouldBe(new DateTimeOffset(2026, 3, 8, 12, 2, 0, TimeSpan.Zero));
        job.RawRepresentation.ShouldBeOfType<Job>();
    }

    [Fact]
    public async Task GetJobAsync_Processing_ScalesPercentToFraction()
    {
        var (generator, _) = Create("""{"jobId": "job-1", "status": "PROCESSING", "progress": 42}""");

        var job = await generator.GetJobAsync("job-1");

        job.Status.ShouldBe(VideoJobStatus.Running);
        job.Progress!.Value.ShouldBe(0.42, 1e-9);
        job.ResultUris.ShouldBeEmpty();
    }

    [Fact]
    public async Task GetJobAsync_Failed_CarriesTheVendorError()
    {
        var (generator, _) = Create("""{"jobId": "job-1", "status": "FAILED", "error": "Model overloaded"}""");

        var job = await generator.GetJobAsync("job-1");

        job.Status.ShouldBe(VideoJobStatus.Failed);
        job.Error.ShouldBe("Model overloaded");
    }

    [Fact]
    public async Task GetJobAsync_IdWithReservedCharacters_IsEscapedInThePath()
    {
        var (generator, handler) = Create("""{"jobId": "a/b c", "status": "QUEUED"}""");

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
    public async Task SubmitAsync_FieldsTheGatewayHasNoPlaceFor_ThrowValidationAndSendNothing()
    {
        var (generator, handler) = Create();

        var e = await Should.ThrowAsync<VideoGenValidationException>(() => generator.SubmitAsync(new VideoGenerationRequest("A red balloon")
        {
            NegativePrompt = "blur",
            Loop = true,
            Extend = new VideoExtension("b2c3d4e5-f6a7-8901-bcde-f23456789012"),
        }));

        new[] { "NegativePrompt", "Loop", "Extend" }.ShouldBeSubsetOf(e.Failures.Select(f => f.Field));
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
        var client = TestClients.Gateway(new StubHttpHandler());
        var generator = client.AsVideoGenerator();

        generator.GetService<IApiframeClient>().ShouldBeSameAs(client);
        generator.GetService<ApiframeClient>().ShouldBeSameAs(client);
        generator.GetService<VendorInfo>()!.Id.ShouldBe("gateway");
    }
}
