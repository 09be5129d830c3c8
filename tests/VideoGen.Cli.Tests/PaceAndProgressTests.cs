using System.Diagnostics;
using VideoGen.Cli.Tests.Infrastructure;
using VideoGen.Sandbox;

namespace VideoGen.Cli.Tests;

/// <summary>
/// Issue 14 items 2, 6 and 7 in-process: every HTTP call of every command (price included) ends with its --timeout; a
/// standalone sandbox says its time scale and a client pointed at it waits at its pace, with the model's window and
/// what is left shown; batch reports each line as plain lines when not on a terminal and says what a rerun skipped.
/// </summary>
public sealed class PaceAndProgressTests : IDisposable
{
    /// <summary>"A few seconds" past --timeout, generous for a loaded 2-core machine; the hangs were 100 s.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(5);

    private readonly CliHarness _cli = new();

    public PaceAndProgressTests()
    {
        // Nothing tells the client the sandbox's pace but the sandbox itself.
        _cli.Environment.Remove(SandboxOptions.TimeScaleEnvironmentVariable);
    }

    public void Dispose() => _cli.Dispose();

    public static TheoryData<string[]> CommandsOnAHungServer => new()
    {
        { ["price", "A cat", "--vendor", "elumenta"] },
        { ["generate", "A cat", "--vendor", "elumenta", "--out", "{out}"] },
        { ["generate", "A cat", "--vendor", "oxen", "--out", "{out}"] },
        { ["cancel", "7cf9b23a-1234-5678-9abc-def012345678", "--vendor", "oxen"] },
    };

    [Theory]
    [MemberData(nameof(CommandsOnAHungServer))]
    public async Task Command_ServerAcceptsAndNeverAnswers_ExitsFiveWithinTheTimeout(string[] args)
    {
        await using var stub = RawHttpStub.Silent();
        var watch = Stopwatch.StartNew();

        var run = await _cli.RunAsync([.. args.Select(a => a == "{out}" ? _cli.OutDirectory : a), "--base-url", stub.BaseUrl.ToString(), "--timeout", "2", "--json"]);

        run.ShouldExitWith(5);
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(2) + Slack, run.All);
        stub.Requests.ShouldBeGreaterThan(0, "the command did reach the server");
    }

    [Fact]
    public async Task Sandbox_EveryResponse_SaysItsTimeScale()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 0.05 });
        using var http = new HttpClient();

        using var health = await http.GetAsync(new Uri(sandbox.BaseUrl, "_sandbox/health"));
        using var vendor = await http.GetAsync(new Uri(sandbox.BaseUrl, "api/v2/generate/1"));

        health.Headers.GetValues(SandboxOptions.TimeScaleHeader).ShouldBe(["0.05"]);
        vendor.Headers.GetValues(SandboxOptions.TimeScaleHeader).ShouldBe(["0.05"]);
    }

    [Fact]
    public async Task Generate_StandaloneSandbox_WaitsAtTheSandboxsPaceAndShowsTheWindow()
    {
        // kling-v2.1 takes 45–90 s; at 0.05 that is 2.3–4.5 s. Waiting at the vendor's pace, the first poll is after 45 s.
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 0.05 });
        var watch = Stopwatch.StartNew();

        var run = await _cli.RunAsync("generate", "A kite over dunes", "--vendor", "elumenta", "--base-url", sandbox.BaseUrl.ToString(), "--out", _cli.OutDirectory);

        run.ShouldExitWith(0);
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20), run.All);
        run.Console.ShouldContain("kling-v2.1 usually takes 2.3–4.5 s here: sandbox time scale 0.05");
        run.Console.ShouldContain(" s left");
        Directory.GetFiles(_cli.OutDirectory, "elumenta-*.mp4").ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Wait_StandaloneSandbox_WaitsAtTheSandboxsPace()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 0.05 });
        _cli.Environment["ELUMENTA_API_KEY"] = SandboxJobs.ApiKey;
        var job = await SandboxJobs.SubmitAsync(sandbox, "elumenta", "A kite over dunes");
        var watch = Stopwatch.StartNew();

        var run = await _cli.RunAsync("wait", job.Id, "--vendor", "elumenta", "--base-url", sandbox.BaseUrl.ToString(), "--out", _cli.OutDirectory);

        run.ShouldExitWith(0);
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20), run.All);
        run.Console.ShouldContain("usually takes 2.3–4.5 s here");
    }

    [Fact]
    public void WaitPace_ShowsElapsedWindowAndWhatIsLeft()
    {
        var vendor = Catalog.VideoModelCatalog.Default.FindVendor("elumenta")!;
        var pace = JobFlow.WaitPace.For(vendor, "kling-v2.1", timeScale: null, createdAt: null);

        pace.Usually.ShouldBe(" (kling-v2.1 usually takes 45–90 s)");
        pace.Describe(TimeSpan.FromSeconds(12)).ShouldBe("12 s elapsed, usually 45–90 s; about 33–78 s left");
        pace.Describe(TimeSpan.FromSeconds(60)).ShouldBe("60 s elapsed, usually 45–90 s; up to 30 s left");
        pace.Describe(TimeSpan.FromSeconds(95)).ShouldBe("95 s elapsed, usually 45–90 s; past the usual 90 s");
        JobFlow.WaitPace.For(vendor, "no-such-model", timeScale: null, createdAt: null).Describe(TimeSpan.FromSeconds(3)).ShouldBe("3 s elapsed");
    }

    [Fact]
    public async Task Batch_NotATerminal_PlainProgressLinesOnStandardErrorResultsOnStandardOutputAndTheRerunSaysWhatItSkipped()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 0.02 });
        var file = Path.Combine(_cli.Home, "prompts.jsonl");
        await File.WriteAllLinesAsync(file, ["""{"prompt":"A fox"}""", """{"prompt":"A hare","vendor":"oxen"}"""]);

        var first = await _cli.RunAsync("batch", file, "--base-url", sandbox.BaseUrl.ToString(), "--out", _cli.OutDirectory);

        first.ShouldExitWith(0);
        var jobs = sandbox.GetJobs();
        jobs.Count.ShouldBe(2);
        foreach (var job in jobs)
        {
            first.Console.ShouldContain($"submitted job {job.Id}");
        }

        first.Console.ShouldContain("line 1: job ");
        first.Out.ShouldNotContain("submitted job");
        first.Out.ShouldContain("line    1: job ");
        first.Out.ShouldContain("line    2: job ");
        first.Out.ShouldContain("2 lines: 2 succeeded");

        var rerun = await _cli.RunAsync("batch", file, "--base-url", sandbox.BaseUrl.ToString(), "--out", _cli.OutDirectory);

        rerun.ShouldExitWith(0);
        sandbox.GetJobs().Count.ShouldBe(2, "a rerun submits nothing again");
        rerun.Out.ShouldContain("Not submitted again (2, already submitted by an earlier run; --new-run submits them anew): lines 1, 2");
    }
}
