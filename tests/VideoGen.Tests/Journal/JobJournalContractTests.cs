using System.Net;
using VideoGen.Journal;

namespace VideoGen.Tests.Journal;

/// <summary>
/// The journal contract, and the journaling middleware over it, run against every <see cref="IJobJournal"/> store:
/// each store subclasses this in a few lines (<see cref="SqliteJobJournalTests"/>, <see cref="PostgreSqlJobJournalTests"/>).
/// </summary>
public abstract class JobJournalContractTests
{
    /// <summary>Opens a new instance over this test's one store: two calls are two processes sharing it.</summary>
    protected abstract IJobJournal OpenJournal();

    [Fact]
    public async Task SubmitAsync_Accepted_RecordsIntentThenJobId()
    {
        var journal = OpenJournal();
        var inner = new OneShotGenerator { OpenJournal = OpenJournal };
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
        var journal = OpenJournal();
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
        var journal = OpenJournal();
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
        var journal = OpenJournal();
        var generator = new JournalingVideoGenerator(inner, journal, "elumenta");
        var options = new VideoGenerationOptions { ClientKey = "line-9" };

        await Should.ThrowAsync<SubmissionOutcomeUnknownException>(() => generator.SubmitAsync(new VideoGenerationRequest("a fox"), options));
        (await journal.FindByClientKeyAsync("line-9"))!.State.ShouldBe(JournalState.OutcomeUnknown);

        inner.Failure = null;
        await Should.ThrowAsync<SubmissionOutcomeUnknownException>(() => generator.SubmitAsync(new VideoGenerationRequest("a fox"), options));
        inner.Submits.ShouldBe(1, $"HTTP {(int)status} on create does not prove that no job exists: never resent");
    }

    [Fact]
    public async Task SubmitAsync_AnswerOverTheBodyCap_IsUnknownAndNeverResent()
    {
        // A create answered with a body over MaxResponseBytes was answered: the job may exist (seen as a double charge on a rerun).
        var inner = new OneShotGenerator { Failure = new ResponseTooLargeException("Elumenta", 4_194_304, 20_971_556) };
        var journal = OpenJournal();
        var generator = new JournalingVideoGenerator(inner, journal, "elumenta");
        var options = new VideoGenerationOptions { ClientKey = "line-10" };

        await Should.ThrowAsync<SubmissionOutcomeUnknownException>(() => generator.SubmitAsync(new VideoGenerationRequest("a fox"), options));
        (await journal.FindByClientKeyAsync("line-10"))!.State.ShouldBe(JournalState.OutcomeUnknown);

        inner.Failure = null;
        await Should.ThrowAsync<SubmissionOutcomeUnknownException>(() => generator.SubmitAsync(new VideoGenerationRequest("a fox"), options));
        inner.Submits.ShouldBe(1, "an answer over the body cap does not prove that no job exists: never resent");
    }

    [Fact]
    public async Task SubmitAsync_ServerError500_IsAmbiguous()
    {
        var inner = new OneShotGenerator { Failure = new VideoGenException("boom", "Elumenta", HttpStatusCode.InternalServerError) };
        var generator = new JournalingVideoGenerator(inner, OpenJournal(), "elumenta");

        await Should.ThrowAsync<SubmissionOutcomeUnknownException>(() => generator.SubmitAsync(new VideoGenerationRequest("a fox")));
    }

    [Fact]
    public async Task SubmitAsync_ClientKeyAlreadySubmitted_ReturnsThatJobWithoutSubmitting()
    {
        var inner = new OneShotGenerator();
        var generator = new JournalingVideoGenerator(inner, OpenJournal(), "elumenta");
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
        var journal = OpenJournal();
        var generator = new JournalingVideoGenerator(new OneShotGenerator(), journal, "oxen");
        await generator.SubmitAsync(new VideoGenerationRequest("one"));
        await generator.SubmitAsync(new VideoGenerationRequest("two"));

        var reopened = OpenJournal();

        (await reopened.GetUnfinishedAsync()).Select(e => e.Prompt).ShouldBe(["one", "two"]);
    }

