using System.Collections.Concurrent;
using VideoGen.Tests.Infrastructure;
using VideoGen.Waiting;

namespace VideoGen.Tests.Waiting;

public sealed class VideoJobMonitorTests
{
    private readonly VirtualTimeProvider _clock = new();

    [Fact]
    public async Task TrackAsync_ManyBatchableJobs_OneRequestPerTickAndNoJobTwiceInARequest()
    {
        var generator = new FleetGenerator(_clock, batch: true);
        var jobs = Enumerable.Range(0, 500).Select(i => generator.Add($"gen-{i}", TimeSpan.FromSeconds(20 + (i % 160)))).ToList();
        var options = Options();
        options.MaxBatchSize = 500;
        await using var monitor = new VideoJobMonitor(generator, options);

        var finished = await monitor.TrackAllAsync(jobs);

        finished.ShouldAllBe(j => j.Status == VideoJobStatus.Succeeded);
        generator.Requests.GroupBy(r => r.At).Select(tick => tick.Count()).Distinct().ShouldBe([1], "one batch request per tick");
        generator.Requests.ShouldAllBe(r => r.Ids.Distinct().Count() == r.Ids.Count);
        generator.SingleReads.ShouldBe(0);
        monitor.RequestsSent.ShouldBe(generator.Requests.Count);
        var readsOfJobs = generator.Requests.Sum(r => r.Ids.Count);
        generator.Requests.Count.ShouldBeLessThan(jobs.Count, $"{readsOfJobs} job reads went out in {generator.Requests.Count} batched requests");
    }

    [Fact]
    public async Task TrackAsync_MoreJobsThanABatchHolds_SplitsIntoBatchesOfTheCap()
    {
        var generator = new FleetGenerator(_clock, batch: true);
        var jobs = Enumerable.Range(0, 250).Select(i => generator.Add($"gen-{i}", TimeSpan.FromSeconds(30))).ToList();
        await using var monitor = new VideoJobMonitor(generator, Options());

        await monitor.TrackAllAsync(jobs);

        generator.Requests.ShouldAllBe(r => r.Ids.Count <= JobMonitorOptions.DefaultMaxBatchSize);
        generator.Requests.GroupBy(r => r.At).ShouldAllBe(tick => tick.SelectMany(r => r.Ids).Distinct().Count() == tick.SelectMany(r => r.Ids).Count());
    }

    [Fact]
    public async Task TrackAsync_NoBatchSupport_NeverMoreRequestsInFlightThanTheCap()
    {
        var generator = new FleetGenerator(_clock, batch: false);
        var jobs = Enumerable.Range(0, 200).Select(i => generator.Add($"job-{i}", TimeSpan.FromSeconds(45 + (i % 30)))).ToList();
        var options = Options();
        options.MaxConcurrentRequests = 4;
        await using var monitor = new VideoJobMonitor(generator, options);

        await monitor.TrackAllAsync(jobs);

        generator.MaxInFlight.ShouldBeLessThanOrEqualTo(4);
        generator.MaxInFlight.ShouldBeGreaterThan(1, "the cap, not a single lane, should bound the requests");
        generator.SingleReadLog.GroupBy(r => (r.At, r.Id)).ShouldAllBe(g => g.Count() == 1, "no job is read twice in one tick");
    }

    [Fact]
    public async Task TrackAsync_JobNeverFinishes_FailsWithTimeoutCarryingItsId()
    {
        var generator = new FleetGenerator(_clock, batch: true);
        var stuck = generator.Add("gen-stuck", TimeSpan.FromDays(1));
        var options = Options();
        options.Wait.Timeout = TimeSpan.FromMinutes(5);
        await using var monitor = new VideoJobMonitor(generator, options);

        var error = await Should.ThrowAsync<JobTimeoutException>(() => monitor.TrackAsync(stuck));

        error.JobId.ShouldBe("gen-stuck");
        monitor.Count.ShouldBe(0);
    }

    [Fact]
    public async Task TrackAsync_AlreadyCompleted_ReturnsWithoutARequest()
    {
        var generator = new FleetGenerator(_clock, batch: true);
        await using var monitor = new VideoJobMonitor(generator, Options());
        var done = new VideoJob { Id = "x", Vendor = "aimlapi", Status = VideoJobStatus.Failed };

        (await monitor.TrackAsync(done)).ShouldBe(done);
        generator.Requests.ShouldBeEmpty();
    }

    private JobMonitorOptions Options() => new() { Wait = new WaitOptions { TimeProvider = _clock, Jitter = 0 } };

    private sealed class FleetGenerator(VirtualTimeProvider clock, bool batch) : IVideoGenerator, IBatchJobReader
    {
        private readonly DateTimeOffset _start = clock.GetUtcNow();
        private readonly ConcurrentDictionary<string, TimeSpan> _finishAt = new();
        private int _inFlight;

        public ConcurrentQueue<(TimeSpan At, List<string> Ids)> Requests { get; } = new();

        public ConcurrentQueue<(TimeSpan At, string Id)> SingleReadLog { get; } = new();

        public int SingleReads => SingleReadLog.Count;

        public int MaxInFlight { get; private set; }

        public int MaxBatchSize => 1000;

        public VideoJob Add(string id, TimeSpan finishesAfter)
        {
            _finishAt[id] = finishesAfter;
            return Job(id);
        }

        public async Task<IReadOnlyList<VideoJob>> GetJobsAsync(IReadOnlyList<string> jobIds, CancellationToken cancellationToken)
        {
            Requests.Enqueue((Now, jobIds.ToList()));
            await Task.Yield();
            return jobIds.Select(Job).ToList();
        }

        public async Task<VideoJob> GetJobAsync(string jobId, CancellationToken cancellationToken = default)
        {
            SingleReadLog.Enqueue((Now, jobId));
            var inFlight = Interlocked.Increment(ref _inFlight);
            lock (this)
            {
                MaxInFlight = Math.Max(MaxInFlight, inFlight);
            }

            await Task.Delay(2, CancellationToken.None);
            Interlocked.Decrement(ref _inFlight);
            return Job(jobId);
        }

        public Task<VideoJob> SubmitAsync(VideoGenerationRequest request, VideoGenerationOptions? options = null, CancellationToken cancellationToken = default)
            => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => batch && serviceType.IsInstanceOfType(this) ? this : null;

        public void Dispose()
        {
        }

        private TimeSpan Now => clock.GetUtcNow() - _start;

        private VideoJob Job(string id) => new()
        {
            Id = id,
            Vendor = "aimlapi",
            Model = "ray-2",
            Status = Now >= _finishAt[id] ? VideoJobStatus.Succeeded : VideoJobStatus.Running,
            ResultUri = Now >= _finishAt[id] ? new Uri($"https://cdn.example/{id}.mp4") : null,
        };
    }
}
