using System.Net;
using VideoGen.AimlApi;
using VideoGen.Http;
using VideoGen.Tests.Infrastructure;
using VideoGen.Tests.Keyframes;
using VideoGen.Waiting;

namespace VideoGen.Tests.Waiting;

/// <summary>
/// The one job poller: its decisions (schedule, already-running offset, Retry-After, transient backoff, deadline,
/// result-less success) on a fake clock, then the same decisions seen through each of its three users: the
/// operation, the monitor and the Luma extension chain.
/// </summary>
public sealed class JobPollerTests
{
    private readonly VirtualTimeProvider _clock = new();

    private WaitOptions Wait(TimeSpan? timeout = null) => new() { TimeProvider = _clock, Jitter = 0, Timeout = timeout ?? WaitOptions.DefaultTimeout };

    private VideoJob Job(VideoJobStatus status = VideoJobStatus.Queued, TimeSpan? createdAgo = null, Uri? result = null) => new()
    {
        Id = "job-1",
        Vendor = "elumenta",
        Model = "kling-v2.1",
        Status = status,
        VendorStatus = status.ToString().ToLowerInvariant(),
        CreatedAt = _clock.GetUtcNow() - (createdAgo ?? TimeSpan.Zero),
        ResultUri = result,
    };

    [Fact]
    public void NextDelay_FreshJob_WaitsForTheEarliestFinishThenPollsEveryInterval()
    {
        var window = PollSchedule.WindowFor("elumenta", "kling-v2.1");
        var poller = new JobPoller("job-1", Job(), Wait());

        poller.NextDelay().ShouldBe(window.Min);
        _clock.Advance(window.Min);
        poller.NextDelay().ShouldBe(WaitOptions.DefaultPollInterval);
    }

