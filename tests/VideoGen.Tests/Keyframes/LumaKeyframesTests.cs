using Newtonsoft.Json.Linq;
using VideoGen.AimlApi;
using VideoGen.Http;

namespace VideoGen.Tests.Keyframes;

public sealed class LumaKeyframesTests
{
    [Fact]
    public void StartFrom_SeedImage_SerializesToTheSeedsFrame0Snippet()
    {
        SeedJson.InKeyframesObject(LumaKeyframes.StartFrom(SeedJson.SeedImage)).ShouldBeJson(SeedJson.ImageFrame0);
    }

    [Fact]
    public void ExtendBackward_SeedGeneration_SerializesToTheSeedsFrame1Snippet()
    {
        SeedJson.InKeyframesObject(LumaKeyframes.ExtendBackward(SeedJson.SeedGenerationId)).ShouldBeJson(SeedJson.GenerationFrame1);
    }

    [Fact]
    public void ExtendForward_SeedGeneration_PutsTheGenerationInFrame0()
    {
        SeedJson.InKeyframesObject(LumaKeyframes.ExtendForward(SeedJson.SeedGenerationId)).ShouldBeJson(
            """{"keyframes":{"frame0":{"type":"generation","id":"0f3ea4aa-10e7-4dae-af0b-263ab4ac45f9"}}}""");
    }

    [Fact]
    public void EndAt_Image_PutsTheImageInFrame1()
    {
        SeedJson.InKeyframesObject(LumaKeyframes.EndAt(new Uri("https://example.com/last.png"))).ShouldBeJson(
            """{"keyframes":{"frame1":{"type":"image","url":"https://example.com/last.png"}}}""");
    }

    [Fact]
    public void Interpolate_TwoImages_PutsOneInEachFrame()
    {
        SeedJson.InKeyframesObject(LumaKeyframes.Interpolate(SeedJson.SeedImage, new Uri("https://example.com/image2.png"))).ShouldBeJson(
            """
            {"keyframes":{
              "frame0":{"type":"image","url":"https://example.com/image1.png"},
              "frame1":{"type":"image","url":"https://example.com/image2.png"}}}
            """);
    }

    [Fact]
    public void ExtendForward_InTheSeedsPythonBodyWithLoopUnset_IsExactlyTheSeedBody()
    {
        var body = new CreateGenerationRequest
        {
            Prompt = "Flying jellyfish",
            AspectRatio = AspectRatio.Landscape16x9,
            Loop = null,
            Keyframes = LumaKeyframes.ExtendForward(SeedJson.SeedGenerationId),
        };

        SeedJson.Serialize(body).ShouldBeJson(SeedJson.ExtensionWithGenerationPython);
    }

    [Fact]
    public void StartFrom_InTheSeedsPythonBodyWithLoopUnset_IsExactlyTheSeedBody()
    {
        var body = new CreateGenerationRequest
        {
            Prompt = "Flying jellyfish",
            AspectRatio = AspectRatio.Landscape16x9,
            Loop = null,
            Keyframes = LumaKeyframes.StartFrom(SeedJson.SeedImage),
        };

        SeedJson.Serialize(body).ShouldBeJson(SeedJson.ExtensionWithImagePython);
    }

    [Fact]
    public void CreateGenerationRequest_GeneratedDefaults_AddLoopFalseToTheSeedBody()
    {
        // The generated class initialises Loop to false (the vendor schema's default), so a body built
        // without touching Loop carries "loop": false on top of what the seed sends.
        var body = new CreateGenerationRequest
        {
            Prompt = "Flying jellyfish",
            AspectRatio = AspectRatio.Landscape16x9,
            Keyframes = LumaKeyframes.StartFrom(SeedJson.SeedImage),
        };

        var expected = JObject.Parse(SeedJson.ExtensionWithImagePython);
        expected["loop"] = false;
        SeedJson.Serialize(body).ShouldBeJson(expected.ToString());
    }

    [Fact]
    public async Task CreateGenerationAsync_GeneratedClient_SendsTheSameBodyAsTheNewtonsoftSerialization()
    {
        var api = new FakeAimlApi(Guid.NewGuid());
        using var http = new HttpClient(api);
        var client = new AimlApiClient(new VendorClientConfiguration("AIML API") { ApiKey = "test-key" }, http);
        var body = new CreateGenerationRequest
        {
            Prompt = "Flying jellyfish",
            AspectRatio = AspectRatio.Landscape16x9,
            Keyframes = LumaKeyframes.ExtendForward(SeedJson.SeedGenerationId),
        };

        await client.CreateGenerationAsync(body);

        var sent = api.Requests.Single().Json!;
        JToken.DeepEquals(sent, SeedJson.Serialize(body)).ShouldBeTrue(sent.ToString());
        sent["loop"]!.Value<bool>().ShouldBeFalse();
        sent["keyframes"]!.ShouldBeJson("""{"frame0":{"type":"generation","id":"0f3ea4aa-10e7-4dae-af0b-263ab4ac45f9"}}""");
    }

    [Theory]
    [InlineData("/images/a.png")]
    [InlineData("ftp://example.com/a.png")]
    [InlineData("file:///tmp/a.png")]
    public void StartFrom_NotAnAbsoluteHttpUrl_ThrowsNamingTheValueAndTheRule(string url)
    {
        var error = Should.Throw<ArgumentException>(() => LumaKeyframes.StartFrom(new Uri(url, UriKind.RelativeOrAbsolute)));

        error.ParamName.ShouldBe("startImage");
        error.Message.ShouldContain($"'{url}'");
        error.Message.ShouldContain("absolute http or https image URL");
    }

    [Fact]
    public void Interpolate_BadEndImage_NamesTheEndImageParameter()
    {
        Should.Throw<ArgumentException>(() => LumaKeyframes.Interpolate(SeedJson.SeedImage, new Uri("a.png", UriKind.Relative)))
            .ParamName.ShouldBe("endImage");
    }

    [Fact]
    public void EndAt_Null_ThrowsArgumentNull()
    {
        Should.Throw<ArgumentNullException>(() => LumaKeyframes.EndAt(null!)).ParamName.ShouldBe("endImage");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void ExtendForward_MissingGenerationId_SaysAnIdIsRequired(string? id)
    {
        var error = Should.Throw<ArgumentException>(() => LumaKeyframes.ExtendForward(id!));

        error.ParamName.ShouldBe("generationId");
        error.Message.ShouldContain("A generation id is required");
    }

    [Theory]
    [InlineData("18500")]
    [InlineData("not-a-uuid")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    public void ExtendBackward_NotAGenerationId_ThrowsNamingTheValue(string id)
    {
        var error = Should.Throw<ArgumentException>(() => LumaKeyframes.ExtendBackward(id));

        error.ParamName.ShouldBe("generationId");
        error.Message.ShouldContain($"'{id}' is not a generation id");
        error.Message.ShouldContain("UUID");
    }

    [Fact]
    public void Generation_UppercaseUuid_IsSentInTheSeedsLowercaseForm()
    {
        LumaKeyframes.Generation("0F3EA4AA-10E7-4DAE-AF0B-263AB4AC45F9").Id.ShouldBe(Guid.Parse(SeedJson.SeedGenerationId));
        SeedJson.Serialize(LumaKeyframes.Generation("0F3EA4AA-10E7-4DAE-AF0B-263AB4AC45F9"))
            .ShouldBeJson("""{"type":"generation","id":"0f3ea4aa-10e7-4dae-af0b-263ab4ac45f9"}""");
    }
}
