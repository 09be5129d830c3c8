using System.Net;
using Microsoft.Extensions.Logging;
using VideoGen.Catalog;
using VideoGen.Vendors;

namespace VideoGen.Gateway;

/// <summary><see cref="IVideoGenerator"/> over the unified <c>/v2/videos/generate</c> jobs gateway (<c>specs/gateway.yaml</c>).</summary>
internal sealed class GatewayVideoGenerator : VendorVideoGenerator<IGatewayClient, CreateVideoRequest>
{
    // CUSTOM: the gateway's seed says only that "each model also accepts its own parameters object"; the
    // per-model pages that would name its keys are not in it. These names are INFERRED, in the camelCase of
    // the documented body (webhookUrl, webhookEvents). Any other key, or a correction, can be passed
    // through VideoGenerationOptions.AdditionalProperties.
    internal const string DurationParameter = "duration";
    internal const string AspectRatioParameter = "aspectRatio";
    internal const string ResolutionParameter = "resolution";
    internal const string StartImageParameter = "imageUrl";
    internal const string EndImageParameter = "endImageUrl";

    private const MappedFields Supported =
        MappedFields.StartImage | MappedFields.EndImage | MappedFields.Resolution | MappedFields.Webhook | MappedFields.AdditionalProperties;

    public GatewayVideoGenerator(IGatewayClient client, VendorInfo vendor, ILoggerFactory? loggerFactory = null)
        : base(client, vendor, loggerFactory)
    {
    }

    /// <summary>The gateway's words: <c>QUEUED</c>, <c>PROCESSING</c>, <c>COMPLETED</c>, <c>FAILED</c>; anything else is <see cref="VideoJobStatus.Unknown"/>.</summary>
    public static VideoJobStatus ToJobStatus(string? status) => status?.ToUpperInvariant() switch
    {
        "QUEUED" => VideoJobStatus.Queued,
        "PROCESSING" => VideoJobStatus.Running,
        "COMPLETED" => VideoJobStatus.Succeeded,
        "FAILED" => VideoJobStatus.Failed,
        _ => VideoJobStatus.Unknown,
    };

    /// <summary>The gateway's progress (a percentage, 0–100) as a fraction from 0 to 1.</summary>
    public static double? ToProgress(double? percent) =>
        percent is { } p && double.IsFinite(p) ? Math.Clamp(p / 100d, 0d, 1d) : null;

    /// <summary>The gateway's job id, or <see langword="null"/> when it sent an empty one (a required field, but a string).</summary>
    private static string? JobIdOf(string? id) => string.IsNullOrWhiteSpace(id) ? null : id;

    /// <inheritdoc />
    protected override CreateVideoRequest CreateVendorRequest(VideoGenerationRequest request, VideoGenerationOptions? options, string model, List<ValidationFailure> failures)
    {
        RefuseUnsupported(request, options, Supported, failures);
        var parameters = new ModelParameters();
        Add(DurationParameter, request.DurationSeconds);
        Add(AspectRatioParameter, request.AspectRatio);
        Add(ResolutionParameter, request.Resolution);
        Add(StartImageParameter, request.StartImage);
        Add(EndImageParameter, request.EndImage);
        PassThrough(options?.AdditionalProperties, parameters, parameters.Keys.ToList(), "AdditionalProperties", failures);

        return new CreateVideoRequest
        {
            Model = ParseWire<VideoModel>(model, nameof(request.Model), failures) ?? default,
            Prompt = request.Prompt,
            WebhookUrl = options?.WebhookUrl,

            // CUSTOM: the neutral options have no event filter; a caller who gives a webhook wants to hear
            // of every event the gateway has.
            WebhookEvents = options?.WebhookUrl is null ? null : [WebhookEvent.Progress, WebhookEvent.Completed, WebhookEvent.Failed],
            Parameters = parameters.Count == 0 ? null : parameters,
        };

        void Add(string key, object? value)
        {
            if (value is not null)
            {
                parameters[key] = value;
            }
        }
    }

    /// <inheritdoc />
    protected override async Task<VideoJob> SendAsync(CreateVideoRequest vendorRequest, string model, CancellationToken cancellationToken)
    {
        var accepted = await Client.CreateVideoAsync(vendorRequest, cancellationToken).ConfigureAwait(false);

        // The job may exist (the gateway said 202), so the status goes with the error: the journal then
        // records the outcome as unknown instead of as never sent.
        var id = JobIdOf(accepted.JobId)
            ?? throw new VideoGenException($"{VendorName} accepted the request but returned no job id; nothing can be polled.", VendorName, HttpStatusCode.Accepted);
        return new VideoJob
        {
            Id = id,
            Vendor = VendorName,
            Model = model,
            Status = ToJobStatus(accepted.Status),
            VendorStatus = VendorText(accepted.Status),
            RawRepresentation = accepted,
        };
    }

    /// <inheritdoc />
    protected override Func<CancellationToken, Task<VideoJob>> ReadJob(string jobId) =>
        async cancellationToken => ToJob(await Client.GetJobAsync(jobId, cancellationToken).ConfigureAwait(false));

    /// <summary>Maps a gateway job onto the neutral job.</summary>
    public VideoJob ToJob(Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var urls = job.Result?.VideoUrls?.Where(u => u is not null).ToList() ?? [];
        return new VideoJob
        {
            Id = JobIdOf(job.JobId) ?? throw new VideoGenException($"{VendorName} returned a job without an id.", VendorName, HttpStatusCode.OK),
            Vendor = VendorName,
            Model = job.Model,
            Status = ToJobStatus(job.Status),
            VendorStatus = VendorText(job.Status),
            Progress = ToProgress(job.Progress),
            ResultUri = urls.FirstOrDefault(),
            ResultUris = urls,
            Error = VendorText(job.Error),
            CreatedAt = job.CreatedAt,
            CompletedAt = job.CompletedAt,
            RawRepresentation = job,
        };
    }
}
