using System.Net;
using VideoGen.Catalog;
using VideoGen.Pricing;

namespace VideoGen.Tests.Pricing;

public sealed class BudgetVideoGeneratorTests
{
    private static readonly VendorInfo Elumenta = VideoModelCatalog.Default.GetVendor("elumenta");
    private static readonly VendorInfo Gateway = VideoModelCatalog.Default.GetVendor("gateway");
    private static readonly VendorInfo Aiml = VideoModelCatalog.Default.GetVendor("aimlapi");

    private static VideoGenerationRequest Kling10s() => new("a drone flyover") { Model = "kling-v2.1", DurationSeconds = 10 };

    [Fact]
    public async Task SubmitAsync_PerCallBudgetBelowWorstCase_RefusesAndSendsNothing()
    {
        var inner = new RecordingVideoGenerator();
        using var generator = new BudgetVideoGenerator(inner, Elumenta);

        var error = await Should.ThrowAsync<BudgetExceededException>(() =>
            generator.SubmitAsync(Kling10s(), new VideoGenerationOptions { MaxCost = 50m }));

        inner.Submitted.ShouldBeEmpty();
        error.Scope.ShouldBe(BudgetScope.PerCall);
        error.Budget.ShouldBe(50m);
        error.Unit.ShouldBe("Elumenta tokens");
        error.Estimate.Max.ShouldBe(94m);
        error.Vendor.ShouldBe("Elumenta");
        error.Message.ShouldStartWith("Not sent: the worst case of this kling-v2.1 request at Elumenta, 94 Elumenta tokens, exceeds the per-call budget (VideoGenerationOptions.MaxCost) of 50 Elumenta tokens.");
        error.Message.ShouldContain("Estimate: 26–94 Elumenta tokens.");
        error.Message.ShouldContain("Token cost depends on duration and resolution");
        error.ShouldBeAssignableTo<VideoGenException>();
    }

    [Fact]
    public async Task SubmitAsync_PerCallBudgetAboveTheMinimumButBelowTheMax_StillRefuses()
    {
        // The minimum (26) fits 30 but the worst case (94) does not: the guard decides on the worst case.
        var inner = new RecordingVideoGenerator();
        using var generator = new BudgetVideoGenerator(inner, Elumenta);

        await Should.ThrowAsync<BudgetExceededException>(() => generator.SubmitAsync(Kling10s(), new VideoGenerationOptions { MaxCost = 30m }));

        inner.Submitted.ShouldBeEmpty();
    }

    [Fact]
    public async Task SubmitAsync_PerCallBudgetEqualToTheWorstCase_PassesThroughUnchanged()
    {
        var inner = new RecordingVideoGenerator();
        using var generator = new BudgetVideoGenerator(inner, Elumenta);
        var request = Kling10s();
        var options = new VideoGenerationOptions { MaxCost = 94m };

        var job = await generator.SubmitAsync(request, options);

        job.Id.ShouldBe("1");
        inner.Submitted.Count.ShouldBe(1);
        inner.Submitted.Single().Request.ShouldBeSameAs(request);
        inner.Submitted.Single().Options.ShouldBeSameAs(options);
        generator.TotalWorstCase.ShouldBe(94m);
    }

    [Fact]
    public async Task SubmitAsync_AnExampleIsNotAPrice_TheWorstCaseMustFit()
    {
        // Issue 10: seed 000's "kling-v2.1, 5 s: tokens_spent 26" is one example (the status page shows 44), not the price.
        var inner = new RecordingVideoGenerator();
        using var generator = new BudgetVideoGenerator(inner, Elumenta, new VideoBudgetOptions { MaxCostPerJob = 26m });

        await Should.ThrowAsync<BudgetExceededException>(() => generator.SubmitAsync(new VideoGenerationRequest("a flower") { Model = "kling-v2.1", DurationSeconds = 5 }));

        inner.Submitted.ShouldBeEmpty();
    }

    [Fact]
    public async Task SubmitAsync_VendorQuoteFitsTheBudget_PassesEvenThoughTheCatalogRangeWouldNot()
    {
        // With a key, Elumenta's Calculate Price gives the exact figure, which the budget uses.
        var handler = new VideoGen.Tests.Vendors.StubHttpHandler()
            .OnJson(HttpMethod.Post, "/api/v2/models/kling-v2.1/calculate-price", """{"token_cost": 26}""")
            .OnJson(HttpMethod.Post, "/api/v2/generate", """{"id": 18500, "status": "pending"}""");
        var inner = VideoGen.Elumenta.ElumentaClientExtensions.AsVideoGenerator(VideoGen.Tests.Vendors.TestClients.Elumenta(handler));
        using var generator = new BudgetVideoGenerator(inner, Elumenta, new VideoBudgetOptions { MaxCostPerJob = 26m });

        await generator.SubmitAsync(new VideoGenerationRequest("a flower") { Model = "kling-v2.1", DurationSeconds = 10 });

        generator.TotalWorstCase.ShouldBe(26m);
        handler.Requests.Select(r => r.Uri.AbsolutePath).ShouldBe(["/api/v2/models/kling-v2.1/calculate-price", "/api/v2/generate"]);
    }

