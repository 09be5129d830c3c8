using System.Globalization;
using Microsoft.Extensions.Logging;
using VideoGen.Catalog;
using VideoGen.Vendors;
using VideoGen.Waiting;

namespace VideoGen.AimlApi;

/// <summary><see cref="IVideoGenerator"/> over AIML API's Luma Dream Machine (<c>specs/aimlapi.yaml</c>).</summary>
internal sealed class AimlApiVideoGenerator : VendorVideoGenerator<IAimlApiClient, CreateGenerationRequest>, ILongPollingJobReader, IBatchJobReader
{
    /// <summary>How long AIML's wait-for-state GET holds a request: "a timeout of 30 seconds" (seed 003 § Fetch generation).</summary>
    private static readonly TimeSpan AimlServerWait = TimeSpan.FromSeconds(30);

    private const MappedFields Supported =
        MappedFields.StartImage | MappedFields.EndImage | MappedFields.Loop | MappedFields.Extend | MappedFields.Resolution | MappedFields.Webhook;

    public AimlApiVideoGenerator(IAimlApiClient client, VendorInfo vendor, ILoggerFactory? loggerFactory = null)
        : base(client, vendor, loggerFactory)
    {
    }

    /// <summary>Luma's words: <c>queued</c>, <c>dreaming</c>, <c>completed</c>, <c>failed</c>; anything else is <see cref="VideoJobStatus.Unknown"/>.</summary>
    public static VideoJobStatus ToJobStatus(string? state) => state?.ToLowerInvariant() switch
    {
        "queued" => VideoJobStatus.Queued,
        "dreaming" => VideoJobStatus.Running,
        "completed" => VideoJobStatus.Succeeded,
        "failed" => VideoJobStatus.Failed,
        _ => VideoJobStatus.Unknown,
    };

    /// <summary>Luma's default aspect ratio, sent when a request names none (https://github.com/lumalabs/lumaai-python, generation_create_params: aspect_ratio default 16:9).</summary>
    internal const string DefaultAspectRatio = "16:9";

    /// <inheritdoc />
    protected override CreateGenerationRequest CreateVendorRequest(VideoGenerationRequest request, VideoGenerationOptions? options, string model, List<ValidationFailure> failures)
    {
        RefuseUnsupported(request, options, Supported, failures);
        return new CreateGenerationRequest
        {
            Prompt = request.Prompt,
            Model = ParseWire<LumaModel>(model, nameof(request.Model), failures),
            // CUSTOM: the seed's page requires aspect_ratio (specs/aimlapi.yaml x-vendor-required); when the caller names
            // none, Luma's own default (16:9) is sent rather than leaving it out.
            AspectRatio = ParseWire<AspectRatio>(request.AspectRatio ?? DefaultAspectRatio, nameof(request.AspectRatio), failures),
            Resolution = ParseWire<VideoResolution>(request.Resolution, nameof(request.Resolution), failures),

            Duration = ToDuration(request.DurationSeconds, failures),

            // CUSTOM: the generated default of loop is false, which would send "loop": false on every request;
            // only a loop the caller asked for is sent.
            Loop = request.Loop,
            Keyframes = ToKeyframes(request),
            CallbackUrl = options?.WebhookUrl,
        };
    }

    /// <summary>Seconds to the wire values <c>5s</c> and <c>9s</c>.</summary>
    private VideoDuration? ToDuration(int? seconds, List<ValidationFailure> failures)
    {
        if (seconds is null)
        {
            return null;
        }

        var text = seconds.Value.ToString(CultureInfo.InvariantCulture);
        if (WireNames.TryParse<VideoDuration>(text + "s", out var duration))
        {
            return duration;
        }

        failures.Add(new ValidationFailure(
            "DurationSeconds",
            text,
            $"{VendorName} accepts {string.Join(" or ", WireNames.Values<VideoDuration>().Select(v => v.TrimEnd('s')))} seconds"));
        return null;
    }

