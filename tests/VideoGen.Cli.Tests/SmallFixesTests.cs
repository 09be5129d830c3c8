using Newtonsoft.Json.Linq;
using VideoGen.Cli.Tests.Infrastructure;
using VideoGen.Journal;
using VideoGen.Sandbox;

namespace VideoGen.Cli.Tests;

/// <summary>
/// Issue 14 items 10–12: settling by hand is written to the journal; fresh sandbox ids and no second copy of a video;
/// status's exit code and help, models --json, the usage name, short flags, --timeout durations.
/// </summary>
public sealed class SmallFixesTests : IClassFixture<InstantSandboxFixture>, IDisposable
{
    private readonly CliHarness _cli = new();
    private readonly SandboxServer _sandbox;

    public SmallFixesTests(InstantSandboxFixture fixture)
    {
        _sandbox = fixture.Sandbox;
        _cli.Environment[SandboxJobs.KeyVariable("elumenta")] = SandboxJobs.ApiKey;
        _cli.Environment[SandboxJobs.KeyVariable("aimlapi")] = SandboxJobs.ApiKey;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _cli.Dispose();
    }

    [Fact]
    public async Task Generate_TwoRunsOnTheEmbeddedSandbox_FreshIdsAndNoNumberedCopies()
    {
        var cli = new CliHarness();
        try
        {
            var ids = new List<string>();
            foreach (var vendor in new[] { "elumenta", "elumenta", "apiframe", "aimlapi", "oxen" })
            {
                var run = (await cli.RunAsync("generate", "A paper boat", "--vendor", vendor, "--out", cli.OutDirectory, "--json")).ShouldExitWith(0);
                ids.Add((string)run.Json["jobId"]!);
            }

            ids.ShouldBeUnique("every run of the embedded sandbox gives fresh ids (three vendors once shared one UUID)");
            Directory.GetFiles(cli.OutDirectory).Select(Path.GetFileName).ShouldAllBe(name => !name!.EndsWith("-2.mp4"));
        }
        finally
        {
            cli.Dispose();
        }
    }

    [Fact]
    public async Task Generate_SeedSet_IdsRepeatForARepeatableRun()
    {
        _cli.Environment[SandboxOptions.SeedEnvironmentVariable] = "7";
        _cli.Environment.Remove(SandboxJobs.KeyVariable("elumenta"));
        var first = (await _cli.RunAsync("generate", "A paper boat", "--vendor", "elumenta", "--out", _cli.OutDirectory, "--json")).ShouldExitWith(0);
        var second = (await _cli.RunAsync("generate", "A paper boat", "--vendor", "elumenta", "--out", _cli.OutDirectory, "--json")).ShouldExitWith(0);

        ((string)second.Json["jobId"]!).ShouldBe((string)first.Json["jobId"]!);
    }

    [Fact]
    public async Task Download_Twice_SecondKeepsTheFileAndMakesNoCopy()
    {
        var job = await SandboxJobs.SubmitAsync(_sandbox, "elumenta", "A windmill");
        string[] args = ["download", job.Id, "-v", "elumenta", "--base-url", SandboxJobs.BaseUrl(_sandbox, "elumenta"), "-o", _cli.OutDirectory, "--json"];

        var first = (await _cli.RunAsync(args)).ShouldExitWith(0);
        var file = (string)first.Json["file"]!;
        var marked = new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(file, marked);
        var second = (await _cli.RunAsync(args)).ShouldExitWith(0);

        ((string)second.Json["file"]!).ShouldBe(file);
        Directory.GetFiles(_cli.OutDirectory, "*.mp4").ShouldHaveSingleItem();
        File.GetLastWriteTimeUtc(file).ShouldBe(marked, "the file already there is not downloaded again (a download moves a new file into place)");
        (await _cli.RunAsync(args[..^1])).ShouldExitWith(0).Console.ShouldContain("already there: not downloaded again");
    }

    [Fact]
    public async Task Status_Help_ListsTimeoutButNotOut()
    {
        var run = (await _cli.RunAsync("status", "--help")).ShouldExitWith(0);

        run.Out.ShouldContain("--timeout");
        run.Out.ShouldNotContain("--out");
        run.Out.ShouldNotContain("download", Case.Insensitive);
        run.Out.ShouldContain("videogen status");
        (await _cli.RunAsync("download", "--help")).Out.ShouldContain("-o, --out");
    }

