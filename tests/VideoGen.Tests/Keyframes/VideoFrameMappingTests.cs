using VideoGen.Catalog;

namespace VideoGen.Tests.Keyframes;

public sealed class VideoFrameMappingTests
{
    private static readonly Uri Start = new("https://example.com/image1.png");
    private static readonly Uri End = new("https://example.com/image2.png");

    private static VendorInfo Vendor(string id) => VideoModelCatalog.Default.GetVendor(id);

    [Fact]
    public void ToAimlKeyframes_NoFrameOption_IsNull()
    {
        VideoFrameMapping.ToAimlKeyframes(new VideoGenerationRequest("Flying jellyfish")).ShouldBeNull();
    }

    [Fact]
    public void ToAimlKeyframes_StartImage_IsTheSeedsFrame0Image()
    {
        var keyframes = VideoFrameMapping.ToAimlKeyframes(new VideoGenerationRequest("Flying jellyfish") { StartImage = Start })!;

        SeedJson.InKeyframesObject(keyframes).ShouldBeJson(SeedJson.ImageFrame0);
    }

    [Fact]
    public void ToAimlKeyframes_BackwardExtension_IsTheSeedsFrame1Generation()
    {
        var request = new VideoGenerationRequest("Flying jellyfish") { Extend = new VideoExtension(SeedJson.SeedGenerationId, Backward: true) };

        SeedJson.InKeyframesObject(VideoFrameMapping.ToAimlKeyframes(request)!).ShouldBeJson(SeedJson.GenerationFrame1);
    }

    [Fact]
    public void ToAimlKeyframes_ForwardExtension_IsFrame0Generation()
    {
        var request = new VideoGenerationRequest("Flying jellyfish") { Extend = new VideoExtension(SeedJson.SeedGenerationId) };

        SeedJson.InKeyframesObject(VideoFrameMapping.ToAimlKeyframes(request)!).ShouldBeJson(
            """{"keyframes":{"frame0":{"type":"generation","id":"0f3ea4aa-10e7-4dae-af0b-263ab4ac45f9"}}}""");
    }

    [Fact]
    public void ToAimlKeyframes_StartAndEndImages_Interpolates()
    {
        var keyframes = VideoFrameMapping.ToAimlKeyframes(new VideoGenerationRequest("p") { StartImage = Start, EndImage = End })!;

        keyframes.Frame0!.Url.ShouldBe(Start);
        keyframes.Frame1!.Url.ShouldBe(End);
    }

    [Fact]
    public void ToAimlKeyframes_ForwardExtensionToAnEndImage_CombinesBothFrames()
    {
        var request = new VideoGenerationRequest("p") { EndImage = End, Extend = new VideoExtension(SeedJson.SeedGenerationId) };

        SeedJson.InKeyframesObject(VideoFrameMapping.ToAimlKeyframes(request)!).ShouldBeJson(
            """
            {"keyframes":{
              "frame0":{"type":"generation","id":"0f3ea4aa-10e7-4dae-af0b-263ab4ac45f9"},
              "frame1":{"type":"image","url":"https://example.com/image2.png"}}}
            """);
    }

    [Fact]
    public void ToAimlKeyframes_StartImageAndForwardExtension_RefusesBothForFrame0()
    {
        var request = new VideoGenerationRequest("p") { StartImage = Start, Extend = new VideoExtension(SeedJson.SeedGenerationId) };

        var error = Should.Throw<VideoGenValidationException>(() => VideoFrameMapping.ToAimlKeyframes(request));

        error.Vendor.ShouldBe("AIML API");
        error.Failures.Single().Field.ShouldBe("StartImage");
        error.Message.ShouldContain("frame0");
    }

    [Fact]
    public void ToAimlKeyframes_EndImageAndBackwardExtension_RefusesBothForFrame1()
    {
        var request = new VideoGenerationRequest("p") { EndImage = End, Extend = new VideoExtension(SeedJson.SeedGenerationId, Backward: true) };

        Should.Throw<VideoGenValidationException>(() => VideoFrameMapping.ToAimlKeyframes(request))
            .Failures.Single().Field.ShouldBe("EndImage");
    }

