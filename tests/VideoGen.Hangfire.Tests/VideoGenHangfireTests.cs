using VideoGen.Journal;
using VideoGen.Sandbox;
using VideoGen.Waiting;

namespace VideoGen.Hangfire.Tests;

/// <summary>VideoGen's steps on a real Hangfire server over a real PostgreSQL, against the sandbox on loopback.</summary>
[Collection(PostgresCollection.Name)]
public sealed class VideoGenHangfireTests(PostgresCluster cluster) : IAsyncLifetime
{
    private const double TimeScale = 0.002;
    private readonly string _dir = Directory.CreateTempSubdirectory("videogen-hangfire-").FullName;
    private SandboxServer? _sandbox;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_sandbox is not null)
        {
            await _sandbox.DisposeAsync();
        }

        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task EnqueueAsync_JobsOfEveryVendor_EachCreatedOnceWaitedOnScheduleAndStored()
    {
        await using var hangfire = await OpenAsync(new SandboxOptions { TimeScale = TimeScale });
        string[] vendors = [VendorIds.Elumenta, VendorIds.Gateway, VendorIds.AimlApi, VendorIds.Oxen];
        var ids = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            ids.Add(await hangfire.Client.EnqueueAsync(vendors[i % vendors.Length], new VideoGenerationRequest($"scene {i}"), batch: "b1"));
        }

        ids.Add(await hangfire.Client.EnqueueAsync(VendorIds.Elumenta, new VideoGenerationRequest("scene 0 again"), correlationId: ids[0], batch: "b1"));
        hangfire.StartWorker(workerCount: 4, schedulePollingInterval: TimeSpan.FromMilliseconds(100));

        var statuses = await WaitForAllFinalAsync(hangfire, "b1", expected: 8);

        statuses.ShouldAllBe(s => s.State == VideoWorkState.Completed, string.Join("; ", statuses.Select(s => $"{s.CorrelationId} {s.State} {s.Error}")));
        statuses.ShouldAllBe(s => File.Exists(s.Result!) && new FileInfo(s.Result!).Length > 0);
        statuses.ShouldAllBe(s => s.Polls >= 1, "the waiting was done by scheduled polls");
        _sandbox!.Counters.TotalJobsCreated.ShouldBe(8, "one paid job per enqueued generation; enqueueing an id twice made none");
        (await hangfire.Client.GetStatusAsync(ids[3]))!.JobId.ShouldNotBeNull();
    }

    [Fact]
    public async Task RunAsync_SameStepRunTwiceAtOnceAndAgainAfter_SubmitsOnce()
    {
        await using var hangfire = await OpenAsync(new SandboxOptions { TimeScale = TimeScale });
        var id = await hangfire.Client.EnqueueAsync(VendorIds.Elumenta, new VideoGenerationRequest("twice"));
        var steps = hangfire.Steps;

        // What Hangfire's at-least-once delivery can do: the same step on two workers, then once more after a "crash".
        var both = await Task.WhenAll(steps.RunAsync(id, null, default), steps.RunAsync(id, null, default));
        var again = await steps.RunAsync(id, null, default);

        _sandbox!.Counters.TotalJobsCreated.ShouldBe(1);
        both.Count(r => r.Summary.StartsWith("submitted", StringComparison.Ordinal)).ShouldBeLessThanOrEqualTo(1);
        both.Count(r => r.Summary.Contains("another worker", StringComparison.Ordinal)).ShouldBeLessThanOrEqualTo(1);
        again.Summary.ShouldNotStartWith("submitted", customMessage: "the run after the first one polls or finishes, it does not submit");
        (await hangfire.Client.GetStatusAsync(id))!.State.ShouldBeOneOf(VideoWorkState.Waiting, VideoWorkState.Completed);
    }

    [Fact]
    public async Task RunAsync_ConnectionDroppedAfterTheVendorAccepted_ReportsOutcomeUnknownAndNeverResends()
    {
        await using var hangfire = await OpenAsync(new SandboxOptions { TimeScale = TimeScale, Faults = new SandboxFaultOptions { DropAfterAcceptRate = 1 } });
        var id = await hangfire.Client.EnqueueAsync(VendorIds.Elumenta, new VideoGenerationRequest("dropped"));

        for (var i = 0; i < 3; i++)
        {
            await hangfire.Steps.RunAsync(id, null, default);
        }

        var status = (await hangfire.Client.GetStatusAsync(id))!;
        status.State.ShouldBe(VideoWorkState.OutcomeUnknown);
        status.Error.ShouldNotBeNull().ShouldContain("journal entry");
        _sandbox!.Counters.TotalJobsCreated.ShouldBe(1, "the ambiguous create is never sent again");
    }

    [Fact]
    public async Task Advance_WebhookForAWaitingJob_MovesItOnBeforeItsScheduledPoll()
    {
        // The worker believes the model takes its catalog time (the first poll minutes away); the sandbox finishes at once.
        await using var hangfire = await OpenAsync(new SandboxOptions { TimeScale = TimeScale }, wait: new WaitOptions { ProcessingTimeScale = 1 });
        var updates = new VideoGen.Webhooks.WebhookJobUpdates();
        using var listening = hangfire.Client.ListenTo(updates);
        var id = await hangfire.Client.EnqueueAsync(VendorIds.Gateway, new VideoGenerationRequest("pushed"));
        hangfire.StartWorker(workerCount: 2, schedulePollingInterval: TimeSpan.FromMilliseconds(100));
        var waiting = await WaitUntilAsync(hangfire, id, s => s.State == VideoWorkState.Waiting, TimeSpan.FromSeconds(30));
        await Task.Delay(500);
        (await hangfire.Client.GetStatusAsync(id))!.State.ShouldBe(VideoWorkState.Waiting, "its first poll is scheduled minutes away");

        updates.Publish("delivery-1", new VideoJob { Id = waiting.JobId!, Vendor = "Gateway", Status = VideoJobStatus.Succeeded });

        var done = await WaitUntilAsync(hangfire, id, s => s.IsFinal, TimeSpan.FromSeconds(20));
        done.State.ShouldBe(VideoWorkState.Completed);
    }

    [Fact]
    public async Task Worker_HangfireLockLeftByAKilledProcess_JobMovesOnWithinTheLockTimeout()
    {
        // What a worker SIGKILLed inside a state change leaves behind: Hangfire.PostgreSql keeps a distributed lock as a
        // row only its holder deletes, so the job's state lock stays taken by a process that no longer exists. Hangfire
        // waits up to 15 minutes for a job's state lock; Hangfire.PostgreSql frees an abandoned one after its
        // DistributedLockTimeout (10 minutes by default), so the job sat in Processing for minutes.
        await using var hangfire = await OpenAsync(new SandboxOptions { TimeScale = TimeScale }, configure: o => o.DistributedLockTimeout = TimeSpan.FromSeconds(3));
        var id = await hangfire.Client.EnqueueAsync(VendorIds.Elumenta, new VideoGenerationRequest("locked by the dead"));
        var job = (await hangfire.Client.GetStatusAsync(id))!.HangfireJobId.ShouldNotBeNull();
        using (var dead = hangfire.Storage.GetConnection())
        {
            // Taken and never released, as by a process that died holding it (disposing the connection leaves the row).
            _ = dead.AcquireDistributedLock($"job:{job}:state-lock", TimeSpan.FromSeconds(5));
        }

        hangfire.StartWorker(workerCount: 2, schedulePollingInterval: TimeSpan.FromMilliseconds(100));

        var done = await WaitUntilAsync(hangfire, id, s => s.IsFinal, TimeSpan.FromSeconds(60));
        done.State.ShouldBe(VideoWorkState.Completed, done.Error);
        _sandbox!.Counters.TotalJobsCreated.ShouldBe(1);
    }

    [Fact]
    public async Task RunAsync_PollHangsPastTheStepDeadline_CancelledRescheduledAndTheJobKept()
    {
        var sandboxOptions = new SandboxOptions { TimeScale = TimeScale, Faults = new SandboxFaultOptions { SlowResponseDelay = TimeSpan.FromSeconds(60) } };
        await using var hangfire = await OpenAsync(sandboxOptions, configure: o => o.StepTimeout = TimeSpan.FromSeconds(1));
        var id = await hangfire.Client.EnqueueAsync(VendorIds.Elumenta, new VideoGenerationRequest("hung poll"));
        (await hangfire.Steps.RunAsync(id, null, default)).Summary.ShouldStartWith("submitted");
        var submitted = (await hangfire.Client.GetStatusAsync(id))!;

        // Every request now hangs for a minute: the poll is cut at the step's deadline, the worker given back.
        sandboxOptions.Faults.SlowResponseRate = 1;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var cut = await hangfire.Steps.RunAsync(id, null, default);
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20));
        cut.Summary.ShouldContain("deadline");
        cut.NextRunInMilliseconds.ShouldNotBeNull("rescheduled, not finished");
        var during = (await hangfire.Client.GetStatusAsync(id))!;
        during.State.ShouldBe(VideoWorkState.Waiting);
        during.JobId.ShouldBe(submitted.JobId, "the paid job's id is kept");

        sandboxOptions.Faults.SlowResponseRate = 0;
        var done = await RunUntilFinalAsync(hangfire, id);
        done.State.ShouldBe(VideoWorkState.Completed, done.Error);
        done.JobId.ShouldBe(submitted.JobId);
        _sandbox!.Counters.TotalJobsCreated.ShouldBe(1);
    }

    [Fact]
    public async Task RunAsync_CreateAnswerHangsPastTheStepDeadline_TheCreateIsNeverSentAgain()
    {
        // The vendor creates (and charges) the job, then its answer hangs past the step's deadline.
        var sandboxOptions = new SandboxOptions { TimeScale = TimeScale, Faults = new SandboxFaultOptions { CreateLatency = TimeSpan.FromSeconds(60) } };
        await using var hangfire = await OpenAsync(sandboxOptions, configure: o => o.StepTimeout = TimeSpan.FromSeconds(1));
        var id = await hangfire.Client.EnqueueAsync(VendorIds.Elumenta, new VideoGenerationRequest("hung create"));

        var cut = await hangfire.Steps.RunAsync(id, null, default);
        cut.Summary.ShouldContain("deadline");
        _sandbox!.Counters.TotalJobsCreated.ShouldBe(1);

        sandboxOptions.Faults.CreateLatency = TimeSpan.Zero;
        var done = await RunUntilFinalAsync(hangfire, id);

        _sandbox.Counters.TotalJobsCreated.ShouldBe(1, "a create cut after it was sent is never resent");
        if (done.State == VideoWorkState.OutcomeUnknown)
        {
            done.Error.ShouldNotBeNull().ShouldContain("journal entry");
        }
        else
        {
            done.State.ShouldBe(VideoWorkState.Completed, $"{done.State}: {done.Error}");
            done.JobId.ShouldBe(_sandbox.GetJobs().Single().Id, "found again, not created again");
        }
    }

    [Fact]
    public async Task Worker_SinkStillStoring_NotReportedCompletedUntilTheVideoLanded()
    {
        var sink = new GatedSink();
        await using var hangfire = await OpenAsync(new SandboxOptions { TimeScale = TimeScale }, configure: o => o.Sink = sink);
        var id = await hangfire.Client.EnqueueAsync(VendorIds.Gateway, new VideoGenerationRequest("landing"));
        hangfire.StartWorker(workerCount: 2, schedulePollingInterval: TimeSpan.FromMilliseconds(100));

        await sink.Entered.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await Task.Delay(300);
        var storing = (await hangfire.Client.GetStatusAsync(id))!;
        storing.State.ShouldBe(VideoWorkState.Waiting, "the video is being stored: not finished yet");
        storing.Result.ShouldBeNull();

        sink.Release.SetResult();
        var done = await WaitUntilAsync(hangfire, id, s => s.IsFinal, TimeSpan.FromSeconds(30));
        done.State.ShouldBe(VideoWorkState.Completed, done.Error);
        done.Result.ShouldBe($"sink://{id}");
        sink.Stored.ShouldBe([id]);
        sink.Bytes.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Worker_PostgreSqlRestartedWhileAGenerationWaits_FinishesItWithOnePaidJob()
    {
        // Found untested by the attack branch: the database goes away (failover, restart) while a paid job waits. Every
        // connection, the step's advisory lock included, is cut; nothing may be resubmitted, and the job must not be lost.
        const double scale = 0.05;
        await using var hangfire = await OpenAsync(
            new SandboxOptions { TimeScale = scale },
            wait: new WaitOptions { ProcessingTimeScale = scale, PollInterval = TimeSpan.FromMilliseconds(100), MaxPollInterval = TimeSpan.FromMilliseconds(500) },
            configure: o => o.DistributedLockTimeout = TimeSpan.FromSeconds(5));
        var id = await hangfire.Client.EnqueueAsync(VendorIds.Elumenta, new VideoGenerationRequest("through a restart"));
        hangfire.StartWorker(workerCount: 2, schedulePollingInterval: TimeSpan.FromMilliseconds(100));
        var waiting = await WaitUntilAsync(hangfire, id, s => s.State == VideoWorkState.Waiting, TimeSpan.FromSeconds(60));

        await cluster.RestartAsync(down: TimeSpan.FromSeconds(5));

        // The test's own reads meet the pool's cut connections once each too (Npgsql drops a broken one when it fails).
        VideoWorkStatus done;
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            try
            {
                done = await WaitUntilAsync(hangfire, id, s => s.IsFinal, deadline - DateTime.UtcNow);
                break;
            }
            catch (Npgsql.NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }

        done.State.ShouldBe(VideoWorkState.Completed, done.Error);
        done.JobId.ShouldBe(waiting.JobId, "the job waited on is the one stored");
        File.Exists(done.Result!).ShouldBeTrue();
        _sandbox!.Counters.TotalJobsCreated.ShouldBe(1, "the restart made no second paid job");
    }

    [Fact]
    public async Task RunAsync_PostgreSqlDownWhenTheVendorAcceptsTheJob_TheJobIdIsRecordedWhenItIsBack()
    {
        // Found by the attack branch: the vendor accepted (and bills) the job, but the database was gone when its id was
        // to be written. The journal gives up after its few write attempts and throws with the id; the step dropped it, so
        // the next run found only the intent and ended OutcomeUnknown with no job id: a paid job nobody waited for.
        await using var hangfire = await OpenAsync(new SandboxOptions { TimeScale = TimeScale, Faults = new SandboxFaultOptions { CreateLatency = TimeSpan.FromSeconds(2) } });
        var id = await hangfire.Client.EnqueueAsync(VendorIds.Elumenta, new VideoGenerationRequest("accepted while the database is down"));
        var steps = hangfire.Steps;
        var first = Task.Run(() => steps.RunAsync(id, null, default));
        while (_sandbox!.Counters.TotalJobsCreated == 0)
        {
            await Task.Delay(20);
        }

        // Down from before the answer arrives until well after the journal's write attempts (1 s + 2 s apart) are spent.
        await cluster.RestartAsync(down: TimeSpan.FromSeconds(8));
        try
        {
            await first;
        }
        catch (Exception e) when (e is VideoGenException or Npgsql.NpgsqlException)
        {
            // Hangfire would record this run as failed and run the step again.
        }

        VideoWorkStatus done;
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            try
            {
                done = await RunUntilFinalAsync(hangfire, id);
                break;
            }
            catch (Npgsql.NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                // A pooled connection cut by the restart, met once.
            }
        }

        done.State.ShouldBe(VideoWorkState.Completed, $"{done.State}: {done.Error}");
        done.JobId.ShouldNotBeNull();
        _sandbox.Counters.TotalJobsCreated.ShouldBe(1, "the accepted job is never submitted again");
    }

    [Fact]
    public async Task SettleAsync_OutcomeUnknownSettledWithTheJobFromTheDashboard_IsWaitedOnAndStoredWithoutResubmitting()
    {
        // Found by the attack branch: the README's way out of OutcomeUnknown, "videogen resume --settle", works on the
        // CLI's SQLite journal only; a Hangfire generation stayed OutcomeUnknown (final) with its paid job never fetched.
        await using var hangfire = await OpenAsync(new SandboxOptions { TimeScale = TimeScale, Faults = new SandboxFaultOptions { DropAfterAcceptRate = 1 } });
        var id = await hangfire.Client.EnqueueAsync(VendorIds.Gateway, new VideoGenerationRequest("answer lost"));
        hangfire.StartWorker(workerCount: 2, schedulePollingInterval: TimeSpan.FromMilliseconds(100));
        var unknown = await WaitUntilAsync(hangfire, id, s => s.IsFinal, TimeSpan.FromSeconds(60));
        unknown.State.ShouldBe(VideoWorkState.OutcomeUnknown);
        var onTheDashboard = _sandbox!.GetJobs(VendorIds.Apiframe).ShouldHaveSingleItem().Id;

        (await hangfire.Client.SettleAsync(id, onTheDashboard)).ShouldBeTrue();

        var done = await WaitUntilAsync(hangfire, id, s => s.IsFinal, TimeSpan.FromSeconds(60));
        done.State.ShouldBe(VideoWorkState.Completed, done.Error);
        done.JobId.ShouldBe(onTheDashboard);
        File.Exists(done.Result!).ShouldBeTrue();
        _sandbox.Counters.TotalJobsCreated.ShouldBe(1, "settling submits nothing");
        (await hangfire.Client.SettleAsync(id, onTheDashboard)).ShouldBeFalse("only an unknown outcome is settled");
    }

    private static async Task<VideoWorkStatus> RunUntilFinalAsync(TestHangfire hangfire, string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var status = (await hangfire.Client.GetStatusAsync(id))!;
            if (status.IsFinal)
            {
                return status;
            }

            DateTime.UtcNow.ShouldBeLessThan(deadline, $"{id} stayed {status.State} ({status.Error})");
            await hangfire.Steps.RunAsync(id, null, default);
            await Task.Delay(100);
        }
    }

    private async Task<TestHangfire> OpenAsync(SandboxOptions sandboxOptions, WaitOptions? wait = null, Action<VideoGenHangfireOptions>? configure = null)
    {
        foreach (var vendor in new[] { VendorIds.Elumenta, VendorIds.Gateway, VendorIds.AimlApi, VendorIds.Oxen })
        {
            sandboxOptions.InitialCredits[vendor] = 1_000_000m;
        }

        _sandbox = await SandboxServer.StartAsync(sandboxOptions);
        var sandbox = _sandbox;
        var options = new VideoGenHangfireOptions
        {
            ConnectionString = await cluster.CreateDatabaseAsync(),
            Generators = vendor => SandboxGenerators.Create(sandbox, vendor),
            OutputDirectory = Path.Combine(_dir, "videos"),
            Download = new Downloads.DownloadOptions { BlockPrivateNetworks = false },
            Wait = wait ?? new WaitOptions { ProcessingTimeScale = TimeScale, PollInterval = TimeSpan.FromMilliseconds(50), MaxPollInterval = TimeSpan.FromMilliseconds(300) },
            ResubmitDelay = TimeSpan.FromMilliseconds(100),
            InvisibilityTimeout = TimeSpan.FromSeconds(20),
        };
        configure?.Invoke(options);
        return new TestHangfire(await VideoGenHangfire.OpenAsync(options));
    }

    private static async Task<IReadOnlyList<VideoWorkStatus>> WaitForAllFinalAsync(TestHangfire hangfire, string batch, int expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var all = await hangfire.Client.ListAsync(batch);
            if ((all.Count == expected && all.All(s => s.IsFinal)) || DateTime.UtcNow > deadline)
            {
                all.Count.ShouldBe(expected);
                return all;
            }

            await Task.Delay(100);
        }
    }

    private static async Task<VideoWorkStatus> WaitUntilAsync(TestHangfire hangfire, string id, Func<VideoWorkStatus, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var status = (await hangfire.Client.GetStatusAsync(id))!;
            if (condition(status))
            {
                return status;
            }

            DateTime.UtcNow.ShouldBeLessThan(deadline, $"{id} stayed {status.State} ({status.Error})");
            await Task.Delay(50);
        }
    }

    private sealed class TestHangfire(VideoGenHangfire inner) : IAsyncDisposable
    {
        public VideoGenWorkClient Client => inner.Client;

        public global::Hangfire.JobStorage Storage => inner.Storage;

        public VideoGenSteps Steps => inner.CreateSteps();

        public global::Hangfire.BackgroundJobServer StartWorker(int workerCount, TimeSpan schedulePollingInterval) => inner.StartWorker(workerCount, schedulePollingInterval: schedulePollingInterval);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    /// <summary>A sink that holds each store until released, to look at the status meanwhile.</summary>
    private sealed class GatedSink : IVideoSink
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<string> Stored { get; } = [];

        public long Bytes { get; private set; }

        public async Task<string> StoreAsync(VideoSinkItem item, Stream content, CancellationToken cancellationToken = default)
        {
            Entered.TrySetResult();
            await Release.Task.WaitAsync(cancellationToken);
            using var copy = new MemoryStream();
            await content.CopyToAsync(copy, cancellationToken);
            lock (Stored)
            {
                Stored.Add(item.CorrelationId);
                Bytes = copy.Length;
            }

            return $"sink://{item.CorrelationId}";
        }
    }
}
