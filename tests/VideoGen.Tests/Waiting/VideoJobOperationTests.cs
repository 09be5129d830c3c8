using VideoGen.Catalog;
using VideoGen.Tests.Infrastructure;
using VideoGen.Waiting;

namespace VideoGen.Tests.Waiting;

public sealed class VideoJobOperationTests
{
    private readonly VirtualTimeProvider _clock = new();

    public static TheoryData<string, string> CatalogModels()
    {
        var data = new TheoryData<string, string>();
        foreach (var vendor in VideoModelCatalog.Default.Vendors)
        {
            foreach (var model in vendor.Models)
            {
                data.Add(vendor.Id, model.Id);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CatalogModels))]
    public async Task WaitForCompletionAsync_EachCatalogModel_NoPollBeforeEarliestFinishAndLagWithinOneInterval(string vendorId, string modelId)
    {
        var window = VideoModelCatalog.Default.GetVendor(vendorId).FindModel(modelId)!.ProcessingTime;
        var finishes = window.Min + ((window.Max - window.Min) * 0.5) + TimeSpan.FromMilliseconds(300);
        var generator = new ScriptedVideoGenerator(_clock, finishes) { Vendor = vendorId, Model = modelId };
        var options = Options();

        var job = await new VideoJobOperation(generator, generator.Submitted).WaitForCompletionAsync(options);

        job.Status.ShouldBe(VideoJobStatus.Succeeded);
        generator.PollTimes[0].ShouldBe(window.Min, "the first poll comes at the earliest plausible finish");
        generator.PollTimes.ShouldAllBe(t => t >= window.Min);
        var lag = generator.PollTimes[^1] - finishes;
        lag.ShouldBeInRange(TimeSpan.Zero, options.PollInterval);
        var expectedPolls = 1 + (int)Math.Ceiling((finishes - window.Min) / options.PollInterval);
        generator.PollTimes.Count.ShouldBe(expectedPolls);
    }

    [Fact]
    public async Task WaitForCompletionAsync_JobRunsPastWindow_BacksOffUpToTheCap()
    {
        // kling-v2.1: 45–90 s. A job that takes 10 minutes gets ever sparser polls after 90 s.
        var generator = new ScriptedVideoGenerator(_clock, TimeSpan.FromMinutes(10));
        var options = Options();

        await new VideoJobOperation(generator, generator.Submitted).WaitForCompletionAsync(options);

        var afterWindow = generator.PollTimes.Where(t => t > TimeSpan.FromSeconds(90)).ToList();
        var gaps = afterWindow.Zip(afterWindow.Skip(1), (a, b) => b - a).ToList();
        gaps.ShouldNotBeEmpty();
        gaps.Zip(gaps.Skip(1), (a, b) => b >= a).ShouldAllBe(growing => growing);
        gaps.Max().ShouldBeLessThanOrEqualTo(options.MaxPollInterval);
        gaps.Max().ShouldBe(options.MaxPollInterval);
        generator.PollTimes.Count.ShouldBeLessThan(60, "600 s of fixed 1 s polling would be 600 requests");
    }

    [Fact]
    public async Task WaitForCompletionAsync_RateLimitedWithRetryAfter_NextPollWaitsExactlyTheHint()
    {
        var generator = new ScriptedVideoGenerator(_clock, TimeSpan.FromSeconds(60));
        generator.Faults.Enqueue(new RateLimitedException("slow down", "Elumenta", TimeSpan.FromSeconds(7)));

        await new VideoJobOperation(generator, generator.Submitted).WaitForCompletionAsync(Options());

        generator.PollTimes[0].ShouldBe(TimeSpan.FromSeconds(45));
        generator.PollTimes[1].ShouldBe(TimeSpan.FromSeconds(52));
    }

    [Fact]
    public async Task WaitForCompletionAsync_ServiceUnavailableWithRetryAfter_HonoursTheHint()
    {
        var generator = new ScriptedVideoGenerator(_clock, TimeSpan.FromSeconds(50));
        generator.Faults.Enqueue(new ServiceUnavailableException("queue down", "Elumenta", TimeSpan.FromSeconds(20)));

        await new VideoJobOperation(generator, generator.Submitted).WaitForCompletionAsync(Options());

        generator.PollTimes[1].ShouldBe(TimeSpan.FromSeconds(65));
    }

    [Fact]
    public async Task WaitForCompletionAsync_NeverFinishes_TimesOutWithTheJobId()
    {
        var generator = new ScriptedVideoGenerator(_clock, TimeSpan.FromHours(5));
        var options = Options();
        options.Timeout = TimeSpan.FromMinutes(3);

        var error = await Should.ThrowAsync<JobTimeoutException>(
            () => new VideoJobOperation(generator, generator.Submitted).WaitForCompletionAsync(options));

        error.JobId.ShouldBe("job-1");
        error.Message.ShouldContain("job-1");
        error.LastKnown!.Status.ShouldBe(VideoJobStatus.Running);
        error.Waited.ShouldBe(TimeSpan.FromMinutes(3));
        generator.PollTimes[^1].ShouldBe(TimeSpan.FromMinutes(3), "the last poll is at the deadline, not past it");
    }