    [Fact]
    public async Task Help_UsageSaysVideogen()
    {
        var run = (await _cli.RunAsync("--help")).ShouldExitWith(0);

        run.Out.ShouldContain("videogen [command] [options]");
        run.Out.ShouldNotContain("testhost");
        run.Out.ShouldNotContain("VideoGen.Cli");
    }

    [Fact]
    public async Task Models_Json_ModesIsAnArray()
    {
        var run = (await _cli.RunAsync("models", "-v", "aimlapi", "--json")).ShouldExitWith(0);

        var ray16 = run.Json.ShouldBeOfType<JArray>().Single(m => (string?)m["model"] == "ray-1-6");
        ray16["modes"].ShouldBeOfType<JArray>().Select(m => (string?)m).ShouldBe(["text", "image", "end frame", "extend"]);
    }

    [Fact]
    public async Task Validate_ShortFlags_SameAsLongOnes()
    {
        var run = (await _cli.RunAsync("validate", "A cat", "-v", "aimlapi", "-m", "ray-2", "-d", "9", "--json")).ShouldExitWith(0);

        ((string?)run.Json["vendor"]).ShouldBe("aimlapi");
        ((string?)run.Json["model"]).ShouldBe("ray-2");
        (await _cli.RunAsync("validate", "A cat", "-v", "aimlapi", "-d", "7")).ShouldExitWith(2).Console.ShouldContain("--duration: '7'");
    }

    [Theory]
    [InlineData("90", 90)]
    [InlineData("90s", 90)]
    [InlineData("2m", 120)]
    [InlineData("1.5m", 90)]
    [InlineData("1h", 3600)]
    public void TimeoutOption_Durations_Parse(string text, double seconds)
    {
        var run = new RunOptions();
        var command = new System.CommandLine.Command("x");
        run.AddTo(command);

        var result = command.Parse(["--timeout", text]);

        result.Errors.ShouldBeEmpty();
        run.Timeout(result).ShouldBe(TimeSpan.FromSeconds(seconds));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("0.5s")]
    [InlineData("2x")]
    [InlineData("m")]
    [InlineData("-5")]
    public void TimeoutOption_NotADurationOfASecondOrMore_IsAParseErrorNamingIt(string text)
    {
        var run = new RunOptions();
        var command = new System.CommandLine.Command("x");
        run.AddTo(command);

        var error = command.Parse(["--timeout", text]).Errors.ShouldHaveSingleItem();

        error.Message.ShouldStartWith($"--timeout: '{text}' is not allowed");
    }

    [Fact]
    public async Task Wait_TimeoutInMinutes_Works()
    {
        var job = await SandboxJobs.SubmitAsync(_sandbox, "aimlapi", "A comet");

        (await _cli.RunAsync("wait", job.Id, "-v", "aimlapi", "--base-url", SandboxJobs.BaseUrl(_sandbox, "aimlapi"), "--timeout", "1.5m", "-o", _cli.OutDirectory)).ShouldExitWith(0);
    }

