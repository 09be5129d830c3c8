using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Data.Sqlite;
using VideoGen.Journal;
using VideoGen.Telemetry;
using VideoGen.Tests.Infrastructure;
using VideoGen.Waiting;

namespace VideoGen.Tests.Waiting;

/// <summary>The schedule learned from observed processing times (issue 17), on the virtual clock.</summary>
public sealed class LearnedScheduleTests
{
    // elumenta/kling-v2.1 is documented at 45–90 s.
    private static readonly TimeSpan DocumentedMin = TimeSpan.FromSeconds(45);

    private readonly VirtualTimeProvider _clock = new();

    [Fact]
    public void History_KeepsTheMostRecentTimesInOrder_AndCountsEveryRecord()
    {
        var history = new InMemoryProcessingTimeHistory(capacity: 3);
        foreach (var seconds in new[] { 10, 20, 30, 40, 50 })
        {
            history.Record("elumenta", "kling-v2.1", TimeSpan.FromSeconds(seconds));
        }

        var snapshot = history.GetSnapshot("Elumenta", "KLING-V2.1");
        snapshot.Recent.ShouldBe([TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(50)]);
        snapshot.TotalRecorded.ShouldBe(5);
        history.GetSnapshot("elumenta", "luma-ray2").ShouldBe(ProcessingTimeSnapshot.Empty);
    }

    [Fact]
    public void History_VendorByDisplayNameOrId_IsOneModel_AndImpossibleTimesAreIgnored()
    {
        var history = new InMemoryProcessingTimeHistory();
        history.Record("AIML API", "ray-2", TimeSpan.FromSeconds(70));
        history.Record("aimlapi", "ray-2", TimeSpan.FromSeconds(80));
        history.Record("aimlapi", "ray-2", TimeSpan.Zero);
        history.Record("aimlapi", "ray-2", TimeSpan.FromSeconds(-5));
        history.Record("aimlapi", "ray-2", TimeSpan.FromDays(2));

        history.GetSnapshot("aimlapi", "ray-2").Recent.Count.ShouldBe(2);
    }

    [Fact]
    public void History_IsBoundedInModels()
    {
        var history = new InMemoryProcessingTimeHistory(capacity: 2, maxModels: 2);
        history.Record("elumenta", "a", TimeSpan.FromSeconds(1));
        history.Record("elumenta", "b", TimeSpan.FromSeconds(1));
        history.Record("elumenta", "c", TimeSpan.FromSeconds(1));

        history.GetSnapshot("elumenta", "c").TotalRecorded.ShouldBe(0);
        history.GetSnapshot("elumenta", "a").TotalRecorded.ShouldBe(1);
    }

    [Fact]
    public async Task WaitForCompletionAsync_FewerThanMinimumHistory_KeepsTheDocumentedStart()
    {
        var history = Seeded(Enumerable.Repeat(150.0, WaitOptions.DefaultMinimumHistory - 1));
        var generator = new ScriptedVideoGenerator(_clock, TimeSpan.FromSeconds(60));

        await new VideoJobOperation(generator, generator.Submitted).WaitForCompletionAsync(Options(history));

        generator.PollTimes[0].ShouldBe(DocumentedMin, "19 jobs are not enough to stop trusting the document's start");
    }