    [Fact]
    public async Task WaitForCompletionAsync_AfterTimeout_SameIdCanBeAwaitedAgainByANewHandle()
    {
        var generator = new ScriptedVideoGenerator(_clock, TimeSpan.FromMinutes(4));
        var options = Options();
        options.Timeout = TimeSpan.FromMinutes(3);
        var error = await Should.ThrowAsync<JobTimeoutException>(
            () => new VideoJobOperation(generator, generator.Submitted).WaitForCompletionAsync(options));

        var resumed = await generator.GetOperation(error.JobId!).WaitForCompletionAsync(Options());

        resumed.Status.ShouldBe(VideoJobStatus.Succeeded);
        resumed.Id.ShouldBe("job-1");
    }

    [Fact]
    public async Task WaitForCompletionAsync_Cancelled_ThrowsOperationCanceled()
    {
        var generator = new ScriptedVideoGenerator(_clock, TimeSpan.FromHours(1));
        using var cts = new CancellationTokenSource();
        var progress = new SynchronousProgress<JobUpdate>(u =>
        {
            if (u.Polls == 3)
            {
                cts.Cancel();
            }
        });

        await Should.ThrowAsync<OperationCanceledException>(
            () => new VideoJobOperation(generator, generator.Submitted).WaitForCompletionAsync(Options(), progress, cts.Token));

        generator.PollTimes.Count.ShouldBe(3);
    }

    [Fact]
    public async Task WaitForCompletionAsync_JobFails_ThrowsJobFailedWithVendorReason()
    {
        var generator = new ScriptedVideoGenerator(_clock, TimeSpan.FromSeconds(50), VideoJobStatus.Failed);

        var error = await Should.ThrowAsync<JobFailedException>(
            () => new VideoJobOperation(generator, generator.Submitted).WaitForCompletionAsync(Options()));

        error.JobId.ShouldBe("job-1");
        error.VendorReason.ShouldBe("content policy");
        error.Message.ShouldContain("content policy");
    }

    [Fact]
    public async Task WatchAsync_EveryPoll_YieldsStatusElapsedAndPollCount()
    {
        var generator = new ScriptedVideoGenerator(_clock, TimeSpan.FromSeconds(50));
        var updates = new List<JobUpdate>();

        await foreach (var update in new VideoJobOperation(generator, generator.Submitted).WatchAsync(Options()))
        {
            updates.Add(update);
        }

        updates.Select(u => u.Polls).ShouldBe(Enumerable.Range(1, updates.Count));
        updates[^1].Status.ShouldBe(VideoJobStatus.Succeeded);
        updates[..^1].ShouldAllBe(u => u.Status == VideoJobStatus.Running);
        updates[0].Elapsed.ShouldBe(TimeSpan.FromSeconds(45));
    }

    [Fact]
    public async Task WaitForCompletionAsync_VendorWithServerWait_LongPollsAtMostOncePerServerWait()
    {
        var generator = new LongPollingVideoGenerator(_clock, TimeSpan.FromSeconds(100), TimeSpan.FromSeconds(30));

        var job = await new VideoJobOperation(generator, "gen-1").WaitForCompletionAsync(Options());

        job.Status.ShouldBe(VideoJobStatus.Succeeded);
        generator.RequestTimes.ShouldBe([TimeSpan.Zero, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(90)]);
    }

    [Fact]
    public async Task WaitForCompletionAsync_AlreadyCompletedJob_MakesNoRequest()
    {
        var generator = new ScriptedVideoGenerator(_clock, TimeSpan.Zero);
        var done = generator.Submitted with { Status = VideoJobStatus.Succeeded };

        var job = await new VideoJobOperation(generator, done).WaitForCompletionAsync(Options());

        job.ShouldBe(done);
        generator.PollTimes.ShouldBeEmpty();
    }

    [Fact]
    public void WaitForCompletionAsync_InvalidOptions_ListsEveryProblem()
    {
        var generator = new ScriptedVideoGenerator(_clock, TimeSpan.Zero);
        var options = new WaitOptions { Timeout = TimeSpan.Zero, Jitter = 2, BackoffFactor = 0.5 };

        var error = Should.Throw<ArgumentException>(() => new VideoJobOperation(generator, "x").WaitForCompletionAsync(options).GetAwaiter().GetResult());

        error.Message.ShouldContain("Timeout");
        error.Message.ShouldContain("Jitter");
        error.Message.ShouldContain("BackoffFactor");
    }

    private WaitOptions Options() => new() { TimeProvider = _clock, Jitter = 0 };

    /// <summary>Progress that reports on the caller's thread (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