    [Fact]
    public async Task SubmitAsync_BudgetMiddlewareAndPerCallBudgetOverElumenta_AsksForThePriceOnce()
    {
        // The pipeline's own per-call budget (below) reuses the figure this middleware asked for.
        var handler = new VideoGen.Tests.Vendors.StubHttpHandler()
            .OnJson(HttpMethod.Post, "/api/v2/models/kling-v2.1/calculate-price", """{"token_cost": 26}""")
            .OnJson(HttpMethod.Post, "/api/v2/generate", """{"id": 18500, "status": "pending"}""");
        var inner = VideoGen.Elumenta.ElumentaClientExtensions.AsVideoGenerator(VideoGen.Tests.Vendors.TestClients.Elumenta(handler));
        using var generator = new BudgetVideoGenerator(inner, Elumenta, new VideoBudgetOptions { MaxCostPerJob = 26m });

        await generator.SubmitAsync(new VideoGenerationRequest("a flower") { Model = "kling-v2.1", DurationSeconds = 10 }, new VideoGenerationOptions { MaxCost = 30m });

        handler.Requests.Select(r => r.Uri.AbsolutePath).ShouldBe(["/api/v2/models/kling-v2.1/calculate-price", "/api/v2/generate"]);
    }

    [Theory]
    [InlineData("aimlapi")]
    [InlineData("elumenta")]
    public async Task SubmitAsync_InvalidRequestAndABudgetItBreaks_TheValidationErrorComesFirstAndNothingIsSent(string vendor)
    {
        var handler = new VideoGen.Tests.Vendors.StubHttpHandler();
        var inner = VideoGen.Tests.Vendors.TestClients.Generator(VideoGen.VendorDescriptors.Get(vendor), handler);
        using var generator = new BudgetVideoGenerator(inner, VideoModelCatalog.Default.GetVendor(vendor), new VideoBudgetOptions { MaxCostPerJob = 0m });

        await Should.ThrowAsync<VideoGenValidationException>(() =>
            generator.SubmitAsync(new VideoGenerationRequest("a flower") { DurationSeconds = -1 }, new VideoGenerationOptions { MaxCost = 0m }));

        handler.Requests.ShouldBeEmpty("neither a price quote nor a job");
        generator.TotalWorstCase.ShouldBe(0m);
    }

    [Fact]
    public async Task SubmitAsync_PerJobBudgetBelowWorstCase_RefusesAndSendsNothing()
    {
        var inner = new RecordingVideoGenerator();
        using var generator = new BudgetVideoGenerator(inner, Elumenta, new VideoBudgetOptions { MaxCostPerJob = 90m });

        var error = await Should.ThrowAsync<BudgetExceededException>(() => generator.SubmitAsync(Kling10s()));

        inner.Submitted.ShouldBeEmpty();
        error.Scope.ShouldBe(BudgetScope.PerJob);
        error.Budget.ShouldBe(90m);
        error.Message.ShouldContain("exceeds the per-job budget (VideoBudgetOptions.MaxCostPerJob) of 90 Elumenta tokens");
        generator.TotalWorstCase.ShouldBe(0m);
    }

    [Fact]
    public async Task SubmitAsync_TotalBudget_RefusesTheJobThatWouldOvershootAndKeepsTheTotal()
    {
        var inner = new RecordingVideoGenerator();
        using var generator = new BudgetVideoGenerator(inner, Elumenta, new VideoBudgetOptions { MaxTotalCost = 200m });

        await generator.SubmitAsync(Kling10s());
        await generator.SubmitAsync(Kling10s());
        var error = await Should.ThrowAsync<BudgetExceededException>(() => generator.SubmitAsync(Kling10s()));

        inner.Submitted.Count.ShouldBe(2);
        generator.TotalWorstCase.ShouldBe(188m);
        generator.RemainingTotal.ShouldBe(12m);
        error.Scope.ShouldBe(BudgetScope.Total);
        error.AlreadySubmitted.ShouldBe(188m);
        error.Message.ShouldContain("would bring the worst cases submitted through this generator from 188 to 282 Elumenta tokens, over the total budget (VideoBudgetOptions.MaxTotalCost) of 200 Elumenta tokens");
    }