    [Fact]
    public async Task WaitForCompletionAsync_FewerThanMinimumHistory_WidensTheWindowToTimesSeen()
    {
        // Five jobs took 150 s: the document (45–90 s) is wrong past 90 s, so polling stays tight until 150 s instead of backing off.
        var history = Seeded(Enumerable.Repeat(150.0, 5));
        var generator = new ScriptedVideoGenerator(_clock, TimeSpan.FromSeconds(140.3));

        await new VideoJobOperation(generator, generator.Submitted).WaitForCompletionAsync(Options(history));

        var gaps = generator.PollTimes.Zip(generator.PollTimes.Skip(1), (a, b) => b - a).ToList();
        gaps.ShouldAllBe(g => g == TimeSpan.FromSeconds(2));
        (generator.PollTimes[^1] - TimeSpan.FromSeconds(140.3)).ShouldBeLessThanOrEqualTo(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task WaitForCompletionAsync_HistoryOutsideTheDocumentedWindow_NoPollWhereNoJobFinished()
    {
        // Every one of 30 jobs took 150–160 s although the document says 45–90 s.
        var history = Seeded(Enumerable.Range(0, 30).Select(i => 150 + (i / 3.0)));
        var learned = new ScriptedVideoGenerator(_clock, TimeSpan.FromSeconds(155.2));

        await new VideoJobOperation(learned, learned.Submitted).WaitForCompletionAsync(Options(history));

        learned.PollTimes[0].ShouldBeGreaterThan(TimeSpan.FromSeconds(140), "no job ever finished before 150 s");
        var lag = learned.PollTimes[^1] - TimeSpan.FromSeconds(155.2);
        lag.ShouldBeInRange(TimeSpan.Zero, TimeSpan.FromSeconds(2));

        var clock = new VirtualTimeProvider();
        var documented = new ScriptedVideoGenerator(clock, TimeSpan.FromSeconds(155.2));
        await new VideoJobOperation(documented, documented.Submitted).WaitForCompletionAsync(new WaitOptions { TimeProvider = clock, Jitter = 0 });
        learned.PollTimes.Count.ShouldBeLessThan(documented.PollTimes.Count);
        lag.ShouldBeLessThan(documented.PollTimes[^1] - TimeSpan.FromSeconds(155.2));
    }

    [Fact]
    public void Schedule_BimodalHistory_DenseWhereJobsFinish_NoneInTheGap()
    {
        // 10 jobs spread over 40–80 s, 30 at 120–124 s, none between.
        // Interleaved (one spread job after every three fast ones): both modes throughout, not a vendor that changed speed.
        var times = Enumerable.Range(0, 10).SelectMany(i => new[] { 40 + (i * 40 / 9.0) }.Concat(Enumerable.Range(3 * i, 3).Select(k => 120 + (k * 4 / 29.0))));
        var schedule = PollSchedule.For("elumenta", "kling-v2.1", Options(Seeded(times)));

        schedule.IsLearned.ShouldBeTrue();
        var plan = schedule.Plan;
        var denseRate = plan.Count(t => t is >= 120 and <= 124) / 4.0;
        var sparseRate = plan.Count(t => t is >= 40 and <= 80) / 40.0;
        var gapRate = plan.Count(t => t is > 90 and < 110) / 20.0;
        denseRate.ShouldBeGreaterThan(sparseRate * 2);

        // The kernel's smoothing (Silverman's bandwidth, about 10 s here) reaches into the gap: fewer polls there than in either mode, not none.
        gapRate.ShouldBeLessThan(sparseRate);
        plan[0].ShouldBeGreaterThan(10);
        plan.Zip(plan.Skip(1), (a, b) => b - a).ShouldAllBe(g => g >= (LearnedPollPlan.MinGapShare * 2) - 1e-9);
    }

    [Fact]
    public void Schedule_SameHistory_SamePlan()
    {
        var times = Enumerable.Range(0, 40).Select(i => 50 + (((i * 37) % 40) * 1.5)).ToList();
        var first = PollSchedule.For("elumenta", "kling-v2.1", Options(Seeded(times))).Plan;
        var second = PollSchedule.For("elumenta", "kling-v2.1", Options(Seeded(times))).Plan;

        first.ShouldNotBeEmpty();
        second.ShouldBe(first);
    }

    [Fact]
    public async Task WaitForCompletionAsync_LearnedSchedule_RetryAfterStillWins()
    {
        var history = Seeded(Enumerable.Range(0, 30).Select(i => 150 + (i / 3.0)));
        var generator = new ScriptedVideoGenerator(_clock, TimeSpan.FromSeconds(200));
        generator.Faults.Enqueue(new RateLimitedException("slow down", "Elumenta", TimeSpan.FromSeconds(7)));

        await new VideoJobOperation(generator, generator.Submitted).WaitForCompletionAsync(Options(history));

        (generator.PollTimes[1] - generator.PollTimes[0]).ShouldBe(TimeSpan.FromSeconds(7));
    }

    [Fact]
    public async Task WaitForCompletionAsync_RecordsEverySucceededJob_WhenSeenDoneWithoutAVendorCompletionTime()
    {
        var history = new InMemoryProcessingTimeHistory();
        var generator = new ScriptedVideoGenerator(_clock, TimeSpan.FromSeconds(60.5));

        await new VideoJobOperation(generator, generator.Submitted).WaitForCompletionAsync(Options(history));

        history.GetSnapshot("elumenta", "kling-v2.1").Recent.ShouldBe([generator.PollTimes[^1]]);
    }

    [Fact]
    public async Task WaitForCompletionAsync_FailedJob_IsNotRecorded()
    {
        var history = new InMemoryProcessingTimeHistory();
        var generator = new ScriptedVideoGenerator(_clock, TimeSpan.FromSeconds(50), VideoJobStatus.Failed);

        await Should.ThrowAsync<JobFailedException>(() => new VideoJobOperation(generator, generator.Submitted).WaitForCompletionAsync(Options(history)));

        history.GetSnapshot("elumenta", "kling-v2.1").TotalRecorded.ShouldBe(0);
    }

    [Fact]
    public void ProcessingTime_PrefersTheVendorsCompletionTime()
    {
        var created = _clock.GetUtcNow();
        var job = new VideoJob { Id = "1", Vendor = "Elumenta", Status = VideoJobStatus.Succeeded, CreatedAt = created, CompletedAt = created.AddSeconds(61) };
        _clock.Advance(TimeSpan.FromSeconds(64));

        JobTelemetry.ProcessingTimeOf(job, _clock).ShouldBe(TimeSpan.FromSeconds(61));
        JobTelemetry.ProcessingTimeOf(job with { CompletedAt = null }, _clock).ShouldBe(TimeSpan.FromSeconds(64));
        JobTelemetry.ProcessingTimeOf(job with { CreatedAt = null }, _clock).ShouldBeNull();
    }

    [Fact]
    public async Task VideoJobMonitor_RecordsFinishedJobs_AndPollsFromTheLearnedSchedule()
    {
        var history = Seeded(Enumerable.Range(0, 30).Select(i => 150 + (i / 3.0)));
        var generator = new ScriptedVideoGenerator(_clock, TimeSpan.FromSeconds(155.2));
        await using (var monitor = new VideoJobMonitor(generator, new JobMonitorOptions { Wait = Options(history) }))
        {
            await monitor.TrackAsync(generator.Submitted);
        }

        generator.PollTimes[0].ShouldBeGreaterThan(TimeSpan.FromSeconds(140));
        history.GetSnapshot("elumenta", "kling-v2.1").TotalRecorded.ShouldBe(31);
    }

    [Fact]
    public async Task WaitForCompletionAsync_FinishedJob_ExportsItsProcessingTimeAsAHistogram()
    {
        var seen = new ConcurrentQueue<(double Value, string? Model, string? Status)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == VideoGenTelemetry.Name && instrument.Name == "videogen.job.processing_time")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            var all = tags.ToArray().ToDictionary(t => t.Key, t => t.Value);
            seen.Enqueue((value, all.GetValueOrDefault("videogen.model") as string, all.GetValueOrDefault("videogen.status") as string));
        });
        listener.Start();
        var generator = new ScriptedVideoGenerator(_clock, TimeSpan.FromSeconds(60.5)) { Model = "histogram-test-model" };

