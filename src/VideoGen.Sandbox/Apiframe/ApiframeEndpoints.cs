using System.Globalization;
using Newtonsoft.Json.Linq;
using VideoGen.Sandbox.Core;

namespace VideoGen.Sandbox.Apiframe;

/// <summary>
/// The unified jobs gateway (specs/gateway.yaml; seed 001): <c>POST /v2/videos/generate</c> answers 202 with
/// <c>{jobId, status: QUEUED}</c>; <c>GET /v2/jobs/{jobId}</c> (inferred) answers the Job, QUEUED → PROCESSING (with
/// progress) → COMPLETED (with <c>result.videoUrls</c>) or FAILED (with <c>error</c>). With <c>webhookUrl</c>, the
/// events named in <c>webhookEvents</c> (all three when it is omitted) are POSTed as WebhookPayload: progress at
/// 0, 25, 50 and 75 % of processing, then completed or failed.
/// </summary>
internal static class ApiframeEndpoints
{
    public const string CreatePath = "/v2/videos/generate";
    public const string GetPath = "/v2/jobs/{jobId}";

    /// <summary>The progress values at which a <c>progress</c> webhook is sent.</summary>
    public static readonly IReadOnlyList<double> ProgressMilestones = [0, 25, 50, 75];

    private static readonly string[] Events = ["progress", "completed", "failed"];
    private static readonly string[] DurationKeys = ["duration", "durationSeconds", "duration_seconds"];
    private static readonly string[] AspectRatioKeys = ["aspect_ratio", "aspectRatio"];

    public static void Map(WebApplication app, SandboxRuntime runtime)
    {
        app.MapPost(CreatePath, VendorPipeline.Handle(runtime, ApiframeDialect.Instance, createsJob: true, CreateAsync));
        app.MapGet(GetPath, VendorPipeline.Handle(runtime, ApiframeDialect.Instance, createsJob: false, Get));
    }

