using Microsoft.Data.Sqlite;
using VideoGen.Http;
using VideoGen.Journal;

namespace VideoGen.Tests.Journal;

/// <summary>Leases, journal failures around a paid create, and keys that cannot be sent.</summary>
public sealed class JournalLeaseTests : IDisposable
{
    /// <summary>An owner on another machine: never known to be gone, so its lease is honoured until it lapses.</summary>
    private const string RemoteOwner = "other-host/4242/1/abc";

    private readonly string _dir = Directory.CreateTempSubdirectory("videogen-lease-").FullName;

    private string DbPath => Path.Combine(_dir, "j.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task SubmitAsync_ClientKeyLeasedByAnotherLiveProcess_SendsNothing()
    {
        var journal = new SqliteJobJournal(DbPath);
        var now = DateTimeOffset.UtcNow;
        await journal.RecordIntentAsync(Entry("c-1", "line-1") with { } );
        (await journal.TryAcquireLeaseAsync("c-1", RemoteOwner, now, now.AddMinutes(1))).ShouldBeTrue();
        var inner = new CountingGenerator();
        var generator = new JournalingVideoGenerator(inner, journal, "oxen");

        var error = await Should.ThrowAsync<SubmissionInProgressException>(() => generator.SubmitAsync(new VideoGenerationRequest("a fox"), new VideoGenerationOptions { ClientKey = "line-1" }));

        error.Owner.ShouldBe(RemoteOwner);
        inner.Submits.ShouldBe(0);
        error.Message.ShouldContain("process 4242 on other-host");
    }

    [Fact]
    public async Task ReconcileAsync_OwnerMayStillBeSending_ConcludesNothing()
    {
        // The second CLI must not list the queue while the first's POST is in flight and decide "not created".
        var journal = new SqliteJobJournal(DbPath);
        var now = DateTimeOffset.UtcNow;
        await journal.RecordIntentAsync(Entry("c-2", "line-2") with { LeaseOwner = RemoteOwner, LeaseExpiresAt = now.AddMinutes(1) });
        var inner = new CountingGenerator();
        var generator = new JournalingVideoGenerator(inner, journal, "oxen");

        var entry = (await journal.FindAsync("c-2"))!;
        await Should.ThrowAsync<SubmissionInProgressException>(() => generator.ReconcileAsync(entry));

        inner.Listings.ShouldBe(0, "nothing is looked up while the owner may still be sending");
        (await journal.FindAsync("c-2"))!.State.ShouldBe(JournalState.Intent);
    }

    [Fact]
    public async Task ReconcileAsync_LeaseLapsed_ListsAndSettles()
    {
        var journal = new SqliteJobJournal(DbPath);
        var now = DateTimeOffset.UtcNow;
        await journal.RecordIntentAsync(Entry("c-3", "line-3") with { LeaseOwner = RemoteOwner, LeaseExpiresAt = now.AddSeconds(-1) });
        var generator = new JournalingVideoGenerator(new CountingGenerator(), journal, "oxen");

        await generator.ReconcileAsync((await journal.FindAsync("c-3"))!);

        (await journal.FindAsync("c-3"))!.State.ShouldBe(JournalState.Rejected, "the lapsed owner's listing shows nothing");
    }

    [Fact]
    public async Task ReconcileAsync_OwnerProcessOnThisMachineIsGone_DoesNotWaitForItsLease()
    {
        var journal = new SqliteJobJournal(DbPath);
        var dead = $"{Environment.MachineName}/{int.MaxValue - 7}/1/dead";
        await journal.RecordIntentAsync(Entry("c-4", "line-4") with { LeaseOwner = dead, LeaseExpiresAt = DateTimeOffset.UtcNow.AddMinutes(5) });
        var generator = new JournalingVideoGenerator(new CountingGenerator(), journal, "oxen");

        JournalLease.IsKnownGone(dead).ShouldBeTrue();
        JournalLease.IsKnownGone(JournalLease.CurrentProcessOwner).ShouldBeFalse();
        await generator.ReconcileAsync((await journal.FindAsync("c-4"))!);

        (await journal.FindAsync("c-4"))!.State.ShouldBe(JournalState.Rejected);
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_TwoOwners_OnlyOneHoldsItUntilItLapses()
    {
        var journal = new SqliteJobJournal(DbPath);
        await journal.RecordIntentAsync(Entry("c-5", "line-5"));
        var now = DateTimeOffset.UtcNow;

        (await journal.TryAcquireLeaseAsync("c-5", "a", now, now.AddSeconds(30))).ShouldBeTrue();
        (await journal.TryAcquireLeaseAsync("c-5", "b", now, now.AddSeconds(30))).ShouldBeFalse();
        (await journal.TryAcquireLeaseAsync("c-5", "a", now, now.AddSeconds(60))).ShouldBeTrue("the owner renews");
        (await journal.TryAcquireLeaseAsync("c-5", "b", now.AddSeconds(61), now.AddSeconds(90))).ShouldBeTrue("a lapsed lease is free");
        await journal.ReleaseLeaseAsync("c-5", "a");
        (await journal.FindAsync("c-5"))!.LeaseOwner.ShouldBe("b", "only the holder releases");
        await journal.ReleaseLeaseAsync("c-5", "b");
        (await journal.FindAsync("c-5"))!.LeaseOwner.ShouldBeNull();
    }

    [Fact]
    public async Task SubmitAsync_JournalWriteFailsAfterThePaidCreate_SurfacesTheJobId()
    {
        var journal = new FailingAfterIntentJournal(new SqliteJobJournal(DbPath));
        var inner = new CountingGenerator();
        var generator = new JournalingVideoGenerator(inner, journal, "oxen", new InstantClock());

        var error = await Should.ThrowAsync<JobJournalException>(() => generator.SubmitAsync(new VideoGenerationRequest("a fox")));

        error.JobId.ShouldBe("job-1", "the paid job's id reaches the caller");
        error.Message.ShouldContain("job-1");
        error.Message.ShouldContain("resume --settle");
        journal.FailedWrites.ShouldBe(JournalingVideoGenerator.JournalWriteAttempts, "the write was tried again");
        inner.Submits.ShouldBe(1);
    }

    [Fact]
    public async Task Journal_LockedByAnotherProcessLongerThanTheBusyTimeout_WriteWaitsAndSucceeds()
    {
        var journal = new SqliteJobJournal(DbPath);
        await journal.RecordIntentAsync(Entry("c-6", "line-6"));
        using var other = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DbPath, Pooling = false }.ToString());
        other.Open();
        using (var begin = other.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE;";
            begin.ExecuteNonQuery();
        }

        var write = journal.UpdateAsync("c-6", JournalState.Submitted, "job-6");
        await Task.Delay(SqliteJobJournal.BusyTimeout + TimeSpan.FromSeconds(1));
        write.IsCompleted.ShouldBeFalse("the write waits for the lock");
        using (var rollback = other.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK;";
            rollback.ExecuteNonQuery();
        }

        await write;
        (await journal.FindAsync("c-6"))!.JobId.ShouldBe("job-6");
    }

