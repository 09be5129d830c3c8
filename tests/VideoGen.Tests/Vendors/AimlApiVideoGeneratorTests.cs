using Newtonsoft.Json.Linq;
using VideoGen.AimlApi;
using VideoGen.Catalog;

namespace VideoGen.Tests.Vendors;

public sealed class AimlApiVideoGeneratorTests
{
    private const string Id = "755f9bbb-d99b-4880-992b-f05244ddba61";
    private const string Earlier = "2f6a7e37-1c3b-4f9e-9a4e-6a3c1e8d2b10";

    private static (IVideoGenerator Generator, StubHttpHandler Handler) Create(string generationJson = $$"""{"id": "{{Id}}", "state": "queued"}""")
    {
        var handler = new StubHttpHandler()
            .OnJson(HttpMethod.Post, "/v2/generate/video/luma-ai/generation", generationJson, System.Net.HttpStatusCode.Created)
            .OnJson(HttpMethod.Get, "/v2/generate/video/luma-ai/generation", generationJson);
        return (TestClients.AimlApi(handler).AsVideoGenerator(), handler);
    }

    [Fact]
    public async Task SubmitAsync_FullRequest_SendsEveryLumaField()
    {
        var (generator, handler) = Create();

        await generator.SubmitAsync(
            new VideoGenerationRequest("Flying jellyfish")
            {
                Model = "ray-flash-2",
                AspectRatio = "21:9",
                Resolution = "1080p",
                DurationSeconds = 9,
                Loop = true,
                StartImage = new Uri("https://example.com/image0.png"),
                EndImage = new Uri("https://example.com/image1.png"),
            },
            new VideoGenerationOptions { WebhookUrl = new Uri("https://hooks.example.com/luma") });

        var sent = handler.Requests.ShouldHaveSingleItem();
        sent.Authorization.ShouldBe("Bearer " + TestClients.ApiKey);
        JToken.DeepEquals(sent.Json, JObject.Parse("""
            {
              "prompt": "Flying jellyfish", "aspect_ratio": "21:9", "loop": true,
              "keyframes": {
                "frame0": {"type": "image", "url": "https://example.com/image0.png"},
                "frame1": {"type": "image", "url": "https://example.com/image1.png"}
              },
              "callback_url": "https://hooks.example.com/luma",
              "model": "ray-flash-2", "resolution": "1080p", "duration": "9s"
            }
            """)).ShouldBeTrue(sent.Body);
    }

    [Fact]
    public async Task SubmitAsync_PromptOnly_SendsPromptCatalogDefaultModelAndTheRequiredAspectRatio()
    {
        var (generator, handler) = Create();

        await generator.SubmitAsync("Flying jellyfish");

        // aspect_ratio is required by the seed's page (issue 10); Luma's default 16:9 is sent when none is named.
        JToken.DeepEquals(handler.Requests.ShouldHaveSingleItem().Json, JObject.Parse(
            $$"""{"prompt": "Flying jellyfish", "model": "{{VideoModelCatalog.Default.GetVendor("aimlapi").DefaultModel}}", "aspect_ratio": "16:9"}""")).ShouldBeTrue();
    }

    [Fact]
    public async Task GetJobAsync_CompletedWithAimlsVideoUrl_ReadsIt()
    {
        // Issue 10: AI/ML API's objects carry video.url, Luma's assets.video; both are read, neither required.
        var handler = new StubHttpHandler().OnJson(HttpMethod.Get, "/v2/generate/video/luma-ai/generation",
            """{"id": "0f3ea4aa-10e7-4dae-af0b-263ab4ac45f9", "state": "completed", "video": {"url": "https://cdn.aimlapi.com/v.mp4"}}""");

        var job = await TestClients.AimlApi(handler).AsVideoGenerator().GetJobAsync("0f3ea4aa-10e7-4dae-af0b-263ab4ac45f9");

        job.Status.ShouldBe(VideoJobStatus.Succeeded);
        job.ResultUri.ShouldBe(new Uri("https://cdn.aimlapi.com/v.mp4"));
    }

    [Fact]
    public async Task SubmitAsync_ExtendForward_PutsTheGenerationInFrame0()
    {
        var (generator, handler) = Create();

        await generator.SubmitAsync(new VideoGenerationRequest("Flying jellyfish")
        {
            Extend = new VideoExtension(Earlier),
            EndImage = new Uri("https://example.com/image1.png"),
        });

        JToken.DeepEquals(handler.Requests.ShouldHaveSingleItem().Json["keyframes"], JObject.Parse($$$"""
            {"frame0": {"type": "generation", "id": "{{{Earlier}}}"}, "frame1": {"type": "image", "url": "https://example.com/image1.png"}}
            """)).ShouldBeTrue();
    }

    [Fact]
    public async Task SubmitAsync_ExtendBackward_PutsTheGenerationInFrame1()
    {
        var (generator, handler) = Create();

        await generator.SubmitAsync(new VideoGenerationRequest("Flying jellyfish")
        {
            Extend = new VideoExtension(Earlier, Backward: true),
            StartImage = new Uri("https://example.com/image0.png"),
        });

        JToken.DeepEquals(handler.Requests.ShouldHaveSingleItem().Json["keyframes"], JObject.Parse($$$"""
            {"frame0": {"type": "image", "url": "https://example.com/image0.png"}, "frame1": {"type": "generation", "id": "{{{Earlier}}}"}}
            """)).ShouldBeTrue();
    }