    [Fact]
    public async Task Resume_SettleAndForget_AreWrittenToTheJournal()
    {
        var journal = new SqliteJobJournal(_cli.JournalPath());
        var job = await SandboxJobs.SubmitAsync(_sandbox, "elumenta", "A kite over dunes");
        await journal.RecordIntentAsync(Entry("a1b2c3d4-0000-4000-8000-000000000001", "A kite over dunes"));
        await journal.UpdateAsync("a1b2c3d4-0000-4000-8000-000000000001", JournalState.OutcomeUnknown, detail: "connection dropped after the request was sent");
        await journal.RecordIntentAsync(Entry("b1b2c3d4-0000-4000-8000-000000000002", "A kite that never flew"));
        await journal.UpdateAsync("b1b2c3d4-0000-4000-8000-000000000002", JournalState.OutcomeUnknown, detail: "connection dropped after the request was sent");

        // Unknown outcomes keep resume at exit 3 and are listed with what settles them.
        var listed = (await _cli.RunAsync("resume", "--base-url", SandboxJobs.BaseUrl(_sandbox, "elumenta"), "-o", _cli.OutDirectory)).ShouldExitWith(3);
        listed.Console.ShouldContain("videogen resume --settle a1b2c3d4-0000-4000-8000-000000000001 --job");
        listed.Console.ShouldContain("videogen resume --forget b1b2c3d4-0000-4000-8000-000000000002");

        (await _cli.RunAsync("resume", "--settle", "a1b2c3d4", "--job", job.Id)).ShouldExitWith(0).Out.ShouldContain($"is now job {job.Id}");
        (await _cli.RunAsync("resume", "--forget", "b1b2c3d4")).ShouldExitWith(0).Out.ShouldContain("never created");

        var settled = (await journal.FindAsync("a1b2c3d4-0000-4000-8000-000000000001")).ShouldNotBeNull();
        settled.State.ShouldBe(JournalState.Submitted);
        settled.JobId.ShouldBe(job.Id);
        settled.Detail.ShouldNotBeNull().ShouldContain("videogen resume --settle");
        var forgotten = (await journal.FindAsync("b1b2c3d4-0000-4000-8000-000000000002")).ShouldNotBeNull();
        forgotten.State.ShouldBe(JournalState.Rejected);
        forgotten.Detail.ShouldNotBeNull().ShouldContain("videogen resume --forget");

        // resume then finishes the settled job (download) and exits 0: nothing unknown is left.
        var resumed = (await _cli.RunAsync("resume", "--base-url", SandboxJobs.BaseUrl(_sandbox, "elumenta"), "-o", _cli.OutDirectory, "--json")).ShouldExitWith(0);
        var entry = resumed.Json["entries"]!.ShouldHaveSingleItem();
        ((string?)entry["state"]).ShouldBe("Completed");
        ((string?)entry["jobId"]).ShouldBe(job.Id);
        (await journal.FindAsync("a1b2c3d4-0000-4000-8000-000000000001"))!.State.ShouldBe(JournalState.Completed);
        (await _cli.RunAsync("resume", "--base-url", SandboxJobs.BaseUrl(_sandbox, "elumenta"), "--json")).ShouldExitWith(0).Json["entries"]!.ShouldBeEmpty();
    }

    [Fact]
    public async Task Resume_SettleAfterTheProcessHoldingItsLeaseEnded_IsNotRefused()
    {
        // An earlier videogen on this machine (a resume that listed it, a killed generate) held the lease and ended.
        var journal = new SqliteJobJournal(_cli.JournalPath());
        var job = await SandboxJobs.SubmitAsync(_sandbox, "elumenta", "A kite at dusk");
        await journal.RecordIntentAsync(Entry("c1b2c3d4-0000-4000-8000-000000000003", "A kite at dusk"));
        await journal.UpdateAsync("c1b2c3d4-0000-4000-8000-000000000003", JournalState.OutcomeUnknown, detail: "connection dropped after the request was sent");
        var ended = $"{Environment.MachineName}/{int.MaxValue}/1/0123456789abcdef0123456789abcdef";
        (await journal.TryAcquireLeaseAsync("c1b2c3d4-0000-4000-8000-000000000003", ended, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(5))).ShouldBeTrue();

        (await _cli.RunAsync("resume", "--settle", "c1b2c3d4", "--job", job.Id)).ShouldExitWith(0).Out.ShouldContain($"is now job {job.Id}");

        (await journal.FindAsync("c1b2c3d4-0000-4000-8000-000000000003"))!.JobId.ShouldBe(job.Id);
    }

    // Sent to this test's sandbox: the host resume settles it at.
    private JournalEntry Entry(string correlationId, string prompt) => new(
        correlationId, ClientKey: null, Vendor: "elumenta", Model: "kling-v2.1", Prompt: prompt, RequestJson: "{}",
        JournalState.Intent, JobId: null, Detail: null, CreatedAt: DateTimeOffset.UtcNow, UpdatedAt: DateTimeOffset.UtcNow)
    {
        Endpoint = JournalEndpoint.Describe(new Uri(SandboxJobs.BaseUrl(_sandbox, "elumenta"))),
    };
}

internal static class CliHarnessJournal
{
    public static string JournalPath(this CliHarness cli) => Path.Combine(cli.Home, "journal.db");
}
