using System.Net;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;
using VideoGen.Catalog;
using VideoGen.Vendors;

namespace VideoGen.Apiframe;

/// <summary><see cref="IVideoGenerator"/> over Apiframe v2 (<c>specs/apiframe.yaml</c>, https://docs-v2.apiframe.ai/docs/videos).</summary>
// CUSTOM: not an ISubmissionReconciler, so the journal never settles an Apiframe submission by itself. Apiframe's
// listing (GET /v2/jobs) shows no prompt and no client reference, so a job can only be matched by model and time: with
// two submissions of one model in flight, a lone unowned candidate may be the other one's, and claiming it would report
// the wrong video as done (found by the reliability suite: a logical submission charged twice). FindCandidatesAsync
// stays for a person settling by hand (`videogen resume --settle`), and becomes the reconciler if Apiframe ever lists
// something unique to the request.
internal sealed class ApiframeVideoGenerator : VendorVideoGenerator<IApiframeClient, CreateVideoRequest>
{
    /// <summary>How far the vendor's clock and ours may disagree when matching a job to a submission's time window.</summary>
    internal static readonly TimeSpan ReconcileSkew = TimeSpan.FromMinutes(2);

    /// <summary>The most pages of GET /v2/jobs a reconciliation reads (100 jobs each) before it gives up and says "cannot tell".</summary>
    internal const int MaxReconcilePages = 50;

    /// <summary>The page size of a reconciliation listing: the documented maximum (https://docs-v2.apiframe.ai/docs/jobs/list, limit 1–100).</summary>
    internal const int ReconcilePageSize = 100;

    public ApiframeVideoGenerator(IApiframeClient client, VendorInfo vendor, ILoggerFactory? loggerFactory = null)
        : base(client, vendor, loggerFactory)
    {
    }

    /// <summary>The model families of Apiframe: each takes its own parameters object on <see cref="CreateVideoRequest"/>.</summary>
    internal enum Family
    {
        Unknown,
        GrokImagineVideo,
        Hailuo,
        Luma,
        Kling,
        MidjourneyVideo,
        Runway,
        Seedance,
        Sora,
        Veo,
        Wan,
    }

    /// <summary>The family of a model id, by its documented prefix (https://docs-v2.apiframe.ai/docs/videos, Available models).</summary>
    public static Family FamilyOf(string? model) => model switch
    {
        "grok-imagine-video" => Family.GrokImagineVideo,
        "midjourney-video" => Family.MidjourneyVideo,
        _ when model is null => Family.Unknown,
        _ when model.StartsWith("hailuo-", StringComparison.Ordinal) => Family.Hailuo,
        _ when model.StartsWith("luma-", StringComparison.Ordinal) => Family.Luma,
        _ when model.StartsWith("kling-", StringComparison.Ordinal) => Family.Kling,
        _ when model.StartsWith("runway-", StringComparison.Ordinal) => Family.Runway,
        _ when model.StartsWith("seedance-", StringComparison.Ordinal) => Family.Seedance,
        _ when model.StartsWith("sora-", StringComparison.Ordinal) => Family.Sora,
        _ when model.StartsWith("veo-", StringComparison.Ordinal) => Family.Veo,
        _ when model.StartsWith("wan-", StringComparison.Ordinal) => Family.Wan,
        _ => Family.Unknown,
    };

    /// <summary>The neutral fields each family has a place for (from its model page's parameter table).</summary>
    internal static MappedFields SupportedBy(Family family) => MappedFields.Webhook | MappedFields.AdditionalProperties | family switch
    {
        Family.GrokImagineVideo => MappedFields.StartImage,
        Family.Hailuo => MappedFields.StartImage | MappedFields.EndImage | MappedFields.Resolution,
        Family.Luma => MappedFields.StartImage | MappedFields.EndImage | MappedFields.Loop,
        Family.Kling => MappedFields.StartImage | MappedFields.EndImage | MappedFields.NegativePrompt,
        Family.MidjourneyVideo => MappedFields.StartImage | MappedFields.Resolution,
        Family.Runway => MappedFields.StartImage,
        Family.Seedance => MappedFields.StartImage | MappedFields.EndImage | MappedFields.Resolution,
        Family.Sora => MappedFields.StartImage | MappedFields.Resolution,
        Family.Veo => MappedFields.StartImage | MappedFields.EndImage | MappedFields.Resolution | MappedFields.NegativePrompt,
        Family.Wan => MappedFields.StartImage | MappedFields.Resolution | MappedFields.NegativePrompt,
        _ => MappedFields.None,
    };

