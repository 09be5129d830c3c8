using Microsoft.Extensions.Logging;
using VideoGen.Catalog;
using VideoGen.Vendors;

namespace VideoGen.Acme;

/// <summary><see cref="IVideoGenerator"/> over the test-only Acme contract (Acme.yaml): CreateVideo to submit, GetVideo to read.</summary>
internal sealed class AcmeVideoGenerator(IAcmeClient client, VendorInfo vendor, ILoggerFactory? loggerFactory)
    : VendorVideoGenerator<IAcmeClient, CreateVideoRequest>(client, vendor, loggerFactory)
{
    /// <summary>Acme's words: <c>queued</c>, <c>running</c>, <c>succeeded</c>, <c>failed</c>; anything else is <see cref="VideoJobStatus.Unknown"/>.</summary>
    public static VideoJobStatus ToJobStatus(string? status) => status?.ToLowerInvariant() switch
    {
        "queued" => VideoJobStatus.Queued,
        "running" => VideoJobStatus.Running,
        "succeeded" => VideoJobStatus.Succeeded,
        "failed" => VideoJobStatus.Failed,
        _ => VideoJobStatus.Unknown,
    };

    protected override CreateVideoRequest CreateVendorRequest(VideoGenerationRequest request, VideoGenerationOptions? options, string model, List<ValidationFailure> failures)
    {
        RefuseUnsupported(request, options, MappedFields.None, failures);
        return new CreateVideoRequest { Model = model, Prompt = request.Prompt, Duration = request.DurationSeconds };
    }

    protected override async Task<VideoJob> SendAsync(CreateVideoRequest vendorRequest, string model, CancellationToken cancellationToken) =>
        ToJob(await Client.CreateVideoAsync(vendorRequest, cancellationToken).ConfigureAwait(false));

    protected override Func<CancellationToken, Task<VideoJob>> ReadJob(string jobId) =>
        async cancellationToken => ToJob(await Client.GetVideoAsync(jobId, cancellationToken).ConfigureAwait(false));

    private VideoJob ToJob(Video video) => new()
    {
        Id = video.Id,
        Vendor = VendorName,
        Model = video.Model,
        Status = ToJobStatus(video.Status),
        VendorStatus = VendorText(video.Status),
        ResultUri = video.VideoUrl,
        ResultUris = video.VideoUrl is { } url ? [url] : [],
        Error = VendorText(video.Error),
        RawRepresentation = video,
    };
}
