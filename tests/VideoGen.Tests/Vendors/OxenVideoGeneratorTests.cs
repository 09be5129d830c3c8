using Newtonsoft.Json.Linq;
using VideoGen.Catalog;
using VideoGen.Journal;
using VideoGen.Oxen;

namespace VideoGen.Tests.Vendors;

public sealed class OxenVideoGeneratorTests
{
    private const string Id = "7cf9b23a-1234-5678-9abc-def012345678";

    private static (IVideoGenerator Generator, StubHttpHandler Handler) Create(
        string enqueued = """{"generations": [{"generation_id": "bb8f5eb7-361e-4e13-ab73-67457bc8057e", "status": "queued"}]}""",
        string generation = $$"""{"generation_id": "{{Id}}", "status": "processing"}""")
    {
        var handler = new StubHttpHandler()
            .OnJson(HttpMethod.Post, "/api/ai/queue", enqueued)
            .OnJson(HttpMethod.Get, "/api/ai/queue/[^/]+", generation);
        return (TestClients.Oxen(handler).AsVideoGenerator(), handler);
    }

    [Fact]
    public async Task SubmitAsync_FullRequest_EnqueuesOnTheAsyncQueue()
    {
        var (generator, handler) = Create();

        await generator.SubmitAsync(
            new VideoGenerationRequest("A sunset timelapse over the ocean")
            {
                Model = "kling-video-v2-6-pro-text-to-video",
                DurationSeconds = 5,
                AspectRatio = "9:16",
            });

        var sent = handler.Requests.ShouldHaveSingleItem();
        sent.Method.ShouldBe(HttpMethod.Post);
        sent.Uri.AbsolutePath.ShouldBe("/api/ai/queue");
        sent.Authorization.ShouldBe("Bearer " + TestClients.ApiKey);
        JToken.DeepEquals(sent.Json, JObject.Parse("""
            {"model": "kling-video-v2-6-pro-text-to-video", "prompt": "A sunset timelapse over the ocean", "duration": 5,
             "aspect_ratio": "9:16"}
            """)).ShouldBeTrue(sent.Body);
    }

    [Fact]
    public async Task SubmitAsync_PromptOnly_SendsModelAndPromptOnly()
    {
        var (generator, handler) = Create();

        await generator.SubmitAsync("A red balloon");

        JToken.DeepEquals(handler.Requests.ShouldHaveSingleItem().Json, JObject.Parse(
            $$"""{"model": "{{VideoModelCatalog.Default.GetVendor("oxen").DefaultModel}}", "prompt": "A red balloon"}""")).ShouldBeTrue();
    }

    [Fact]
    public async Task SubmitAsync_Enqueued_MapsTheFirstGenerationToAQueuedJob()
    {
        var (generator, _) = Create();

        var job = await generator.SubmitAsync("A red balloon");

        job.Id.ShouldBe("bb8f5eb7-361e-4e13-ab73-67457bc8057e");
        job.Vendor.ShouldBe("Oxen.ai");
        job.Model.ShouldBe(VideoModelCatalog.Default.GetVendor("oxen").DefaultModel);
        job.Status.ShouldBe(VideoJobStatus.Queued);
        job.VendorStatus.ShouldBe("queued");
        job.RawRepresentation.ShouldBeOfType<EnqueueGenerationResponse>();
    }

    [Fact]
    public async Task SubmitAsync_EnqueuedWithoutStatus_IsQueued()
    {
        var (generator, _) = Create(enqueued: """{"generations": [{"generation_id": "bb8f5eb7-361e-4e13-ab73-67457bc8057e"}]}""");

        (await generator.SubmitAsync("A red balloon")).Status.ShouldBe(VideoJobStatus.Queued);
    }

    [Fact]
    public async Task SubmitAsync_EnqueueReturnsNoGeneration_ThrowsVideoGenExceptionNamingOxen()
    {
        var (generator, _) = Create(enqueued: """{"generations": []}""");

        var e = await Should.ThrowAsync<VideoGenException>(() => generator.SubmitAsync("A red balloon"));

        e.Vendor.ShouldBe("Oxen.ai");
        e.Message.ShouldContain("no generation id");
    }

    [Fact]
    public async Task GetJobAsync_Succeeded_MapsResultAndUnixTimes()
    {
        var (generator, handler) = Create(generation: $$"""
            {"generation_id": "{{Id}}", "model_name": "kling-video-o3-pro-reference-to-video", "prompt": "An astronaut walking on Mars",
             "media_type": "video", "status": "succeeded", "result_url": "https://hub.oxen.ai/api/repos/x/video.mp4", "error_message": null,
             "enqueued_at": 1775091431, "started_at": 1775091432, "completed_at": 1775091590, "aspect_ratio": "16:9", "duration": 10}
            """);

        var job = await generator.GetJobAsync(Id);

        handler.Requests.ShouldHaveSingleItem().Uri.AbsolutePath.ShouldBe("/api/ai/queue/" + Id);
        job.Id.ShouldBe(Id);
        job.Model.ShouldBe("kling-video-o3-pro-reference-to-video");
        job.Status.ShouldBe(VideoJobStatus.Succeeded);
        job.ResultUri.ShouldBe(new Uri("https://hub.oxen.ai/api/repos/x/video.mp4"));
        job.CreatedAt.ShouldBe(DateTimeOffset.FromUnixTimeSeconds(1775091431));
        job.CompletedAt.ShouldBe(DateTimeOffset.FromUnixTimeSeconds(1775091590));
        job.RawRepresentation.ShouldBeOfType<QueuedGeneration>();
    }

