using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json.Linq;
using VideoGen.Sandbox.Core;

namespace VideoGen.Sandbox.Apiframe;

/// <summary>
/// Apiframe v2 (specs/apiframe.yaml, https://docs-v2.apiframe.ai): <c>POST /v2/videos/generate</c> answers 202 with
/// <c>{jobId, status: QUEUED}</c>; <c>GET /v2/jobs/{id}</c> answers the job (<c>id</c>, <c>status</c>, <c>model</c>,
/// <c>progress</c>, <c>result</c>, <c>error</c>, <c>creditCost</c>, <c>webhookStatus</c>, <c>createdAt</c>,
/// <c>completedAt</c>), QUEUED → PROCESSING → COMPLETED (<c>result: {videoUrl}</c>, Midjourney Video
/// <c>{videos: [4]}</c>) or FAILED; <c>GET /v2/jobs</c> lists the key's jobs newest first with <c>status</c>,
/// <c>model</c>, <c>limit</c> and <c>cursor</c>. The model's own parameters object (<c>klingParams</c>,
/// <c>lumaParams</c>, ...) is checked against the catalog's per-model durations, resolutions and image rules.
/// With <c>webhookUrl</c>, the subscribed events (all three when <c>webhookEvents</c> is omitted) are POSTed as
/// WebhookPayload with <c>X-Webhook-Event</c> and <c>X-Webhook-Signature</c> (HMAC-SHA256 of the raw body keyed
/// with the hex SHA-256 of the API key; https://docs-v2.apiframe.ai/docs/webhooks).
/// </summary>
internal static class ApiframeEndpoints
{
    public const string CreatePath = "/v2/videos/generate";
    public const string GetPath = "/v2/jobs/{id}";
    public const string ListPath = "/v2/jobs";

    /// <summary>The progress values at which a <c>progress</c> webhook is sent.</summary>
    public static readonly IReadOnlyList<double> ProgressMilestones = [0, 25, 50, 75];

    private static readonly string[] Events = ["progress", "completed", "failed"];
    private static readonly string[] Statuses = ["QUEUED", "PROCESSING", "COMPLETED", "FAILED"];

    /// <summary>Each family's parameters object, by model prefix (https://docs-v2.apiframe.ai/docs/videos, the model pages).</summary>
    private static readonly (string Prefix, string Params, string? Start, string? End, bool HasAspectRatio)[] Families =
    [
        ("grok-imagine-video", "grokImagineVideoParams", "reference_images", null, true),
        ("hailuo-", "hailuoParams", "image", "end_image", false),
        ("luma-", "lumaParams", "start_image", "end_image", true),
        ("kling-", "klingParams", "start_image", "end_image", true),
        ("midjourney-video", "midjourneyVideoParams", "start_image", null, false),
        ("runway-", "runwayParams", "image", null, true),
        ("seedance-", "seedanceParams", "start_image", "end_image", true),
        ("sora-", "soraParams", "start_image", null, true),
        ("veo-", "veoParams", "image", "last_frame", true),
        ("wan-", "wanParams", "image", null, false),
    ];

    public static void Map(WebApplication app, SandboxRuntime runtime)
    {
        app.MapPost(CreatePath, VendorPipeline.Handle(runtime, ApiframeDialect.Instance, createsJob: true, CreateAsync));
        app.MapGet(GetPath, VendorPipeline.Handle(runtime, ApiframeDialect.Instance, createsJob: false, Get));
        app.MapGet(ListPath, VendorPipeline.Handle(runtime, ApiframeDialect.Instance, createsJob: false, List));
    }