    private static async Task<IResult> CreateAsync(VendorCall call)
    {
        var (body, problem) = await RequestBody.ReadObjectAsync(call.Http).ConfigureAwait(false);
        if (body is null)
        {
            return ApiframeDialect.Validation(problem!);
        }

        var vendor = call.Runtime.Vendor(SandboxVendors.Apiframe);
        var promptToken = body["prompt"];
        if (RequestBody.IsMissing(promptToken) || promptToken!.Type != JTokenType.String)
        {
            return ApiframeDialect.Validation($"prompt is required: a string of 1–4,000 characters; got {RequestBody.Show(promptToken)}.");
        }

        var prompt = (string)promptToken!;
        var length = prompt.EnumerateRunes().Count();
        var maxLength = vendor.PromptMaxLength ?? int.MaxValue;
        if (length < vendor.PromptMinLength || length > maxLength)
        {
            return ApiframeDialect.Validation($"prompt has {length.ToString("N0", CultureInfo.InvariantCulture)} characters; allowed: {vendor.PromptMinLength}–{maxLength.ToString("N0", CultureInfo.InvariantCulture)}.");
        }

        var modelToken = body["model"];
        var model = modelToken?.Type == JTokenType.String ? vendor.Models.FirstOrDefault(m => m.Id == (string)modelToken!) : null;
        if (model is null)
        {
            return ApiframeDialect.Validation($"model {RequestBody.Show(modelToken)} is not available; allowed: {string.Join(", ", vendor.Models.Select(m => m.Id))}.");
        }

        Uri? webhookUrl = null;
        var urlToken = body["webhookUrl"];
        if (!RequestBody.IsMissing(urlToken))
        {
            if (urlToken!.Type != JTokenType.String || !RequestBody.IsHttpUrl((string?)urlToken))
            {
                return ApiframeDialect.Validation($"webhookUrl {RequestBody.Show(urlToken)} is not an absolute http(s) URL.");
            }

            webhookUrl = new Uri((string)urlToken!);
        }

        var events = new HashSet<string>(Events, StringComparer.Ordinal);
        var eventsToken = body["webhookEvents"];
        if (!RequestBody.IsMissing(eventsToken))
        {
            if (eventsToken is not JArray list || list.Any(e => e.Type != JTokenType.String || !Events.Contains((string)e!)))
            {
                return ApiframeDialect.Validation($"webhookEvents {RequestBody.Show(eventsToken)} is not allowed; send an array of: {string.Join(", ", Events)}.");
            }

            events = list.Select(e => (string)e!).ToHashSet(StringComparer.Ordinal);
        }

        var parameters = body["parameters"];
        if (!RequestBody.IsMissing(parameters) && parameters!.Type != JTokenType.Object)
        {
            return ApiframeDialect.Validation($"parameters {RequestBody.Show(parameters)} is not allowed; send an object of model-specific parameters.");
        }

        var duration = 5;
        if (parameters is JObject parameterObject && DurationKeys.Select(k => (Key: k, Value: parameterObject[k])).FirstOrDefault(p => p.Value is not null) is { Value: { } durationToken } found)
        {
            if (durationToken.Type != JTokenType.Integer || durationToken.Value<long>() < 1 || (model.MaxDurationSeconds is { } max && durationToken.Value<long>() > max))
            {
                return ApiframeDialect.Validation($"parameters.{found.Key} {RequestBody.Show(durationToken)} is not allowed for {model.Id}; use whole seconds from 1{(model.MaxDurationSeconds is { } m ? $" to {m}" : string.Empty)}.");
            }

            duration = durationToken.Value<int>();
        }

        // The seed documents no aspect-ratio parameter; a known ratio in parameters picks the matching sample clip.
        var aspectRatio = (parameters as JObject)?.Properties().Where(p => AspectRatioKeys.Contains(p.Name)).Select(p => (string?)p.Value).FirstOrDefault(SampleClips.Has)
            ?? SampleClips.DefaultAspectRatio;

        var price = SandboxPricing.PriceOf(model, duration);
        if (!call.Runtime.Ledger.TryCharge(SandboxVendors.Apiframe, call.Owner, price, out var balance))
        {
            return ApiframeDialect.InsufficientCredits($"Not enough credits: this job costs {price.ToString("0.##", CultureInfo.InvariantCulture)} credits and the balance is {balance.ToString("0.##", CultureInfo.InvariantCulture)}.");
        }

        var job = call.Runtime.Jobs.Create(call.Runtime.Jobs.NextGuid().ToString(), new JobRequest
        {
            Vendor = SandboxVendors.Apiframe,
            Owner = call.Owner,
            Model = model.Id,
            ModelInfo = model,
            Prompt = prompt,
            DurationSeconds = duration,
            AspectRatio = aspectRatio,
            VideoCount = model.VideosPerJob,
            Price = price,
            PublicBaseUrl = call.PublicBaseUrl,
            Request = body,
        });

        if (webhookUrl is not null)
        {
            call.Runtime.Callbacks.Start(job, webhookUrl, Webhooks(job, events));
        }

        if (call.DropAfterAccept())
        {
            return VendorCall.Dropped;
        }

        return new JsonBody(new JObject { ["jobId"] = job.Id, ["status"] = "QUEUED" }, StatusCodes.Status202Accepted);
    }

    private static Task<IResult> Get(VendorCall call)
    {
        var id = (string)call.Http.Request.RouteValues["jobId"]!;
        var job = call.Runtime.Jobs.Find(SandboxVendors.Apiframe, id, call.Owner);
        return Task.FromResult(job is null
            ? ApiframeDialect.NotFound($"No job with id '{id}'.")
            : new JsonBody(Render(job, call.Now), StatusCodes.Status200OK));
    }

    public static JObject Render(SandboxJob job, DateTimeOffset now)
    {
        var phase = job.PhaseAt(now);
        return new JObject
        {
            ["jobId"] = job.Id,
            ["status"] = Status(phase),
            ["model"] = job.Model,
            ["progress"] = job.ProgressAt(now),
            ["result"] = phase == SandboxJobPhase.Succeeded ? Result(job) : null,
            ["error"] = job.FailureReasonAt(now),
            ["createdAt"] = Iso.Format(job.CreatedAt),
            ["completedAt"] = job.EndedAt(now) is { } ended ? Iso.Format(ended) : null,
        };
    }

    /// <summary>The gateway has no cancelled status: a cancelled job is FAILED.</summary>
    public static string Status(SandboxJobPhase phase) => phase switch
    {
        SandboxJobPhase.Queued => "QUEUED",
        SandboxJobPhase.Processing => "PROCESSING",
        SandboxJobPhase.Succeeded => "COMPLETED",
        _ => "FAILED",
    };

    private static JObject Result(SandboxJob job) => new() { ["videoUrls"] = new JArray(MediaEndpoints.UrlsFor(job)) };

    private static CallbackSchedule Webhooks(SandboxJob job, IReadOnlySet<string> subscribed)
    {
        var processing = job.FinishesAt - job.StartsAt;
        var events = ProgressMilestones
            .Select(p => new CallbackEvent(job.StartsAt + (processing * (p / 100)), Terminal: false, () => subscribed.Contains("progress")
                ? Payload("progress", job, "PROCESSING", p, result: null, error: null)
                : null))
            .Append(new CallbackEvent(job.FinishesAt, Terminal: true, () => job.PlannedFailure is null
                ? subscribed.Contains("completed") ? Payload("completed", job, "COMPLETED", 100, Result(job), error: null) : null
                : subscribed.Contains("failed") ? Payload("failed", job, "FAILED", progress: null, result: null, job.PlannedFailure) : null))
            .ToList();
        return new CallbackSchedule(events, _ => subscribed.Contains("failed") ? Payload("failed", job, "FAILED", progress: null, result: null, job.CancelReason) : null);
    }

    private static JObject Payload(string @event, SandboxJob job, string status, double? progress, JObject? result, string? error) => new()
    {
        ["event"] = @event,
        ["jobId"] = job.Id,
        ["status"] = status,
        ["progress"] = progress,
        ["result"] = result,
        ["error"] = error,
    };
}
