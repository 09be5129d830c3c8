using System.Diagnostics;
using VideoGen.Cli.Tests.Infrastructure;
using VideoGen.Journal;
using VideoGen.Testing;

namespace VideoGen.Cli.Tests;

/// <summary>
/// Issue 12 item 6 for <c>videogen batch</c>: its --timeout bounds the whole command. A create request that a server
/// accepts and never answers is cut at the deadline, journaled as an unknown outcome (never resent), reported with
/// its correlation id, and --json is still printed.
/// </summary>
public sealed class BatchDeadlineTests : IDisposable
{
    private const string Key = "sk-SENTINEL-batch-deadline-never-print";

    /// <summary>"A few seconds" past --timeout, generous for a loaded 2-core machine; the hang was HttpClient's 100 s.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(5);

    private readonly CliHarness _cli = new();

    public BatchDeadlineTests() => _cli.Environment["ELUMENTA_API_KEY"] = Key;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _cli.Dispose();
    }

    [Fact]
    public async Task Batch_CreateAcceptedAndNeverAnswered_ExitsFiveWithinTheTimeoutAndTheLineIsUnknownNeverResent()
    {
        // Elumenta cannot list its jobs (no reconciler): the cut create can only stay unknown.
        await using var stub = RawHttpStub.Silent();
        var file = Path.Combine(_cli.Home, "hung.jsonl");
        await File.WriteAllLinesAsync(file, ["""{"prompt":"A lighthouse in fog","vendor":"elumenta"}"""]);

        var watch = Stopwatch.StartNew();
        var run = await _cli.RunAsync("batch", file, "--base-url", stub.BaseUrl.ToString(), "--timeout", "2", "--out", _cli.OutDirectory, "--json");
        var elapsed = watch.Elapsed;

        run.ShouldExitWith(5);
        elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(2) + Slack, run.All);
        stub.Requests.ShouldBe(1);
        var line = run.Json["lines"]!.ShouldHaveSingleItem();
        ((string?)line["kind"]).ShouldBe("OutcomeUnknown", run.All);
        var entry = (await new SqliteJobJournal(Path.Combine(_cli.Home, "journal.db")).GetUnfinishedAsync()).ShouldHaveSingleItem();
        entry.State.ShouldBe(JournalState.OutcomeUnknown);
        entry.JobId.ShouldBeNull();
        ((string?)line["correlationId"]).ShouldBe(entry.CorrelationId, run.All);
        run.All.ShouldNotContain(Key);

        // The rerun does not send the create again: the outcome is unknown until it is settled.
        var rerun = await _cli.RunAsync("batch", file, "--base-url", stub.BaseUrl.ToString(), "--timeout", "2", "--out", _cli.OutDirectory, "--json");
        ((string?)rerun.Json["lines"]![0]!["kind"]).ShouldBe("OutcomeUnknown", rerun.All);
        stub.Requests.ShouldBe(1, "an unknown outcome is never resent");
    }
}