    /// <summary>Apiframe's words: <c>QUEUED</c>, <c>PROCESSING</c>, <c>COMPLETED</c>, <c>FAILED</c>; anything else is <see cref="VideoJobStatus.Unknown"/>.</summary>
    /// <remarks>Source: https://docs-v2.apiframe.ai/docs/jobs/get (Status flow).</remarks>
    public static VideoJobStatus ToJobStatus(string? status) => status?.ToUpperInvariant() switch
    {
        "QUEUED" => VideoJobStatus.Queued,
        "PROCESSING" => VideoJobStatus.Running,
        "COMPLETED" => VideoJobStatus.Succeeded,
        "FAILED" => VideoJobStatus.Failed,
        _ => VideoJobStatus.Unknown,
    };

    /// <summary>Apiframe's progress (a percentage, 0–100) as a fraction from 0 to 1.</summary>
    public static double? ToProgress(double? percent) =>
        percent is { } p && double.IsFinite(p) ? Math.Clamp(p / 100d, 0d, 1d) : null;

    /// <summary>
    /// The video URLs of a job's <c>result</c>, whichever documented shape it has: <c>{"videoUrl": ...}</c> (video
    /// models), <c>{"videos": [...]}</c> (Midjourney Video) or a bare URL string (the examples of /docs/jobs/get and
    /// /docs/webhooks). Anything else (an image result, a number) gives no URL.
    /// </summary>
    /// <param name="result">The deserialized <c>result</c>: a <see cref="JToken"/>, a string, or null.</param>
    /// <returns>The absolute http(s) URLs, in the vendor's order.</returns>
    public static IReadOnlyList<Uri> ResultUrls(object? result)
    {
        var token = result switch
        {
            null => null,
            JToken t => t,
            string s => new JValue(s),
            _ => JToken.FromObject(result),
        };

        IEnumerable<JToken?> candidates = token switch
        {
            JValue { Type: JTokenType.String } value => [value],
            JObject o when o["videoUrl"] is { Type: JTokenType.String } url => [url],
            JObject o when o["videos"] is JArray videos => videos,
            _ => [],
        };

        var urls = new List<Uri>();
        foreach (var candidate in candidates)
        {
            if (candidate is { Type: JTokenType.String } && Uri.TryCreate((string?)candidate, UriKind.Absolute, out var uri)
                && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
            {
                urls.Add(uri);
            }
        }

        return urls;
    }

    /// <summary>The Apiframe jobs that could be <paramref name="entry"/>'s submission (same model, created in its time window), or <see langword="null"/> when the listing cannot show them all.</summary>
    /// <remarks>
    /// Reads GET /v2/jobs (https://docs-v2.apiframe.ai/docs/jobs/list) filtered by the entry's model, every page
    /// until <c>hasMore</c> is false (the page does not document the order, so no page can be skipped). Apiframe's
    /// job carries no prompt, so a candidate is any job of that model created between the intent and the entry's
    /// last change (each widened by <see cref="ReconcileSkew"/>), or with no creation time at all. Conservative:
    /// <see langword="null"/> ("cannot tell") when a page says there is more but gives no cursor, when the
    /// listing runs past <see cref="MaxReconcilePages"/> pages, or when an entry is unreadable; an empty list
    /// ("not created") only after the whole listing was read and no job of the window matches. The journal claims
    /// a candidate only when exactly one is left unowned.
    /// </remarks>
    public async Task<IReadOnlyList<VideoJob>?> FindCandidatesAsync(Journal.JournalEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var model = entry.Model ?? Vendor.DefaultModel;
        var from = entry.CreatedAt - ReconcileSkew;
        var until = (entry.UpdatedAt > entry.CreatedAt ? entry.UpdatedAt : entry.CreatedAt) + ReconcileSkew;
        var candidates = new Dictionary<string, VideoJob>(StringComparer.Ordinal);
        string? cursor = null;
        for (var page = 0; page < MaxReconcilePages; page++)
        {
            var list = await InvokeAsync(() => Client.ListJobsAsync(model: model, limit: ReconcilePageSize, cursor: cursor, cancellationToken: cancellationToken), "listing jobs", jobId: null).ConfigureAwait(false);
            foreach (var job in list.Jobs ?? [])
            {
                // CUSTOM: a null item, or one without an id, in a broken listing makes the listing unusable as proof.
                if (job is null || JobIdOf(job.Id) is null)
                {
                    return null;
                }

                if (job.Model is { } jobModel && !string.Equals(jobModel, model, StringComparison.Ordinal))
                {
                    continue;
                }

                if (job.CreatedAt is not { } at || (at >= from && at <= until))
                {
                    candidates.TryAdd(job.Id, ToJob(job));
                }
            }

            if (list.HasMore != true)
            {
                // hasMore false (or absent: the page says "When hasMore is false, there are no more results"; an absent
                // flag with a cursor is not trusted as the end).
                if (list.HasMore is null && !string.IsNullOrEmpty(list.NextCursor))
                {
                    return null;
                }

                return candidates.Values.ToList();
            }

            if (string.IsNullOrEmpty(list.NextCursor) || list.NextCursor == cursor)
            {
                return null;
            }

            cursor = list.NextCursor;
        }

        return null;
    }

    /// <summary>The job id, or <see langword="null"/> when Apiframe sent an empty one (a required field, but a string).</summary>
    private static string? JobIdOf(string? id) => string.IsNullOrWhiteSpace(id) ? null : id;

    /// <inheritdoc />
    protected override CreateVideoRequest CreateVendorRequest(VideoGenerationRequest request, VideoGenerationOptions? options, string model, List<ValidationFailure> failures)
    {
        var family = FamilyOf(model);
        RefuseUnsupported(request, options, SupportedBy(family), failures);
        var vendorRequest = new CreateVideoRequest
        {
            Model = ParseWire<VideoModel>(model, nameof(request.Model), failures) ?? default,
            Prompt = request.Prompt,
            WebhookUrl = options?.WebhookUrl,

            // CUSTOM: the neutral options have no event filter; a caller who gives a webhook wants every event.
            WebhookEvents = options?.WebhookUrl is null ? null : [WebhookEvent.Progress, WebhookEvent.Completed, WebhookEvent.Failed],
        };

        // CUSTOM: seed 001's single `parameters` object does not exist; each family has its own object
        // (klingParams, lumaParams, ...), named on its model page. Only the family's object is sent.
        var start = request.StartImage;
        var end = request.EndImage;
        IDictionary<string, object>? extra = null;
        switch (family)
        {
            case Family.GrokImagineVideo:
                var grok = new GrokImagineVideoParams { Duration = request.DurationSeconds, AspectRatio = request.AspectRatio, ReferenceImages = start is null ? null : [start] };
                (vendorRequest.GrokImagineVideoParams, extra) = (grok, grok.AdditionalProperties);
                break;
            case Family.Hailuo:
                NoAspectRatio();
                var hailuo = new HailuoParams { Duration = request.DurationSeconds, Resolution = request.Resolution, Image = start, EndImage = end };
                (vendorRequest.HailuoParams, extra) = (hailuo, hailuo.AdditionalProperties);
                break;
            case Family.Luma:
                var luma = new LumaParams { Duration = request.DurationSeconds, AspectRatio = request.AspectRatio, StartImage = start, EndImage = end, Loop = request.Loop };
                (vendorRequest.LumaParams, extra) = (luma, luma.AdditionalProperties);
                break;
            case Family.Kling:
                var kling = new KlingParams { Duration = request.DurationSeconds, AspectRatio = request.AspectRatio, StartImage = start, EndImage = end, NegativePrompt = request.NegativePrompt };
                (vendorRequest.KlingParams, extra) = (kling, kling.AdditionalProperties);
                break;
            case Family.MidjourneyVideo:
                NoAspectRatio();
                if (request.DurationSeconds is not null)
                {
                    failures.Add(new ValidationFailure("DurationSeconds", request.DurationSeconds.ToString(), $"nothing: {model} takes no duration (its page documents none)"));
                }

                var midjourney = new MidjourneyVideoParams { StartImage = start, Resolution = MidjourneyResolution(request.Resolution, failures) };
                (vendorRequest.MidjourneyVideoParams, extra) = (midjourney, midjourney.AdditionalProperties);
                break;
            case Family.Runway:
                var runway = new RunwayParams { Image = start, Duration = request.DurationSeconds, AspectRatio = request.AspectRatio };
                (vendorRequest.RunwayParams, extra) = (runway, runway.AdditionalProperties);
                break;
            case Family.Seedance:
                var seedance = new SeedanceParams { Duration = request.DurationSeconds, Resolution = request.Resolution, AspectRatio = request.AspectRatio, StartImage = start?.ToString(), EndImage = end?.ToString() };
                (vendorRequest.SeedanceParams, extra) = (seedance, seedance.AdditionalProperties);
                break;
            case Family.Sora:
                var sora = new SoraParams { Duration = request.DurationSeconds, AspectRatio = request.AspectRatio, Resolution = request.Resolution, StartImage = start };
                (vendorRequest.SoraParams, extra) = (sora, sora.AdditionalProperties);
                break;
            case Family.Veo:
                var veo = new VeoParams { Duration = request.DurationSeconds, AspectRatio = request.AspectRatio, Image = start, LastFrame = end, Resolution = request.Resolution, NegativePrompt = request.NegativePrompt };
                (vendorRequest.VeoParams, extra) = (veo, veo.AdditionalProperties);
                break;
            case Family.Wan:
                NoAspectRatio();
                var wan = new WanParams { Image = start, Duration = request.DurationSeconds, Resolution = request.Resolution, NegativePrompt = request.NegativePrompt };
                (vendorRequest.WanParams, extra) = (wan, wan.AdditionalProperties);
                break;
        }

        if (extra is not null)
        {
            // Keys the typed object already sets (duration, image, ...) cannot be overridden this way.
            PassThrough(options?.AdditionalProperties, extra, DocumentedKeys(family), "AdditionalProperties", failures);
        }

        // CUSTOM: strict in what we send: an empty parameters object is left out, the model's defaults apply.
        vendorRequest.GrokImagineVideoParams = NullIfEmpty(vendorRequest.GrokImagineVideoParams);
        vendorRequest.HailuoParams = NullIfEmpty(vendorRequest.HailuoParams);
        vendorRequest.LumaParams = NullIfEmpty(vendorRequest.LumaParams);
        vendorRequest.KlingParams = NullIfEmpty(vendorRequest.KlingParams);
        vendorRequest.MidjourneyVideoParams = NullIfEmpty(vendorRequest.MidjourneyVideoParams);
        vendorRequest.RunwayParams = NullIfEmpty(vendorRequest.RunwayParams);
        vendorRequest.SeedanceParams = NullIfEmpty(vendorRequest.SeedanceParams);
        vendorRequest.SoraParams = NullIfEmpty(vendorRequest.SoraParams);
        vendorRequest.VeoParams = NullIfEmpty(vendorRequest.VeoParams);
        vendorRequest.WanParams = NullIfEmpty(vendorRequest.WanParams);
        return vendorRequest;

        void NoAspectRatio()
        {
            if (request.AspectRatio is not null)
            {
                failures.Add(new ValidationFailure("AspectRatio", request.AspectRatio, $"nothing: {model} takes no aspect ratio (its page documents none)"));
            }
        }
    }

    private static T? NullIfEmpty<T>(T? parameters)
        where T : class =>
        parameters is null || Newtonsoft.Json.JsonConvert.SerializeObject(parameters) == "{}" ? null : parameters;

    /// <summary>The JSON names of the parameters a family's typed object maps from the neutral request.</summary>
    private static string[] DocumentedKeys(Family family) => family switch
    {
        Family.GrokImagineVideo => ["duration", "aspect_ratio", "reference_images"],
        Family.Hailuo => ["duration", "resolution", "image", "end_image"],
        Family.Luma => ["duration", "aspect_ratio", "start_image", "end_image", "loop"],
        Family.Kling => ["duration", "aspect_ratio", "start_image", "end_image", "negative_prompt"],
        Family.MidjourneyVideo => ["start_image", "resolution"],
        Family.Runway => ["image", "duration", "aspect_ratio"],
        Family.Seedance => ["duration", "resolution", "aspect_ratio", "start_image", "end_image"],
        Family.Sora => ["duration", "aspect_ratio", "resolution", "start_image"],
        Family.Veo => ["duration", "aspect_ratio", "image", "last_frame", "resolution", "negative_prompt"],
        Family.Wan => ["image", "duration", "resolution", "negative_prompt"],
        _ => [],
    };

    /// <summary>Midjourney Video's resolution words: sd (480p), hd (720p) (https://docs-v2.apiframe.ai/docs/videos/midjourney-video).</summary>
    private static MidjourneyVideoResolution? MidjourneyResolution(string? resolution, List<ValidationFailure> failures) => resolution?.ToLowerInvariant() switch
    {
        null => null,
        "480p" or "sd" => MidjourneyVideoResolution.Sd,
        "720p" or "hd" => MidjourneyVideoResolution.Hd,
        _ => Refuse(resolution, failures),
    };

    private static MidjourneyVideoResolution? Refuse(string resolution, List<ValidationFailure> failures)
    {
        failures.Add(new ValidationFailure("Resolution", resolution, "480p (sd) or 720p (hd)"));
        return null;
    }

    /// <inheritdoc />
    protected override async Task<VideoJob> SendAsync(CreateVideoRequest vendorRequest, string model, CancellationToken cancellationToken)
    {
        var accepted = await Client.CreateVideoAsync(vendorRequest, cancellationToken).ConfigureAwait(false);

        // The job may exist (Apiframe said 202), so the status goes with the error: the journal then
        // records the outcome as unknown instead of as never sent.
        var id = JobIdOf(accepted.JobId)
            ?? throw new VideoGenException($"{VendorName} accepted the request but returned no job id; nothing can be polled.", VendorName, HttpStatusCode.Accepted);
        return new VideoJob
        {
            Id = id,
            Vendor = VendorName,
            VendorId = Vendor.Id,
            Model = model,
            Status = ToJobStatus(accepted.Status),
            VendorStatus = VendorText(accepted.Status),
            RawRepresentation = accepted,
        };
    }

    /// <inheritdoc />
    protected override Func<CancellationToken, Task<VideoJob>> ReadJob(string jobId) =>
        async cancellationToken => ToJob(await Client.GetJobAsync(jobId, cancellationToken).ConfigureAwait(false), jobId);

    /// <summary>Maps an Apiframe job (GET /v2/jobs/{id}, or an entry of GET /v2/jobs) onto the neutral job.</summary>
    /// <param name="job">The job as read.</param>
    /// <param name="askedId">The id a status read asked for: an answer without an id is that job's (tolerant reader); one with another id is refused by the caller.</param>
    public VideoJob ToJob(Job job, string? askedId = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        var urls = ResultUrls(job.Result);
        return new VideoJob
        {
            Id = JobIdOf(job.Id) ?? askedId ?? throw new VideoGenException($"{VendorName} returned a job without an id.", VendorName, HttpStatusCode.OK),
            Vendor = VendorName,
            VendorId = Vendor.Id,
            Model = job.Model,
            Status = ToJobStatus(job.Status),
            VendorStatus = VendorText(job.Status),
            Progress = ToProgress(job.Progress),
            ResultUri = urls.Count > 0 ? urls[0] : null,
            ResultUris = urls,
            Cost = ToCost(job.CreditCost, Vendor.PriceUnit),
            Error = VendorText(job.Error),
            CreatedAt = job.CreatedAt,
            CompletedAt = job.CompletedAt,
            RawRepresentation = job,
        };
    }

    /// <summary>
    /// Apiframe's <c>creditCost</c> as a cost in credits; none when absent or not a finite, non-negative number that a
    /// <see cref="decimal"/> holds (1e30 credits is no price: the job is still read, without a cost).
    /// </summary>
    public static VideoCost? ToCost(double? creditCost, string unit) => CostFrom(creditCost, unit);
}
