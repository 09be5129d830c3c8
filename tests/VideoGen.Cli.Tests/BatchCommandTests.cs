using System.Diagnostics;
using Newtonsoft.Json.Linq;
using VideoGen.Cli.Tests.Infrastructure;
using VideoGen.Sandbox;

namespace VideoGen.Cli.Tests;

/// <summary><c>videogen batch</c> on the embedded sandbox: one sandbox for every vendor of the file.</summary>
public sealed class BatchCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Batch_TwoVendors_GeneratesEveryLineOnTheSandboxClock()
    {
        var file = await WriteLinesAsync(
            """{"prompt":"A cat on a windowsill","vendor":"elumenta"}""",
            """{"prompt":"A dog on a beach","vendor":"aimlapi","aspectRatio":"9:16"}""");

        // At the vendors' own pace kling-v2.1 is polled first after 45 s; on the sandbox's clock it is done in well under a second.
        var clock = Stopwatch.StartNew();
        var run = await _cli.RunAsync("batch", file, "--out", _cli.OutDirectory, "--json");
        clock.Stop();

        run.ShouldExitWith(0);
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30), "the wait schedule did not follow the embedded sandbox's time scale");
        var lines = run.Json["lines"].ShouldBeOfType<JArray>();
        lines.Count.ShouldBe(2);
        foreach (var line in lines)
        {
            ((string?)line["kind"]).ShouldBe("Succeeded");
            GenerateCommandTests.ShouldBeMp4((string)line["file"]!);
        }

        var sandbox = _cli.SandboxesStarted.ShouldHaveSingleItem();
        sandbox.Counters.JobsCreated("elumenta").ShouldBe(1);
        sandbox.Counters.JobsCreated("aimlapi").ShouldBe(1);
    }

    [Fact]
    public async Task Batch_FailingLine_ExitsFourAndReportsEachLine()
    {
        var file = await WriteLinesAsync(
            """{"prompt":"A cat","vendor":"gateway"}""",
            $$"""{"prompt":"A dog {{SandboxOptions.FailurePromptMarker}}","vendor":"gateway"}""");

        var run = await _cli.RunAsync("batch", file, "--out", _cli.OutDirectory, "--json");

        run.ShouldExitWith(4);
        var lines = run.Json["lines"]!;
        ((string?)lines[0]!["kind"]).ShouldBe("Succeeded");
        ((string?)lines[1]!["kind"]).ShouldBe("Failed");
        ((string)lines[1]!["error"]!).ShouldContain("the prompt asked the sandbox to fail");
    }

    [Fact]
    public async Task Batch_InvalidLine_ExitsTwoAndSendsNothing()
    {
        var file = await WriteLinesAsync(
            """{"prompt":"A cat","vendor":"elumenta"}""",
            """{"prompt":"A dog","vendor":"aimlapi","duration":7}""");

        var run = await _cli.RunAsync("batch", file, "--out", _cli.OutDirectory);

        run.ShouldExitWith(2);
        run.Console.ShouldContain("line 2: duration: '7' is not allowed");
        _cli.SandboxesStarted.ShouldBeEmpty();
    }

    [Fact]
    public async Task Batch_ConcurrencyZero_ExitsTwoNamingOption()
    {
        var file = await WriteLinesAsync("""{"prompt":"A cat"}""");

        var run = await _cli.RunAsync("batch", file, "--concurrency", "0");

        run.ShouldExitWith(2);
        run.Error.ShouldContain("--concurrency: '0' is not allowed; use a whole number of jobs >= 1.");
    }

    private async Task<string> WriteLinesAsync(params string[] lines)
    {
        var file = Path.Combine(_cli.Home, "prompts.jsonl");
        await File.WriteAllLinesAsync(file, lines);
        return file;
    }
}
