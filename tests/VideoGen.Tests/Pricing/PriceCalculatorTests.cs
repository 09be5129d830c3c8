using VideoGen.Catalog;
using VideoGen.Pricing;

namespace VideoGen.Tests.Pricing;

public sealed class PriceCalculatorTests
{
    private static VendorInfo Vendor(string id) => VideoModelCatalog.Default.GetVendor(id);

    [Theory]
    [InlineData("ray-2")]
    [InlineData("ray-flash-2")]
    [InlineData("ray-1-6")]
    public void Estimate_AimlLumaModel_IsExact500000AimlTokens(string model)
    {
        var estimate = PriceCalculator.Estimate(Vendor("aimlapi"), new VideoGenerationRequest("Flying jellyfish") { Model = model });

        estimate.IsExact.ShouldBeTrue();
        estimate.Min.ShouldBe(500_000m);
        estimate.Max.ShouldBe(500_000m);
        estimate.Unit.ShouldBe("AI/ML tokens");
        estimate.Reason.ShouldStartWith("Exact:");
        estimate.Reason.ShouldContain("AI/ML API's Luma Text-to-Video v2 page (docs.aimlapi.com)");
        estimate.ToString().ShouldBe("500000 AI/ML tokens");
    }

    [Fact]
    public void Estimate_AimlExtension_CostsTheSameAsAGeneration()
    {
        var request = new VideoGenerationRequest("Flying jellyfish") { Extend = new VideoExtension("0f3ea4aa-10e7-4dae-af0b-263ab4ac45f9") };

        var estimate = PriceCalculator.Estimate(Vendor("aimlapi"), request);

        estimate.ModelId.ShouldBe("ray-2");
        estimate.Max.ShouldBe(500_000m);
        estimate.IsExact.ShouldBeTrue();
    }

    [Theory]
    [InlineData(5)]
    [InlineData(10)]
    public void Estimate_ElumentaMinimax_Is88TokensButNotCalledExact(int seconds)
    {
        // Issue 10: no price is exact unless a source says so; the page that shows 88 says cost depends on duration.
        var estimate = PriceCalculator.Estimate(Vendor("elumenta"), new VideoGenerationRequest("a cat") { Model = "minimax-video", DurationSeconds = seconds });

        estimate.IsExact.ShouldBeFalse();
        estimate.IsApproximate.ShouldBeTrue();
        estimate.Max.ShouldBe(88m);
        estimate.ToString().ShouldBe("~88 Elumenta tokens");
        estimate.Unit.ShouldBe("Elumenta tokens");
        estimate.Reason.ShouldContain("Elumenta's Video Generation page (docs.elumenta.ru) § Model Comparison");
    }

    [Fact]
    public void Estimate_ElumentaKling5Seconds_IsTheRangeNotTheSeedsExample()
    {
        // Issue 10: "5 s = 26 tokens" is one example (the vendor's status page shows 44 for the same model and duration).
        var estimate = PriceCalculator.Estimate(Vendor("elumenta"), new VideoGenerationRequest("a flower") { Model = "kling-v2.1", DurationSeconds = 5 });

        estimate.IsExact.ShouldBeFalse();
        estimate.Min.ShouldBe(26m);
        estimate.Max.ShouldBe(94m);
        estimate.DurationSeconds.ShouldBe(5);
        estimate.Reason.ShouldContain("44");
        estimate.ToString().ShouldBe("26–94 Elumenta tokens");
    }

    [Fact]
    public void Catalog_NoElumentaOrNeuralBoxPrice_IsCalledExact()
    {
        foreach (var vendor in new[] { "elumenta", "neuralbox" })
        {
            foreach (var model in Vendor(vendor).Models)
            {
                model.Price.ShouldNotBeNull();
                model.Price!.IsExact.ShouldBeFalse($"{vendor}/{model.Id}: no source calls its price exact");
                model.Price.Points.ShouldBeEmpty($"{vendor}/{model.Id}: an example is not a price");
            }
        }
    }

    [Fact]
    public void Estimate_ElumentaKlingWithoutDuration_UsesTheDocumentedDefaultOf5Seconds()
    {
        var estimate = PriceCalculator.Estimate(Vendor("elumenta"), new VideoGenerationRequest("a flower"));

        estimate.ModelId.ShouldBe("kling-v2.1");
        estimate.DurationSeconds.ShouldBe(5);
        estimate.IsExact.ShouldBeFalse();
        estimate.Max.ShouldBe(94m);
        estimate.Reason.ShouldContain("the request names no duration");
        estimate.Reason.ShouldContain("duration default 5");
    }

