using System.Diagnostics;
using VideoGen.Cli.Tests.Infrastructure;
using VideoGen.Journal;
using VideoGen.Testing;

namespace VideoGen.Cli.Tests;

/// <summary>
/// Issue 12 item 6 for <c>videogen resume</c>: its --timeout bounds the whole command. Reconciling an unknown Oxen
/// submission lists Oxen's queue; a server that accepts that request and never answers held resume for HttpClient's
/// 100 s. Now the command ends at the deadline with exit 5 and the entry keeps its state for the next resume.
/// </summary>
public sealed class ResumeDeadlineTests : IDisposable
{
    private const string Key = "sk-SENTINEL-resume-deadline-never-print";

    /// <summary>"A few seconds" past --timeout, generous for a loaded 2-core machine.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(5);

    private readonly CliHarness _cli = new();

    public ResumeDeadlineTests() => _cli.Environment["OXEN_API_KEY"] = Key;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _cli.Dispose();
    }

    [Fact]
    public async Task Resume_ListingAcceptedAndNeverAnswered_ExitsFiveWithinTheTimeoutAndSettlesNothing()
    {
        await using var stub = RawHttpStub.Silent();
        var journal = new SqliteJobJournal(Path.Combine(_cli.Home, "journal.db"));
        var now = DateTimeOffset.UtcNow;
        var correlationId = Guid.NewGuid().ToString("N");
        await journal.RecordIntentAsync(new JournalEntry(correlationId, "resume-deadline", "oxen", "kling-video-v2-6-pro-text-to-video", "A lighthouse in fog", """{"prompt":"A lighthouse in fog"}""", JournalState.Intent, null, null, now, now)
        {
            // Sent to the stub (with Oxen's path, as the CLI records it): resume lists Oxen's queue there.
            Endpoint = JournalEndpoint.Describe(new Uri(VendorSession.VendorBaseUrl(RequestOptions.ResolveVendor("oxen"), stub.BaseUrl.ToString())!)),
        });
        await journal.UpdateAsync(correlationId, JournalState.OutcomeUnknown, detail: "the create's answer was lost");
        await journal.ReleaseLeaseAsync(correlationId, (await journal.FindAsync(correlationId))!.LeaseOwner ?? string.Empty);

        var watch = Stopwatch.StartNew();
        var run = await _cli.RunAsync("resume", "--base-url", stub.BaseUrl.ToString(), "--timeout", "2", "--out", _cli.OutDirectory, "--json");
        var elapsed = watch.Elapsed;

        run.ShouldExitWith(5);
        elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(2) + Slack, run.All);
        stub.Requests.ShouldBeGreaterThanOrEqualTo(1, "the queue listing was asked");
        var entry = (await journal.FindAsync(correlationId)).ShouldNotBeNull();
        entry.State.ShouldBe(JournalState.OutcomeUnknown, "a cut reconcile settles nothing");
        entry.JobId.ShouldBeNull();
        run.All.ShouldNotContain(Key);
    }
}