    [Fact]
    public async Task ReconcileAsync_VendorListsTheJob_RecordsItsId()
    {
        var inner = new OneShotGenerator { Failure = new TaskCanceledException("timeout") };
        var journal = OpenJournal();
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
        var journal = OpenJournal();
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
        var journal = OpenJournal();
        var generator = new JournalingVideoGenerator(inner, journal, "elumenta");
        var error = await Should.ThrowAsync<SubmissionOutcomeUnknownException>(() => generator.SubmitAsync(new VideoGenerationRequest("not listed")));

        (await generator.ReconcileAsync((await journal.FindAsync(error.CorrelationId))!)).ShouldBeNull();

        (await journal.FindAsync(error.CorrelationId))!.State.ShouldBe(JournalState.OutcomeUnknown);
    }

    [Fact]
    public async Task ReconcileAsync_OnlyMatchBelongsToAFinishedEntry_IsNotClaimedTwice()
    {
        var inner = new OneShotGenerator();
        var journal = OpenJournal();
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
        var journal = OpenJournal();
        var generator = new JournalingVideoGenerator(inner, journal, "oxen");
        var error = await Should.ThrowAsync<SubmissionOutcomeUnknownException>(() => generator.SubmitAsync(new VideoGenerationRequest("twins")));

        (await generator.ReconcileAsync((await journal.FindAsync(error.CorrelationId))!)).ShouldBeNull();

        (await journal.FindAsync(error.CorrelationId))!.State.ShouldBe(JournalState.OutcomeUnknown);
    }

    [Fact]
    public async Task ReconcileAsync_StaleCopyOfAnEntryAlreadySettled_ReturnsItsJobWithoutListing()
    {
        var inner = new OneShotGenerator { Failure = new TaskCanceledException("timeout") };
        var journal = OpenJournal();
        var generator = new JournalingVideoGenerator(inner, journal, "oxen");
        var error = await Should.ThrowAsync<SubmissionOutcomeUnknownException>(() => generator.SubmitAsync(new VideoGenerationRequest("sunset")));
        var stale = (await journal.FindAsync(error.CorrelationId))!;
        await generator.ReconcileAsync(stale);
        inner.Listing["sunset"] = ["found-1", "found-2"];

        var again = await generator.ReconcileAsync(stale);

        again!.Id.ShouldBe("found-1");
        (await journal.FindAsync(error.CorrelationId))!.JobId.ShouldBe("found-1");
    }

    [Fact]
    public async Task RecordIntentAsync_ManyProcessesClaimOneClientKeyAtOnce_ExactlyOneWins()
    {
        var journals = Enumerable.Range(0, 8).Select(_ => OpenJournal()).ToList();
        var now = DateTimeOffset.UtcNow;

        var attempts = journals.Select((journal, i) => Task.Run(async () =>
        {
            try
            {
                await journal.RecordIntentAsync(Entry($"c{i}", "race-1", now));
                return true;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }));
        var won = await Task.WhenAll(attempts);

        won.Count(w => w).ShouldBe(1, "the store, not luck, decides which claim of one submission wins");
        var entry = (await OpenJournal().FindByClientKeyAsync("race-1")).ShouldNotBeNull();
        entry.CorrelationId.ShouldBe($"c{Array.IndexOf(won, true)}");
    }

    [Fact]
    public async Task RecordIntentAsync_SameCorrelationIdTwice_IsRefused()
    {
        var journal = OpenJournal();
        await journal.RecordIntentAsync(Entry("same", null, DateTimeOffset.UtcNow));

        await Should.ThrowAsync<InvalidOperationException>(() => journal.RecordIntentAsync(Entry("same", null, DateTimeOffset.UtcNow)));
    }

    [Fact]
    public async Task UpdateAsync_UnknownCorrelationId_Throws()
    {
        await Should.ThrowAsync<InvalidOperationException>(() => OpenJournal().UpdateAsync("nobody", JournalState.Failed));
    }

    [Fact]
    public async Task UpdateAsync_KeepsJobIdAndDetailWhenNotGiven_AndFindsByJobId()
    {
        var journal = OpenJournal();
        var created = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2));
        await journal.RecordIntentAsync(Entry("e1", "k1", created) with { Model = "m", RequestJson = "{\"prompt\":\"p\"}" });
        await journal.UpdateAsync("e1", JournalState.Submitted, "job-9", "accepted");
        await journal.UpdateAsync("e1", JournalState.Completed);

