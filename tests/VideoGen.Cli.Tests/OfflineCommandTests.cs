using Newtonsoft.Json.Linq;
using VideoGen.Cli.Tests.Infrastructure;

namespace VideoGen.Cli.Tests;

/// <summary><c>videogen price</c>, <c>validate</c> and <c>models</c>: answered from the catalog, nothing sent.</summary>
public sealed class OfflineCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Price_Json_PrintsOneObjectWithVendorModelUnitMinMax()
    {
        var run = await _cli.RunAsync("price", "A cat", "--vendor", "elumenta", "--duration", "10", "--json");

        run.ShouldExitWith(0);
        var json = run.Json.ShouldBeOfType<JObject>();
        ((string?)json["vendor"]).ShouldBe("elumenta");
        ((string?)json["model"]).ShouldBe("kling-v2.1");
        ((string?)json["unit"]).ShouldBe("Elumenta tokens");
        // Only 5 s has a documented price; for 10 s the estimate is the model's documented range.
        ((decimal)json["min"]!).ShouldBe(26m);
        ((decimal)json["max"]!).ShouldBe(94m);
        ((bool)json["exact"]!).ShouldBeFalse();
        ((bool)json["known"]!).ShouldBeTrue();
        _cli.SandboxesStarted.ShouldBeEmpty();
    }

    [Fact]
    public async Task Price_AimlApiJson_PrintsFlatPrice()
    {
        var run = await _cli.RunAsync("price", "A cat", "--vendor", "aimlapi", "--json");

        run.ShouldExitWith(0);
        var json = run.Json;
        ((string?)json["model"]).ShouldBe("ray-2");
        ((string?)json["unit"]).ShouldBe("AI/ML tokens");
        ((decimal)json["min"]!).ShouldBe(500_000m);
        ((decimal)json["max"]!).ShouldBe(500_000m);
    }

    [Fact]
    public async Task Price_UndocumentedPrice_PrintsNullRangeAndReason()
    {
        // veo-3's page gives no credit cost (the catalog says why).
        var run = await _cli.RunAsync("price", "A cat", "--vendor", "apiframe", "--model", "veo-3", "--json");

        run.ShouldExitWith(0);
        var json = run.Json;
        ((string?)json["vendor"]).ShouldBe("apiframe");
        ((string?)json["unit"]).ShouldBe("credits");
        json["min"]!.Type.ShouldBe(JTokenType.Null);
        json["max"]!.Type.ShouldBe(JTokenType.Null);
        ((bool)json["known"]!).ShouldBeFalse();
        ((string?)json["reason"]).ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task Price_InvalidRequest_ExitsTwo()
    {
        var run = await _cli.RunAsync("price", "A cat", "--vendor", "elumenta", "--duration", "7", "--json");

        run.ShouldExitWith(2);
        ((string?)run.Json["error"]!["failures"]![0]!["field"]).ShouldBe("duration");
        ((string?)run.Json["error"]!["failures"]![0]!["option"]).ShouldBe("--duration");
    }

    [Fact]
    public async Task Validate_ValidRequest_ExitsZeroAndSendsNothing()
    {
        var run = await _cli.RunAsync("validate", "A cat", "--vendor", "aimlapi", "--aspect-ratio", "21:9", "--duration", "9");

        run.ShouldExitWith(0);
        run.Out.ShouldContain("valid for AIML API ray-2; nothing was sent.");
        _cli.SandboxesStarted.ShouldBeEmpty();
    }

    [Fact]
    public async Task Validate_Json_PrintsVendorAndModel()
    {
        var run = await _cli.RunAsync("validate", "A cat", "--vendor", "oxen", "--json");

        run.ShouldExitWith(0);
        ((bool)run.Json["ok"]!).ShouldBeTrue();
        ((string?)run.Json["vendor"]).ShouldBe("oxen");
        ((string?)run.Json["model"]).ShouldBe("kling-video-v2-6-pro-text-to-video");
    }

    [Theory]
    [InlineData("aimlapi", "--aspect-ratio", "19:9", "--aspect-ratio: '19:9' is not allowed")]
    [InlineData("elumenta", "--duration", "7", "--duration: '7' is not allowed; kling-v2.1 accepts 5 or 10 seconds.")]
    [InlineData("elumenta", "--end-image", "ftp://example.com/end.png", "'ftp://example.com/end.png' is not allowed")]
    public async Task Validate_InvalidRequest_ExitsTwoNamingFieldValueAndAllowed(string vendor, string option, string value, string expected)
    {
        var run = await _cli.RunAsync("validate", "A cat", "--vendor", vendor, option, value);

        run.ShouldExitWith(2);
        run.Console.ShouldContain(expected);
        run.Console.ShouldContain("nothing was sent");
    }

    [Fact]
    public async Task Validate_EmptyPrompt_ExitsTwo()
    {
        var run = await _cli.RunAsync("validate", "", "--vendor", "elumenta");

        run.ShouldExitWith(2);
        run.Console.ShouldContain("<prompt>: '' is not allowed");
    }

    [Fact]
    public async Task Models_All_ListsEveryVendorWithWholeModelIds()
    {
        var run = await _cli.RunAsync("models");

        run.ShouldExitWith(0);
        foreach (var vendor in new[] { "elumenta", "neuralbox", "apiframe", "aimlapi", "oxen" })
        {
            run.Out.ShouldContain(vendor);
        }

        // A table wrapped at 80 columns would split ids across lines ("kling-v2." / "1 *").
        run.Out.Split('\n').ShouldContain(l => l.Contains("kling-v2.1 *", StringComparison.Ordinal));
        run.Out.ShouldContain("kling-video-v2-6-pro-text-to-video");
        run.Out.ShouldContain("* = the vendor's default model");
    }

    [Fact]
    public async Task Models_OneVendor_ListsOnlyItsModels()
    {
        var run = await _cli.RunAsync("models", "--vendor", "aimlapi");

        run.ShouldExitWith(0);
        run.Out.ShouldContain("ray-2 *");
        run.Out.ShouldContain("ray-flash-2");
        run.Out.ShouldContain("500000 AI/ML tokens");
        run.Out.ShouldNotContain("kling-v2.1");
        run.Out.ShouldNotContain("elumenta");
    }

    [Fact]
    public async Task Models_OneVendorJson_PrintsItsCatalogEntries()
    {
        var run = await _cli.RunAsync("models", "--vendor", "aimlapi", "--json");

        run.ShouldExitWith(0);
        var models = run.Json.ShouldBeOfType<JArray>();
        models.Select(m => (string?)m["model"]).ShouldBe(["ray-1-6", "ray-2", "ray-flash-2", "luma/ray-2", "luma/ray-flash-2"], ignoreOrder: true);
        models.Select(m => (string?)m["vendor"]).Distinct().ShouldBe(["aimlapi"]);
        models.Single(m => (bool)m["isDefault"]!)["model"]!.ToString().ShouldBe("ray-2");
        models.Single(m => (string?)m["model"] == "ray-2")["durations"]!.Select(d => (int)d).ShouldBe([5, 9]);
    }

    [Fact]
    public async Task Models_UnknownVendor_ExitsTwo()
    {
        var run = await _cli.RunAsync("models", "--vendor", "acme");

        run.ShouldExitWith(2);
        run.Console.ShouldContain("--vendor: 'acme' is not a vendor");
    }

    [Fact]
    public async Task UnknownCommand_ExitsTwo()
    {
        var run = await _cli.RunAsync("render", "A cat");

        run.ShouldExitWith(2);
        run.Error.ShouldContain("'render'");
    }

    [Fact]
    public async Task OptionOfWrongType_ExitsTwo()
    {
        var run = await _cli.RunAsync("price", "A cat", "--duration", "five");

        run.ShouldExitWith(2);
        run.Error.ShouldContain("five");
        run.Error.ShouldContain("--duration");
    }

    [Fact]
    public async Task Help_ExitsZeroAndListsCommands()
    {
        var run = await _cli.RunAsync("--help");

        run.ShouldExitWith(0);
        foreach (var command in new[] { "generate", "extend", "models", "validate", "price", "status", "wait", "download", "batch", "resume" })
        {
            run.Out.ShouldContain(command);
        }
    }
}
