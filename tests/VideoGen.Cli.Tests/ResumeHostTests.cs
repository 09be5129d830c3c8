using VideoGen.Cli.Tests.Infrastructure;
using VideoGen.Journal;
using VideoGen.Sandbox;

namespace VideoGen.Cli.Tests;

/// <summary>
/// A journaled job id means something only at the host that issued it: two standalone sandboxes both count from 18500,
/// as a sandbox and the real vendor may. <c>videogen resume</c> settles each entry at the host it was sent to, or
/// refuses naming the id and both hosts; an entry written before hosts were recorded is not guessed.
/// </summary>
public sealed class ResumeHostTests : IAsyncLifetime, IDisposable
{
    private const string Vendor = "oxen";
    private readonly CliHarness _cli = new();
    private SandboxServer _first = null!;
    private SandboxServer _second = null!;

    public async Task InitializeAsync()
    {
        _first = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 0 });
        _second = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 0 });
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _cli.Dispose();
    }

    [Fact]
    public async Task Resume_EntrySentToAnotherSandboxWithTheSameJobId_IsLeftAloneNamingBothHosts()
    {
        _cli.Environment[SandboxJobs.KeyVariable(Vendor)] = SandboxJobs.ApiKey;
        var mine = await SandboxJobs.SubmitAsync(_first, Vendor, "A kite over dunes");
        var theirs = await SandboxJobs.SubmitAsync(_second, Vendor, "Someone else's harbour at night");
        theirs.Id.ShouldBe(mine.Id, "both sandboxes issue the same first id: the collision this guards against");
        var firstHost = JournalEndpoint.Describe(new Uri(SandboxJobs.BaseUrl(_first, Vendor)));
        var secondHost = JournalEndpoint.Describe(new Uri(SandboxJobs.BaseUrl(_second, Vendor)));
        var correlationId = await JournalSubmittedAsync(mine.Id, firstHost);

        var elsewhere = await _cli.RunAsync("resume", "--base-url", SandboxJobs.BaseUrl(_second, Vendor), "--out", _cli.OutDirectory, "--json");

        elsewhere.ShouldExitWith(ExitCodes.VendorError);
        var entry = elsewhere.Json["entries"]!.ShouldHaveSingleItem();
        entry["state"]!.ToString().ShouldBe("OtherHost");
        entry["detail"]!.ToString().ShouldContain(correlationId);
        entry["detail"]!.ToString().ShouldContain(firstHost);
        entry["detail"]!.ToString().ShouldContain(secondHost);
        (Directory.Exists(_cli.OutDirectory) ? Directory.GetFiles(_cli.OutDirectory) : []).ShouldBeEmpty("nothing was downloaded from the other sandbox");
        (await Journal().FindAsync(correlationId))!.State.ShouldBe(JournalState.Submitted);

        var own = await _cli.RunAsync("resume", "--base-url", SandboxJobs.BaseUrl(_first, Vendor), "--out", _cli.OutDirectory, "--json");

        own.ShouldExitWith(0);
        own.Json["entries"]!.ShouldHaveSingleItem()["endpoint"]!.ToString().ShouldBe(firstHost);
        (await Journal().FindAsync(correlationId))!.State.ShouldBe(JournalState.Completed);
    }

    [Fact]
    public async Task Resume_EntryWithoutARecordedHost_IsNotGuessedUntilTheUserSaysSo()
    {
        _cli.Environment[SandboxJobs.KeyVariable(Vendor)] = SandboxJobs.ApiKey;
        var job = await SandboxJobs.SubmitAsync(_first, Vendor, "A kite over dunes");
        var correlationId = await JournalSubmittedAsync(job.Id, endpoint: null);

        var refused = await _cli.RunAsync("resume", "--base-url", SandboxJobs.BaseUrl(_first, Vendor), "--out", _cli.OutDirectory, "--json");

        refused.ShouldExitWith(ExitCodes.VendorError);
        var entry = refused.Json["entries"]!.ShouldHaveSingleItem();
        entry["state"]!.ToString().ShouldBe("OtherHost");
        entry["detail"]!.ToString().ShouldContain("without the host");
        entry["detail"]!.ToString().ShouldContain("--assume-host");

        var assumed = await _cli.RunAsync("resume", "--base-url", SandboxJobs.BaseUrl(_first, Vendor), "--assume-host", "--out", _cli.OutDirectory, "--json");

        assumed.ShouldExitWith(0);
        (await Journal().FindAsync(correlationId))!.State.ShouldBe(JournalState.Completed);
    }

    [Fact]
    public async Task ResumeSettle_BaseUrlOfAnotherHost_IsRefused()
    {
        var firstHost = JournalEndpoint.Describe(new Uri(SandboxJobs.BaseUrl(_first, Vendor)));
        var journal = Journal();
        var now = DateTimeOffset.UtcNow;
        var correlationId = Guid.NewGuid().ToString("N");
        await journal.RecordIntentAsync(new JournalEntry(correlationId, "line", Vendor, null, "p", "{}", JournalState.OutcomeUnknown, null, null, now, now) { Endpoint = firstHost });

        var run = await _cli.RunAsync("resume", "--settle", correlationId, "--job", "18500", "--base-url", SandboxJobs.BaseUrl(_second, Vendor));

        run.ShouldExitWith(ExitCodes.InvalidInput);
        run.All.ShouldContain($"was sent to {firstHost}");
        (await journal.FindAsync(correlationId))!.State.ShouldBe(JournalState.OutcomeUnknown);
    }

    private SqliteJobJournal Journal() => new(Path.Combine(_cli.Home, "journal.db"));

    private async Task<string> JournalSubmittedAsync(string jobId, string? endpoint)
    {
        var journal = Journal();
        var now = DateTimeOffset.UtcNow;
        var correlationId = Guid.NewGuid().ToString("N");
        await journal.RecordIntentAsync(new JournalEntry(correlationId, "line-1", Vendor, null, "A kite over dunes", """{"prompt":"A kite over dunes"}""", JournalState.Intent, null, null, now, now) { Endpoint = endpoint });
        await journal.UpdateAsync(correlationId, JournalState.Submitted, jobId);
        return correlationId;
    }
}
