using System.Net;
using Newtonsoft.Json.Linq;
using VideoGen.Elumenta;
using VideoGen.Oxen;
using VideoGen.Pricing;

namespace VideoGen.Tests.Vendors;

/// <summary>Issue 10's findings for Elumenta/NeuralBox and Oxen.ai, and cancel through <see cref="IVideoGenerator"/>, through the real adapters over in-memory HTTP.</summary>
public sealed class VendorContractFindingsTests
{
    private const string OxenId = "7cf9b23a-1234-5678-9abc-def012345678";

    [Fact]
    public async Task SubmitAsync_ElumentaSlugDocumentedElsewhere_IsSentAsGiven()
    {
        var handler = new StubHttpHandler().OnJson(HttpMethod.Post, "/api/v2/generate", """{"id": 18501, "status": "pending", "model_slug": "kling-v2.1-pro"}""");
        var generator = TestClients.Elumenta(handler).AsVideoGenerator();

        var job = await generator.SubmitAsync(new VideoGenerationRequest("A flower") { Model = "kling-v2.1-pro" });

        ((string?)handler.Requests.ShouldHaveSingleItem().Json["model"]).ShouldBe("kling-v2.1-pro");
        job.Id.ShouldBe("18501");
    }

    [Fact]
    public async Task GetJobAsync_ElumentaPendingWithExplicitNulls_ReadsAsQueued()
    {
        // The vendor sends unfinished fields as null (issue 10): thumbnail_url, error, result_metadata, completed_at.
        var handler = new StubHttpHandler().OnJson(HttpMethod.Get, "/api/v2/generate/18502", """
            {"id": 18502, "status": "pending", "model_slug": null, "result_url": null, "thumbnail_url": null, "tokens_spent": null,
             "result_metadata": null, "error": null, "processing_ms": null, "created_at": "2026-03-08T12:05:00Z", "completed_at": null}
            """);

        var job = await TestClients.Elumenta(handler).AsVideoGenerator().GetJobAsync("18502");

        job.Status.ShouldBe(VideoJobStatus.Queued);
        job.Error.ShouldBeNull();
        job.Cost.ShouldBeNull();
    }

    [Fact]
    public async Task QuoteAsync_Elumenta_IsTheVendorsCalculatePriceFigure()
    {
        var handler = new StubHttpHandler().OnJson(HttpMethod.Post, "/api/v2/models/kling-v2.1/calculate-price",
            """{"token_cost": 44, "min_token_cost": 26, "max_token_cost": 94, "pricing_type": "per_second"}""");
        var generator = TestClients.Elumenta(handler).AsVideoGenerator();

        var quote = await generator.GetService<IVideoPriceQuoter>()!.QuoteAsync(new VideoGenerationRequest("A flower") { Model = "kling-v2.1", DurationSeconds = 5, AspectRatio = "16:9" });

        quote.IsExact.ShouldBeTrue();
        quote.Min.ShouldBe(44m);
        quote.Unit.ShouldBe("Elumenta tokens");
        quote.Reason.ShouldContain("Calculate Price");
        JToken.DeepEquals(handler.Requests.ShouldHaveSingleItem().Json, JObject.Parse("""{"params": {"duration": 5, "aspect_ratio": "16:9"}, "count": 1}""")).ShouldBeTrue();
    }

    [Fact]
    public async Task QuoteAsync_ElumentaQuoteFails_FallsBackToTheCatalogRangeAndSaysSo()
    {
        var handler = new StubHttpHandler().OnJson(HttpMethod.Post, "/api/v2/models/kling-v2.1/calculate-price",
            """{"error": "provider_error", "message": "upstream down"}""", HttpStatusCode.InternalServerError);

        var quote = await TestClients.Elumenta(handler).AsVideoGenerator().GetService<IVideoPriceQuoter>()!
            .QuoteAsync(new VideoGenerationRequest("A flower") { Model = "kling-v2.1", DurationSeconds = 10 });

        quote.Max.ShouldBe(94m);
        quote.IsExact.ShouldBeFalse();
        quote.Reason.ShouldContain("price quote failed");
    }