    [Fact]
    public void ToAimlKeyframes_SeveralBadInputs_ListsEveryFailure()
    {
        var request = new VideoGenerationRequest("p")
        {
            StartImage = new Uri("/relative.png", UriKind.Relative),
            EndImage = new Uri("ftp://example.com/end.png"),
            Extend = new VideoExtension("18500", Backward: false),
        };

        var error = Should.Throw<VideoGenValidationException>(() => VideoFrameMapping.ToAimlKeyframes(request));

        error.Failures.Select(f => f.Field).ShouldBe(["StartImage", "EndImage", "Extend.GenerationId", "StartImage"], ignoreOrder: true);
        error.Message.ShouldContain("'/relative.png'");
        error.Message.ShouldContain("'ftp://example.com/end.png'");
        error.Message.ShouldContain("'18500'");
    }

    [Fact]
    public void ToAimlKeyframes_EmptyGenerationId_ReportsItMissing()
    {
        var error = Should.Throw<VideoGenValidationException>(() =>
            VideoFrameMapping.ToAimlKeyframes(new VideoGenerationRequest("p") { Extend = new VideoExtension("") }));

        error.Failures.Single().ShouldSatisfyAllConditions(
            f => f.Field.ShouldBe("Extend.GenerationId"),
            f => f.Value.ShouldBeNull());
    }

    [Theory]
    [InlineData("elumenta")]
    [InlineData("neuralbox")]
    public void ToElumentaImageUrl_StartImage_IsTheImageUrl(string vendor)
    {
        VideoFrameMapping.ToElumentaImageUrl(new VideoGenerationRequest("p") { StartImage = Start }, Vendor(vendor)).ShouldBe(Start);
        VideoFrameMapping.ToElumentaImageUrl(new VideoGenerationRequest("p"), Vendor(vendor)).ShouldBeNull();
    }

    [Fact]
    public void ToElumentaImageUrl_EndImageOrExtension_RefusedBecauseTheContractHasOnlyImageUrl()
    {
        var request = new VideoGenerationRequest("p") { StartImage = Start, EndImage = End, Extend = new VideoExtension(SeedJson.SeedGenerationId) };

        var error = Should.Throw<VideoGenValidationException>(() => VideoFrameMapping.ToElumentaImageUrl(request));

        error.Vendor.ShouldBe("Elumenta");
        error.Failures.Select(f => f.Field).ShouldBe(["EndImage", "Extend"], ignoreOrder: true);
        error.Message.ShouldContain("image_url, the starting image (Elumenta's Video Generation page (docs.elumenta.ru) § Request)");
    }

    [Fact]
    public void Validate_ApiframeStartAndEndImage_AreLeftToThePerModelRules()
    {
        // The model pages name each family's image fields (https://docs-v2.apiframe.ai/docs/videos/kling/kling-2-1:
        // klingParams.start_image, end_image), so frames are mapped; whether a model has an end frame is per model.
        var failures = VideoFrameMapping.Validate(Vendor("apiframe"), new VideoGenerationRequest("p") { StartImage = Start, EndImage = End });

        failures.ShouldBeEmpty();
    }

    [Fact]
    public void Validate_OxenStartImage_SaysTheSeedNamesNoField()
    {
        var failures = VideoFrameMapping.Validate(Vendor("oxen"), new VideoGenerationRequest("p") { StartImage = Start });

        failures.Single().Allowed.ShouldContain("names no start or end image field");
    }

    [Fact]
    public void Validate_AimlWithEveryCompatibleOption_HasNoFailures()
    {
        VideoFrameMapping.Validate(Vendor("aimlapi"), new VideoGenerationRequest("p")
        {
            StartImage = Start,
            Extend = new VideoExtension(SeedJson.SeedGenerationId, Backward: true),
        }).ShouldBeEmpty();
    }
}
