using System.Net;
using Newtonsoft.Json.Linq;
using VideoGen.Catalog;
using VideoGen.Elumenta;

namespace VideoGen.Tests.Vendors;

public sealed class ElumentaVideoGeneratorTests
{
    private const string Pending = """{"id": 18500, "status": "pending", "model_slug": "kling-v2.1", "result_url": null, "tokens_spent": 0, "created_at": "2026-03-08T12:05:00Z"}""";

    private const string Completed = """
        {"id": 18500, "status": "completed", "model_slug": "kling-v2.1",
         "result_url": "https://storage.elumenta.ru/generations/18500.mp4", "tokens_spent": 26,
         "result_metadata": {"duration": 5, "width": 1920, "height": 1080},
         "created_at": "2026-03-08T12:05:00Z", "completed_at": "2026-03-08T12:05:55Z"}
        """;

    private static (IVideoGenerator Generator, StubHttpHandler Handler) Create(string vendor = "Elumenta", string? vendorId = null)
    {
        var handler = new StubHttpHandler()
            .OnJson(HttpMethod.Post, "/api/v2/generate", Pending)
            .OnJson(HttpMethod.Get, "/api/v2/generate/18500", Completed);
        return (TestClients.Elumenta(handler, vendor).AsVideoGenerator(vendorId), handler);
    }

    [Fact]
    public async Task SubmitAsync_FullRequest_SendsEveryElumentaField()
    {
        var (generator, handler) = Create();

        await generator.SubmitAsync(new VideoGenerationRequest("A blooming flower, macro")
        {
            Model = "luma-ray2",
            DurationSeconds = 10,
            AspectRatio = "9:16",
            StartImage = new Uri("https://example.com/portrait.jpg"),
            NegativePrompt = "blur, text",
        });

        var sent = handler.Requests.ShouldHaveSingleItem();
        sent.Method.ShouldBe(HttpMethod.Post);
        sent.Authorization.ShouldBe("Bearer " + TestClients.ApiKey);
        JToken.DeepEquals(sent.Json, JObject.Parse("""
            {"model": "luma-ray2", "prompt": "A blooming flower, macro", "image_url": "https://example.com/portrait.jpg",
             "duration": 10, "aspect_ratio": "9:16", "negative_prompt": "blur, text"}
            """)).ShouldBeTrue(sent.Body);
    }

    [Fact]
    public async Task SubmitAsync_PromptOnly_SendsCatalogDefaultModelAndContractDefaults()
    {
        var (generator, handler) = Create();

        await generator.SubmitAsync("A red balloon");

        var json = handler.Requests.ShouldHaveSingleItem().Json;
        json["model"]!.ToString().ShouldBe(VideoModelCatalog.Default.GetVendor("elumenta").DefaultModel);
        json["prompt"]!.ToString().ShouldBe("A red balloon");
        ((int)json["duration"]!).ShouldBe(5);
        json["aspect_ratio"]!.ToString().ShouldBe("16:9");
        json.ContainsKey("image_url").ShouldBeFalse();
        json.ContainsKey("negative_prompt").ShouldBeFalse();
    }

    [Fact]
    public async Task SubmitAsync_ModelInOtherCase_SendsTheWireId()
    {
        var (generator, handler) = Create();

        await generator.SubmitAsync(new VideoGenerationRequest("A red balloon") { Model = "KLING-V2.1" });

        handler.Requests.ShouldHaveSingleItem().Json["model"]!.ToString().ShouldBe("kling-v2.1");
    }

