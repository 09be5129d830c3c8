using VideoGen.Tests.Infrastructure;
using VideoGen.Waiting;

namespace VideoGen.Tests.Waiting;

/// <summary>A generator whose job finishes at a set virtual time; it records when each status request came.</summary>
internal sealed class ScriptedVideoGenerator(TimeProvider clock, TimeSpan finishesAfter, VideoJobStatus finalStatus = VideoJobStatus.Succeeded) : IVideoGenerator
{
    private readonly DateTimeOffset _submitted = clock.GetUtcNow();

    public List<TimeSpan> PollTimes { get; } = [];

    public Queue<Exception> Faults { get; } = new();

    public string Vendor { get; init; } = "elumenta";

    public string Model { get; init; } = "kling-v2.1";

    public VideoJob Submitted => Job(VideoJobStatus.Queued);

    public Task<VideoJob> SubmitAsync(VideoGenerationRequest request, VideoGenerationOptions? options = null, CancellationToken cancellationToken = default)
        => Task.FromResult(Submitted);

    public Task<VideoJob> GetJobAsync(string jobId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        PollTimes.Add(clock.GetUtcNow() - _submitted);
        if (Faults.TryDequeue(out var fault))
        {
            throw fault;
        }

        return Task.FromResult(Job(clock.GetUtcNow() - _submitted >= finishesAfter ? finalStatus : VideoJobStatus.Running));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    private VideoJob Job(VideoJobStatus status) => new()
    {
        Id = "job-1",
        Vendor = Vendor,
        Model = Model,
        Status = status,
        VendorStatus = status.ToString().ToLowerInvariant(),
        Error = status == VideoJobStatus.Failed ? "content policy" : null,
        ResultUri = status == VideoJobStatus.Succeeded ? new Uri("https://cdn.example/job-1.mp4") : null,
        CreatedAt = _submitted,
    };
}

/// <summary>A generator whose status request waits on the "server" (like AIML's wait-for-state GET).</summary>
internal sealed class LongPollingVideoGenerator(VirtualTimeProvider clock, TimeSpan finishesAfter, TimeSpan serverWait) : IVideoGenerator, ILongPollingJobReader
{
    private readonly DateTimeOffset _submitted = clock.GetUtcNow();

    public List<TimeSpan> RequestTimes { get; } = [];

    public TimeSpan ServerWait => serverWait;

    public Task<VideoJob> WaitForCompletionOnServerAsync(string jobId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow() - _submitted;
        RequestTimes.Add(now);
        var wait = finishesAfter - now < serverWait ? finishesAfter - now : serverWait;
        if (wait > TimeSpan.Zero)
        {
            clock.Advance(wait);
        }

        var done = clock.GetUtcNow() - _submitted >= finishesAfter;
        return Task.FromResult(new VideoJob { Id = jobId, Vendor = "aimlapi", Model = "ray-2", Status = done ? VideoJobStatus.Succeeded : VideoJobStatus.Running, ResultUri = done ? new Uri($"https://cdn.example/{jobId}.mp4") : null });
    }

    public Task<VideoJob> SubmitAsync(VideoGenerationRequest request, VideoGenerationOptions? options = null, CancellationToken cancellationToken = default)
        => throw new NotSupportedException();

    public Task<VideoJob> GetJobAsync(string jobId, CancellationToken cancellationToken = default)
        => throw new InvalidOperationException("a long-polling vendor should not be polled");

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