    [Fact]
    public void NextDelay_JobCreatedBeforeTheWait_CountsTheTimeItAlreadyRan()
    {
        var window = PollSchedule.WindowFor("elumenta", "kling-v2.1");

        var resumedLate = new JobPoller("job-1", Job(createdAgo: window.Min + TimeSpan.FromSeconds(1)), Wait());
        var resumedEarly = new JobPoller("job-1", Job(createdAgo: TimeSpan.FromSeconds(5)), Wait());

        resumedLate.AlreadyRunning.ShouldBe(window.Min + TimeSpan.FromSeconds(1));
        resumedLate.NextDelay().ShouldBe(TimeSpan.Zero, "a job past its earliest finish is read at once");
        resumedEarly.NextDelay().ShouldBe(window.Min - TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void NextDelay_GivenASchedule_UsesItRatherThanTheJobsOwn()
    {
        var options = Wait();
        var other = PollSchedule.For("oxen", null, options);
        var poller = new JobPoller("job-1", Job(), options, schedule: other);

        poller.Schedule.ShouldBeSameAs(other);
        poller.NextDelay().ShouldBe(PollSchedule.WindowFor("oxen", null).Min);
    }

    [Fact]
    public void FailedTransiently_RetryAfter_WinsOverTheScheduleOnce()
    {
        var window = PollSchedule.WindowFor("elumenta", "kling-v2.1");
        var poller = new JobPoller("job-1", Job(createdAgo: window.Min), Wait());

        poller.FailedTransiently(new RateLimitedException("slow down", "Elumenta", TimeSpan.FromSeconds(7))).ShouldBe(TimeSpan.FromSeconds(7));

        poller.NextDelay().ShouldBe(TimeSpan.FromSeconds(7));
        poller.NextDelay().ShouldBe(TimeSpan.Zero, "then the schedule again: this job is past its earliest finish");
    }

    [Fact]
    public void FailedTransiently_NoHint_DoublesTheIntervalPerFailureInARowUpToTheCap()
    {
        var poller = new JobPoller("job-1", Job(), Wait());
        var failure = new VideoGenException("boom", "Elumenta", HttpStatusCode.BadGateway);

        var delays = Enumerable.Range(0, 6).Select(_ => poller.FailedTransiently(failure)).ToList();

        delays.Select(d => d.TotalSeconds).ShouldBe(new[] { 2.0, 4, 8, 16, 30, 30 });
        poller.Observe(Job(VideoJobStatus.Running)).ShouldBeTrue();
        poller.FailedTransiently(failure).ShouldBe(WaitOptions.DefaultPollInterval, "a read that returned resets the count");
    }

    [Fact]
    public void NextDelay_NeverPastTheDeadline()
    {
        var poller = new JobPoller("job-1", Job(), Wait(TimeSpan.FromSeconds(10)));

        poller.NextDelay().ShouldBe(TimeSpan.FromSeconds(10));
        _clock.Advance(TimeSpan.FromSeconds(10));
        poller.IsPastDeadline.ShouldBeTrue();
        var timeout = poller.TimedOut();
        timeout.JobId.ShouldBe("job-1");
        timeout.LastKnown!.Status.ShouldBe(VideoJobStatus.Queued);
    }

    [Fact]
    public void Observe_SucceededWithoutAResultUrl_RereadsAfterTheIntervalThenFailsWithTheJobId()
    {
        var poller = new JobPoller("job-1", Job(), Wait());

        for (var i = 0; i < TransientReadFailure.MissingResultRereads; i++)
        {
            poller.Observe(Job(VideoJobStatus.Succeeded)).ShouldBeFalse();
            poller.NextDelay().ShouldBe(WaitOptions.DefaultPollInterval);
        }

        var error = Should.Throw<VideoGenException>(() => poller.Observe(Job(VideoJobStatus.Succeeded)));
        error.JobId.ShouldBe("job-1");
        error.Message.ShouldContain("no result URL");
        poller.Polls.ShouldBe(0);
    }

    [Fact]
    public async Task PollAsync_TransientFailuresThenDone_ReadsAgainAfterTheHintAndTheBackoff()
    {
        var window = PollSchedule.WindowFor("elumenta", "kling-v2.1");
        var poller = new JobPoller("job-1", Job(createdAgo: window.Min), Wait());
        var answers = new Queue<Func<VideoJob>>(
        [
            () => throw new ServiceUnavailableException("busy", "Elumenta", TimeSpan.FromSeconds(5)),
            () => throw new HttpRequestException("reset"),
            () => Job(VideoJobStatus.Running),
            () => Job(VideoJobStatus.Succeeded, result: new Uri("https://cdn.example/job-1.mp4")),
        ]);

        var updates = await poller.PollAsync(_ => Task.FromResult(answers.Dequeue()()), longPoll: false).ToListAsync();

        updates.Select(u => u.Status).ShouldBe([VideoJobStatus.Running, VideoJobStatus.Succeeded]);
        updates[^1].Polls.ShouldBe(2);

        // At once (a job past its earliest finish), 5 s (Retry-After), 4 s (the second failure in a row), then the interval.
        _clock.Delays.ShouldBe([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(4), WaitOptions.DefaultPollInterval]);
    }

    [Theory]
    [InlineData(true, new[] { 0, 3, 7.5, 9 })]
    [InlineData(false, new[] { 0, 3, 7.5 })]
    public async Task PollAsync_NeverDone_TimesOutAtTheDeadlineWithTheJobIdAndLastState(bool lastLook, double[] readsAt)
    {
        var start = _clock.GetTimestamp();
        var reads = new List<double>();
        var poller = new JobPoller("job-1", Job(createdAgo: TimeSpan.FromHours(1)), Wait(TimeSpan.FromSeconds(9)));

        var error = await Should.ThrowAsync<JobTimeoutException>(() => poller.PollAsync(
            _ =>
            {
                reads.Add(_clock.GetElapsedTime(start).TotalSeconds);
                return Task.FromResult(Job(VideoJobStatus.Running));
            },
            longPoll: false,
            lastLookAtDeadline: lastLook).ToListAsync().AsTask());

        error.JobId.ShouldBe("job-1");
        error.LastKnown!.Status.ShouldBe(VideoJobStatus.Running);

        // Past the window of an hour-old job: backoff 3 s, 4.5 s, then cut to the 1.5 s left; no delay runs past the deadline.
        _clock.Delays.Sum(d => d.TotalSeconds).ShouldBe(9);
        reads.ShouldBe(readsAt);
    }

    [Fact]
    public async Task PollAsync_NonTransientFailure_EndsTheWaitWithTheJobId()
    {
        var poller = new JobPoller("job-1", Job(createdAgo: TimeSpan.FromHours(1)), Wait());

        var error = await Should.ThrowAsync<VideoGenException>(() => poller.PollAsync(_ => throw new VideoGenException("bad request", "Elumenta", HttpStatusCode.BadRequest), longPoll: false).ToListAsync().AsTask());

        error.JobId.ShouldBe("job-1");
    }

    [Fact]
    public async Task PollAsync_LongPollAnsweredAtOnce_WaitsTheRestOfTheIntervalBeforeAskingAgain()
    {
        var poller = new JobPoller("job-1", Job(), Wait());
        var answers = new Queue<VideoJob>([Job(VideoJobStatus.Running), Job(VideoJobStatus.Succeeded, result: new Uri("https://cdn.example/job-1.mp4"))]);

        await poller.PollAsync(_ => Task.FromResult(answers.Dequeue()), longPoll: true).ToListAsync();

        // No schedule wait before a long poll; the interval after one that came back at once.
        _clock.Delays.ShouldBe([WaitOptions.DefaultPollInterval]);
    }

    // The same decisions, seen through each user of the poller.

    [Fact]
    public async Task Operation_RetryAfterTransientFailureAndDeadline_AreThePollers()
    {
        var generator = new ScriptedVideoGenerator(_clock, TimeSpan.FromHours(2)) { Vendor = "elumenta", Model = "kling-v2.1" };
        generator.Faults.Enqueue(new RateLimitedException("slow down", "Elumenta", TimeSpan.FromSeconds(7)));
        generator.Faults.Enqueue(new VideoGenException("bad gateway", "Elumenta", HttpStatusCode.BadGateway));
        var window = PollSchedule.WindowFor("elumenta", "kling-v2.1");
        var operation = new VideoJobOperation(generator, generator.Submitted);

        var error = await Should.ThrowAsync<JobTimeoutException>(() => operation.WaitForCompletionAsync(Wait(window.Min + TimeSpan.FromSeconds(20))));

        error.JobId.ShouldBe("job-1");
        // Retry-After (7 s), then the second failure in a row doubles the interval (4 s).
        generator.PollTimes.Take(3).ShouldBe([window.Min, window.Min + TimeSpan.FromSeconds(7), window.Min + TimeSpan.FromSeconds(11)]);
        generator.PollTimes.ShouldAllBe(t => t <= window.Min + TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Monitor_RetryAfterTransientFailureAndDeadline_AreThePollers()
    {
        var generator = new ScriptedVideoGenerator(_clock, TimeSpan.FromHours(2)) { Vendor = "elumenta", Model = "kling-v2.1" };
        generator.Faults.Enqueue(new RateLimitedException("slow down", "Elumenta", TimeSpan.FromSeconds(7)));
        generator.Faults.Enqueue(new VideoGenException("bad gateway", "Elumenta", HttpStatusCode.BadGateway));
        var window = PollSchedule.WindowFor("elumenta", "kling-v2.1");
        await using var monitor = new VideoJobMonitor(generator, new JobMonitorOptions { TickInterval = TimeSpan.FromMilliseconds(100), Wait = Wait(window.Min + TimeSpan.FromSeconds(20)) });

        var error = await Should.ThrowAsync<JobTimeoutException>(() => monitor.TrackAsync(generator.Submitted));

        error.JobId.ShouldBe("job-1");
        var polls = generator.PollTimes;
        (polls[0] - window.Min).ShouldBeInRange(TimeSpan.Zero, TimeSpan.FromMilliseconds(100));
        (polls[1] - polls[0]).ShouldBeInRange(TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(7.1), "Retry-After");
        (polls[2] - polls[1]).ShouldBeInRange(TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(4.1), "the second failure in a row: twice the interval");
        polls.ShouldAllBe(t => t <= window.Min + TimeSpan.FromSeconds(20.1));
    }

    [Fact]
    public async Task ExtensionChain_RetryAfterAndTransientFailure_AreRiddenOutThroughTheAdapter()
    {
        var first = Guid.Parse("11111111-1111-4111-8111-111111111111");
        using var api = new FakeAimlApi(first);
        api.StatesById[first] = ["dreaming", "completed"];
        api.Faults.Enqueue(() => new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Headers = { RetryAfter = new(TimeSpan.FromSeconds(7)) } });
        api.Faults.Enqueue(() => new HttpResponseMessage(HttpStatusCode.BadGateway));
        using var http = new HttpClient(api);
        var client = new AimlApiClient(new VendorClientConfiguration("AIML API") { ApiKey = "test-key" }, http);
        var chain = new LumaExtensionChain(client, timeProvider: _clock);

        var generations = await chain.ExtendAsync(SeedJson.SeedGenerationId, "p", 1).ToListAsync();

        generations.Single().Id.ShouldBe(first);
        // Retry-After, then twice the interval (the second failure in a row), then the gap after a read that came back at once.
        _clock.Delays.ShouldBe([TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(4), LumaExtensionChainOptions.DefaultMinimumPollInterval]);
    }

    [Fact]
    public async Task ExtensionChain_NeverCompletes_GivesUpAtTheStepDeadlineWithTheTimeoutInside()
    {
        var first = Guid.Parse("11111111-1111-4111-8111-111111111111");
        using var api = new FakeAimlApi(first);
        api.StatesById[first] = ["dreaming"];
        using var http = new HttpClient(api);
        var client = new AimlApiClient(new VendorClientConfiguration("AIML API") { ApiKey = "test-key" }, http);
        var chain = new LumaExtensionChain(client, new LumaExtensionChainOptions { StepTimeout = TimeSpan.FromSeconds(5) }, _clock);

        var error = await Should.ThrowAsync<VideoGenException>(() => chain.ExtendAsync(SeedJson.SeedGenerationId, "p", 1).ToListAsync().AsTask());

        error.JobId.ShouldBe(first.ToString());
        error.Vendor.ShouldBe("AIML API");
        error.InnerException.ShouldBeOfType<JobTimeoutException>().JobId.ShouldBe(first.ToString());
        _clock.Delays.Sum(d => d.TotalSeconds).ShouldBe(5);
    }
}