        await new VideoJobOperation(generator, generator.Submitted).WaitForCompletionAsync(new WaitOptions { TimeProvider = _clock, Jitter = 0 });

        seen.Where(s => s.Model == "histogram-test-model").ShouldHaveSingleItem().ShouldBe((generator.PollTimes[^1].TotalSeconds, "histogram-test-model", "Succeeded"));
    }

    [Fact]
    public async Task JournalProcessingTimes_LoadsCompletedSubmissionsOnly_WithoutWritingTheFile()
    {
        var dir = Directory.CreateTempSubdirectory("videogen-learned-");
        try
        {
            var path = Path.Combine(dir.FullName, "journal.db");
            var journal = new SqliteJobJournal(path);
            var longAgo = DateTimeOffset.UtcNow.AddSeconds(-75);
            await journal.RecordIntentAsync(Entry("done", longAgo));
            await journal.UpdateAsync("done", JournalState.Submitted, jobId: "j1");
            await journal.UpdateAsync("done", JournalState.Completed);
            await journal.RecordIntentAsync(Entry("failed", longAgo));
            await journal.UpdateAsync("failed", JournalState.Failed, jobId: "j2");
            await journal.RecordIntentAsync(Entry("running", longAgo));
            await journal.UpdateAsync("running", JournalState.Submitted, jobId: "j3");
            SqliteConnection.ClearAllPools();
            var before = await File.ReadAllBytesAsync(path);

            var history = new InMemoryProcessingTimeHistory();
            var loaded = await JournalProcessingTimes.LoadAsync(history, path);

            loaded.ShouldBe(1);
            var time = history.GetSnapshot("Elumenta", "kling-v2.1").Recent.ShouldHaveSingleItem();
            time.TotalSeconds.ShouldBeInRange(75, 135);
            (await File.ReadAllBytesAsync(path)).ShouldBe(before);
            (await JournalProcessingTimes.LoadAsync(history, Path.Combine(dir.FullName, "none.db"))).ShouldBe(0);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task WaitForCompletionAsync_GeneratorWithAHistory_LearnsWithoutWaitOptionsSayingSo()
    {
        // 30 jobs finished at 150–160 s: the document's 45–90 s start is no longer trusted.
        var history = Seeded(Enumerable.Range(0, 30).Select(i => 150 + (i / 3.0)));
        var scripted = new ScriptedVideoGenerator(_clock, TimeSpan.FromSeconds(155.2));
        var generator = new VideoGeneratorBuilder(scripted).UseProcessingTimes(history).Build();
        var options = new WaitOptions { TimeProvider = _clock, Jitter = 0 };

        await new VideoJobOperation(generator, scripted.Submitted).WaitForCompletionAsync(options);

        scripted.PollTimes[0].ShouldBeGreaterThan(TimeSpan.FromSeconds(140));
        history.GetSnapshot("elumenta", "kling-v2.1").TotalRecorded.ShouldBe(31);
        options.ProcessingTimes.ShouldBeNull("the caller's options are not changed");
    }

    [Fact]
    public async Task WaitForCompletionAsync_WaitOptionsHistory_WinsOverTheGenerators()
    {
        var own = Seeded(Enumerable.Range(0, 30).Select(i => 150 + (i / 3.0)));
        var generators = new InMemoryProcessingTimeHistory();
        var scripted = new ScriptedVideoGenerator(_clock, TimeSpan.FromSeconds(155.2));
        var generator = new VideoGeneratorBuilder(scripted).UseProcessingTimes(generators).Build();

        await new VideoJobOperation(generator, scripted.Submitted).WaitForCompletionAsync(Options(own));

        own.GetSnapshot("elumenta", "kling-v2.1").TotalRecorded.ShouldBe(31);
        generators.GetSnapshot("elumenta", "kling-v2.1").TotalRecorded.ShouldBe(0);
    }

    [Fact]
    public async Task VideoJobMonitor_GeneratorWithAHistory_LearnsAndRecords()
    {
        var history = Seeded(Enumerable.Range(0, 30).Select(i => 150 + (i / 3.0)));
        var scripted = new ScriptedVideoGenerator(_clock, TimeSpan.FromSeconds(155.2));
        var generator = new VideoGeneratorBuilder(scripted).UseProcessingTimes(history).Build();
        await using (var monitor = new VideoJobMonitor(generator, new JobMonitorOptions { Wait = new WaitOptions { TimeProvider = _clock, Jitter = 0 } }))
        {
            await monitor.TrackAsync(scripted.Submitted);
        }

        scripted.PollTimes[0].ShouldBeGreaterThan(TimeSpan.FromSeconds(140));
        history.GetSnapshot("elumenta", "kling-v2.1").TotalRecorded.ShouldBe(31);
    }

    [Fact]
    public async Task WaitForCompletionAsync_LearnsFromItsOwnJobs_AfterMinimumHistory()
    {
        // A vendor twice as slow as documented (90–180 s for 45–90 s): after 20 jobs the first poll moves past the document's window.
        var history = new InMemoryProcessingTimeHistory();
        var firstPolls = new List<TimeSpan>();
        for (var i = 0; i < WaitOptions.DefaultMinimumHistory + 1; i++)
        {
            var clock = new VirtualTimeProvider();
            var scripted = new ScriptedVideoGenerator(clock, TimeSpan.FromSeconds(90 + ((i * 7 % 20) * 4.5)));
            var generator = new VideoGeneratorBuilder(scripted).UseProcessingTimes(history).Build();
            await new VideoJobOperation(generator, scripted.Submitted).WaitForCompletionAsync(new WaitOptions { TimeProvider = clock, Jitter = 0 });
            firstPolls.Add(scripted.PollTimes[0]);
        }

        firstPolls.Take(WaitOptions.DefaultMinimumHistory).ShouldAllBe(t => t == DocumentedMin);
        firstPolls[^1].ShouldBeGreaterThan(TimeSpan.FromSeconds(60), "the learned start moves past the document's 45 s towards the 90 s seen");
        history.GetSnapshot("elumenta", "kling-v2.1").TotalRecorded.ShouldBe(WaitOptions.DefaultMinimumHistory + 1);
    }

    [Fact]
    public async Task WaitForCompletionAsync_WindowStartBetweenTwoMilliseconds_PollsOnInsteadOfLoopingOnTheVirtualClock()
    {
        // A job seen finishing at 18.8281926 s moves the start of luma-flash2's window (20–35 s) there; Task.Delay waits whole
        // milliseconds, so the first delay ended 0.19 ms short and every later one (0.19 ms) completed without the clock moving.
        var history = new InMemoryProcessingTimeHistory();
        foreach (var ticks in new[] { 337_370_000L, 277_170_000L, 188_281_926L })
        {
            history.Record("elumenta", "luma-flash2", TimeSpan.FromTicks(ticks));
        }

        var generator = new ScriptedVideoGenerator(_clock, TimeSpan.FromSeconds(24.69)) { Model = "luma-flash2" };

        await new VideoJobOperation(generator, generator.Submitted).WaitForCompletionAsync(Options(history)).WaitAsync(TimeSpan.FromSeconds(30));

        generator.PollTimes.Count.ShouldBeLessThan(10);
        generator.PollTimes[0].ShouldBeGreaterThanOrEqualTo(TimeSpan.FromTicks(188_281_926L));
        _clock.Delays.ShouldAllBe(d => d.Ticks % TimeSpan.TicksPerMillisecond == 0);
    }

    [Fact]
    public void Schedule_VendorBecameTwiceAsSlow_PlansOnTheNewestTimesOnly()
    {
        // 80 jobs spread over 45–90 s, then 20 over 90–180 s: the polls start near 90 s, not at 45 s.
        var times = Enumerable.Range(0, 80).Select(i => 45 + ((i * 37 % 80) * 45 / 80.0))
            .Concat(Enumerable.Range(0, 20).Select(i => 90 + ((i * 7 % 20) * 90 / 20.0)));

        var plan = PollSchedule.For("elumenta", "kling-v2.1", Options(Seeded(times))).Plan;

        plan[0].ShouldBeGreaterThan(65);
    }

    [Fact]
    public void CurrentTimes_SameSpeedThroughout_KeepsEveryTime()
    {
        var times = Enumerable.Range(0, 100).Select(i => 45 + ((i * 37 % 100) * 0.45)).ToArray();

        LearnedPollPlan.Current(times, WaitOptions.DefaultMinimumHistory).ShouldBe(times);
    }

    private static JournalEntry Entry(string id, DateTimeOffset at) =>
        new(id, null, "elumenta", "kling-v2.1", "a cat", "{}", JournalState.Intent, null, null, at, at);

    private static InMemoryProcessingTimeHistory Seeded(IEnumerable<double> seconds)
    {
        var history = new InMemoryProcessingTimeHistory();
        foreach (var s in seconds)
        {
            history.Record("elumenta", "kling-v2.1", TimeSpan.FromSeconds(s));
        }

        return history;
    }

    private WaitOptions Options(IProcessingTimeHistory history) => new() { TimeProvider = _clock, Jitter = 0, ProcessingTimes = history };
}