        var entry = (await OpenJournal().FindByJobIdAsync("elumenta", "job-9")).ShouldNotBeNull();
        entry.CorrelationId.ShouldBe("e1");
        entry.ClientKey.ShouldBe("k1");
        entry.Model.ShouldBe("m");
        entry.RequestJson.ShouldBe("{\"prompt\":\"p\"}");
        entry.State.ShouldBe(JournalState.Completed);
        entry.JobId.ShouldBe("job-9");
        entry.Detail.ShouldBe("accepted");
        entry.CreatedAt.ShouldBe(created);
        entry.IsUnfinished.ShouldBeFalse();
        (await journal.FindByJobIdAsync("oxen", "job-9")).ShouldBeNull("a job id is the vendor's, not global");
        (await journal.GetUnfinishedAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task GetUnfinishedAsync_ReturnsIntentsUnknownsAndSubmitted_OldestFirst()
    {
        var journal = OpenJournal();
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-10);
        string[] ids = ["a", "b", "c", "d", "e", "f"];
        for (var i = 0; i < ids.Length; i++)
        {
            await journal.RecordIntentAsync(Entry(ids[i], null, t0.AddSeconds(ids.Length - i)));
        }

        await journal.UpdateAsync("b", JournalState.OutcomeUnknown);
        await journal.UpdateAsync("c", JournalState.Submitted, "j-c");
        await journal.UpdateAsync("d", JournalState.Rejected);
        await journal.UpdateAsync("e", JournalState.Completed, "j-e");
        await journal.UpdateAsync("f", JournalState.Failed, "j-f");

        (await OpenJournal().GetUnfinishedAsync()).Select(e => e.CorrelationId).ShouldBe(["c", "b", "a"]);
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_HeldByAnother_RefusedUntilItLapsesOrIsReleased()
    {
        var journal = OpenJournal();
        var t0 = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        await journal.RecordIntentAsync(Entry("l1", null, t0) with { LeaseOwner = "a", LeaseExpiresAt = t0.AddSeconds(30) });

        var stored = (await OpenJournal().FindAsync("l1"))!;
        stored.LeaseOwner.ShouldBe("a", "the intent and its owner are written together");
        stored.LeaseExpiresAt.ShouldBe(t0.AddSeconds(30));
        stored.IsLeasedByOther("b", t0.AddSeconds(1)).ShouldBeTrue();

        (await OpenJournal().TryAcquireLeaseAsync("l1", "b", t0.AddSeconds(29), t0.AddSeconds(59))).ShouldBeFalse();
        (await journal.TryAcquireLeaseAsync("l1", "a", t0.AddSeconds(29), t0.AddSeconds(60))).ShouldBeTrue("the owner renews");
        (await OpenJournal().TryAcquireLeaseAsync("l1", "b", t0.AddSeconds(59), t0.AddSeconds(89))).ShouldBeFalse("renewed until 60 s");
        (await OpenJournal().TryAcquireLeaseAsync("l1", "b", t0.AddSeconds(60), t0.AddSeconds(90))).ShouldBeTrue("a lapsed lease is free");

        await journal.ReleaseLeaseAsync("l1", "a");
        (await journal.FindAsync("l1"))!.LeaseOwner.ShouldBe("b", "only the holder can release");
        await journal.ReleaseLeaseAsync("l1", "b");
        var released = (await journal.FindAsync("l1"))!;
        released.LeaseOwner.ShouldBeNull();
        released.LeaseExpiresAt.ShouldBeNull();
        (await journal.TryAcquireLeaseAsync("l1", "c", t0, t0.AddSeconds(30))).ShouldBeTrue();
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_UnknownEntry_Throws()
    {
        var now = DateTimeOffset.UtcNow;
        await Should.ThrowAsync<InvalidOperationException>(() => OpenJournal().TryAcquireLeaseAsync("nobody", "a", now, now.AddSeconds(30)));
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_ManyProcessesAtOnce_ExactlyOneHoldsIt()
    {
        var now = DateTimeOffset.UtcNow;
        await OpenJournal().RecordIntentAsync(Entry("contended", null, now));
        var journals = Enumerable.Range(0, 8).Select(_ => OpenJournal()).ToList();

        var taken = await Task.WhenAll(journals.Select((journal, i) => Task.Run(() => journal.TryAcquireLeaseAsync("contended", $"owner-{i}", now, now.AddSeconds(30)))));

        taken.Count(t => t).ShouldBe(1);
        (await OpenJournal().FindAsync("contended"))!.LeaseOwner.ShouldBe($"owner-{Array.IndexOf(taken, true)}");
    }

    private const string HostA = "http://127.0.0.1:5080/api";
    private const string HostB = "https://api.elumenta.ru/api";

    [Fact]
    public async Task SubmitAsync_GeneratorWithAnEndpoint_RecordsItWithTheIntent()
    {
        var journal = OpenJournal();
        var generator = new JournalingVideoGenerator(new OneShotGenerator(), journal, "elumenta") { Endpoint = HostA };

        var job = await generator.SubmitAsync(new VideoGenerationRequest("a fox"));

        var entry = (await OpenJournal().FindByJobIdAtAsync("elumenta", HostA, job.Id)).ShouldNotBeNull();
        entry.Endpoint.ShouldBe(HostA);
        (await OpenJournal().FindByJobIdAtAsync("elumenta", HostB, job.Id)).ShouldBeNull();
    }

    [Fact]
    public async Task SubmitAsync_ClientKeyJournaledAtAnotherHost_IsRefusedWithoutReadingOrSubmitting()
    {
        var journal = OpenJournal();
        var first = new OneShotGenerator();
        var job = await new JournalingVideoGenerator(first, journal, "elumenta") { Endpoint = HostA }
            .SubmitAsync(new VideoGenerationRequest("a fox"), new VideoGenerationOptions { ClientKey = "line-1" });
        var second = new OneShotGenerator();

        var error = await Should.ThrowAsync<JournalHostMismatchException>(() => new JournalingVideoGenerator(second, OpenJournal(), "elumenta") { Endpoint = HostB }
            .SubmitAsync(new VideoGenerationRequest("a fox"), new VideoGenerationOptions { ClientKey = "line-1" }));

        error.Message.ShouldContain(HostA);
        error.Message.ShouldContain(HostB);
        error.JobId.ShouldBe(job.Id);
        error.RecordedEndpoint.ShouldBe(HostA);
        second.Submits.ShouldBe(0, "the line has a job at its own host: never paid again elsewhere");
        second.Reads.ShouldBe(0, "its job id is not read at another host");
    }

    [Fact]
    public async Task UpdateAsync_SameJobIdAtTwoHosts_AreTwoEntriesFoundApart()
    {
        var journal = OpenJournal();
        var now = DateTimeOffset.UtcNow;
        await journal.RecordIntentAsync(Entry("sandbox", null, now) with { Endpoint = HostA });
        await journal.RecordIntentAsync(Entry("vendor", null, now) with { Endpoint = HostB });

        await journal.UpdateAsync("sandbox", JournalState.Submitted, "18500");
        await OpenJournal().UpdateAsync("vendor", JournalState.Submitted, "18500");

        (await journal.FindByJobIdAtAsync("elumenta", HostA, "18500"))!.CorrelationId.ShouldBe("sandbox");
        (await journal.FindByJobIdAtAsync("elumenta", HostB, "18500"))!.CorrelationId.ShouldBe("vendor");
        (await journal.FindByJobIdAtAsync("elumenta", null, "18500")).ShouldBeNull("no entry of that id has an unrecorded host");
    }

    [Fact]
    public async Task RecordFinishedAsync_SameJobIdFinishedAtAnotherHost_LeavesThisHostsEntryAlone()
    {
        var journal = OpenJournal();
        var now = DateTimeOffset.UtcNow;
        await journal.RecordIntentAsync(Entry("real", null, now) with { Endpoint = HostB });
        await journal.UpdateAsync("real", JournalState.Submitted, "18500");
        var sandbox = new JournalingVideoGenerator(new OneShotGenerator(), OpenJournal(), "elumenta") { Endpoint = HostA };

        var recorded = await sandbox.RecordFinishedAsync(new VideoJob { Id = "18500", Vendor = "Elumenta", Status = VideoJobStatus.Succeeded });

        recorded.ShouldBeFalse();
        (await journal.FindAsync("real"))!.State.ShouldBe(JournalState.Submitted, "the sandbox's job 18500 is not the vendor's");
    }

    [Fact]
    public async Task ReconcileAsync_EntrySentToAnotherHost_IsRefusedWithoutAskingThisOne()
    {
        var journal = OpenJournal();
        var now = DateTimeOffset.UtcNow;
        await journal.RecordIntentAsync(Entry("unknown", "k", now) with { Endpoint = HostB, State = JournalState.OutcomeUnknown });
        var inner = new OneShotGenerator();
        var generator = new JournalingVideoGenerator(inner, OpenJournal(), "elumenta") { Endpoint = HostA };

        var entry = (await journal.FindAsync("unknown"))!;

        var error = await Should.ThrowAsync<JournalHostMismatchException>(() => generator.ReconcileAsync(entry));

        error.CorrelationId.ShouldBe("unknown");
        (await journal.FindAsync("unknown"))!.State.ShouldBe(JournalState.OutcomeUnknown, "another host's listing proves nothing about it");
    }

    [Fact]
    public async Task SubmitAsync_EntryWithoutARecordedHost_IsRefusedUnlessTheUserAssumesThisHost()
    {
        var journal = OpenJournal();
        var now = DateTimeOffset.UtcNow;
        await journal.RecordIntentAsync(Entry("old", "line-old", now));
        await journal.UpdateAsync("old", JournalState.Submitted, "job-old");
        var inner = new OneShotGenerator();

        var error = await Should.ThrowAsync<JournalHostMismatchException>(() => new JournalingVideoGenerator(inner, OpenJournal(), "elumenta") { Endpoint = HostA }
            .SubmitAsync(new VideoGenerationRequest("a fox"), new VideoGenerationOptions { ClientKey = "line-old" }));
        var job = await new JournalingVideoGenerator(inner, OpenJournal(), "elumenta") { Endpoint = HostA, AssumeUnrecordedHostIsThis = true }
            .SubmitAsync(new VideoGenerationRequest("a fox"), new VideoGenerationOptions { ClientKey = "line-old" });

        error.RecordedEndpoint.ShouldBeNull();
        error.Message.ShouldContain("unrecorded host");
        job.Id.ShouldBe("job-old");
        inner.Submits.ShouldBe(0);
    }

    protected static JournalEntry Entry(string correlationId, string? clientKey, DateTimeOffset at) =>
        new(correlationId, clientKey, "elumenta", null, "a fox", "{}", JournalState.Intent, null, null, at, at);

    private sealed class OneShotGenerator : IVideoGenerator, ISubmissionReconciler
    {
        public Exception? Failure { get; set; }

        public int Submits { get; private set; }

        public int Reads { get; private set; }

        public bool IntentSeenBeforeSend { get; private set; }

        public Func<IJobJournal>? OpenJournal { get; set; }

        public async Task<VideoJob> SubmitAsync(VideoGenerationRequest request, VideoGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            Submits++;
            if (OpenJournal is not null)
            {
                // What a crash right now would leave behind: another process must already see the intent.
                var onDisk = await OpenJournal().GetUnfinishedAsync(cancellationToken);
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