    [Fact]
    public async Task SubmitAsync_AdditionalProperties_AreRefusedBecauseTheContractHasNoPlaceForThem()
    {
        var (generator, handler) = Create();

        var e = await Should.ThrowAsync<VideoGenValidationException>(() => generator.SubmitAsync(new VideoGenerationRequest("A red balloon"), new VideoGenerationOptions
        {
            AdditionalProperties = new Dictionary<string, object?> { ["seed"] = 42 },
        }));

        e.Failures.ShouldHaveSingleItem().Field.ShouldBe("AdditionalProperties");
        handler.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task SubmitAsync_PendingResponse_MapsToQueuedJob()
    {
        var (generator, _) = Create();

        var job = await generator.SubmitAsync("A red balloon");

        job.Id.ShouldBe("18500");
        job.Vendor.ShouldBe("Elumenta");
        job.Model.ShouldBe("kling-v2.1");
        job.Status.ShouldBe(VideoJobStatus.Queued);
        job.VendorStatus.ShouldBe("pending");
        job.HasCompleted.ShouldBeFalse();
        job.ResultUri.ShouldBeNull();
        job.ResultUris.ShouldBeEmpty();
        job.CreatedAt.ShouldBe(new DateTimeOffset(2026, 3, 8, 12, 5, 0, TimeSpan.Zero));
        job.RawRepresentation.ShouldBeOfType<Generation>().Id.ShouldBe(18500);
    }

    [Fact]
    public async Task GetJobAsync_CompletedGeneration_MapsResultCostAndTimes()
    {
        var (generator, handler) = Create();

        var job = await generator.GetJobAsync("18500");

        handler.Requests.ShouldHaveSingleItem().Uri.AbsolutePath.ShouldBe("/api/v2/generate/18500");
        job.Status.ShouldBe(VideoJobStatus.Succeeded);
        job.ResultUri.ShouldBe(new Uri("https://storage.elumenta.ru/generations/18500.mp4"));
        job.ResultUris.ShouldBe([new Uri("https://storage.elumenta.ru/generations/18500.mp4")]);
        job.Cost.ShouldBe(new VideoCost(26, "Elumenta tokens"));
        job.CompletedAt.ShouldBe(new DateTimeOffset(2026, 3, 8, 12, 5, 55, TimeSpan.Zero));
        job.Error.ShouldBeNull();
    }

    [Fact]
    public async Task GetJobAsync_FailedGeneration_CarriesTheVendorError()
    {
        var handler = new StubHttpHandler().OnJson(HttpMethod.Get, "/api/v2/generate/7",
            """{"id": 7, "status": "failed", "error": "Content policy violation", "tokens_spent": 0}""");

        var job = await TestClients.Elumenta(handler).AsVideoGenerator().GetJobAsync("7");

        job.Status.ShouldBe(VideoJobStatus.Failed);
        job.Error.ShouldBe("Content policy violation");
        job.HasCompleted.ShouldBeTrue();
    }

    [Theory]
    [InlineData("pending", VideoJobStatus.Queued)]
    [InlineData("completed", VideoJobStatus.Succeeded)]
    [InlineData("failed", VideoJobStatus.Failed)]
    [InlineData("COMPLETED", VideoJobStatus.Succeeded)]
    [InlineData("processing", VideoJobStatus.Unknown)]
    [InlineData("cancelled", VideoJobStatus.Unknown)]
    [InlineData("", VideoJobStatus.Unknown)]
    [InlineData(null, VideoJobStatus.Unknown)]
    public void ToJobStatus_VendorWord_MapsToNormalizedStatus(string? word, VideoJobStatus expected)
    {
        ElumentaVideoGenerator.ToJobStatus(word).ShouldBe(expected);
    }

    [Fact]
    public async Task GetJobAsync_UnknownStatusWord_IsUnknownAndKeepsTheWord()
    {
        var handler = new StubHttpHandler().OnJson(HttpMethod.Get, "/api/v2/generate/9", """{"id": 9, "status": "upscaling"}""");

        var job = await TestClients.Elumenta(handler).AsVideoGenerator().GetJobAsync("9");

        job.Status.ShouldBe(VideoJobStatus.Unknown);
        job.VendorStatus.ShouldBe("upscaling");
    }

    [Theory]
    [InlineData("gen_abc123")]
    [InlineData("12.5")]
    [InlineData("-3")]
    [InlineData("1e3")]
    public async Task GetJobAsync_NonIntegerId_ThrowsArgumentExceptionNamingTheValueAndSendsNothing(string id)
    {
        var (generator, handler) = Create();

        var e = await Should.ThrowAsync<ArgumentException>(() => generator.GetJobAsync(id));

        e.ParamName.ShouldBe("jobId");
        e.Message.ShouldContain($"'{id}'");
        e.Message.ShouldContain("integer");
        handler.Requests.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task GetJobAsync_BlankId_ThrowsArgumentException(string id)
    {
        var (generator, handler) = Create();

        await Should.ThrowAsync<ArgumentException>(() => generator.GetJobAsync(id));
        handler.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task SubmitAsync_DurationElumentaDoesNotOffer_ThrowsValidationAndSendsNothing()
    {
        var (generator, handler) = Create();

        var e = await Should.ThrowAsync<VideoGenValidationException>(() =>
            generator.SubmitAsync(new VideoGenerationRequest("A red balloon") { DurationSeconds = 7 }));

        e.Failures.ShouldContain(f => f.Field == "DurationSeconds" && f.Value == "7" && f.Allowed.Contains("5 or 10"));
        handler.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task SubmitAsync_FieldsElumentaHasNoPlaceFor_ListsEveryOneAndSendsNothing()
    {
        var (generator, handler) = Create();

        var e = await Should.ThrowAsync<VideoGenValidationException>(() => generator.SubmitAsync(
            new VideoGenerationRequest("A red balloon")
            {
                AspectRatio = "4:3",
                EndImage = new Uri("https://example.com/end.jpg"),
                Loop = true,
                Resolution = "4k",
            },
            new VideoGenerationOptions { WebhookUrl = new Uri("https://hooks.example.com/x") }));

        e.Failures.Select(f => f.Field).ShouldBeUnique();
        new[] { "AspectRatio", "EndImage", "Loop", "WebhookUrl", "Resolution" }.ShouldBeSubsetOf(e.Failures.Select(f => f.Field));
        e.Failures.Single(f => f.Field == "AspectRatio").Allowed.ShouldContain("16:9, 9:16 or 1:1");
        e.Vendor.ShouldBe("Elumenta");
        handler.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task SubmitAsync_ResolutionTheModelProduces_IsAcceptedAndNotSent()
    {
        var (generator, handler) = Create();

        await generator.SubmitAsync(new VideoGenerationRequest("A red balloon") { Model = "mj-video-720p", Resolution = "720p" });

        handler.Requests.ShouldHaveSingleItem().Json.ContainsKey("resolution").ShouldBeFalse();
    }

    [Fact]
    public async Task SubmitAsync_EmptyPrompt_ThrowsValidationAndSendsNothing()
    {
        var (generator, handler) = Create();

        await Should.ThrowAsync<VideoGenValidationException>(() => generator.SubmitAsync(new VideoGenerationRequest(" ")));

        handler.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task AsVideoGenerator_NeuralBoxClient_UsesNeuralBoxNameAndPriceUnit()
    {
        var (generator, _) = Create(vendor: "NeuralBox");

        var job = await generator.GetJobAsync("18500");

        generator.GetService<VendorInfo>()!.Id.ShouldBe("neuralbox");
        job.Vendor.ShouldBe("NeuralBox");
        job.Cost.ShouldBe(new VideoCost(26, "NeuralBox tokens"));
    }

    [Fact]
    public void AsVideoGenerator_ExplicitVendorId_WinsOverTheClientsVendor()
    {
        var (generator, _) = Create(vendor: "Elumenta", vendorId: "neuralbox");

        generator.GetService<VendorInfo>()!.DisplayName.ShouldBe("NeuralBox");
    }

    [Fact]
    public void AsVideoGenerator_VendorOfAnotherContract_ThrowsArgumentExceptionListingTheAllowed()
    {
        var client = TestClients.Elumenta(new StubHttpHandler());

        var e = Should.Throw<ArgumentException>(() => client.AsVideoGenerator("oxen"));

        e.Message.ShouldContain("'oxen'");
        e.Message.ShouldContain("elumenta or neuralbox");
    }

    [Fact]
    public void GetService_TypedClientAdapterAndVendor_AreReturned()
    {
        var client = TestClients.Elumenta(new StubHttpHandler());
        var generator = client.AsVideoGenerator();

        generator.GetService<IElumentaClient>().ShouldBeSameAs(client);
        generator.GetService<ElumentaClient>().ShouldBeSameAs(client);
        generator.GetService<IVideoGenerator>().ShouldBeSameAs(generator);
        generator.GetService<VendorInfo>().ShouldBeSameAs(VideoModelCatalog.Default.GetVendor("elumenta"));
        generator.GetService<IElumentaClient>("some-key").ShouldBeNull();
        generator.GetService<HttpClient>().ShouldBeNull();
        generator.GetService<Apiframe.IApiframeClient>().ShouldBeNull();
    }

    [Fact]
    public async Task SubmitAsync_NotFoundOnRead_DoesNotClaimTheJobExists()
    {
        var handler = new StubHttpHandler().OnJson(HttpMethod.Get, "/api/v2/generate/5",
            """{"error": "not_found", "message": "Generation not found"}""", HttpStatusCode.NotFound);

        var e = await Should.ThrowAsync<VideoGenException>(() => TestClients.Elumenta(handler).AsVideoGenerator().GetJobAsync("5"));

        e.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        e.ErrorCode.ShouldBe("not_found");
        e.JobId.ShouldBeNull();
    }

    [Fact]
    public async Task GetJobAsync_RateLimitedRead_KeepsTheJobIdForARetry()
    {
        var handler = new StubHttpHandler().OnJson(HttpMethod.Get, "/api/v2/generate/5",
            """{"error": "rate_limit_exceeded", "message": "Too many requests"}""", HttpStatusCode.TooManyRequests);

        var e = await Should.ThrowAsync<RateLimitedException>(() => TestClients.Elumenta(handler).AsVideoGenerator().GetJobAsync("5"));

        e.JobId.ShouldBe("5");
    }
}