    /// <summary>The webhook signing secret of a key: the lowercase hex SHA-256 of the key, as text (the sandbox's reading of the page).</summary>
    public static string SigningSecret(string apiKey) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)));

    /// <summary>The <c>X-Webhook-Signature</c> of a body: lowercase hex HMAC-SHA256 keyed with <paramref name="secret"/>.</summary>
    public static string Sign(string secret, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

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

        // The seed's `parameters` object does not exist at Apiframe: each family has its own object.
        if (!RequestBody.IsMissing(body["parameters"]))
        {
            return ApiframeDialect.Validation("parameters is not a field; send the model's own object (klingParams, lumaParams, wanParams, midjourneyVideoParams, ...).");
        }

        var family = Families.First(f => model.Id == f.Prefix || (f.Prefix.EndsWith('-') && model.Id.StartsWith(f.Prefix, StringComparison.Ordinal)));
        foreach (var other in Families.Where(f => f.Params != family.Params && !RequestBody.IsMissing(body[f.Params])))
        {
            return ApiframeDialect.Validation($"{other.Params} is not for {model.Id}; send {family.Params}.");
        }

        var parametersToken = body[family.Params];
        if (!RequestBody.IsMissing(parametersToken) && parametersToken!.Type != JTokenType.Object)
        {
            return ApiframeDialect.Validation($"{family.Params} {RequestBody.Show(parametersToken)} is not an object.");
        }

        var parameters = parametersToken as JObject ?? [];
        var duration = model.Durations.Count > 0 ? model.Durations.Min() : 5;
        if (parameters["duration"] is { } durationToken && durationToken.Type != JTokenType.Null)
        {
            if (durationToken.Type != JTokenType.Integer || (model.Durations.Count > 0 && !model.Durations.Contains(durationToken.Value<int>())))
            {
                return ApiframeDialect.Validation($"{family.Params}.duration {RequestBody.Show(durationToken)} is not allowed for {model.Id}; allowed: {(model.Durations.Count > 0 ? string.Join(", ", model.Durations) : "whole seconds")}.");
            }

            duration = durationToken.Value<int>();
        }

        var start = family.Start is { } startKey ? parameters[startKey] : null;
        var hasStart = start is { Type: JTokenType.String } || start is JArray { Count: > 0 };
        if (!hasStart && !model.Supports(Catalog.VideoModes.TextToVideo))
        {
            return ApiframeDialect.Validation($"{model.Id} is image-to-video only: {family.Params}.{family.Start} is required.");
        }

        var resolution = (string?)parameters["resolution"];
        if (resolution is not null && model.Resolutions.Count > 0 && model.Id != "midjourney-video" && !model.Resolutions.Contains(resolution, StringComparer.OrdinalIgnoreCase))
        {
            return ApiframeDialect.Validation($"{family.Params}.resolution '{resolution}' is not allowed for {model.Id}; allowed: {string.Join(", ", model.Resolutions)}.");
        }

        var aspectRatio = family.HasAspectRatio ? (string?)parameters["aspect_ratio"] : null;
        aspectRatio = SampleClips.Has(aspectRatio) ? aspectRatio! : SampleClips.DefaultAspectRatio;

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
            // The key is read again only to derive the signing secret (its SHA-256); the sandbox keeps neither the key nor logs it.
            var secret = SigningSecret(call.Http.Request.Headers[ApiframeDialect.Instance.ApiKeyHeader!].ToString().Trim());
            call.Runtime.Callbacks.Start(job, webhookUrl, Webhooks(job, events, secret));
        }

        if (call.DropAfterAccept())
        {
            return VendorCall.Dropped;
        }

        return new JsonBody(new JObject { ["jobId"] = job.Id, ["status"] = "QUEUED" }, StatusCodes.Status202Accepted);
    }

    private static Task<IResult> Get(VendorCall call)
    {
        var id = (string)call.Http.Request.RouteValues["id"]!;
        var job = call.Runtime.Jobs.Find(SandboxVendors.Apiframe, id, call.Owner);
        return Task.FromResult(job is null
            ? ApiframeDialect.NotFound($"No job with id '{id}'.")
            : new JsonBody(Render(job, call.Now), StatusCodes.Status200OK));
    }

    /// <summary>GET /v2/jobs: the key's jobs, newest first, filtered by status and model, in pages of <c>limit</c> (1–100, default 20) with an opaque cursor.</summary>
    private static Task<IResult> List(VendorCall call)
    {
        var query = call.Http.Request.Query;
        var status = query["status"].ToString();
        if (status.Length > 0 && !Statuses.Contains(status, StringComparer.Ordinal))
        {
            return Task.FromResult(ApiframeDialect.Validation($"status '{status}' is not allowed; use one of {string.Join(", ", Statuses)}."));
        }

        var limit = 20;
        if (query["limit"].ToString() is { Length: > 0 } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > 100))
        {
            return Task.FromResult(ApiframeDialect.Validation($"limit '{limitText}' is not allowed; use 1–100."));
        }

        var skip = 0;
        if (query["cursor"].ToString() is { Length: > 0 } cursor && !TryReadCursor(cursor, out skip))
        {
            return Task.FromResult(ApiframeDialect.Validation($"cursor '{cursor}' is not a cursor of this listing."));
        }

        var model = query["model"].ToString();
        var now = call.Now;
        var jobs = call.Runtime.Jobs.List(SandboxVendors.Apiframe, call.Owner)
            .Reverse()
            .Select(j => Render(j, now))
            .Where(j => status.Length == 0 || (string?)j["status"] == status)
            .Where(j => model.Length == 0 || (string?)j["model"] == model)
            .ToList();
        var page = jobs.Skip(skip).Take(limit).ToList();
        var hasMore = skip + page.Count < jobs.Count;
        return Task.FromResult<IResult>(new JsonBody(new JObject
        {
            ["jobs"] = new JArray(page),
            ["nextCursor"] = hasMore ? WriteCursor(skip + page.Count) : null,
            ["hasMore"] = hasMore,
        }, StatusCodes.Status200OK));
    }

    private static string WriteCursor(int offset) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{{\"offset\":{offset}}}"));

    private static bool TryReadCursor(string cursor, out int offset)
    {
        offset = 0;
        try
        {
            return JObject.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(cursor)))["offset"] is { Type: JTokenType.Integer } value
                && (offset = value.Value<int>()) >= 0;
        }
        catch (Exception e) when (e is FormatException or Newtonsoft.Json.JsonException)
        {
            return false;
        }
    }

    public static JObject Render(SandboxJob job, DateTimeOffset now)
    {
        var phase = job.PhaseAt(now);
        var failed = phase is not (SandboxJobPhase.Queued or SandboxJobPhase.Processing or SandboxJobPhase.Succeeded);
        return new JObject
        {
            ["id"] = job.Id,
            ["status"] = Status(phase),
            ["model"] = job.Model,
            ["progress"] = job.ProgressAt(now) ?? 0,
            ["result"] = phase == SandboxJobPhase.Succeeded ? Result(job) : null,
            ["error"] = job.FailureReasonAt(now),

            // "Credits are refunded" on failure (https://docs-v2.apiframe.ai/docs/jobs/get): the failed example shows 0.
            ["creditCost"] = failed ? 0 : job.Price,
            ["webhookStatus"] = job.Request["webhookUrl"] is null ? null : SandboxJob.IsTerminal(phase) ? "sent" : null,
            ["createdAt"] = Iso.Format(job.CreatedAt),
            ["completedAt"] = job.EndedAt(now) is { } ended ? Iso.Format(ended) : null,
        };
    }

    /// <summary>Apiframe has no cancelled status: a cancelled job is FAILED.</summary>
    public static string Status(SandboxJobPhase phase) => phase switch
    {
        SandboxJobPhase.Queued => "QUEUED",
        SandboxJobPhase.Processing => "PROCESSING",
        SandboxJobPhase.Succeeded => "COMPLETED",
        _ => "FAILED",
    };

    /// <summary>A video job's result: <c>{videoUrl}</c>, or <c>{videos: [...]}</c> for Midjourney Video's four.</summary>
    private static JObject Result(SandboxJob job)
    {
        var urls = MediaEndpoints.UrlsFor(job).ToList();
        return job.Model == "midjourney-video"
            ? new JObject { ["videos"] = new JArray(urls) }
            : new JObject { ["videoUrl"] = urls[0] };
    }

    private static CallbackSchedule Webhooks(SandboxJob job, IReadOnlySet<string> subscribed, string secret)
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
        return new CallbackSchedule(events, _ => subscribed.Contains("failed") ? Payload("failed", job, "FAILED", progress: null, result: null, job.CancelReason) : null)
        {
            Headers = (json, payload) =>
            [
                new("X-Webhook-Signature", Sign(secret, json)),
                new("X-Webhook-Event", (string?)payload["event"] ?? string.Empty),
            ],
        };
    }

    /// <summary>The documented payload: <c>event</c>, <c>jobId</c>, <c>status</c>, <c>model</c>, and per event <c>progress</c>, <c>result</c>, <c>creditCost</c>, <c>completedAt</c> or <c>error</c>.</summary>
    private static JObject Payload(string @event, SandboxJob job, string status, double? progress, JObject? result, string? error)
    {
        var payload = new JObject { ["event"] = @event, ["jobId"] = job.Id, ["status"] = status };
        if (progress is not null)
        {
            payload["progress"] = progress;
        }

        if (result is not null)
        {
            payload["result"] = result;
            payload["creditCost"] = job.Price;
            payload["completedAt"] = Iso.Format(job.FinishesAt);
        }

        if (error is not null)
        {
            payload["error"] = error;
        }

        payload["model"] = job.Model;
        return payload;
    }
}
