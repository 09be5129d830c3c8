using Newtonsoft.Json.Linq;
using VideoGen.Cli.Tests.Infrastructure;
using VideoGen.Sandbox;

namespace VideoGen.Cli.Tests;

/// <summary>
/// <c>videogen batch</c> and <c>resume</c> against a sandbox that outlives each run (here, in this test), so the journal
/// is used: line identity across edits, moves and copies; what a create answer proves; journal and key failures;
/// settling by hand.
/// </summary>
public sealed class BatchJournalTests : IAsyncLifetime
{
    private readonly CliHarness _cli = new();
    private readonly SandboxFaultOptions _faults = new();
    private SandboxServer _sandbox = null!;

    private string BaseUrl => _sandbox.BaseUrl.ToString();

    public async Task InitializeAsync() =>
        _sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = double.Parse(CliHarness.FastTimeScale, System.Globalization.CultureInfo.InvariantCulture), Faults = _faults });

    public async Task DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _cli.Dispose();
    }

    [Fact]
    public async Task Batch_LineInsertedFileMovedAndReordered_OnlyNewLinesAreSubmitted()
    {
        string[] original =
        [
            """{"prompt":"A cat on a windowsill","vendor":"gateway"}""",
            """{"prompt":"A dog on a beach","vendor":"aimlapi","aspectRatio":"9:16"}""",
            """{"prompt":"A heron","vendor":"gateway"}""",
            """{"prompt":"A heron","vendor":"gateway"}""",
        ];
        var file = await WriteAsync("first", original);
        (await BatchAsync(file)).ShouldExitWith(0);
        _sandbox.Counters.TotalJobsCreated.ShouldBe(4, "two identical lines are two videos");

        // One line inserted at the top: every other line moved down by one.
        var edited = await WriteAsync("first", ["""{"prompt":"A new first line","vendor":"gateway"}""", .. original]);
        var rerun = (await BatchAsync(edited)).ShouldExitWith(0);
        _sandbox.Counters.TotalJobsCreated.ShouldBe(5, $"only the inserted line is new:{Environment.NewLine}{rerun.All}");
        rerun.Json["skippedLines"]!.Select(t => (int)t).ShouldBe([2, 3, 4, 5]);

        // Copied elsewhere, reordered, keys spelled differently: still the same requests.
        var moved = await WriteAsync(
            Path.Combine("elsewhere", "copy"),
            """{"vendor":"gateway","prompt":"A heron"}""",
            """{ "aspect_ratio": "9:16", "vendor": "aimlapi", "prompt": "A dog on a beach" }""",
            """{"prompt":"A new first line","vendor":"gateway"}""",
            """{"prompt":"A heron","vendor":"gateway"}""",
            """{"prompt":"A cat on a windowsill","vendor":"gateway"}""");
        var again = (await BatchAsync(moved)).ShouldExitWith(0);
        _sandbox.Counters.TotalJobsCreated.ShouldBe(5, again.All);
        again.Json["skippedLines"]!.Count().ShouldBe(5);

        // A third identical line is a new video; --new-run submits everything again, once.
        var third = await WriteAsync("third", [.. original, """{"prompt":"A heron","vendor":"gateway"}"""]);
        (await BatchAsync(third)).ShouldExitWith(0);
        _sandbox.Counters.TotalJobsCreated.ShouldBe(6);
        (await BatchAsync(third, "--new-run")).ShouldExitWith(0);
        _sandbox.Counters.TotalJobsCreated.ShouldBe(11);
        var afterNewRun = (await BatchAsync(third)).ShouldExitWith(0);
        _sandbox.Counters.TotalJobsCreated.ShouldBe(11, "a rerun after --new-run resumes the new run");
        afterNewRun.Json["skippedLines"]!.Count().ShouldBe(5);
    }

    [Theory]
    [InlineData(503)]
    [InlineData(500)]
    public async Task Batch_ServerErrorOnCreate_IsUnknownNeverResentUntilSettledByHand(int status)
    {
        var file = await WriteAsync("five-oh-x", """{"prompt":"A lantern","vendor":"gateway"}""");
        (status == 503 ? (Action)(() => _faults.ServiceUnavailableRate = 1) : () => _faults.ServerErrorRate = 1)();

        var first = (await BatchAsync(file)).ShouldExitWith(3);
        ((string?)first.Json["lines"]![0]!["kind"]).ShouldBe("OutcomeUnknown", $"a {status} does not prove that no job was created");

        _faults.ServiceUnavailableRate = 0;
        _faults.ServerErrorRate = 0;
        var rerun = (await BatchAsync(file)).ShouldExitWith(3);
        ((string?)rerun.Json["lines"]![0]!["kind"]).ShouldBe("OutcomeUnknown");
        _sandbox.Counters.TotalJobsCreated.ShouldBe(0, "never resent while unknown");

        // resume lists it with what the user needs to look it up; the user says it was never created.
        var resume = (await _cli.RunAsync("resume", "--base-url", BaseUrl, "--out", _cli.OutDirectory, "--json")).ShouldExitWith(3);
        var entry = resume.Json["entries"]!.ShouldHaveSingleItem();
        ((string?)entry["state"]).ShouldBe("OutcomeUnknown");
        // Batch lines name Apiframe by its old alias; the journal keeps the stable id.
        ((string?)entry["vendor"]).ShouldBe("apiframe");
        ((string?)entry["prompt"]).ShouldBe("A lantern");
        entry["createdAt"].ShouldNotBeNull();
        var id = (string)entry["correlationId"]!;
        var human = await _cli.RunAsync("resume", "--base-url", BaseUrl, "--out", _cli.OutDirectory);
        human.Console.ShouldContain($"videogen resume --settle {id} --job");
        human.Console.ShouldContain($"videogen resume --forget {id}");

        (await _cli.RunAsync("resume", "--forget", id[..8], "--json")).ShouldExitWith(0);
        (await _cli.RunAsync("resume", "--base-url", BaseUrl, "--out", _cli.OutDirectory, "--json")).ShouldExitWith(0).Json["entries"]!.ShouldBeEmpty();
        (await BatchAsync(file)).ShouldExitWith(0);
        _sandbox.Counters.TotalJobsCreated.ShouldBe(1, "forgotten: submitted once more");
    }

    [Fact]
    public async Task Resume_SettleWithTheJobFoundOnTheDashboard_DownloadsItAndNothingIsResent()
    {
        // The gateway lists no jobs: a dropped answer stays unknown until the user settles it.
        var file = await WriteAsync("settle", """{"prompt":"A kite over dunes","vendor":"gateway"}""");
        _faults.DropAfterAcceptRate = 1;
        (await BatchAsync(file)).ShouldExitWith(3);
        _faults.DropAfterAcceptRate = 0;
        var job = _sandbox.GetJobs().ShouldHaveSingleItem();
        var id = (string)(await _cli.RunAsync("resume", "--base-url", BaseUrl, "--out", _cli.OutDirectory, "--json")).Json["entries"]![0]!["correlationId"]!;

        (await _cli.RunAsync("resume", "--settle", id, "--json")).ShouldExitWith(2).Json["error"]!["message"]!.ToString().ShouldContain("--job");
        var settled = (await _cli.RunAsync("resume", "--settle", id, "--job", job.Id, "--json")).ShouldExitWith(0);
        ((string?)settled.Json["entries"]![0]!["state"]).ShouldBe("Settled");
        (await _cli.RunAsync("resume", "--settle", id, "--job", job.Id)).ShouldExitWith(2);

        var resume = (await _cli.RunAsync("resume", "--base-url", BaseUrl, "--out", _cli.OutDirectory, "--json")).ShouldExitWith(0);
        ((string?)resume.Json["entries"]![0]!["state"]).ShouldBe("Completed");
        ((string?)resume.Json["entries"]![0]!["jobId"]).ShouldBe(job.Id);
        var rerun = (await BatchAsync(file)).ShouldExitWith(0);
        ((string?)rerun.Json["lines"]![0]!["jobId"]).ShouldBe(job.Id);
        _sandbox.Counters.TotalJobsCreated.ShouldBe(1);
    }

    [Theory]
    [InlineData("sk-live-1234\r")]
    [InlineData("sk-live-1234\n")]
    [InlineData("sk-live-1234\u0007")]
    [InlineData("sk-live-12€34")]
    public async Task Batch_ApiKeyNoHeaderCanCarry_UsageErrorNamingTheVariableBeforeAnythingIsJournaled(string key)
    {
        var file = await WriteAsync("key", """{"prompt":"A fox","vendor":"gateway"}""", """{"prompt":"A hare","vendor":"gateway"}""");
        _cli.Environment["APIFRAME_API_KEY"] = key;
        _cli.Environment["GATEWAY_API_KEY"] = key;
        _cli.Environment["VIDEOGEN_GATEWAY_API_KEY"] = key;

        var run = (await BatchAsync(file)).ShouldExitWith(2);

        var message = (string)run.Json["error"]!["message"]!;
        message.ShouldContain("_API_KEY");
        run.All.ShouldNotContain("1234");
        _sandbox.Counters.TotalJobsCreated.ShouldBe(0);
        var journal = Path.Combine(_cli.Home, "journal.db");
        if (File.Exists(journal))
        {
            (await new Journal.SqliteJobJournal(journal).GetUnfinishedAsync()).ShouldBeEmpty("nothing journaled");
        }
    }

    [Fact]
    public async Task BatchAndResume_CorruptJournal_ClearErrorWithExitCodeAndJson()
    {
        var file = await WriteAsync("corrupt", """{"prompt":"A fox","vendor":"gateway"}""");
        await File.WriteAllBytesAsync(Path.Combine(_cli.Home, "journal.db"), Enumerable.Repeat((byte)0x5A, 8192).ToArray());

        foreach (var run in new[] { await BatchAsync(file), await _cli.RunAsync("resume", "--base-url", BaseUrl, "--json") })
        {
            run.ShouldExitWith(3);
            var error = run.Json["error"]!;
            ((string?)error["type"]).ShouldBe("jobJournal", run.All);
            ((string)error["message"]!).ShouldContain("journal.db");
        }
    }

    private Task<CliRun> BatchAsync(string file, params string[] more) =>
        _cli.RunAsync(["batch", file, "--base-url", BaseUrl, "--out", _cli.OutDirectory, "--json", .. more]);

    private async Task<string> WriteAsync(string name, params string[] lines)
    {
        var path = Path.Combine(_cli.Home, "files", name + ".jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllLinesAsync(path, lines);
        return path;
    }
}