    [Fact]
    public async Task GetJobAsync_Failed_CarriesTheErrorMessage()
    {
        var (generator, _) = Create(generation: $$"""{"generation_id": "{{Id}}", "status": "failed", "error_message": "Insufficient credits", "completed_at": null}""");

        var job = await generator.GetJobAsync(Id);

        job.Status.ShouldBe(VideoJobStatus.Failed);
        job.Error.ShouldBe("Insufficient credits");
        job.CompletedAt.ShouldBeNull();
    }

    [Theory]
    [InlineData("queued", VideoJobStatus.Queued)]
    [InlineData("processing", VideoJobStatus.Running)]
    [InlineData("succeeded", VideoJobStatus.Succeeded)]
    [InlineData("failed", VideoJobStatus.Failed)]
    [InlineData("cancelled", VideoJobStatus.Cancelled)]
    [InlineData("canceled", VideoJobStatus.Unknown)]
    [InlineData("completed", VideoJobStatus.Unknown)]
    [InlineData(null, VideoJobStatus.Unknown)]
    public void ToJobStatus_VendorWord_MapsToNormalizedStatus(string? word, VideoJobStatus expected)
    {
        OxenVideoGenerator.ToJobStatus(word).ShouldBe(expected);
    }

    [Theory]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void FromUnixSeconds_OutOfRange_IsNullNotAnException(long seconds)
    {
        OxenVideoGenerator.FromUnixSeconds(seconds).ShouldBeNull();
    }

    [Fact]
    public async Task GetJobAsync_NonUuidId_ThrowsArgumentExceptionNamingTheValueAndSendsNothing()
    {
        var (generator, handler) = Create();

        var e = await Should.ThrowAsync<ArgumentException>(() => generator.GetJobAsync("gen_123"));

        e.Message.ShouldContain("'gen_123'");
        e.Message.ShouldContain("UUID");
        handler.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task SubmitAsync_FieldsOxenHasNoPlaceFor_ThrowValidationAndSendNothing()
    {
        var (generator, handler) = Create();

        var e = await Should.ThrowAsync<VideoGenValidationException>(() => generator.SubmitAsync(
            new VideoGenerationRequest("A red balloon") { EndImage = new Uri("https://example.com/end.png"), Resolution = "720p", Loop = false },
            new VideoGenerationOptions { WebhookUrl = new Uri("https://hooks.example.com/x") }));

        new[] { "EndImage", "Resolution", "Loop", "WebhookUrl" }.ShouldBeSubsetOf(e.Failures.Select(f => f.Field));
        handler.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task FindCandidatesAsync_JobAlreadyFinished_FoundBecauseEveryFinalStateIsListedAfterTheActiveOnes()
    {
        var now = DateTimeOffset.UtcNow;
        static string Listing(params (string Id, string Status, string Prompt, DateTimeOffset At)[] items) =>
            new JObject
            {
                ["count"] = items.Length,
                ["generations"] = new JArray(items.Select(g => new JObject { ["generation_id"] = g.Id, ["status"] = g.Status, ["prompt"] = g.Prompt, ["enqueued_at"] = g.At.ToUnixTimeSeconds() })),
            }.ToString();
        var handler = new StubHttpHandler().On(HttpMethod.Get, "/api/ai/queue", request => StubHttpHandler.Json(
            System.Web.HttpUtility.ParseQueryString(request.Uri.Query)["status"] switch
            {
                // Without status Oxen lists only active generations; the submission's one already succeeded.
                null => Listing((Guid.NewGuid().ToString(), "processing", "another", now)),
                "succeeded" => Listing((Id, "succeeded", "dawn", now), (Guid.NewGuid().ToString(), "succeeded", "dawn", now.AddHours(-1))),
                _ => Listing(),
            }));
        var reconciler = (ISubmissionReconciler)TestClients.Oxen(handler).AsVideoGenerator().GetService(typeof(ISubmissionReconciler))!;

        var candidates = await reconciler.FindCandidatesAsync(Entry("dawn", now), CancellationToken.None);

        candidates.ShouldNotBeNull().Select(j => j.Id).ShouldBe([Id], "the same prompt enqueued an hour before the intent is another submission's");
        handler.Requests.Select(r => System.Web.HttpUtility.ParseQueryString(r.Uri.Query)["status"]).ShouldBe([null, "succeeded", "failed", "cancelled"]);
        handler.Requests.ShouldAllBe(r => System.Web.HttpUtility.ParseQueryString(r.Uri.Query)["model"] == "kling-video-v2-6-pro-text-to-video");
    }

    [Fact]
    public async Task FindCandidatesAsync_CountAboveTheGenerationsShown_CannotTell()
    {
        var handler = new StubHttpHandler().OnJson(HttpMethod.Get, "/api/ai/queue", """{"count": 250, "generations": []}""");
        var reconciler = (ISubmissionReconciler)TestClients.Oxen(handler).AsVideoGenerator().GetService(typeof(ISubmissionReconciler))!;

        var candidates = await reconciler.FindCandidatesAsync(Entry("dawn", DateTimeOffset.UtcNow), CancellationToken.None);

        candidates.ShouldBeNull("a shortened listing proves no job's absence");
    }

    private static JournalEntry Entry(string prompt, DateTimeOffset at) =>
        new("c1", "line-1", "oxen", "kling-video-v2-6-pro-text-to-video", prompt, "{}", JournalState.OutcomeUnknown, null, null, at, at);

    [Fact]
    public void GetService_TypedClientAndVendor_AreReturned()
    {
        var client = TestClients.Oxen(new StubHttpHandler());
        var generator = client.AsVideoGenerator();

        generator.GetService<IOxenClient>().ShouldBeSameAs(client);
        generator.GetService<OxenClient>().ShouldBeSameAs(client);
        generator.GetService<VendorInfo>()!.Id.ShouldBe("oxen");
    }
}