    [Fact]
    public async Task SubmitAsync_TotalBudgetLeftForACheaperJob_LetsItThrough()
    {
        var inner = new RecordingVideoGenerator();
        using var generator = new BudgetVideoGenerator(inner, Elumenta, new VideoBudgetOptions { MaxTotalCost = 280m });
        await generator.SubmitAsync(Kling10s());
        await generator.SubmitAsync(Kling10s());

        await generator.SubmitAsync(new VideoGenerationRequest("a flower") { Model = "minimax-video", DurationSeconds = 5 });

        inner.Submitted.Count.ShouldBe(3);
        generator.TotalWorstCase.ShouldBe(276m);
        generator.RemainingTotal.ShouldBe(4m);
    }

    [Theory]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    [InlineData(false, false, true)]
    public async Task SubmitAsync_UnknownPriceWithAnyBudget_RefusesAndSendsNothing(bool perCall, bool perJob, bool total)
    {
        var inner = new RecordingVideoGenerator();
        using var generator = new BudgetVideoGenerator(inner, Gateway, new VideoBudgetOptions
        {
            MaxCostPerJob = perJob ? 1_000_000m : null,
            MaxTotalCost = total ? 1_000_000m : null,
        });

        var error = await Should.ThrowAsync<BudgetExceededException>(() => generator.SubmitAsync(
            new VideoGenerationRequest("a flower") { Model = "veo-3" },
            new VideoGenerationOptions { MaxCost = perCall ? 1_000_000m : null }));

        inner.Submitted.ShouldBeEmpty();
        error.Estimate.IsKnown.ShouldBeFalse();
        error.Unit.ShouldBe("credits");
        error.Message.ShouldContain("Not sent: the price of this veo-3 request at Apiframe");
        error.Message.ShouldContain("is unknown, so it cannot be shown to fit");
        error.Message.ShouldContain("1000000 credits");
        error.Message.ShouldContain("credit costs are left out rather than guessed");
    }

    [Fact]
    public async Task SubmitAsync_UnknownPriceWithoutAnyBudget_PassesThrough()
    {
        var inner = new RecordingVideoGenerator();
        using var generator = new BudgetVideoGenerator(inner, Gateway);

        await generator.SubmitAsync(new VideoGenerationRequest("a flower") { Model = "veo-3" });

        inner.Submitted.Count.ShouldBe(1);
        generator.TotalWorstCase.ShouldBe(0m);
    }

    [Fact]
    public async Task SubmitAsync_NegativePerCallBudget_IsAValidationErrorNamingTheField()
    {
        var inner = new RecordingVideoGenerator();
        using var generator = new BudgetVideoGenerator(inner, Elumenta);

        var error = await Should.ThrowAsync<VideoGenValidationException>(() =>
            generator.SubmitAsync(Kling10s(), new VideoGenerationOptions { MaxCost = -1m }));

        inner.Submitted.ShouldBeEmpty();
        error.Failures.Single().Field.ShouldBe("MaxCost");
        error.Failures.Single().Value.ShouldBe("-1");
        error.Message.ShouldContain("zero or more");
    }

    [Fact]
    public void Constructor_NegativeLimits_ListsEveryProblem()
    {
        var error = Should.Throw<ArgumentException>(() =>
            new BudgetVideoGenerator(new RecordingVideoGenerator(), Elumenta, new VideoBudgetOptions { MaxCostPerJob = -1m, MaxTotalCost = -5m }));

        error.Message.ShouldContain("MaxCostPerJob: '-1' is not allowed");
        error.Message.ShouldContain("MaxTotalCost: '-5' is not allowed");
    }

    [Fact]
    public async Task SubmitAsync_VendorRefusesWith402_GivesTheReservationBack()
    {
        var inner = new RecordingVideoGenerator
        {
            Fail = _ => new InsufficientCreditsException("Elumenta answered HTTP 402 Payment Required.", "Elumenta"),
        };
        using var generator = new BudgetVideoGenerator(inner, Elumenta, new VideoBudgetOptions { MaxTotalCost = 100m });

        await Should.ThrowAsync<InsufficientCreditsException>(() => generator.SubmitAsync(Kling10s()));

        generator.TotalWorstCase.ShouldBe(0m);
    }

