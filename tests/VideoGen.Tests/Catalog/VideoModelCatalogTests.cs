using VideoGen.Catalog;

namespace VideoGen.Tests.Catalog;

public sealed class VideoModelCatalogTests
{
    [Fact]
    public void Default_EveryVendorOfTheSeeds_IsPresentWithItsModels()
    {
        var catalog = VideoModelCatalog.Default;

        catalog.Vendors.Select(v => v.Id).ShouldBe(["elumenta", "neuralbox", "apiframe", "aimlapi", "oxen"], ignoreOrder: true);
        catalog.GetVendor("elumenta").Models.Select(m => m.Id).ShouldBe(
            ["luma-flash2", "kling-v2.1", "minimax-video", "luma-ray2", "mj-video-480p", "mj-video-720p"], ignoreOrder: true);
        catalog.GetVendor("gateway").Models.Count.ShouldBe(31);
        catalog.GetVendor("gateway").PromptMaxLength.ShouldBe(4000);
    }

    [Fact]
    public void Default_EveryVendorDefaultModel_IsOneOfItsModels()
    {
        foreach (var vendor in VideoModelCatalog.Default.Vendors)
        {
            vendor.FindModel(vendor.DefaultModel).ShouldNotBeNull($"{vendor.Id} default model {vendor.DefaultModel}");
        }
    }

    [Fact]
    public void Default_ProcessingTimes_AreTheVendorsTypicalWaitTimes()
    {
        // https://docs.neuralbox.top/en/api-reference/generations/status § Typical Wait Times (the seeds' "~20–30s" is approximate).
        var elumenta = VideoModelCatalog.Default.GetVendor("elumenta");

        elumenta.FindModel("luma-flash2")!.ProcessingTime.Min.ShouldBe(TimeSpan.FromSeconds(20));
        elumenta.FindModel("luma-flash2")!.ProcessingTime.Max.ShouldBe(TimeSpan.FromSeconds(35));
        elumenta.FindModel("mj-video-720p")!.ProcessingTime.Max.ShouldBe(TimeSpan.FromSeconds(180));
        VideoModelCatalog.Default.GetVendor("neuralbox").FindModel("minimax-video")!.ProcessingTime.Min.ShouldBe(TimeSpan.FromSeconds(60));
        elumenta.FindModel("kling-v2.1")!.ProcessingTime.ShouldSatisfyAllConditions(
            t => t.Min.ShouldBe(TimeSpan.FromSeconds(45)),
            t => t.Max.ShouldBe(TimeSpan.FromSeconds(90)),
            t => t.Inferred.ShouldBeFalse());
        VideoModelCatalog.Default.GetVendor("gateway").Models.ShouldAllBe(m => m.ProcessingTime.Inferred);
    }

    [Fact]
    public void GetVendor_Unknown_NamesTheKnownVendors()
    {
        var error = Should.Throw<ArgumentException>(() => VideoModelCatalog.Default.GetVendor("acme"));

        error.Message.ShouldContain("'acme'");
        error.Message.ShouldContain("elumenta, neuralbox, apiframe, aimlapi, oxen");
    }

    [Fact]
    public void Parse_ModelWithUnknownMode_FailsWithFormatException()
    {
        const string json = """
            {"vendors":[{"id":"x","displayName":"X","spec":"x.yaml","baseUrl":"https://x.example","apiKeyVariable":"X_KEY",
              "priceUnit":"t","defaultModel":"m","source":"s","models":[{"id":"m","modes":["telepathy"],
              "processingSeconds":{"min":1,"max":2,"source":"s"},"source":"s"}]}]}
            """;

        Should.Throw<FormatException>(() => VideoModelCatalog.Parse(json)).Message.ShouldContain("telepathy");
    }
}