    [Fact]
    public void Estimate_ElumentaKling10Seconds_IsTheDocumentedRangeWithTheSeedsReason()
    {
        var estimate = PriceCalculator.Estimate(Vendor("elumenta"), new VideoGenerationRequest("a flower") { Model = "kling-v2.1", DurationSeconds = 10 });

        estimate.IsKnown.ShouldBeTrue();
        estimate.IsExact.ShouldBeFalse();
        estimate.Min.ShouldBe(26m);
        estimate.Max.ShouldBe(94m);
        estimate.Reason.ShouldStartWith("Range: no price is documented for 10 s");
        estimate.Reason.ShouldContain("worst case is 94 Elumenta tokens");
        estimate.Reason.ShouldContain("Token cost depends on duration and resolution");
        estimate.ToString().ShouldBe("26–94 Elumenta tokens");
    }

    [Theory]
    [InlineData("luma-flash2", 15, 93)]
    [InlineData("luma-ray2", 42, 180)]
    [InlineData("mj-video-480p", 50, 320)]
    [InlineData("mj-video-720p", 50, 320)]
    public void Estimate_ElumentaModelWithoutAPricePoint_IsTheSeedRangeEvenForTheShortDuration(string model, int min, int max)
    {
        var estimate = PriceCalculator.Estimate(Vendor("elumenta"), new VideoGenerationRequest("a flower") { Model = model, DurationSeconds = 5 });

        estimate.Min.ShouldBe(min);
        estimate.Max.ShouldBe(max);
        estimate.IsExact.ShouldBeFalse();
    }

    [Fact]
    public void Estimate_NeuralBox_IsInNeuralBoxTokens()
    {
        var estimate = PriceCalculator.Estimate(Vendor("neuralbox"), new VideoGenerationRequest("a flower") { Model = "luma-ray2" });

        estimate.Unit.ShouldBe("NeuralBox tokens");
        estimate.Max.ShouldBe(180m);
        estimate.Reason.ShouldContain("NeuralBox's Video Generation page (docs.neuralbox.top)");
    }

    [Fact]
    public void Estimate_UndocumentedDuration_IsUnknownWithTheDocumentedDurations()
    {
        var estimate = PriceCalculator.Estimate(Vendor("elumenta"), new VideoGenerationRequest("a flower") { Model = "kling-v2.1", DurationSeconds = 15 });

        estimate.IsKnown.ShouldBeFalse();
        estimate.Unit.ShouldBe("Elumenta tokens");
        estimate.Reason.ShouldContain("15 s is not a documented duration of kling-v2.1 (documented: 5 s, 10 s)");
    }

    [Fact]
    public void Estimate_GatewayModel_IsUnknownInCreditsWithTheSeedsSilence()
    {
        var estimate = PriceCalculator.Estimate(Vendor("gateway"), new VideoGenerationRequest("a flower") { Model = "veo-3" });

        estimate.IsKnown.ShouldBeFalse();
        estimate.Min.ShouldBeNull();
        estimate.Max.ShouldBeNull();
        estimate.Unit.ShouldBe("credits");
        estimate.Reason.ShouldContain("credit costs are left out rather than guessed");
        estimate.ToString().ShouldStartWith("unknown (");
    }

    [Fact]
    public void Estimate_Oxen_IsUnknown()
    {
        var estimate = PriceCalculator.Estimate(Vendor("oxen"), new VideoGenerationRequest("a red balloon") { DurationSeconds = 5 });

        estimate.IsKnown.ShouldBeFalse();
        estimate.Reason.ShouldContain("Oxen.ai's Video Generation page (docs.oxen.ai) gives no price");
    }

    [Fact]
    public void Estimate_ModelNotInTheCatalog_IsUnknownNamingTheModel()
    {
        var estimate = PriceCalculator.Estimate(Vendor("elumenta"), new VideoGenerationRequest("a flower") { Model = "sora-9" });

        estimate.IsKnown.ShouldBeFalse();
        estimate.ModelId.ShouldBe("sora-9");
        estimate.Reason.ShouldContain("sora-9 is not in the Elumenta catalog");
    }

    [Fact]
    public void Estimate_EveryPricedCatalogModel_StaysWithinItsDocumentedRange()
    {
        foreach (var vendor in VideoModelCatalog.Default.Vendors)
        {
            foreach (var model in vendor.Models.Where(m => m.Price is not null))
            {
                foreach (var seconds in model.Durations.DefaultIfEmpty(5))
                {
                    var estimate = PriceCalculator.Estimate(vendor, new VideoGenerationRequest("p") { Model = model.Id, DurationSeconds = seconds });

                    estimate.IsKnown.ShouldBeTrue($"{vendor.Id}/{model.Id} {seconds} s");
                    estimate.Min!.Value.ShouldBeGreaterThanOrEqualTo(model.Price!.Min, $"{vendor.Id}/{model.Id} {seconds} s");
                    estimate.Max!.Value.ShouldBeLessThanOrEqualTo(model.Price.Max, $"{vendor.Id}/{model.Id} {seconds} s");
                }
            }
        }
    }
}
