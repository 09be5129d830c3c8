using VideoGen.Cli.Tests.Infrastructure;
using VideoGen.Sandbox;

namespace VideoGen.Cli.Tests;

/// <summary>A standalone sandbox (time scale 0: jobs finish at once) shared by the job-command tests.</summary>
public sealed class InstantSandboxFixture : IAsyncLifetime
{
    public SandboxServer Sandbox { get; private set; } = null!;

    public async Task InitializeAsync() => Sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 0 });

    public async Task DisposeAsync() => await Sandbox.DisposeAsync();
}

/// <summary>
/// <c>videogen status|wait|download &lt;id&gt;</c> and <c>extend</c> against a standalone sandbox given as --base-url,
/// with jobs created by another program (the SDK) under the same API key.
/// </summary>
public sealed class JobCommandTests : IClassFixture<InstantSandboxFixture>, IDisposable
{
    private readonly CliHarness _cli = new();
    private readonly SandboxServer _sandbox;

    public JobCommandTests(InstantSandboxFixture fixture)
    {
        _sandbox = fixture.Sandbox;
        foreach (var vendor in AllVendors)
        {
            _cli.Environment[SandboxJobs.KeyVariable(vendor)] = SandboxJobs.ApiKey;
        }
    }

    private static readonly string[] AllVendors = ["elumenta", "neuralbox", "apiframe", "aimlapi", "oxen"];

    public static TheoryData<string> Vendors => new(AllVendors);

    public void Dispose() => _cli.Dispose();

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task Status_FinishedJob_PrintsSucceededWithResult(string vendor)
    {
        var job = await SandboxJobs.SubmitAsync(_sandbox, vendor, "A tram in the rain");

        var run = await _cli.RunAsync("status", job.Id, "--vendor", vendor, "--base-url", SandboxJobs.BaseUrl(_sandbox, vendor), "--json");

        run.ShouldExitWith(0);
        var json = run.Json;
        ((string?)json["vendor"]).ShouldBe(vendor);
        ((string?)json["jobId"]).ShouldBe(job.Id);
        ((string?)json["status"]).ShouldBe("succeeded");
        ((string?)json["result"]).ShouldStartWith(_sandbox.BaseUrl.ToString());
        _cli.SandboxesStarted.ShouldBeEmpty();
    }