    [Theory]
    [InlineData("""{"token_cost": -5}""")]
    [InlineData("""{"token_cost": 0, "min_token_cost": 26, "max_token_cost": 94}""")]
    [InlineData("""{"token_cost": 500, "min_token_cost": 26, "max_token_cost": 94}""")]
    public async Task QuoteAsync_ElumentaQuoteThatIsNotAPrice_FallsBackToTheCatalogWorstCase(string answer)
    {
        // Found by the fresh-eyes attack: a budget of 100 let three lines of worst case 94 through on quotes of 0 and -5.
        var handler = new StubHttpHandler().OnJson(HttpMethod.Post, "/api/v2/models/kling-v2.1/calculate-price", answer);

        var quote = await TestClients.Elumenta(handler).AsVideoGenerator().GetService<IVideoPriceQuoter>()!
            .QuoteAsync(new VideoGenerationRequest("A flower") { Model = "kling-v2.1", DurationSeconds = 10 });

        quote.IsExact.ShouldBeFalse();
        quote.Max.ShouldBe(94m);
        quote.Reason.ShouldContain("not a price");
    }

    [Fact]
    public async Task QuoteAsync_ElumentaQuoteOfNothingForAPricedModel_FallsBackToTheCatalogWorstCase()
    {
        // Found by the fresh-eyes attack: an answer that agrees with itself (0 within 0-0) made every kling-v2.1 job cost 0
        // for the budget, so MaxTotalCost never stopped a run; the catalog prices the model from 26.
        var handler = new StubHttpHandler().OnJson(HttpMethod.Post, "/api/v2/models/kling-v2.1/calculate-price",
            """{"token_cost": 0, "min_token_cost": 0, "max_token_cost": 0}""");

        var quote = await TestClients.Elumenta(handler).AsVideoGenerator().GetService<IVideoPriceQuoter>()!
            .QuoteAsync(new VideoGenerationRequest("A flower") { Model = "kling-v2.1", DurationSeconds = 10 });

        quote.IsExact.ShouldBeFalse();
        quote.Max.ShouldBe(94m);
        quote.Reason.ShouldContain("quoted 0 ");
    }

    [Fact]
    public async Task QuoteAsync_ElumentaPositiveQuoteBelowTheCatalogsRange_IsTheVendorsExactPrice()
    {
        // The vendor's own Calculate Price example quotes 13 (range 5-13) where the catalog's range for kling-v2.1 starts
        // at 26: the catalog is not the vendor's floor, so a positive quote is believed.
        var handler = new StubHttpHandler().OnJson(HttpMethod.Post, "/api/v2/models/kling-v2.1/calculate-price",
            """{"token_cost": 13, "min_token_cost": 5, "max_token_cost": 13}""");

        var quote = await TestClients.Elumenta(handler).AsVideoGenerator().GetService<IVideoPriceQuoter>()!
            .QuoteAsync(new VideoGenerationRequest("A flower") { Model = "kling-v2.1", DurationSeconds = 10 });

        quote.IsExact.ShouldBeTrue();
        quote.Max.ShouldBe(13m);
    }

    [Fact]
    public async Task SubmitAsync_ElumentaPerCallBudget_UsesTheVendorsQuote()
    {
        // The catalog's worst case for kling-v2.1 is 94; the vendor quotes 44, so a budget of 50 fits.
        var handler = new StubHttpHandler()
            .OnJson(HttpMethod.Post, "/api/v2/models/kling-v2.1/calculate-price", """{"token_cost": 44}""")
            .OnJson(HttpMethod.Post, "/api/v2/generate", """{"id": 18500, "status": "pending"}""");
        var generator = TestClients.Elumenta(handler).AsVideoGenerator();

        await generator.SubmitAsync(new VideoGenerationRequest("A flower") { Model = "kling-v2.1", DurationSeconds = 10 }, new VideoGenerationOptions { MaxCost = 50m });

        handler.Requests.Select(r => r.Uri.AbsolutePath).ShouldBe(["/api/v2/models/kling-v2.1/calculate-price", "/api/v2/generate"]);
    }