    [Fact]
    public async Task SubmitAsync_VendorFailsWith5xx_KeepsTheReservationBecauseTheJobMayExist()
    {
        var inner = new RecordingVideoGenerator
        {
            Fail = _ => new VideoGenException("Elumenta answered HTTP 500 Internal Server Error.", "Elumenta", HttpStatusCode.InternalServerError),
        };
        using var generator = new BudgetVideoGenerator(inner, Elumenta, new VideoBudgetOptions { MaxTotalCost = 100m });

        await Should.ThrowAsync<VideoGenException>(() => generator.SubmitAsync(Kling10s()));

        generator.TotalWorstCase.ShouldBe(94m);
    }

    [Fact]
    public async Task SubmitAsync_ManyConcurrentSubmissions_NeverOvershootTheTotal()
    {
        var inner = new RecordingVideoGenerator();
        using var generator = new BudgetVideoGenerator(inner, Aiml, new VideoBudgetOptions { MaxTotalCost = 5_000_000m });

        var attempts = Enumerable.Range(0, 64).Select(i => Task.Run(async () =>
        {
            try
            {
                await generator.SubmitAsync(new VideoGenerationRequest($"jellyfish {i}"));
                return true;
            }
            catch (BudgetExceededException)
            {
                return false;
            }
        }));
        var results = await Task.WhenAll(attempts);

        results.Count(accepted => accepted).ShouldBe(10);
        inner.Submitted.Count.ShouldBe(10);
        generator.TotalWorstCase.ShouldBe(5_000_000m);
    }

    [Fact]
    public void GetService_VendorInfo_IsTheVendorItPricesWith()
    {
        using var generator = new BudgetVideoGenerator(new RecordingVideoGenerator(), Elumenta);

        generator.GetService<VendorInfo>().ShouldBeSameAs(Elumenta);
        generator.GetService<BudgetVideoGenerator>().ShouldBeSameAs(generator);
    }

    [Fact]
    public async Task UseBudget_VendorFromTheInnerGenerator_GuardsThePipeline()
    {
        var inner = new RecordingVideoGenerator(Elumenta);
        using var pipeline = new VideoGeneratorBuilder(inner).UseBudget(new VideoBudgetOptions { MaxCostPerJob = 90m }).Build();

        await Should.ThrowAsync<BudgetExceededException>(() => pipeline.SubmitAsync(Kling10s()));
        await pipeline.SubmitAsync(new VideoGenerationRequest("a flower") { Model = "minimax-video", DurationSeconds = 5 });

        pipeline.ShouldBeOfType<BudgetVideoGenerator>().MaxCostPerJob.ShouldBe(90m);
        inner.Submitted.Count.ShouldBe(1);
    }

    [Fact]
    public void UseBudget_NoVendorAnywhere_FailsAtBuildNamingTheFix()
    {
        var builder = new VideoGeneratorBuilder(new RecordingVideoGenerator()).UseBudget(o => o.MaxTotalCost = 10m);

        var error = Should.Throw<InvalidOperationException>(() => builder.Build());

        error.Message.ShouldContain("UseBudget needs the vendor's catalog entry");
    }

    [Fact]
    public async Task UseBudget_ExplicitVendor_WinsOverTheInnerGenerators()
    {
        var inner = new RecordingVideoGenerator(Gateway);
        using var pipeline = new VideoGeneratorBuilder(inner).UseBudget(o => o.MaxCostPerJob = 100m, Elumenta).Build();

        await pipeline.SubmitAsync(Kling10s());

        inner.Submitted.Count.ShouldBe(1);
    }

    [Fact]
    public void UseBudget_InvalidOptions_FailsWhenConfigured()
    {
        Should.Throw<ArgumentException>(() => new VideoGeneratorBuilder(new RecordingVideoGenerator()).UseBudget(o => o.MaxCostPerJob = -3m))
            .Message.ShouldContain("MaxCostPerJob: '-3'");
    }

    [Fact]
    public async Task UseBudget_OptionsChangedAfterwards_DoNotChangeTheLimits()
    {
        var options = new VideoBudgetOptions { MaxCostPerJob = 100m };
        var inner = new RecordingVideoGenerator(Elumenta);
        var builder = new VideoGeneratorBuilder(inner).UseBudget(options);
        options.MaxCostPerJob = 1m;
        using var pipeline = builder.Build();

        await pipeline.SubmitAsync(Kling10s());

        inner.Submitted.Count.ShouldBe(1);
    }

    [Fact]
    public void Dispose_DisposesTheInnerGenerator()
    {
        var inner = new RecordingVideoGenerator();

        new BudgetVideoGenerator(inner, Elumenta).Dispose();

        inner.Disposed.ShouldBeTrue();
    }
}