    [Fact]
    public async Task Cancel_OxenRunningJob_CancelsIt()
    {
        await using var slow = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 1 });
        var job = await SandboxJobs.SubmitAsync(slow, "oxen", "A tram in the rain");

        var run = await _cli.RunAsync("cancel", job.Id, "--vendor", "oxen", "--base-url", SandboxJobs.BaseUrl(slow, "oxen"), "--json");

        run.ShouldExitWith(0);
        ((string?)run.Json["status"]).ShouldBe("cancelled");
        ((string?)run.Json["vendorStatus"]).ShouldBe("cancelled");
    }

    [Fact]
    public async Task Cancel_Elumenta_ExitsTwoSayingItIsNotSupported()
    {
        var run = await _cli.RunAsync("cancel", "18500", "--vendor", "elumenta", "--base-url", SandboxJobs.BaseUrl(_sandbox, "elumenta"), "--json");

        run.ShouldExitWith(2);
        run.All.ShouldContain("not supported by Elumenta");
    }

    [Fact]
    public async Task Status_RunningJob_PrintsVendorStatus()
    {
        await using var slow = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 1 });
        var job = await SandboxJobs.SubmitAsync(slow, "gateway", "A tram in the rain");

        var run = await _cli.RunAsync("status", job.Id, "--vendor", "gateway", "--base-url", SandboxJobs.BaseUrl(slow, "gateway"));

        run.ShouldExitWith(0);
        run.Out.ShouldContain($"Job {job.Id}: QUEUED (Queued)");
    }

    [Fact]
    public async Task Status_FailedJob_ExitsZeroWithTheFailureInTheOutput()
    {
        var job = await SandboxJobs.SubmitAsync(_sandbox, "elumenta", $"A tram {SandboxOptions.FailurePromptMarker}");

        // Reading the job worked: exit 0; the job's failure is in the document (and in the text below).
        var run = await _cli.RunAsync("status", job.Id, "--vendor", "elumenta", "--base-url", SandboxJobs.BaseUrl(_sandbox, "elumenta"), "--json");
        var text = await _cli.RunAsync("status", job.Id, "--vendor", "elumenta", "--base-url", SandboxJobs.BaseUrl(_sandbox, "elumenta"));

        text.ShouldExitWith(0);
        // The result line is standard output, with the vendor's reason (not only in --json).
        text.Out.ShouldContain("(Failed)");
        text.Out.ShouldContain("the prompt asked the sandbox to fail");
        run.ShouldExitWith(0);
        ((string?)run.Json["status"]).ShouldBe("failed");
        ((string)run.Json["error"]!).ShouldContain("the prompt asked the sandbox to fail");
    }

    [Fact]
    public async Task Status_UnknownJob_ExitsThree()
    {
        var run = await _cli.RunAsync("status", "999999", "--vendor", "elumenta", "--base-url", SandboxJobs.BaseUrl(_sandbox, "elumenta"), "--json");

        run.ShouldExitWith(3);
        ((int)run.Json["error"]!["status"]!).ShouldBe(404);
        ((string?)run.Json["error"]!["jobId"]).ShouldBe("999999");
    }

    [Fact]
    public async Task Status_NoKeyAndNoBaseUrl_ExitsTwoExplainingWhy()
    {
        _cli.Environment.Remove("ELUMENTA_API_KEY");

        var run = await _cli.RunAsync("status", "18500", "--vendor", "elumenta");

        run.ShouldExitWith(2);
        run.Console.ShouldContain("No ELUMENTA_API_KEY is set and no --base-url given");
        _cli.SandboxesStarted.ShouldBeEmpty();
    }

    [Fact]
    public async Task Status_ApiKeyNeverPrinted()
    {
        var run = await _cli.RunAsync("status", "999999", "--vendor", "elumenta", "--base-url", SandboxJobs.BaseUrl(_sandbox, "elumenta"));

        run.ShouldExitWith(3);
        run.All.ShouldNotContain(SandboxJobs.ApiKey);
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task Wait_FinishedJob_ExitsZeroWithResult(string vendor)
    {
        var job = await SandboxJobs.SubmitAsync(_sandbox, vendor, "A heron taking off");

        var run = await _cli.RunAsync("wait", job.Id, "--vendor", vendor, "--base-url", SandboxJobs.BaseUrl(_sandbox, vendor), "--out", _cli.OutDirectory, "--json");

        run.ShouldExitWith(0);
        ((string?)run.Json["jobId"]).ShouldBe(job.Id);
        ((string?)run.Json["status"]).ShouldBe("succeeded");
        ((string?)run.Json["result"]).ShouldNotBeNullOrWhiteSpace();

        // Issue 14 item 5: after a wait the video lands like after generate.
        var file = (string)run.Json["file"]!;
        Path.GetDirectoryName(file).ShouldBe(Path.GetFullPath(_cli.OutDirectory));
        GenerateCommandTests.ShouldBeMp4(file);
        ((long)run.Json["bytes"]!).ShouldBe(new FileInfo(file).Length);
    }

    [Fact]
    public async Task Wait_NoDownload_WaitsAndWritesNoFile()
    {
        var job = await SandboxJobs.SubmitAsync(_sandbox, "elumenta", "A heron taking off");

        var run = await _cli.RunAsync("wait", job.Id, "--vendor", "elumenta", "--base-url", SandboxJobs.BaseUrl(_sandbox, "elumenta"), "--out", _cli.OutDirectory, "--no-download");

        run.ShouldExitWith(0);
        run.Out.ShouldContain($"Job {job.Id} succeeded");
        Directory.Exists(_cli.OutDirectory).ShouldBeFalse("--no-download writes nothing, not even the directory");
    }

    [Fact]
    public async Task Wait_WithoutJson_PrintsTheFileOnStandardOutputAndProgressElsewhere()
    {
        var job = await SandboxJobs.SubmitAsync(_sandbox, "oxen", "A heron taking off");

        var run = await _cli.RunAsync("wait", job.Id, "--vendor", "oxen", "--base-url", SandboxJobs.BaseUrl(_sandbox, "oxen"), "--out", _cli.OutDirectory);

        run.ShouldExitWith(0);
        var file = Directory.GetFiles(_cli.OutDirectory, "oxen-*.mp4").ShouldHaveSingleItem();
        run.Out.ShouldContain(file);
        run.Out.ShouldNotContain("Waiting for job");
        run.Console.ShouldContain("Waiting for job");
    }

    [Fact]
    public async Task Wait_RunningAimlGeneration_WaitsUntilCompleted()
    {
        // ray-2 takes 20–180 s; at 0.005 that is 0.1–0.9 s, which AIML's server-side wait follows.
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 0.005 });
        var job = await SandboxJobs.SubmitAsync(sandbox, "aimlapi", "A heron taking off");

        var run = await _cli.RunAsync("wait", job.Id, "--vendor", "aimlapi", "--base-url", SandboxJobs.BaseUrl(sandbox, "aimlapi"), "--timeout", "60", "--out", _cli.OutDirectory, "--json");

        run.ShouldExitWith(0);
        ((string?)run.Json["status"]).ShouldBe("succeeded");
        sandbox.GetJob("aimlapi", job.Id)!.Phase.ShouldBe(SandboxJobPhase.Succeeded);
    }

    [Fact]
    public async Task Wait_FailedJob_ExitsFourWithVendorReason()
    {
        var job = await SandboxJobs.SubmitAsync(_sandbox, "oxen", $"A heron {SandboxOptions.FailurePromptMarker}");

        var run = await _cli.RunAsync("wait", job.Id, "--vendor", "oxen", "--base-url", SandboxJobs.BaseUrl(_sandbox, "oxen"), "--out", _cli.OutDirectory);

        run.ShouldExitWith(4);
        run.Console.ShouldContain("the prompt asked the sandbox to fail");
    }

    [Fact]
    public async Task Wait_RunningJobTimesOut_ExitsFiveWithResumeHint()
    {
        await using var slow = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 1 });
        var job = await SandboxJobs.SubmitAsync(slow, "elumenta", "A heron taking off");

        var run = await _cli.RunAsync("wait", job.Id, "--vendor", "elumenta", "--base-url", SandboxJobs.BaseUrl(slow, "elumenta"), "--timeout", "1", "--out", _cli.OutDirectory, "--json");

        run.ShouldExitWith(5);
        var error = run.Json["error"]!;
        ((string?)error["type"]).ShouldBe("jobTimeout");
        ((string?)error["jobId"]).ShouldBe(job.Id);
        ((string?)error["hint"]).ShouldBe($"The job is still known as {job.Id}: resume with videogen wait {job.Id} (same --vendor/--base-url).");
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task Download_FinishedJob_WritesMp4(string vendor)
    {
        var job = await SandboxJobs.SubmitAsync(_sandbox, vendor, "A glass of water on a table");

        var run = await _cli.RunAsync("download", job.Id, "--vendor", vendor, "--base-url", SandboxJobs.BaseUrl(_sandbox, vendor), "--out", _cli.OutDirectory, "--json");

        run.ShouldExitWith(0);
        ((string?)run.Json["jobId"]).ShouldBe(job.Id);
        var file = (string)run.Json["file"]!;
        Path.GetDirectoryName(file).ShouldBe(Path.GetFullPath(_cli.OutDirectory));
        GenerateCommandTests.ShouldBeMp4(file);
        ((long)run.Json["bytes"]!).ShouldBe(new FileInfo(file).Length);
    }

    [Fact]
    public async Task Download_RunningJob_ExitsThreePointingToWait()
    {
        await using var slow = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 1 });
        var job = await SandboxJobs.SubmitAsync(slow, "aimlapi", "A glass of water");

        var run = await _cli.RunAsync("download", job.Id, "--vendor", "aimlapi", "--base-url", SandboxJobs.BaseUrl(slow, "aimlapi"), "--out", _cli.OutDirectory);

        run.ShouldExitWith(3);
        run.Console.ShouldContain($"not finished: use videogen wait {job.Id}");
        Directory.GetFiles(_cli.OutDirectory).ShouldBeEmpty();
    }

    [Fact]
    public async Task Download_FailedJob_ExitsFour()
    {
        var job = await SandboxJobs.SubmitAsync(_sandbox, "gateway", $"A glass {SandboxOptions.FailurePromptMarker}");

        var run = await _cli.RunAsync("download", job.Id, "--vendor", "gateway", "--base-url", SandboxJobs.BaseUrl(_sandbox, "gateway"), "--out", _cli.OutDirectory);

        run.ShouldExitWith(4);
    }

    [Fact]
    public async Task Generate_BaseUrlOfStandaloneSandbox_JournalsTheJob()
    {
        var run = await _cli.RunAsync("generate", "A paper plane", "--vendor", "aimlapi", "--base-url", SandboxJobs.BaseUrl(_sandbox, "aimlapi"), "--out", _cli.OutDirectory, "--json");

        run.ShouldExitWith(0);
        ((bool)run.Json["sandbox"]!).ShouldBeFalse();
        GenerateCommandTests.ShouldBeMp4((string)run.Json["file"]!);
        _cli.SandboxesStarted.ShouldBeEmpty();
        File.Exists(Path.Combine(_cli.Home, "journal.db")).ShouldBeTrue();

        // Nothing is left unfinished in the journal: resume has nothing to do.
        var resume = await _cli.RunAsync("resume", "--base-url", SandboxJobs.BaseUrl(_sandbox, "aimlapi"), "--out", _cli.OutDirectory, "--json");
        resume.ShouldExitWith(0);
        resume.Json["entries"]!.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Extend_CompletedGeneration_WritesMp4OfNewGeneration(bool backward)
    {
        var baseUrl = SandboxJobs.BaseUrl(_sandbox, "aimlapi");
        var created = await _cli.RunAsync("generate", "A dog on a beach", "--vendor", "aimlapi", "--base-url", baseUrl, "--out", _cli.OutDirectory, "--json");
        created.ShouldExitWith(0);
        var generationId = (string)created.Json["jobId"]!;

        string[] args = ["extend", generationId, "The dog runs into the waves", "--base-url", baseUrl, "--out", _cli.OutDirectory, "--json"];
        var run = await _cli.RunAsync(backward ? [.. args, "--backward"] : args);

        run.ShouldExitWith(0);
        var json = run.Json;
        ((string?)json["vendor"]).ShouldBe("aimlapi");
        var extensionId = (string)json["jobId"]!;
        extensionId.ShouldNotBe(generationId);
        ((string?)json["status"]).ShouldBe("succeeded");
        GenerateCommandTests.ShouldBeMp4((string)json["file"]!);
        _sandbox.GetJob("aimlapi", extensionId)!.Phase.ShouldBe(SandboxJobPhase.Succeeded);
    }

    [Theory]
    [InlineData(false, "keyframes.frame0.id")]
    [InlineData(true, "keyframes.frame1.id")]
    public async Task Extend_UnknownGeneration_ExitsThreeNamingTheKeyframeSent(bool backward, string keyframe)
    {
        var unknown = Guid.NewGuid().ToString();
        string[] args = ["extend", unknown, "More", "--base-url", SandboxJobs.BaseUrl(_sandbox, "aimlapi"), "--out", _cli.OutDirectory, "--json"];

        var run = await _cli.RunAsync(backward ? [.. args, "--backward"] : args);

        // The sandbox refuses the extension the way AIML API does: the message shows which end was extended.
        run.ShouldExitWith(3);
        ((int)run.Json["error"]!["status"]!).ShouldBe(400);
        ((string)run.Json["error"]!["message"]!).ShouldContain($"{keyframe}: generation {unknown} was not found");
    }

    [Fact]
    public async Task Extend_VendorWithoutExtend_ExitsTwoBeforeSending()
    {
        var requestsBefore = _sandbox.Counters.Requests("elumenta");

        var run = await _cli.RunAsync("extend", "18500", "More", "--vendor", "elumenta", "--base-url", SandboxJobs.BaseUrl(_sandbox, "elumenta"));

        run.ShouldExitWith(2);
        run.Console.ShouldContain("nothing was sent");
        run.Console.ShouldContain("Extend");
        _sandbox.Counters.Requests("elumenta").ShouldBe(requestsBefore);
    }
}
