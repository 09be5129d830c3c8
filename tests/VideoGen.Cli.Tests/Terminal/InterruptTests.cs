using VideoGen.Cli.Tests.Infrastructure;
using VideoGen.Sandbox;

namespace VideoGen.Cli.Tests.Terminal;

/// <summary>
/// Issue 14 items 1 and 7, on a real pseudo-terminal: the built videogen process, a real SIGINT from the terminal's
/// Ctrl+C, the real escape sequences. Ctrl+C restores the cursor, says in one line what goes on at the vendor and the
/// exact command that picks it up, and exits 130; a second Ctrl+C exits at once. Batch draws a live table.
/// </summary>
public sealed class InterruptTests : IAsyncLifetime, IDisposable
{
    private readonly RealCli _cli = new();
    private SandboxServer _sandbox = null!;

    public async Task InitializeAsync()
    {
        // At the vendors' own pace (kling-v2.1: 45–90 s): every job is still running when Ctrl+C comes.
        _sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 1 });
        _cli.Environment["ELUMENTA_API_KEY"] = SandboxJobs.ApiKey;
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    public void Dispose() => _cli.Dispose();

    private string BaseUrl => _sandbox.BaseUrl.ToString();

    private static string InterruptedLine(TerminalRun run) =>
        run.Text.Split('\n').Where(l => l.Contains("Interrupted", StringComparison.Ordinal)).ShouldHaveSingleItem(run.All);

    [Fact]
    public async Task Generate_CtrlCWhileWaiting_ShowsTheCursorSaysHowToPickUpAndExits130()
    {
        var run = await _cli.TerminalAsync("Job ", [1.0], "generate", "A lighthouse in a storm", "--base-url", BaseUrl, "--out", _cli.OutDirectory);

        run.SawText.ShouldBeTrue(run.All);
        run.ExitCode.ShouldBe(130, run.All);
        run.Output.ShouldContain(TerminalRun.HideCursor, customMessage: "the spinner ran (and hid the cursor): " + run.All);
        run.CursorVisibleAtEnd.ShouldBeTrue(run.All);
        var job = _sandbox.GetJobs("elumenta").ShouldHaveSingleItem();
        job.Phase.ShouldBeOneOf([SandboxJobPhase.Queued, SandboxJobPhase.Processing], "the job goes on at the vendor");
        var line = InterruptedLine(run);
        line.ShouldContain($"job {job.Id} goes on at the vendor");
        line.ShouldEndWith($"videogen wait {job.Id} --vendor elumenta --base-url {BaseUrl}");
    }

    [Fact]
    public async Task Wait_CtrlC_ShowsTheCursorSaysHowToPickUpAndExits130()
    {
        var job = await SandboxJobs.SubmitAsync(_sandbox, "elumenta", "A lighthouse in a storm");

        var run = await _cli.TerminalAsync("Job ", [1.0], "wait", job.Id, "--vendor", "elumenta", "--base-url", BaseUrl, "--out", _cli.OutDirectory);

        run.SawText.ShouldBeTrue(run.All);
        run.ExitCode.ShouldBe(130, run.All);
        run.Output.ShouldContain(TerminalRun.HideCursor, customMessage: run.All);
        run.CursorVisibleAtEnd.ShouldBeTrue(run.All);
        InterruptedLine(run).ShouldEndWith($"videogen wait {job.Id} --vendor elumenta --base-url {BaseUrl}");
    }

    [Fact]
    public async Task Generate_SecondCtrlC_ExitsAtOnceWith130()
    {
        var run = await _cli.TerminalAsync("Job ", [1.0, 1.05], "generate", "A lighthouse in a storm", "--base-url", BaseUrl, "--out", _cli.OutDirectory);

        run.SawText.ShouldBeTrue(run.All);
        run.AliveAtInterrupts[0].ShouldBeTrue(run.All);

        // Not killed by the signal (-2): the handler exits 130 itself, whichever Ctrl+C it was.
        run.ExitCode.ShouldBe(130, run.All);
        run.SecondsAfterLastInterrupt!.Value.ShouldBeLessThan(3, run.All);
        run.CursorVisibleAtEnd.ShouldBeTrue(run.All);
    }

    [Fact]
    public async Task Batch_CtrlC_ShowsTheCursorSaysHowToPickUpAndExits130()
    {
        var file = Path.Combine(_cli.Home, "prompts.jsonl");
        await File.WriteAllLinesAsync(file, ["""{"prompt":"A fox"}""", """{"prompt":"A hare"}""", """{"prompt":"An owl"}"""]);

        var run = await _cli.TerminalAsync("running", [2.0], "batch", file, "--base-url", BaseUrl, "--out", _cli.OutDirectory);

        run.SawText.ShouldBeTrue(run.All);
        run.ExitCode.ShouldBe(130, run.All);
        run.CursorVisibleAtEnd.ShouldBeTrue(run.All);
        var line = InterruptedLine(run);
        line.ShouldContain("go on at the vendor");
        line.ShouldContain($"videogen batch {file} --base-url {BaseUrl} --out {_cli.OutDirectory} (or videogen resume)");
    }

    [Fact]
    public async Task Batch_InATerminal_DrawsALiveTableWithARowPerLine()
    {
        await using var fast = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 0.05 });
        var file = Path.Combine(_cli.Home, "prompts.jsonl");
        await File.WriteAllLinesAsync(file, ["""{"prompt":"A fox"}""", """{"prompt":"A hare","vendor":"oxen"}""", """{"prompt":"An owl"}"""]);

        var run = await _cli.TerminalAsync("\u0000 never printed", [], "batch", file, "--base-url", fast.BaseUrl.ToString(), "--out", _cli.OutDirectory);

        run.ExitCode.ShouldBe(0, run.All);
        run.CursorVisibleAtEnd.ShouldBeTrue(run.All);

        // While it ran: the live table (its header and caption), redrawn in place.
        foreach (var column in new[] { "line", "submitted", "status", "elapsed", "file" })
        {
            run.Text.ShouldContain(column, customMessage: run.All);
        }

        run.Text.ShouldContain("running", customMessage: run.All);
        foreach (var job in fast.GetJobs())
        {
            run.Text.ShouldContain(job.Id, customMessage: run.All);
        }

        run.Text.ShouldContain("3 lines: 3 succeeded", customMessage: run.All);
    }
}
