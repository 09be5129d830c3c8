using System.Net;
using VideoGen.Journal;

namespace VideoGen.Tests.Journal;

public sealed class JournalingVideoGeneratorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("videogen-journal-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task SubmitAsync_Accepted_RecordsIntentThenJobId()
    {
        var journal = new SqliteJobJournal(Path.Combine(_dir, "j.db"));
        var inner = new OneShotGenerator { Journal = journal };
        var generator = new JournalingVideoGenerator(inner, journal, "elumenta");

        var job = await generator.SubmitAsync(new VideoGenerationRequest("a fox"));

        inner.IntentSeenBeforeSend.ShouldBeTrue("the intent must be durable before the request leaves");
        var entry = (await journal.GetUnfinishedAsync()).ShouldHaveSingleItem();
        entry.State.ShouldBe(JournalState.Submitted);
        entry.JobId.ShouldBe(job.Id);
        entry.Prompt.ShouldBe("a fox");
    }

    [Fact]
    public async Task SubmitAsync_ConnectionDroppedAfterSending_RaisesOutcomeUnknownAndNeverResends()
    {
        var inner = new OneShotGenerator { Failure = new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely.") };
        var journal = new SqliteJobJournal(Path.Combine(_dir, "j.db"));
        var generator = new JournalingVideoGenerator(inner, journal, "elumenta");

        var error = await Should.ThrowAsync<SubmissionOutcomeUnknownException>(() => generator.SubmitAsync(new VideoGenerationRequest("a fox"), new VideoGenerationOptions { ClientKey = "line-1" }));

        inner.Submits.ShouldBe(1);
        var entry = (await journal.FindAsync(error.CorrelationId)).ShouldNotBeNull();
        entry.State.ShouldBe(JournalState.OutcomeUnknown);
        entry.ClientKey.ShouldBe("line-1");

        await Should.ThrowAsync<SubmissionOutcomeUnknownException>(() => generator.SubmitAsync(new VideoGenerationRequest("a fox"), new VideoGenerationOptions { ClientKey = "line-1" }));
        inner.Submits.ShouldBe(1, "an unknown outcome is reconciled, never resubmitted blindly");
    }

    [Theory]
    [InlineData(HttpStatusCode.PaymentRequired)]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.UnprocessableEntity)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    public async Task SubmitAsync_VendorRefused_RecordsRejectedAndAllowsANewAttempt(HttpStatusCode status)
    {
        var inner = new OneShotGenerator { Failure = new VideoGenException("refused", "Elumenta", status) };
        var journal = new SqliteJobJournal(Path.Combine(_dir, "j.db"));
        var generator = new JournalingVideoGenerator(inner, journal, "elumenta");
        var options = new VideoGenerationOptions { ClientKey = "line-7" };

        await Should.ThrowAsync<VideoGenException>(() => generator.SubmitAsync(new VideoGenerationRequest("a fox"), options));
        (await journal.FindByClientKeyAsync("line-7"))!.State.ShouldBe(JournalState.Rejected);

        inner.Failure = null;
        var job = await generator.SubmitAsync(new VideoGenerationRequest("a fox"), options);

        (await journal.FindByClientKeyAsync("line-7"))!.JobId.ShouldBe(job.Id);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    [InlineData(HttpStatusCode.RequestTimeout)]
    [InlineData(HttpStatusCode.Conflict)]
    [InlineData(HttpStatusCode.OK)]
    public async Task SubmitAsync_AnswerThatDoesNotProveRefusal_IsUnknownAndNeverResent(HttpStatusCode status)
    {
        // A proxy answers 502/503/504 after it forwarded the request; a 2xx without a readable id is an accepted job.
        var inner = new OneShotGenerator { Failure = new VideoGenException("no proof", "Elumenta", status) };
        var journal = new SqliteJobJournal(Path.Combine(_dir, "j.db"));
        var generator = new JournalingVideoGenerator(inner, journal, "elumenta");
        var options = new VideoGenerationOptions { ClientKey = "line-9" };

        await Should.ThrowAsync<SubmissionOutcomeUnknownException>(() => generator.SubmitAsync(new VideoGenerationRequest("a fox"), options));
        (await journal.FindByClientKeyAsync("line-9"))!.State.ShouldBe(JournalState.OutcomeUnknown);

        inner.Failure = null;
        await Should.ThrowAsync<SubmissionOutcomeUnknownException>(() => generator.SubmitAsync(new VideoGenerationRequest("a fox"), options));
        inner.Submits.ShouldBe(1, $"HTTP {(int)status} on create does not prove that no job exists: never resent");
    }

    [Fact]
    public async Task SubmitAsync_ServerError500_IsAmbiguous()
    {
        var inner = new OneShotGenerator { Failure = new VideoGenException("boom", "Elumenta", HttpStatusCode.InternalServerError) };
        var generator = new JournalingVideoGenerator(inner, new SqliteJobJournal(Path.Combine(_dir, "j.db")), "elumenta");

        await Should.ThrowAsync<SubmissionOutcomeUnknownException>(() => generator.SubmitAsync(new VideoGenerationRequest("a fox")));
    }

    [Fact]
    public async Task SubmitAsync_ClientKeyAlreadySubmitted_ReturnsThatJobWithoutSubmitting()
    {
        var inner = new OneShotGenerator();
        var generator = new JournalingVideoGenerator(inner, new SqliteJobJournal(Path.Combine(_dir, "j.db")), "elumenta");
        var options = new VideoGenerationOptions { ClientKey = "batch.jsonl:3" };

        var first = await generator.SubmitAsync(new VideoGenerationRequest("a fox"), options);
        var again = await generator.SubmitAsync(new VideoGenerationRequest("a fox"), options);

        again.Id.ShouldBe(first.Id);
        inner.Submits.ShouldBe(1);
        inner.Reads.ShouldBe(1);
    }

    [Fact]
    public async Task Journal_ReopenedAfterTheProcessDied_StillHoldsEveryEntry()
    {
        var path = Path.Combine(_dir, "j.db");
        var journal = new SqliteJobJournal(path);
        var generator = new JournalingVideoGenerator(new OneShotGenerator(), journal, "oxen");
        await generator.SubmitAsync(new VideoGenerationRequest("one"));
        await generator.SubmitAsync(new VideoGenerationRequest("two"));

        var reopened = new SqliteJobJournal(path);

        (await reopened.GetUnfinishedAsync()).Select(e => e.Prompt).ShouldBe(["one", "two"]);
    }

    [Fact]
    public async Task ReconcileAsync_VendorListsTheJob_RecordsItsId()
    {
        var inner = new OneShotGenerator { Failure = new TaskCanceledException("timeout") };
        var journal = new SqliteJobJournal(Path.Combine(_dir, "j.db"));
        var generator = new JournalingVideoGenerator(inner, journal, "oxen");
        var error = await Should.ThrowAsync<SubmissionOutcomeUnknownException>(() => generator.SubmitAsync(new VideoGenerationRequest("sunset")));

        var found = await generator.ReconcileAsync((await journal.FindAsync(error.CorrelationId))!);

        found!.Id.ShouldBe("found-1");
        var entry = (await journal.FindAsync(error.CorrelationId))!;
        entry.State.ShouldBe(JournalState.Submitted);
        entry.JobId.ShouldBe("found-1");
    }

    [Fact]
    public async Task ReconcileAsync_CompleteListingShowsNoJob_RecordsRejectedAndAllowsANewAttempt()
    {
        var inner = new OneShotGenerator { Failure = new VideoGenException("boom", "Oxen.ai", HttpStatusCode.InternalServerError) };
        inner.Listing["dawn"] = [];
        var journal = new SqliteJobJournal(Path.Combine(_dir, "j.db"));
        var generator = new JournalingVideoGenerator(inner, journal, "oxen");
        var options = new VideoGenerationOptions { ClientKey = "line-2" };
        var error = await Should.ThrowAsync<SubmissionOutcomeUnknownException>(() => generator.SubmitAsync(new VideoGenerationRequest("dawn"), options));

        var found = await generator.ReconcileAsync((await journal.FindAsync(error.CorrelationId))!);

        found.ShouldBeNull();
        (await journal.FindAsync(error.CorrelationId))!.State.ShouldBe(JournalState.Rejected);
        inner.Failure = null;
        var job = await generator.SubmitAsync(new VideoGenerationRequest("dawn"), options);
        inner.Submits.ShouldBe(2, "no job exists, so the same logical submission may be sent again");
        (await journal.FindByClientKeyAsync("line-2"))!.JobId.ShouldBe(job.Id);
    }

    [Fact]
    public async Task ReconcileAsync_VendorCannotTell_LeavesTheEntryUnknown()
    {
        var inner = new OneShotGenerator { Failure = new TaskCanceledException("timeout") };
        var journal = new SqliteJobJournal(Path.Combine(_dir, "j.db"));
        var generator = new JournalingVideoGenerator(inner, journal, "elumenta");
        var error = await Should.ThrowAsync<SubmissionOutcomeUnknownException>(() => generator.SubmitAsync(new VideoGenerationRequest("not listed")));

        (await generator.ReconcileAsync((await journal.FindAsync(error.CorrelationId))!)).ShouldBeNull();

        (await journal.FindAsync(error.CorrelationId))!.State.ShouldBe(JournalState.OutcomeUnknown);
    }

    [Fact]
    public async Task ReconcileAsync_OnlyMatchBelongsToAFinishedEntry_IsNotClaimedTwice()
    {
        var inner = new OneShotGenerator();
        var journal = new SqliteJobJournal(Path.Combine(_dir, "j.db"));
        var generator = new JournalingVideoGenerator(inner, journal, "oxen");
        var first = await generator.SubmitAsync(new VideoGenerationRequest("same prompt"));
        await generator.RecordFinishedAsync(first with { Status = VideoJobStatus.Succeeded });
        inner.Failure = new TaskCanceledException("timeout");
        var error = await Should.ThrowAsync<SubmissionOutcomeUnknownException>(() => generator.SubmitAsync(new VideoGenerationRequest("same prompt")));
        inner.Listing["same prompt"] = [first.Id];

        var found = await generator.ReconcileAsync((await journal.FindAsync(error.CorrelationId))!);

        found.ShouldBeNull("the only job with that prompt is the first entry's, finished or not");
        (await journal.FindAsync(error.CorrelationId))!.State.ShouldBe(JournalState.Rejected);
    }

    [Fact]
    public async Task ReconcileAsync_SeveralUnclaimedMatches_ClaimsNone()
    {
        var inner = new OneShotGenerator { Failure = new TaskCanceledException("timeout") };
        inner.Listing["twins"] = ["a", "b"];
        var journal = new SqliteJobJournal(Path.Combine(_dir, "j.db"));
        var generator = new JournalingVideoGenerator(inner, journal, "oxen");
        var error = await Should.ThrowAsync<SubmissionOutcomeUnknownException>(() => generator.SubmitAsync(new VideoGenerationRequest("twins")));

        (await generator.ReconcileAsync((await journal.FindAsync(error.CorrelationId))!)).ShouldBeNull();

        (await journal.FindAsync(error.CorrelationId))!.State.ShouldBe(JournalState.OutcomeUnknown);
    }

    [Fact]
    public async Task ReconcileAsync_StaleCopyOfAnEntryAlreadySettled_ReturnsItsJobWithoutListing()
    {
        var inner = new OneShotGenerator { Failure = new TaskCanceledException("timeout") };
        var journal = new SqliteJobJournal(Path.Combine(_dir, "j.db"));
        var generator = new JournalingVideoGenerator(inner, journal, "oxen");
        var error = await Should.ThrowAsync<SubmissionOutcomeUnknownException>(() => generator.SubmitAsync(new VideoGenerationRequest("sunset")));
        var stale = (await journal.FindAsync(error.CorrelationId))!;
        await generator.ReconcileAsync(stale);
        inner.Listing["sunset"] = ["found-1", "found-2"];

        var again = await generator.ReconcileAsync(stale);

        again!.Id.ShouldBe("found-1");
        (await journal.FindAsync(error.CorrelationId))!.JobId.ShouldBe("found-1");
    }

    private sealed class OneShotGenerator : IVideoGenerator, ISubmissionReconciler
    {
        public Exception? Failure { get; set; }

        public int Submits { get; private set; }

        public int Reads { get; private set; }

        public bool IntentSeenBeforeSend { get; private set; }

        public IJobJournal? Journal { get; set; }

        public async Task<VideoJob> SubmitAsync(VideoGenerationRequest request, VideoGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            Submits++;
            if (Journal is not null)
            {
                // What a crash right now would leave behind: the intent must already be on disk.
                var onDisk = await new SqliteJobJournal(((SqliteJobJournal)Journal).Path).GetUnfinishedAsync(cancellationToken);
                IntentSeenBeforeSend = onDisk.Any(e => e.State == JournalState.Intent && e.Prompt == request.Prompt);
            }

            return Failure is { } e ? throw e : Job($"job-{Guid.NewGuid():N}");
        }

        public Task<VideoJob> GetJobAsync(string jobId, CancellationToken cancellationToken = default)
        {
            Reads++;
            return Task.FromResult(Job(jobId));
        }

        /// <summary>What the vendor's listing shows per prompt; a prompt not in it: the vendor cannot tell.</summary>
        public Dictionary<string, string[]> Listing { get; } = new() { ["sunset"] = ["found-1"] };

        public Task<IReadOnlyList<VideoJob>?> FindCandidatesAsync(JournalEntry entry, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<VideoJob>?>(Listing.TryGetValue(entry.Prompt, out var ids) ? ids.Select(Job).ToList() : null);

        public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

        public void Dispose()
        {
        }

        private static VideoJob Job(string id) => new() { Id = id, Vendor = "Elumenta", Status = VideoJobStatus.Queued };
    }
}
