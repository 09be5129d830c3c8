using VideoGen.Catalog;
using VideoGen.Sandbox.Core;

namespace VideoGen.Sandbox.Tests.Core;

public sealed class SandboxPricingTests
{
    [Theory]
    [InlineData("elumenta", "kling-v2.1", 5, 26)]
    [InlineData("elumenta", "kling-v2.1", 10, 94)]
    [InlineData("elumenta", "luma-flash2", 5, 15)]
    [InlineData("elumenta", "luma-flash2", 10, 93)]
    [InlineData("elumenta", "minimax-video", 10, 88)]
    [InlineData("elumenta", "luma-ray2", 10, 180)]
    [InlineData("aimlapi", "ray-2", 9, 500_000)]
    [InlineData("gateway", "veo-3", 5, 0)]
    [InlineData("oxen", "kling-video-v2-6-pro-text-to-video", 5, 0)]
    public void PriceOf_CatalogModel_ChargesTheDocumentedFigure(string vendor, string model, int seconds, int expected)
    {
        SandboxPricing.PriceOf(VideoModelCatalog.Default.GetVendor(vendor).FindModel(model), seconds).ShouldBe(expected);
    }

    [Fact]
    public void PriceOf_UnknownModel_IsZero()
    {
        SandboxPricing.PriceOf(null, 5).ShouldBe(0);
    }
}