    [Fact]
    public async Task SubmitAsync_ElumentaQuoteAboveTheBudget_SendsNothingPaid()
    {
        var handler = new StubHttpHandler()
            .OnJson(HttpMethod.Post, "/api/v2/models/kling-v2.1/calculate-price", """{"token_cost": 60}""")
            .OnJson(HttpMethod.Post, "/api/v2/generate", """{"id": 18500, "status": "pending"}""");

        await Should.ThrowAsync<BudgetExceededException>(() => TestClients.Elumenta(handler).AsVideoGenerator()
            .SubmitAsync(new VideoGenerationRequest("A flower") { Model = "kling-v2.1", DurationSeconds = 10 }, new VideoGenerationOptions { MaxCost = 50m }));

        handler.Requests.ShouldAllBe(r => r.Uri.AbsolutePath.EndsWith("/calculate-price", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SubmitAsync_Elumenta403InsufficientPlan_IsTyped()
    {
        var handler = new StubHttpHandler().OnJson(HttpMethod.Post, "/api/v2/generate",
            """{"error": "insufficient_plan", "message": "This model requires the Pro plan"}""", HttpStatusCode.Forbidden);

        var error = await Should.ThrowAsync<InsufficientPlanException>(() => TestClients.Elumenta(handler).AsVideoGenerator().SubmitAsync("A flower"));

        error.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        error.ErrorCode.ShouldBe("insufficient_plan");
        error.Message.ShouldContain("This model requires the Pro plan");
    }

    [Fact]
    public async Task CancelAsync_Oxen_DeletesTheQueueItemAndReturnsTheCancelledJob()
    {
        var handler = new StubHttpHandler()
            .OnJson(HttpMethod.Delete, "/api/ai/queue/" + OxenId, $$"""{"generation_id": "{{OxenId}}", "status": "cancelled"}""")
            .OnJson(HttpMethod.Get, "/api/ai/queue/" + OxenId, $$"""{"generation_id": "{{OxenId}}", "status": "cancelled", "model_name": "kling-video-v2-6-pro-text-to-video"}""");

        var job = await TestClients.Oxen(handler).AsVideoGenerator().CancelAsync(OxenId);

        job.Status.ShouldBe(VideoJobStatus.Cancelled);
        handler.Requests[0].Method.ShouldBe(HttpMethod.Delete);
        handler.Requests[0].Uri.AbsolutePath.ShouldBe("/api/ai/queue/" + OxenId);
    }

    [Fact]
    public async Task CancelAsync_ThroughMiddleware_ReachesTheAdapter()
    {
        var handler = new StubHttpHandler()
            .OnJson(HttpMethod.Delete, "/api/ai/queue/" + OxenId, $$"""{"generation_id": "{{OxenId}}", "status": "cancelled"}""")
            .OnJson(HttpMethod.Get, "/api/ai/queue/" + OxenId, $$"""{"generation_id": "{{OxenId}}", "status": "cancelled"}""");
        IVideoGenerator generator = new Forwarding(TestClients.Oxen(handler).AsVideoGenerator());

        (await generator.CancelAsync(OxenId)).Status.ShouldBe(VideoJobStatus.Cancelled);
        handler.Requests.ShouldContain(r => r.Method == HttpMethod.Delete);
    }

    [Fact]
    public async Task CancelAsync_Elumenta_IsNotSupportedAndSendsNothing()
    {
        var handler = new StubHttpHandler();

        var error = await Should.ThrowAsync<VideoGenNotSupportedException>(() => TestClients.Elumenta(handler).AsVideoGenerator().CancelAsync("18500"));

        error.Message.ShouldBe("Cancelling a job is not supported by Elumenta: its published API has no such operation.");
        handler.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task CancelAsync_AGeneratorWithoutCancel_UsesTheInterfaceDefault()
    {
        IVideoGenerator generator = new NoCancel();

        var error = await Should.ThrowAsync<VideoGenNotSupportedException>(() => generator.CancelAsync("1"));

        error.Vendor.ShouldBeNull();
    }

    [Fact]
    public async Task GetJobAsync_Oxen404ForAJobThisClientSubmitted_IsExpiredNotUnknown()
    {
        var handler = new StubHttpHandler()
            .OnJson(HttpMethod.Post, "/api/ai/queue", $$"""{"generations": [{"generation_id": "{{OxenId}}", "status": "queued"}]}""")
            .OnJson(HttpMethod.Get, "/api/ai/queue/[^/]+",
                """{"error": {"type": "resource_not_found", "title": "The requested resource could not be found"}, "status": "error", "status_message": "resource_not_found"}""",
                HttpStatusCode.NotFound);
        var generator = TestClients.Oxen(handler).AsVideoGenerator();
        var job = await generator.SubmitAsync("A red balloon");

        var expired = await Should.ThrowAsync<VideoGenJobExpiredException>(() => generator.GetJobAsync(job.Id));
        expired.JobId.ShouldBe(OxenId);
        expired.StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // An id this client never submitted stays a plain 404.
        var unknown = await Should.ThrowAsync<VideoGenException>(() => generator.GetJobAsync("00000000-1111-2222-3333-444444444444"));
        unknown.ShouldNotBeOfType<VideoGenJobExpiredException>();
    }

    private sealed class Forwarding(IVideoGenerator inner) : DelegatingVideoGenerator(inner);

    private sealed class NoCancel : IVideoGenerator
    {
        public Task<VideoJob> SubmitAsync(VideoGenerationRequest request, VideoGenerationOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<VideoJob> GetJobAsync(string jobId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
