using System.Text;
using Newtonsoft.Json.Linq;
using VideoGen.Cli.Tests.Infrastructure;
using VideoGen.Sandbox;

namespace VideoGen.Cli.Tests;

/// <summary><c>videogen generate</c> end to end on the embedded sandbox, for every vendor, and its exit-code contract.</summary>
public sealed class GenerateCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public static TheoryData<string, string> Vendors => new()
    {
        { "elumenta", "kling-v2.1" },
        { "neuralbox", "kling-v2.1" },
        { "apiframe", "kling-2.1" },
        { "aimlapi", "ray-2" },
        { "oxen", "kling-video-v2-6-pro-text-to-video" },
    };

    public void Dispose() => _cli.Dispose();

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task Generate_EmbeddedSandbox_WritesMp4AndJsonDocument(string vendor, string defaultModel)
    {
        var run = await _cli.RunAsync("generate", "A red fox running through fresh snow", "--vendor", vendor, "--out", _cli.OutDirectory, "--json");

        run.ShouldExitWith(0);
        var json = run.Json;
        ((bool)json["ok"]!).ShouldBeTrue();
        ((string?)json["vendor"]).ShouldBe(vendor);
        ((string?)json["model"]).ShouldBe(defaultModel);
        ((string?)json["status"]).ShouldBe("succeeded");
        ((bool)json["sandbox"]!).ShouldBeTrue();
        var jobId = (string?)json["jobId"];
        jobId.ShouldNotBeNullOrWhiteSpace();

        var file = (string)json["file"]!;
        Path.GetDirectoryName(file).ShouldBe(Path.GetFullPath(_cli.OutDirectory));
        Path.GetFileName(file).ShouldStartWith($"{vendor}-");
        ShouldBeMp4(file);
        ((long)json["bytes"]!).ShouldBe(new FileInfo(file).Length);

        // The estimate is always there (known or not); the cost is the vendor's own report, when it gives one.
        var estimate = json["estimate"].ShouldBeOfType<JObject>();
        ((string?)estimate["vendor"]).ShouldBe(vendor);
        ((string?)estimate["model"]).ShouldBe(defaultModel);
        ((string?)estimate["unit"]).ShouldNotBeNullOrWhiteSpace();
        json.ShouldHaveProperty("cost");

        // Exactly one embedded sandbox ran, and it created exactly one job.
        var sandbox = _cli.SandboxesStarted.ShouldHaveSingleItem();
        sandbox.Counters.JobsCreated(vendor).ShouldBe(1);
        sandbox.Counters.TotalJobsCreated.ShouldBe(1);
    }

    [Fact]
    public async Task Generate_ElumentaOnSandbox_ReportsCostWithinEstimate()
    {
        var run = await _cli.RunAsync("generate", "A lighthouse at dusk", "--vendor", "elumenta", "--duration", "10", "--out", _cli.OutDirectory, "--json");

        run.ShouldExitWith(0);
        var json = run.Json;
        ((decimal)json["cost"]!["amount"]!).ShouldBe(94m);
        ((string?)json["cost"]!["unit"]).ShouldBe("Elumenta tokens");
        // No price is documented for 10 s: the estimate is the model's documented range.
        ((decimal)json["estimate"]!["min"]!).ShouldBe(26m);
        ((decimal)json["estimate"]!["max"]!).ShouldBe(94m);
        ((string?)json["reconciliation"]).ShouldStartWith("Within the estimate");
    }

    [Fact]
    public async Task Generate_WithoutJson_PrintsProgressAndFileForPeople()
    {
        var run = await _cli.RunAsync("generate", "A paper boat on a stream", "--vendor", "aimlapi", "--out", _cli.OutDirectory);

        run.ShouldExitWith(0);

        // Progress and hints on standard error; the result (the file) alone on standard output.
        run.Console.ShouldContain("No AIMLAPI_API_KEY set");
        run.Console.ShouldContain("embedded local sandbox");
        run.Console.ShouldContain("Submitted job");
        run.Out.ShouldNotContain("Submitted job");
        run.Out.ShouldNotContain("estimated cost");
        run.Out.ShouldContain("succeeded");
        var file = Directory.GetFiles(_cli.OutDirectory, "aimlapi-*.mp4").ShouldHaveSingleItem();
        run.Out.ShouldContain(file);
        ShouldBeMp4(file);
    }

    [Fact]
    public async Task Generate_SameJobIdTwiceOnEmbeddedSandboxes_KeepsTheEarlierVideoAndWritesItsOwn()
    {
        // With a seed, every embedded sandbox gives the same ids, yet each run's job is another job (a sandbox of its
        // own): the earlier video is kept, never overwritten, and never reported as the second job's.
        _cli.Environment[SandboxOptions.SeedEnvironmentVariable] = "3";
        var first = await _cli.RunAsync("generate", "A kite", "--vendor", "elumenta", "--out", _cli.OutDirectory, "--json");
        var kept = await File.ReadAllBytesAsync((string)first.Json["file"]!);
        var second = await _cli.RunAsync("generate", "A harbour at night", "--vendor", "elumenta", "--aspect-ratio", "9:16", "--out", _cli.OutDirectory, "--json");

        first.ShouldExitWith(0);
        second.ShouldExitWith(0);
        ((string?)second.Json["jobId"]).ShouldBe((string?)first.Json["jobId"]);
        ((string?)second.Json["file"]).ShouldNotBe((string?)first.Json["file"]);
        (await File.ReadAllBytesAsync((string)first.Json["file"]!)).ShouldBe(kept);
        (await File.ReadAllBytesAsync((string)second.Json["file"]!)).ShouldNotBe(kept, "the second job (9:16) has its own video");
        Directory.GetFiles(_cli.OutDirectory, "*.mp4").Length.ShouldBe(2);
    }

    [Theory]
    [InlineData("elumenta")]
    [InlineData("neuralbox")]
    [InlineData("apiframe")]
    [InlineData("aimlapi")]
    public async Task Generate_CreditsRunOut_ExitsThreeNaming402(string vendor)
    {
        _cli.Environment[CliContext.SandboxCreditsEnvironmentVariable] = $"{vendor}=0";

        var run = await _cli.RunAsync("generate", "A sunrise over mountains", "--vendor", vendor, "--out", _cli.OutDirectory, "--json");

        run.ShouldExitWith(3);
        var error = run.Json["error"]!;
        ((int)error["status"]!).ShouldBe(402);
        ((string?)error["type"]).ShouldBe("insufficientCredits");
        var message = (string)error["message"]!;
        message.ShouldContain("402");
        message.ShouldContain("credits", Case.Insensitive);
        ((string?)error["jobId"]).ShouldBeNull();
        _cli.SandboxesStarted.ShouldHaveSingleItem().Counters.TotalJobsCreated.ShouldBe(0);
        Directory.Exists(_cli.OutDirectory).ShouldBeTrue();
        Directory.GetFiles(_cli.OutDirectory).ShouldBeEmpty();
    }

    [Fact]
    public async Task Generate_CreditsRunOutWithoutJson_PrintsInsufficientCredits()
    {
        _cli.Environment[CliContext.SandboxCreditsEnvironmentVariable] = "aimlapi=100";

        var run = await _cli.RunAsync("generate", "A sunrise over mountains", "--vendor", "aimlapi", "--out", _cli.OutDirectory);

        run.ShouldExitWith(3);
        run.Console.ShouldContain("error:");
        run.Console.ShouldContain("HTTP 402 Payment Required");
        run.Console.ShouldContain("Insufficient credits");
    }

    [Fact]
    public async Task Generate_OxenCreditsRunOut_ExitsFourWithInsufficientCredits()
    {
        // Oxen's queue accepts the generation and fails it with "Insufficient credits", as its reference shows: a failed job.
        _cli.Environment[CliContext.SandboxCreditsEnvironmentVariable] = "oxen=0";

        var run = await _cli.RunAsync("generate", "A sunrise over mountains", "--vendor", "oxen", "--out", _cli.OutDirectory, "--json");

        run.ShouldExitWith(4);
        var error = run.Json["error"]!;
        ((string?)error["type"]).ShouldBe("jobFailed");
        ((string)error["message"]!).ShouldContain("Insufficient credits");
        ((string?)error["jobId"]).ShouldNotBeNullOrWhiteSpace();
    }

    [Theory]
    [InlineData("elumenta")]
    [InlineData("neuralbox")]
    [InlineData("apiframe")]
    [InlineData("aimlapi")]
    [InlineData("oxen")]
    public async Task Generate_JobFails_ExitsFourWithVendorReason(string vendor)
    {
        var run = await _cli.RunAsync("generate", $"A castle {SandboxOptions.FailurePromptMarker}", "--vendor", vendor, "--out", _cli.OutDirectory, "--json");

        run.ShouldExitWith(4);
        var error = run.Json["error"]!;
        ((string?)error["type"]).ShouldBe("jobFailed");
        ((string)error["message"]!).ShouldContain("the prompt asked the sandbox to fail");
        var jobId = (string?)error["jobId"];
        jobId.ShouldNotBeNullOrWhiteSpace();
        ((string)error["message"]!).ShouldContain(jobId!);
        Directory.GetFiles(_cli.OutDirectory).ShouldBeEmpty();
    }

    [Fact]
    public async Task Generate_JobFailsWithoutJson_PrintsVendorReason()
    {
        var run = await _cli.RunAsync("generate", $"A castle {SandboxOptions.FailurePromptMarker}", "--vendor", "apiframe", "--out", _cli.OutDirectory);

        run.ShouldExitWith(4);
        run.Console.ShouldContain("error: Apiframe job");
        run.Console.ShouldContain("failed: Provider error: the prompt asked the sandbox to fail ([sandbox:fail])");
    }

    [Theory]
    [InlineData("elumenta", "--duration", "7", "--duration", "'7'", "5 or 10")]
    [InlineData("aimlapi", "--aspect-ratio", "19:9", "--aspect-ratio", "'19:9'", "1:1, 16:9, 9:16, 4:3, 3:4, 21:9 or 9:21")]
    [InlineData("elumenta", "--image", "ftp://example.com/cat.png", "--image", "'ftp://example.com/cat.png'", "http(s) URL")]
    [InlineData("aimlapi", "--duration", "3", "--duration", "'3'", "5 or 9")]
    public async Task Generate_InvalidInput_ExitsTwoNamingFieldValueAndAllowedAndSendsNothing(string vendor, string option, string value, string field, string shownValue, string allowed)
    {
        var run = await _cli.RunAsync("generate", "A cat", "--vendor", vendor, option, value, "--out", _cli.OutDirectory);

        run.ShouldExitWith(2);
        run.Console.ShouldContain("nothing was sent");
        var line = run.Console.Split('\n').Where(l => l.Contains(field + ":", StringComparison.Ordinal)).ShouldHaveSingleItem();
        line.ShouldContain(shownValue);
        run.Console.ShouldContain(allowed);

        // Nothing was sent: no sandbox was even started.
        _cli.SandboxesStarted.ShouldBeEmpty();
        Directory.Exists(_cli.OutDirectory).ShouldBeFalse();
    }

    [Fact]
    public async Task Generate_InvalidInputWithJson_ListsFailures()
    {
        var run = await _cli.RunAsync("generate", "A cat", "--vendor", "aimlapi", "--aspect-ratio", "19:9", "--duration", "7", "--json");

        run.ShouldExitWith(2);
        var error = run.Json["error"]!;
        ((string?)error["type"]).ShouldBe("validation");
        var failures = error["failures"].ShouldBeOfType<JArray>();
        failures.Select(f => (string?)f["field"]).ShouldBe(["duration", "aspectRatio"], ignoreOrder: true);
        failures.Single(f => (string?)f["field"] == "aspectRatio")["value"]!.ToString().ShouldBe("19:9");
        _cli.SandboxesStarted.ShouldBeEmpty();
    }

    [Fact]
    public async Task Generate_InvalidInputAgainstBaseUrl_SendsNoRequest()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 0 });

        var run = await _cli.RunAsync("generate", "A cat", "--vendor", "aimlapi", "--aspect-ratio", "19:9", "--base-url", sandbox.BaseUrl.ToString());

        run.ShouldExitWith(2);
        sandbox.Counters.Requests("aimlapi").ShouldBe(0);
        sandbox.Counters.TotalJobsCreated.ShouldBe(0);
    }

    [Fact]
    public async Task Generate_ImageNotAUrl_ExitsTwoNamingOption()
    {
        var run = await _cli.RunAsync("generate", "A cat", "--image", "cat.png");

        run.ShouldExitWith(2);
        run.Console.ShouldContain("--image: 'cat.png' is not an absolute URL");
        _cli.SandboxesStarted.ShouldBeEmpty();
    }

    [Fact]
    public async Task Generate_UnknownVendor_ExitsTwoListingVendors()
    {
        var run = await _cli.RunAsync("generate", "A cat", "--vendor", "acme");

        run.ShouldExitWith(2);
        run.Console.ShouldContain("--vendor: 'acme' is not a vendor; use one of elumenta, neuralbox, apiframe, aimlapi, oxen.");
        _cli.SandboxesStarted.ShouldBeEmpty();
    }

    [Fact]
    public async Task Generate_TimesOut_ExitsFiveAndPrintsJobId()
    {
        // kling-v2.1 takes 45–90 s at the vendors' own pace: far more than the 1 s allowed.
        _cli.Environment[SandboxOptions.TimeScaleEnvironmentVariable] = "1";

        var run = await _cli.RunAsync("generate", "A slow sunset", "--vendor", "elumenta", "--timeout", "1", "--out", _cli.OutDirectory, "--json");

        run.ShouldExitWith(5);
        var error = run.Json["error"]!;
        ((string?)error["type"]).ShouldBe("jobTimeout");
        var jobId = (string?)error["jobId"];
        jobId.ShouldNotBeNullOrWhiteSpace();
        _cli.SandboxesStarted.ShouldHaveSingleItem().GetJobs("elumenta").ShouldHaveSingleItem().Id.ShouldBe(jobId);
        ((string)error["hint"]!).ShouldContain("embedded sandbox");
    }

    [Fact]
    public async Task Generate_TimesOutWithoutJson_PrintsJobIdForPeople()
    {
        _cli.Environment[SandboxOptions.TimeScaleEnvironmentVariable] = "1";

        // kling-2.1 takes 20–180 s here; 10 s leaves a loaded machine time to start the sandbox and submit (seen: over 7 s
        // at load 50). Whether the wait's own timeout or the command's deadline speaks first depends on how long that took.
        var run = await _cli.RunAsync("generate", "A slow sunset", "--vendor", "gateway", "--timeout", "10", "--out", _cli.OutDirectory);

        run.ShouldExitWith(5);
        var jobId = _cli.SandboxesStarted.ShouldHaveSingleItem().GetJobs("gateway").ShouldHaveSingleItem().Id;
        run.Console.ShouldContain($"Job {jobId} did not finish within");
        run.Console.ShouldContain($"Job {jobId} ran on the embedded sandbox");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    public async Task Generate_TimeoutBelowOne_ExitsTwoNamingOption(string timeout)
    {
        var run = await _cli.RunAsync("generate", "A cat", "--timeout", timeout);

        run.ShouldExitWith(2);
        run.Error.ShouldContain($"--timeout: '{timeout}' is not allowed; use a duration of 1 second or more");
        _cli.SandboxesStarted.ShouldBeEmpty();
    }

    [Fact]
    public async Task Generate_OutIsAFile_ExitsTwoBeforeSending()
    {
        var file = Path.Combine(_cli.Home, "not-a-directory");
        await File.WriteAllTextAsync(file, "x");

        var run = await _cli.RunAsync("generate", "A cat", "--out", file);

        run.ShouldExitWith(2);
        run.Console.ShouldContain($"--out: '{file}' cannot be used as the output directory");
        _cli.SandboxesStarted.ShouldBeEmpty();
    }

    [Fact]
    public async Task Generate_InvalidSandboxVariable_ExitsTwoNamingVariable()
    {
        _cli.Environment[CliContext.SandboxCreditsEnvironmentVariable] = "acme=5";

        var run = await _cli.RunAsync("generate", "A cat", "--out", _cli.OutDirectory);

        run.ShouldExitWith(2);
        run.Console.ShouldContain("VIDEOGEN_SANDBOX_CREDITS: 'acme=5' is not allowed");
        run.Console.ShouldContain("elumenta, apiframe, aimlapi, oxen");
    }

    [Fact]
    public async Task Generate_UnsendableKeyInTheGatewayAliasVariable_ExitsTwoNamingItAndSendsNothing()
    {
        // Apiframe's former name still finds its key (GATEWAY_API_KEY); a key that cannot go in a header is a usage
        // error before anything is journaled or sent, and the key itself is never printed.
        _cli.Environment["GATEWAY_API_KEY"] = "afk_test-key\r";

        var run = await _cli.RunAsync("generate", "A cat", "--vendor", "gateway", "--out", _cli.OutDirectory);

        run.ShouldExitWith(2);
        run.Console.ShouldContain("GATEWAY_API_KEY");
        run.All.ShouldNotContain("afk_test-key");
        _cli.SandboxesStarted.ShouldBeEmpty();
    }

    [Fact]
    public async Task Generate_NoPrompt_ExitsTwo()
    {
        var run = await _cli.RunAsync("generate");

        run.ShouldExitWith(2);
        run.Error.ShouldContain("Required argument 'prompt' missing");
    }

    internal static void ShouldBeMp4(string file)
    {
        File.Exists(file).ShouldBeTrue(file);
        var bytes = File.ReadAllBytes(file);
        bytes.Length.ShouldBeGreaterThan(8);
        Encoding.ASCII.GetString(bytes, 4, 4).ShouldBe("ftyp");
    }
}

internal static class JsonAssertions
{
    public static void ShouldHaveProperty(this JToken token, string name) =>
        token.ShouldBeOfType<JObject>().ContainsKey(name).ShouldBeTrue($"missing '{name}' in {token}");
}
