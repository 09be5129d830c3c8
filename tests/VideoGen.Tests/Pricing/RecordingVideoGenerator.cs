using System.Collections.Concurrent;
using VideoGen.Catalog;

namespace VideoGen.Tests.Pricing;

/// <summary>A fake vendor generator that records every call and answers with a queued job, or throws what it is told to.</summary>
internal sealed class RecordingVideoGenerator : IVideoGenerator
{
    private int _next;

    public RecordingVideoGenerator(VendorInfo? vendor = null)
    {
        Vendor = vendor;
    }

    public VendorInfo? Vendor { get; }

    public ConcurrentQueue<(VideoGenerationRequest Request, VideoGenerationOptions? Options)> Submitted { get; } = new();

    public Func<VideoGenerationRequest, Exception?> Fail { get; set; } = _ => null;

    public bool Disposed { get; private set; }

    public Task<VideoJob> SubmitAsync(VideoGenerationRequest request, VideoGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        Submitted.Enqueue((request, options));
        if (Fail(request) is { } error)
        {
            return Task.FromException<VideoJob>(error);
        }

        var id = Interlocked.Increment(ref _next);
        return Task.FromResult(new VideoJob { Id = id.ToString(System.Globalization.CultureInfo.InvariantCulture), Vendor = "Fake", Model = request.Model, Status = VideoJobStatus.Queued });
    }

    public Task<VideoJob> GetJobAsync(string jobId, CancellationToken cancellationToken = default) =>
        Task.FromResult(new VideoJob { Id = jobId, Vendor = "Fake", Status = VideoJobStatus.Running });

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(VendorInfo) ? Vendor
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose() => Disposed = true;
}