    [Fact]
    public async Task Journal_CorruptFile_IsAJobJournalExceptionNamingThePath()
    {
        await File.WriteAllTextAsync(DbPath, new string('x', 4096));
        var journal = new SqliteJobJournal(DbPath);

        var error = await Should.ThrowAsync<JobJournalException>(() => journal.GetUnfinishedAsync());

        error.JournalPath.ShouldBe(DbPath);
        error.Message.ShouldContain(DbPath);
    }

    [Fact]
    public async Task Journal_WrittenByAnEarlierVersion_GainsTheLeaseColumns()
    {
        using (var old = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DbPath, Pooling = false }.ToString()))
        {
            old.Open();
            using var create = old.CreateCommand();
            create.CommandText = """
                CREATE TABLE submissions (correlation_id TEXT PRIMARY KEY, client_key TEXT UNIQUE, vendor TEXT NOT NULL, model TEXT, prompt TEXT NOT NULL,
                    request_json TEXT NOT NULL, state TEXT NOT NULL, job_id TEXT, detail TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
                INSERT INTO submissions VALUES ('old-1', 'k', 'oxen', NULL, 'p', '{}', 'Intent', NULL, NULL, '2026-01-01T00:00:00.0000000+00:00', '2026-01-01T00:00:00.0000000+00:00');
                """;
            create.ExecuteNonQuery();
        }

        var journal = new SqliteJobJournal(DbPath);
        var now = DateTimeOffset.UtcNow;

        (await journal.TryAcquireLeaseAsync("old-1", "a", now, now.AddSeconds(30))).ShouldBeTrue();
        (await journal.FindAsync("old-1"))!.LeaseOwner.ShouldBe("a");
    }

    [Theory]
    [InlineData("sk-abc\r", "carriage return")]
    [InlineData("sk-abc\n", "line feed")]
    [InlineData("sk-a\u0001bc", "control character")]
    [InlineData("sk-äbc", "non-ASCII")]
    [InlineData("sk abc", "white space")]
    public void ApiKey_ThatNoHeaderCanCarry_IsRefusedWithoutShowingIt(string key, string kind)
    {
        var error = Should.Throw<ArgumentException>(() => new VendorClientConfiguration("Oxen") { ApiKey = key });

        error.ParamName.ShouldBe(nameof(VendorClientConfiguration.ApiKey));
        error.Message.ShouldContain(kind);
        error.Message.ShouldNotContain("abc");
    }

    private static JournalEntry Entry(string id, string key)
    {
        var now = DateTimeOffset.UtcNow;
        return new JournalEntry(id, key, "oxen", "m", "a fox", "{}", JournalState.Intent, null, null, now, now);
    }

    private sealed class InstantClock : TimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            System.CreateTimer(callback, state, dueTime == Timeout.InfiniteTimeSpan ? dueTime : TimeSpan.Zero, period == Timeout.InfiniteTimeSpan ? period : TimeSpan.FromMilliseconds(1));
    }

    /// <summary>A journal whose writes of a job id fail (another process holds it locked for too long).</summary>
    private sealed class FailingAfterIntentJournal(IJobJournal inner) : IJobJournal
    {
        public int FailedWrites { get; private set; }

        public Task RecordIntentAsync(JournalEntry entry, CancellationToken cancellationToken = default) => inner.RecordIntentAsync(entry, cancellationToken);

        public Task UpdateAsync(string correlationId, JournalState state, string? jobId = null, string? detail = null, CancellationToken cancellationToken = default)
        {
            if (jobId is not null)
            {
                FailedWrites++;
                throw new SqliteException("database is locked", 5);
            }

            return inner.UpdateAsync(correlationId, state, jobId, detail, cancellationToken);
        }

        public Task<JournalEntry?> FindAsync(string correlationId, CancellationToken cancellationToken = default) => inner.FindAsync(correlationId, cancellationToken);

        public Task<JournalEntry?> FindByClientKeyAsync(string clientKey, CancellationToken cancellationToken = default) => inner.FindByClientKeyAsync(clientKey, cancellationToken);

        public Task<JournalEntry?> FindByJobIdAsync(string vendor, string jobId, CancellationToken cancellationToken = default) => inner.FindByJobIdAsync(vendor, jobId, cancellationToken);

        public Task<IReadOnlyList<JournalEntry>> GetUnfinishedAsync(CancellationToken cancellationToken = default) => inner.GetUnfinishedAsync(cancellationToken);

        public Task<bool> TryAcquireLeaseAsync(string correlationId, string owner, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken = default) =>
            inner.TryAcquireLeaseAsync(correlationId, owner, now, expiresAt, cancellationToken);

        public Task ReleaseLeaseAsync(string correlationId, string owner, CancellationToken cancellationToken = default) => inner.ReleaseLeaseAsync(correlationId, owner, cancellationToken);
    }

    /// <summary>A vendor whose listing is complete and empty.</summary>
    private sealed class CountingGenerator : IVideoGenerator, ISubmissionReconciler
    {
        public int Submits { get; private set; }

        public int Listings { get; private set; }

        public Task<VideoJob> SubmitAsync(VideoGenerationRequest request, VideoGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            Submits++;
            return Task.FromResult(new VideoJob { Id = $"job-{Submits}", Vendor = "Oxen", Status = VideoJobStatus.Queued });
        }

        public Task<VideoJob> GetJobAsync(string jobId, CancellationToken cancellationToken = default) =>
            Task.FromResult(new VideoJob { Id = jobId, Vendor = "Oxen", Status = VideoJobStatus.Queued });

        public Task<IReadOnlyList<VideoJob>?> FindCandidatesAsync(JournalEntry entry, CancellationToken cancellationToken)
        {
            Listings++;
            return Task.FromResult<IReadOnlyList<VideoJob>?>([]);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

        public void Dispose()
        {
        }
    }
}