    [Fact]
    public async Task SubmitAsync_ExtendForwardAndStartImage_ThrowValidationNamingTheClash()
    {
        var (generator, handler) = Create();

        var e = await Should.ThrowAsync<VideoGenValidationException>(() => generator.SubmitAsync(new VideoGenerationRequest("Flying jellyfish")
        {
            Extend = new VideoExtension(Earlier),
            StartImage = new Uri("https://example.com/image0.png"),
        }));

        e.Failures.ShouldContain(f => f.Field == "Extend" && f.Allowed.Contains("frame0") && f.Allowed.Contains("StartImage"));
        handler.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task SubmitAsync_ExtendWithNonUuidId_ThrowsValidationNamingTheValue()
    {
        var (generator, handler) = Create();

        var e = await Should.ThrowAsync<VideoGenValidationException>(() => generator.SubmitAsync(
            new VideoGenerationRequest("Flying jellyfish") { Extend = new VideoExtension("gen-42") }));

        e.Failures.ShouldContain(f => f.Field == "Extend.GenerationId" && f.Value == "gen-42" && f.Allowed.Contains("UUID"));
        handler.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task SubmitAsync_ValuesLumaDoesNotOffer_ListEveryOneAndSendNothing()
    {
        var (generator, handler) = Create();

        var e = await Should.ThrowAsync<VideoGenValidationException>(() => generator.SubmitAsync(
            new VideoGenerationRequest("Flying jellyfish") { DurationSeconds = 7, AspectRatio = "19:9", Resolution = "8k", NegativePrompt = "blur" },
            new VideoGenerationOptions { AdditionalProperties = new Dictionary<string, object?> { ["concepts"] = "dolly_zoom" } }));

        e.Failures.Select(f => f.Field).ShouldBeUnique();
        new[] { "DurationSeconds", "AspectRatio", "Resolution", "NegativePrompt", "AdditionalProperties" }.ShouldBeSubsetOf(e.Failures.Select(f => f.Field));
        e.Failures.Single(f => f.Field == "DurationSeconds").Allowed.ShouldContain("5 or 9");
        e.Failures.Single(f => f.Field == "AspectRatio").Allowed.ShouldContain("21:9");
        handler.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task GetJobAsync_Completed_MapsVideoAssetAndTimes()
    {
        var (generator, handler) = Create($$$"""
            {"id": "{{{Id}}}", "state": "completed", "model": "ray-2", "created_at": "2026-03-08T12:00:00Z",
             "assets": {"video": "https://storage.cdn-luma.com/video.mp4", "image": "https://storage.cdn-luma.com/thumb.jpg"}}
            """);

        var job = await generator.GetJobAsync(Id);

        handler.Requests.ShouldHaveSingleItem().Uri.Query.ShouldBe("?generation_id=" + Id);
        job.Id.ShouldBe(Id);
        job.Vendor.ShouldBe("AIML API");
        job.Model.ShouldBe("ray-2");
        job.Status.ShouldBe(VideoJobStatus.Succeeded);
        job.ResultUri.ShouldBe(new Uri("https://storage.cdn-luma.com/video.mp4"));
        job.ResultUris.ShouldHaveSingleItem();
        job.CreatedAt.ShouldBe(new DateTimeOffset(2026, 3, 8, 12, 0, 0, TimeSpan.Zero));
        job.RawRepresentation.ShouldBeOfType<Generation>();
    }

    [Fact]
    public async Task GetJobAsync_Failed_CarriesTheFailureReason()
    {
        var (generator, _) = Create($$"""{"id": "{{Id}}", "state": "failed", "failure_reason": "400: prompt not allowed"}""");

        var job = await generator.GetJobAsync(Id);

        job.Status.ShouldBe(VideoJobStatus.Failed);
        job.Error.ShouldBe("400: prompt not allowed");
    }

    [Fact]
    public async Task SubmitAsync_Created_MapsToQueuedJobWithTheRequestedModel()
    {
        var (generator, _) = Create();

        var job = await generator.SubmitAsync(new VideoGenerationRequest("Flying jellyfish") { Model = "ray-1-6" });

        job.Id.ShouldBe(Id);
        job.Status.ShouldBe(VideoJobStatus.Queued);
        job.Model.ShouldBe("ray-1-6");
    }

    [Theory]
    [InlineData("queued", VideoJobStatus.Queued)]
    [InlineData("dreaming", VideoJobStatus.Running)]
    [InlineData("completed", VideoJobStatus.Succeeded)]
    [InlineData("failed", VideoJobStatus.Failed)]
    [InlineData("streaming", VideoJobStatus.Unknown)]
    [InlineData("pending", VideoJobStatus.Unknown)]
    [InlineData(null, VideoJobStatus.Unknown)]
    public void ToJobStatus_VendorWord_MapsToNormalizedStatus(string? word, VideoJobStatus expected)
    {
        AimlApiVideoGenerator.ToJobStatus(word).ShouldBe(expected);
    }

    [Theory]
    [InlineData("18500")]
    [InlineData("not-a-uuid")]
    public async Task GetJobAsync_NonUuidId_ThrowsArgumentExceptionNamingTheValueAndSendsNothing(string id)
    {
        var (generator, handler) = Create();

        var e = await Should.ThrowAsync<ArgumentException>(() => generator.GetJobAsync(id));

        e.ParamName.ShouldBe("jobId");
        e.Message.ShouldContain($"'{id}'");
        e.Message.ShouldContain("UUID");
        handler.Requests.ShouldBeEmpty();
    }

    [Fact]
    public void GetService_TypedClientAndVendor_AreReturned()
    {
        var client = TestClients.AimlApi(new StubHttpHandler());
        var generator = client.AsVideoGenerator();

        generator.GetService<IAimlApiClient>().ShouldBeSameAs(client);
        generator.GetService<AimlApiClient>().ShouldBeSameAs(client);
        generator.GetService<VendorInfo>()!.Id.ShouldBe("aimlapi");
    }
}
