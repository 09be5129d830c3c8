namespace VideoGen.Benchmarks.Waiting;

/// <summary>
/// One simulated job of a given vendor and model that finishes <c>duration</c> after it was submitted,
/// on a virtual clock. Counts the status requests (every one is a poll the vendor would see).
/// Uses only the public <see cref="IVideoGenerator"/> surface, like any third-party adapter.
/// </summary>
internal sealed class SimulatedJobGenerator(TimeProvider clock, string vendor, string model, TimeSpan duration) : IVideoGenerator
{
    private readonly DateTimeOffset _submitted = clock.GetUtcNow();

    public int Polls { get; private set; }

    /// <summary>Whether the simulated vendor reports when it finished the job (as Elumenta, the gateway and Oxen do); AIML does not.</summary>
    public bool ReportsCompletion { get; init; } = true;

    public VideoJob Submitted => Job(VideoJobStatus.Queued);

    /// <summary>The time since submission.</summary>
    public TimeSpan Elapsed => clock.GetUtcNow() - _submitted;

    public Task<VideoJob> SubmitAsync(VideoGenerationRequest request, VideoGenerationOptions? options = null, CancellationToken cancellationToken = default)
        => Task.FromResult(Submitted);

    public Task<VideoJob> GetJobAsync(string jobId, CancellationToken cancellationToken = default)
    {
        Polls++;
        return Task.FromResult(Job(Elapsed >= duration ? VideoJobStatus.Succeeded : VideoJobStatus.Running));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    private VideoJob Job(VideoJobStatus status)
    {
        var job = JobCore(status);
        if (status != VideoJobStatus.Succeeded)
        {
            return job;
        }

        // A succeeded job names its file: without one the wait reads again and then fails ("completed before the result URL
        // is written", issue 11), which is what made the waiting benchmark end in an exception before printing its tables.
        job = job with { ResultUri = new Uri("https://simulated.invalid/sim-1.mp4") };
        return ReportsCompletion ? job with { CompletedAt = _submitted + duration } : job;
    }

    private VideoJob JobCore(VideoJobStatus status) => new()
    {
        Id = "sim-1",
        Vendor = vendor,
        Model = model,
        Status = status,
        VendorStatus = status.ToString().ToLowerInvariant(),
        CreatedAt = _submitted,
    };
}
