using VideoGen.Journal;
using VideoGen.Tests.Infrastructure;

namespace VideoGen.Tests.Deviations;

/// <summary>
/// The create-side deviations of the vendor-deviation suite (issue 11) through the journal too: the real client stack
/// (<see cref="LoopbackVendors"/>) under <see cref="JournalingVideoGenerator"/> over a <see cref="SqliteJobJournal"/>
/// in a temporary folder. Each ends with one journal entry in the right state: the vendor's job id when the job was
/// accepted, the correlation id of an unknown outcome (never resent), and nothing lost.
/// </summary>
public sealed class JournaledDeviationTests : IDisposable
{
    private readonly VirtualTimeProvider _clock = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("videogen-journaled-deviation-").FullName;

    public JournaledDeviationTests() => Journal = new SqliteJobJournal(Path.Combine(_dir, "journal.db"));

    public static TheoryData<string> Vendors => new(VendorDeviationTests.Vendor.All);

    private SqliteJobJournal Journal { get; }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task SubmitAsync_429ThenAccepted_OneEntrySubmittedWithTheJobId(string vendorId)
    {
        var vendor = VendorDeviationTests.Vendor.Of(vendorId);
        var bodies = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var server = await LoopbackVendors.ThrottledOnceAsync(vendor.Accepted, bodies);
        var generator = Journaled(vendorId, server);

        var job = await generator.SubmitAsync(new VideoGenerationRequest("A red balloon"), new VideoGenerationOptions { ClientKey = "line-1" });

        job.Id.ShouldBe(vendor.Id);
        bodies.Count.ShouldBe(2);
        bodies.Distinct().Count().ShouldBe(1, "the same request, under the same journal intent");
        var entry = (await Journal.GetUnfinishedAsync()).ShouldHaveSingleItem();
        entry.State.ShouldBe(JournalState.Submitted);
        entry.JobId.ShouldBe(vendor.Id);
        entry.ClientKey.ShouldBe("line-1");
    }

    [Theory]
    [MemberData(nameof(UnknownOnCreate))]
    public async Task SubmitAsync_5xxOnCreate_KeepsTheCorrelationIdAndNeverResends(string vendorId, int status)
    {
        await using var server = await LoopbackServer.StartAsync(ctx => status == 502 ? Respond.Html(ctx, 502) : Respond.Text(ctx, status, "<html>Service Unavailable</html>", "text/html"));
        var generator = Journaled(vendorId, server);
        var options = new VideoGenerationOptions { ClientKey = "line-1" };

        var error = await Should.ThrowAsync<SubmissionOutcomeUnknownException>(() => generator.SubmitAsync(new VideoGenerationRequest("A red balloon"), options));

        var entry = (await Journal.GetUnfinishedAsync()).ShouldHaveSingleItem();
        entry.CorrelationId.ShouldBe(error.CorrelationId);
        entry.State.ShouldBe(JournalState.OutcomeUnknown);
        entry.JobId.ShouldBeNull("no id was read: none is guessed");
        entry.Prompt.ShouldBe("A red balloon");
        server.Requests.Count(r => r.Method == "POST").ShouldBe(1);

        // The same logical submission again: refused from the journal, nothing sent.
        var again = await Should.ThrowAsync<SubmissionOutcomeUnknownException>(() => generator.SubmitAsync(new VideoGenerationRequest("A red balloon"), options));
        again.CorrelationId.ShouldBe(error.CorrelationId);
        server.Requests.Count(r => r.Method == "POST").ShouldBe(1);
        (await Journal.GetUnfinishedAsync()).ShouldHaveSingleItem().State.ShouldBe(JournalState.OutcomeUnknown);
    }

    public static TheoryData<string, int> UnknownOnCreate
    {
        get
        {
            var data = new TheoryData<string, int>();
            foreach (var vendor in VendorDeviationTests.Vendor.All)
            {
                data.Add(vendor, 502);
                data.Add(vendor, 503);
            }

            return data;
        }
    }

    [Theory]
    [InlineData("Location", "/api/v2/generate/18503")]
    [InlineData("X-Job-Id", "18503")]
    public async Task SubmitAsync_202WithAnEmptyBodyAndTheIdInAHeader_JournalsTheId(string header, string value)
    {
        await using var server = await LoopbackServer.StartAsync(ctx => Respond.Empty(ctx, 202, (header, value)));
        var generator = Journaled("elumenta", server);

        var job = await generator.SubmitAsync(new VideoGenerationRequest("A red balloon"));

        job.Id.ShouldBe("18503");
        var entry = (await Journal.GetUnfinishedAsync()).ShouldHaveSingleItem();
        entry.State.ShouldBe(JournalState.Submitted);
        entry.JobId.ShouldBe("18503");
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task SubmitAsync_AnotherSuccessCode_JournalsTheId(string vendorId)
    {
        var vendor = VendorDeviationTests.Vendor.Of(vendorId);

        // The documented body under another 2xx than the documented one.
        var status = vendor.Accepted.Status == 201 ? 200 : 201;
        await using var server = await LoopbackServer.StartAsync(ctx => Respond.Json(ctx, vendor.Accepted.Body, status));
        var generator = Journaled(vendorId, server);

        var job = await generator.SubmitAsync(new VideoGenerationRequest("A red balloon"));

        job.Id.ShouldBe(vendor.Id);
        var entry = (await Journal.GetUnfinishedAsync()).ShouldHaveSingleItem();
        entry.State.ShouldBe(JournalState.Submitted);
        entry.JobId.ShouldBe(vendor.Id);
        server.Requests.Count(r => r.Method == "POST").ShouldBe(1);
    }

    /// <summary>
    /// The journal middleware over the real client stack. The journal's own clock is the system's: its lease renewal
    /// must not run on the test's virtual clock, which jumps to every timer.
    /// </summary>
    private JournalingVideoGenerator Journaled(string vendorId, LoopbackServer server) =>
        new(LoopbackVendors.Create(vendorId, server, _clock), Journal, vendorId);
}