    /// <summary>
    /// StartImage → frame0 image, EndImage → frame1 image; Extend forward → frame0 generation (the video
    /// continues after it), Extend backward → frame1 generation (the video leads into it).
    /// </summary>
    private static Keyframes? ToKeyframes(VideoGenerationRequest request)
    {
        Keyframe? frame0 = request.StartImage is { } start ? new Keyframe { Type = KeyframeType.Image, Url = start } : null;
        Keyframe? frame1 = request.EndImage is { } end ? new Keyframe { Type = KeyframeType.Image, Url = end } : null;
        // The rules of an extension (a UUID; a frame no image already fills) are stated once, in validation
        // (VideoGenerationRequestValidator), which runs before this: a request that breaks them is never sent.
        if (request.Extend is { } extend && Guid.TryParse(extend.GenerationId, out var id))
        {
            var generation = new Keyframe { Type = KeyframeType.Generation, Id = id };
            if (extend.Backward)
            {
                frame1 ??= generation;
            }
            else
            {
                frame0 ??= generation;
            }
        }

        return frame0 is null && frame1 is null ? null : new Keyframes { Frame0 = frame0, Frame1 = frame1 };
    }

    /// <inheritdoc />
    protected override async Task<VideoJob> SendAsync(CreateGenerationRequest vendorRequest, string model, CancellationToken cancellationToken) =>
        ToJob(await Client.CreateGenerationAsync(vendorRequest, cancellationToken).ConfigureAwait(false), model);

    /// <inheritdoc />
    protected override Func<CancellationToken, Task<VideoJob>> ReadJob(string jobId)
    {
        if (!Guid.TryParse(jobId, out var id))
        {
            throw InvalidJobId(jobId, "UUIDs (for example 2f6a7e37-1c3b-4f9e-9a4e-6a3c1e8d2b10)");
        }

        return async cancellationToken => ToJob(await Client.GetGenerationAsync(id, state: null, cancellationToken).ConfigureAwait(false), model: null);
    }

    /// <inheritdoc />
    public TimeSpan ServerWait => AimlServerWait;

    /// <summary>The most ids per batch read. Inferred: seed 003 gives no limit; 100 keeps the query string short.</summary>
    public int MaxBatchSize => 100;

    /// <inheritdoc />
    public Task<VideoJob> WaitForCompletionOnServerAsync(string jobId, CancellationToken cancellationToken)
    {
        var id = ParseId(jobId);

        // Waiting for `completed` also returns on `failed` (the higher-priority state), or after the server's 30 s.
        return InvokeAsync(
            async () => ToJob(await Client.GetGenerationAsync(id, GenerationWaitState.Completed, cancellationToken).ConfigureAwait(false), model: null),
            "waiting for job " + jobId,
            jobId);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<VideoJob>> GetJobsAsync(IReadOnlyList<string> jobIds, CancellationToken cancellationToken)
    {
        var ids = jobIds.Select(ParseId).ToList();
        return InvokeAsync<IReadOnlyList<VideoJob>>(
            async () => (await Client.GetGenerationsAsync(ids, status: null, cancellationToken).ConfigureAwait(false)).Generations

                // A null entry names no job: it is skipped, and the jobs it may stand for count as not returned.
                .Where(g => g is not null)
                .Select(g => ToJob(g, model: null))
                .ToList(),
            $"reading {ids.Count} jobs",
            jobId: null);
    }

    private Guid ParseId(string jobId) =>
        Guid.TryParse(jobId, out var id) ? id : throw InvalidJobId(jobId, "UUIDs (for example 2f6a7e37-1c3b-4f9e-9a4e-6a3c1e8d2b10)");

    /// <summary>Maps a Luma generation onto the neutral job.</summary>
    public VideoJob ToJob(Generation generation, string? model)
    {
        ArgumentNullException.ThrowIfNull(generation);
        // Both shapes are read (specs/aimlapi.yaml Generation.video): AI/ML API's video.url first, then Luma's assets.video.
        var video = generation.Video?.Url ?? generation.Assets?.Video;
        return new VideoJob
        {
            Id = generation.Id.ToString("D"),
            Vendor = VendorName,
            Model = generation.Model ?? model,
            Status = ToJobStatus(generation.State),
            VendorStatus = VendorText(generation.State),
            ResultUri = video,
            ResultUris = video is null ? [] : [video],
            Error = VendorText(generation.FailureReason),
            CreatedAt = generation.CreatedAt,
            RawRepresentation = generation,
        };
    }
}
