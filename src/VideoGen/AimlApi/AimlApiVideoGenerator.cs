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

    /// <summary>
    /// The statuses of AI/ML API's video route (specs/aimlapi.yaml VideoGenerationTask.status): <c>queued</c>,
    /// <c>generating</c>, <c>completed</c>, <c>error</c>, and <c>waiting</c>/<c>active</c>, which the vendor's own polling
    /// code treats as in progress; anything else is <see cref="VideoJobStatus.Unknown"/>.
    /// </summary>
    public static VideoJobStatus ToTaskStatus(string? status) => status?.ToLowerInvariant() switch
    {
        "queued" or "waiting" => VideoJobStatus.Queued,
        "generating" or "active" => VideoJobStatus.Running,
        "completed" => VideoJobStatus.Succeeded,
        "error" => VideoJobStatus.Failed,
        _ => VideoJobStatus.Unknown,
    };

    /// <summary>
    /// Whether <paramref name="model"/> is one of AI/ML API's current Luma models, sent on its documented
    /// <c>POST /v2/video/generations</c> (specs/aimlapi.yaml LumaVideoModel; info.x-curation-note-route).
    /// </summary>
    internal static bool IsVideoRouteModel(string? model) => model is not null && WireNames.TryParse<LumaVideoModel>(model, out _);

    /// <summary>
    /// Ids of the video route are a UUID, a colon and the model id (e.g. <c>7c880e75-...:luma/ray-2</c>); the seed's
    /// route answers bare UUIDs. A job is read on the route that made it.
    /// </summary>
    internal static bool IsVideoRouteId(string jobId) => Validation.VideoRouteJobId.IsMatch(jobId);

    /// <summary>What a job id of this vendor looks like, for the message of a refused one.</summary>
    private const string JobIdForms =
        "UUIDs (for example 2f6a7e37-1c3b-4f9e-9a4e-6a3c1e8d2b10) or, for jobs of the video route, a UUID, a colon and the model (for example 7c880e75-9892-4238-8464-49cb0c6deabd:luma/ray-2)";

    /// <summary>Luma's default aspect ratio, sent when a request names none (https://github.com/lumalabs/lumaai-python, generation_create_params: aspect_ratio default 16:9).</summary>
    internal const string DefaultAspectRatio = "16:9";

    /// <inheritdoc />
    protected override CreateGenerationRequest CreateVendorRequest(VideoGenerationRequest request, VideoGenerationOptions? options, string model, List<ValidationFailure> failures)
    {
        var videoRoute = IsVideoRouteModel(model);
        RefuseUnsupported(request, options, videoRoute ? Supported & ~MappedFields.Webhook : Supported, failures);
        return new CreateGenerationRequest
        {
            Prompt = request.Prompt,
            // CUSTOM: a model of AI/ML API's video route (luma/ray-2, luma/ray-flash-2) is not a LumaModel of the seed's
            // route; SendAsync sends it on /v2/video/generations.
            Model = videoRoute ? null : ParseWire<LumaModel>(model, nameof(request.Model), failures),
            // CUSTOM: the seed's page requires aspect_ratio (specs/aimlapi.yaml x-vendor-required); when the caller names
            // none, Luma's own default (16:9) is sent rather than leaving it out.
            AspectRatio = ParseWire<AspectRatio>(request.AspectRatio ?? DefaultAspectRatio, nameof(request.AspectRatio), failures),
            Resolution = ParseWire<VideoResolution>(request.Resolution, nameof(request.Resolution), failures),

            Duration = ToDuration(request.DurationSeconds, failures),

            // CUSTOM: the generated default of loop is false, which would send "loop": false on every request;
            // only a loop the caller asked for is sent.
            Loop = request.Loop,
            Keyframes = ToKeyframes(request, videoRoute),
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
    private static Keyframes? ToKeyframes(VideoGenerationRequest request, bool videoRoute)
    {
        Keyframe? frame0 = request.StartImage is { } start ? new Keyframe { Type = KeyframeType.Image, Url = start } : null;
        Keyframe? frame1 = request.EndImage is { } end ? new Keyframe { Type = KeyframeType.Image, Url = end } : null;
        // The rules of an extension (a UUID; a frame no image already fills) are stated once, in validation
        // (VideoGenerationRequestValidator), which runs before this: a request that breaks them is never sent.
        var id = Guid.Empty;
        if (request.Extend is { } extend && (videoRoute ? IsVideoRouteId(extend.GenerationId) : Guid.TryParse(extend.GenerationId, out id)))
        {
            // The seed's route extends its own generations (UUIDs); the video route extends its own (UUID:model).
            var generation = new Keyframe { Type = KeyframeType.Generation, Id = videoRoute ? null : id };
            if (videoRoute)
            {
                // CUSTOM: Keyframe.id is a uuid on the seed's route; the video route's id travels beside it.
                VideoRouteIds.AddOrUpdate(generation, extend.GenerationId);
            }

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
        IsVideoRouteModel(model)
            ? ToJob(await Client.CreateVideoGenerationAsync(ToVideoRouteRequest(vendorRequest, model), cancellationToken).ConfigureAwait(false), model)
            : ToJob(await Client.CreateGenerationAsync(vendorRequest, cancellationToken).ConfigureAwait(false), model);

    /// <summary>
    /// The same request in the video route's words (specs/aimlapi.yaml LumaVideoRequest): the model with its
    /// <c>luma/</c> prefix, the duration as an integer (5 or 9) rather than <c>5s</c>, keyframe ids as strings.
    /// </summary>
    internal static LumaVideoRequest ToVideoRouteRequest(CreateGenerationRequest request, string model) => new()
    {
        Model = WireNames.TryParse<LumaVideoModel>(model, out var wire) ? wire : throw new ArgumentException($"{model} is not a model of the video route", nameof(model)),
        Prompt = request.Prompt,
        AspectRatio = request.AspectRatio,
        Loop = request.Loop,
        Resolution = request.Resolution,
        Duration = request.Duration switch
        {
            null => null,
            VideoDuration.Seconds5 => LumaVideoDuration.Seconds5,
            VideoDuration.Seconds9 => LumaVideoDuration.Seconds9,
            var other => throw new ArgumentOutOfRangeException(nameof(request), other, "no video-route duration"),
        },
        Keyframes = request.Keyframes is not { } frames ? null : new LumaVideoKeyframes
        {
            Frame0 = ToVideoRouteKeyframe(frames.Frame0),
            Frame1 = ToVideoRouteKeyframe(frames.Frame1),
        },
    };

    private static LumaVideoKeyframe? ToVideoRouteKeyframe(Keyframe? frame) => frame is null ? null : new LumaVideoKeyframe
    {
        Type = frame.Type,
        Url = frame.Url,
        Id = VideoRouteIds.TryGetValue(frame, out var id) ? id : frame.Id?.ToString("D"),
    };

    /// <summary>The video-route generation id of a keyframe built for that route (its ids are not UUIDs).</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Keyframe, string> VideoRouteIds = [];

    /// <inheritdoc />
    protected override Func<CancellationToken, Task<VideoJob>> ReadJob(string jobId)
    {
        if (IsVideoRouteId(jobId))
        {
            return async cancellationToken => ToJob(await Client.GetVideoGenerationAsync(jobId, cancellationToken).ConfigureAwait(false), model: null);
        }

        var id = ParseId(jobId);
        return async cancellationToken => ToJob(await Client.GetGenerationAsync(id, state: null, cancellationToken).ConfigureAwait(false), model: null);
    }

    /// <inheritdoc />
    public TimeSpan ServerWait => AimlServerWait;

    /// <summary>The most ids per batch read. Inferred: seed 003 gives no limit; 100 keeps the query string short.</summary>
    public int MaxBatchSize => 100;

    /// <summary>
    /// Jobs of the seed's route (bare UUIDs) wait on the server; jobs of the video route (<c>UUID:model</c>) cannot:
    /// its GET has no <c>state</c> to wait for (specs/aimlapi.yaml GetVideoGeneration), so they are polled on the
    /// normal schedule (the vendor's own example polls every 10 s:
    /// https://docs.aimlapi.com/api-references/video-models/luma-ai/luma-ray-2 § Full Example).
    /// </summary>
    public bool CanWaitOnServer(string jobId) => !IsVideoRouteId(jobId);

    /// <inheritdoc />
    public Task<VideoJob> WaitForCompletionOnServerAsync(string jobId, CancellationToken cancellationToken)
    {
        if (IsVideoRouteId(jobId))
        {
            // CUSTOM: the video route has no wait-for-state GET (CanWaitOnServer is false, so waiters poll it on their
            // own schedule and clock); a caller that asks anyway gets one plain read, never a hold here.
            return GetJobAsync(jobId, cancellationToken);
        }

        var id = ParseId(jobId);

        // Waiting for `completed` also returns on `failed` (the higher-priority state), or after the server's 30 s.
        return InvokeAsync(
            async () => AnswerFor(jobId, ToJob(await Client.GetGenerationAsync(id, GenerationWaitState.Completed, cancellationToken).ConfigureAwait(false), model: null)),
            "waiting for job " + jobId,
            jobId);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<VideoJob>> GetJobsAsync(IReadOnlyList<string> jobIds, CancellationToken cancellationToken)
    {
        // The seed's route reads many generations in one call; the video route has no batch read, so its jobs are read one by one.
        var ids = jobIds.Where(j => !IsVideoRouteId(j)).Select(ParseId).ToList();
        var videoRouteIds = jobIds.Where(IsVideoRouteId).ToList();
        return InvokeAsync<IReadOnlyList<VideoJob>>(
            async () =>
            {
                var jobs = new List<VideoJob>();
                if (ids.Count > 0)
                {
                    jobs.AddRange((await Client.GetGenerationsAsync(ids, status: null, cancellationToken).ConfigureAwait(false)).Generations

                        // A null entry names no job: it is skipped, and the jobs it may stand for count as not returned.
                        .Where(g => g is not null)
                        .Select(g => ToJob(g, model: null)));
                }

                foreach (var id in videoRouteIds)
                {
                    jobs.Add(ToJob(await Client.GetVideoGenerationAsync(id, cancellationToken).ConfigureAwait(false), model: null));
                }

                return AnswersFor(jobIds, jobs);
            },
            $"reading {jobIds.Count} jobs",
            jobId: null);
    }

    private Guid ParseId(string jobId) =>
        Guid.TryParse(jobId, out var id) ? id : throw InvalidJobId(jobId, JobIdForms);

    /// <summary>Maps a task of AI/ML API's video route onto the neutral job (cost: <c>meta.usage.credits_used</c>, where sent).</summary>
    public VideoJob ToJob(VideoGenerationTask task, string? model)
    {
        ArgumentNullException.ThrowIfNull(task);
        var video = task.Video?.Url;
        var credits = task.Meta?.Usage?.CreditsUsed;
        return new VideoJob
        {
            Id = task.Id,
            Vendor = VendorName,
            VendorId = Vendor.Id,
            // The id names the model after its colon (7c880e75-...:luma/ray-2).
            Model = model ?? (task.Id.LastIndexOf(':') is var colon and > 0 ? task.Id[(colon + 1)..] : null),
            Status = ToTaskStatus(task.Status),
            VendorStatus = VendorText(task.Status),
            ResultUri = video,
            ResultUris = video is null ? [] : [video],
            Error = VendorText(task.Error is { } e ? string.Join(": ", new[] { e.Name, e.Message }.Where(t => !string.IsNullOrEmpty(t))) : null),
            Cost = CostFrom(credits, Vendor.PriceUnit),
            RawRepresentation = task,
        };
    }

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
            VendorId = Vendor.Id,
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
