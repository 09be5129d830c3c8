using System.Globalization;
using Newtonsoft.Json.Linq;
using VideoGen.Catalog;
using VideoGen.Sandbox.Core;

namespace VideoGen.Sandbox.Oxen;

/// <summary>
/// Oxen.ai (specs/oxen.yaml; seed 004): <c>POST /api/ai/videos/generate</c> blocks until the video is ready and answers
/// <c>videos[].url</c> (or <c>b64_json</c>); <c>POST /api/ai/queue</c> enqueues 1–4 generations (<c>queued</c>);
/// <c>GET /api/ai/queue/{generation_id}</c> answers one, queued → processing → succeeded / failed / cancelled;
/// <c>GET /api/ai/queue?model=&amp;status=</c> lists them (only active ones without <c>status</c>). As documented,
/// model-specific parameters and credits are checked when a queued generation runs: a problem makes it end
/// <c>failed</c> with an <c>error_message</c> (for example "Insufficient credits"), while the synchronous endpoint
/// refuses it at once.
/// </summary>
internal static class OxenEndpoints
{
    public const string GeneratePath = "/api/ai/videos/generate";
    public const string QueuePath = "/api/ai/queue";
    public const string QueueItemPath = "/api/ai/queue/{generation_id}";
    public const string RetryPath = "/api/ai/queue/{generation_id}/retry";

    private const int DefaultDuration = 5;
    private const string InsufficientCredits = "Insufficient credits";

    private static readonly string[] Statuses = ["queued", "processing", "succeeded", "failed", "cancelled"];
    private static readonly string[] MediaTypes = ["image", "video"];
    private static readonly string[] ResponseFormats = ["url", "b64_json"];

    public static void Map(WebApplication app, SandboxRuntime runtime)
    {
        app.MapPost(GeneratePath, VendorPipeline.Handle(runtime, OxenDialect.Instance, createsJob: true, GenerateAsync));
        app.MapPost(QueuePath, VendorPipeline.Handle(runtime, OxenDialect.Instance, createsJob: true, EnqueueAsync));
        app.MapGet(QueuePath, VendorPipeline.Handle(runtime, OxenDialect.Instance, createsJob: false, List));
        app.MapGet(QueueItemPath, VendorPipeline.Handle(runtime, OxenDialect.Instance, createsJob: false, Get));
        app.MapDelete(QueueItemPath, VendorPipeline.Handle(runtime, OxenDialect.Instance, createsJob: false, Cancel));
        app.MapPost(RetryPath, VendorPipeline.Handle(runtime, OxenDialect.Instance, createsJob: true, Retry));
    }

    /// <summary>
    /// <c>DELETE /api/ai/queue/{id}</c> (https://docs.oxen.ai/fine-tuning-api/cancel-generation.md): the generation is
    /// kept with status <c>cancelled</c> (a finished one keeps its final status); the credits of an unfinished one are refunded.
    /// </summary>
    private static Task<IResult> Cancel(VendorCall call)
    {
        var raw = (string)call.Http.Request.RouteValues["generation_id"]!;
        var job = Guid.TryParse(raw, out var id) ? call.Runtime.Jobs.Find(SandboxVendors.Oxen, id.ToString(), call.Owner) : null;
        if (job is null)
        {
            return Task.FromResult(OxenDialect.NotFound());
        }

        call.Runtime.Jobs.Cancel(job, "Cancelled by the user");
        return Task.FromResult<IResult>(new JsonBody(new JObject
        {
            ["generation_id"] = job.Id,
            ["status"] = Status(job.PhaseAt(call.Now)),
        }, StatusCodes.Status200OK));
    }

    /// <summary>
    /// <c>POST /api/ai/queue/{id}/retry</c> (https://docs.oxen.ai/fine-tuning-api/kill-%26-retry-generation.md): cancels the
    /// generation and enqueues a fresh one with the same parameters, linked by <c>retried_from_id</c>; a succeeded one cannot be retried.
    /// </summary>
    private static Task<IResult> Retry(VendorCall call)
    {
        var raw = (string)call.Http.Request.RouteValues["generation_id"]!;
        var job = Guid.TryParse(raw, out var id) ? call.Runtime.Jobs.Find(SandboxVendors.Oxen, id.ToString(), call.Owner) : null;
        if (job is null)
        {
            return Task.FromResult(OxenDialect.NotFound());
        }

        if (job.PhaseAt(call.Now) == SandboxJobPhase.Succeeded)
        {
            return Task.FromResult(OxenDialect.BadRequest("A generation that already succeeded cannot be retried."));
        }

        call.Runtime.Jobs.Cancel(job, "Cancelled by a retry");
        var model = call.Runtime.Vendor(SandboxVendors.Oxen).FindModel(job.Model)!;
        var price = SandboxPricing.PriceOf(model, job.DurationSeconds);
        var charged = call.Runtime.Ledger.TryCharge(SandboxVendors.Oxen, call.Owner, price, out _);
        var retried = call.Runtime.Jobs.Create(call.Runtime.Jobs.NextGuid().ToString(), job.Terms with
        {
            ModelInfo = model,
            Price = charged ? price : 0m,
            PublicBaseUrl = call.PublicBaseUrl,
            FailOnStart = charged ? null : InsufficientCredits,
        });
        var body = Render(retried, call.Now);
        body["retried_from_id"] = job.Id;
        return Task.FromResult<IResult>(new JsonBody(body, StatusCodes.Status200OK));
    }

    private static async Task<IResult> GenerateAsync(VendorCall call)
    {
        var (request, error) = await ReadAsync(call, queue: false).ConfigureAwait(false);
        if (request is null)
        {
            return error!;
        }

        if (request.RunTimeProblem is { } problem)
        {
            return OxenDialect.BadRequest(problem);
        }

        var price = SandboxPricing.PriceOf(request.Model, request.DurationSeconds);
        if (!call.Runtime.Ledger.TryCharge(SandboxVendors.Oxen, call.Owner, price, out _))
        {
            return OxenDialect.InsufficientCredits(InsufficientCredits);
        }

        var job = Create(call, request, price, failOnStart: null);
        if (call.DropAfterAccept())
        {
            return VendorCall.Dropped;
        }

        await JobWaiter.WaitAsync([job], (j, now) => SandboxJob.IsTerminal(j.PhaseAt(now)), deadline: null, call.Runtime.Time, call.Aborted).ConfigureAwait(false);
        var now = call.Now;
        if (job.PhaseAt(now) != SandboxJobPhase.Succeeded)
        {
            return OxenDialect.GenerationFailed($"Generation {job.Id} {Status(job.PhaseAt(now))}: {job.FailureReasonAt(now)}");
        }

        var video = request.ResponseFormat == "b64_json"
            ? new JObject { ["b64_json"] = Convert.ToBase64String(SampleClips.For(job.AspectRatio).Bytes) }
            : new JObject { ["url"] = MediaEndpoints.UrlFor(job, 1) };
        return new JsonBody(new JObject
        {
            ["model"] = job.Model,
            ["created"] = job.CreatedAt.ToUnixTimeSeconds(),
            ["videos"] = new JArray(video),
        }, StatusCodes.Status200OK);
    }

    private static async Task<IResult> EnqueueAsync(VendorCall call)
    {
        var (request, error) = await ReadAsync(call, queue: true).ConfigureAwait(false);
        if (request is null)
        {
            return error!;
        }

        var price = SandboxPricing.PriceOf(request.Model, request.DurationSeconds);
        var jobs = new List<SandboxJob>();
        for (var i = 0; i < request.Count; i++)
        {
            var failure = request.RunTimeProblem;
            var charged = failure is null && call.Runtime.Ledger.TryCharge(SandboxVendors.Oxen, call.Owner, price, out _);
            if (failure is null && !charged)
            {
                failure = InsufficientCredits;
            }

            jobs.Add(Create(call, request, charged ? price : 0m, failure));
        }

        if (call.DropAfterAccept())
        {
            return VendorCall.Dropped;
        }

        return new JsonBody(new JObject
        {
            ["generations"] = new JArray(jobs.Select(j => new JObject { ["generation_id"] = j.Id, ["status"] = "queued" })),
        }, StatusCodes.Status200OK);
    }

    private static Task<IResult> Get(VendorCall call)
    {
        var raw = (string)call.Http.Request.RouteValues["generation_id"]!;
        var job = Guid.TryParse(raw, out var id) ? call.Runtime.Jobs.Find(SandboxVendors.Oxen, id.ToString(), call.Owner) : null;
        return Task.FromResult(job is null ? OxenDialect.NotFound() : new JsonBody(Render(job, call.Now), StatusCodes.Status200OK));
    }

    private static Task<IResult> List(VendorCall call)
    {
        var query = call.Http.Request.Query;
        var status = query["status"].ToString();
        if (status.Length > 0 && !Statuses.Contains(status))
        {
            return Task.FromResult(OxenDialect.BadRequest($"status '{status}' is not allowed; allowed: {string.Join(", ", Statuses)}."));
        }

        var mediaType = query["media_type"].ToString();
        if (mediaType.Length > 0 && !MediaTypes.Contains(mediaType))
        {
            return Task.FromResult(OxenDialect.BadRequest($"media_type '{mediaType}' is not allowed; allowed: {string.Join(", ", MediaTypes)}."));
        }

        // namespace, repo and folder are accepted; sandbox jobs all belong to the caller's own namespace and target no repository.
        var model = query["model"].ToString();
        var now = call.Now;
        var generations = call.Runtime.Jobs.List(SandboxVendors.Oxen, call.Owner)
            .Where(j => model.Length == 0 || j.Model == model)
            .Where(j => mediaType is "" or "video")
            .Where(j => status.Length > 0 ? Status(j.PhaseAt(now)) == status : !SandboxJob.IsTerminal(j.PhaseAt(now)))
            .Select(j => Render(j, now))
            .ToList();
        return Task.FromResult<IResult>(new JsonBody(new JObject { ["count"] = generations.Count, ["generations"] = new JArray(generations) }, StatusCodes.Status200OK));
    }

    /// <summary>A queued generation (specs/oxen.yaml QueuedGeneration), echoing the submitted aspect_ratio, duration and seed.</summary>
    public static JObject Render(SandboxJob job, DateTimeOffset now)
    {
        var phase = job.PhaseAt(now);
        var body = new JObject
        {
            ["generation_id"] = job.Id,
            ["model_name"] = job.Model,
        };
        if (job.Prompt is not null)
        {
            body["prompt"] = job.Prompt;
        }

        body["media_type"] = "video";
        body["status"] = Status(phase);
        body["result_url"] = phase == SandboxJobPhase.Succeeded ? MediaEndpoints.UrlFor(job, 1) : null;
        body["error_message"] = job.FailureReasonAt(now);
        body["enqueued_at"] = job.CreatedAt.ToUnixTimeSeconds();
        body["started_at"] = job.StartedAt(now)?.ToUnixTimeSeconds();
        body["completed_at"] = job.EndedAt(now)?.ToUnixTimeSeconds();
        foreach (var echoed in new[] { "seed", "aspect_ratio", "duration" })
        {
            if (job.Request[echoed] is { Type: not JTokenType.Null } value)
            {
                body[echoed] = value.DeepClone();
            }
        }

        return body;
    }

    public static string Status(SandboxJobPhase phase) => phase switch
    {
        SandboxJobPhase.Queued => "queued",
        SandboxJobPhase.Processing => "processing",
        SandboxJobPhase.Succeeded => "succeeded",
        SandboxJobPhase.Failed => "failed",
        _ => "cancelled",
    };

    private static SandboxJob Create(VendorCall call, OxenRequest request, decimal price, string? failOnStart) =>
        call.Runtime.Jobs.Create(call.Runtime.Jobs.NextGuid().ToString(), new JobRequest
        {
            Vendor = SandboxVendors.Oxen,
            Owner = call.Owner,
            Model = request.Model.Id,
            ModelInfo = request.Model,
            Prompt = request.Prompt,
            DurationSeconds = request.DurationSeconds,
            AspectRatio = request.AspectRatio,
            Price = price,
            PublicBaseUrl = call.PublicBaseUrl,
            Request = request.Body,
            FailOnStart = failOnStart,
        });

    private static async Task<(OxenRequest? Request, IResult? Error)> ReadAsync(VendorCall call, bool queue)
    {
        var (body, problem) = await RequestBody.ReadObjectAsync(call.Http).ConfigureAwait(false);
        if (body is null)
        {
            return (null, OxenDialect.BadRequest(problem!));
        }

        var vendor = call.Runtime.Vendor(SandboxVendors.Oxen);
        var modelToken = body["model"];
        if (RequestBody.IsMissing(modelToken) || modelToken!.Type != JTokenType.String)
        {
            return (null, OxenDialect.BadRequest($"model is required: a video model id such as {vendor.DefaultModel}; got {RequestBody.Show(modelToken)}."));
        }

        var model = vendor.Models.FirstOrDefault(m => m.Id == (string)modelToken!);
        if (model is null)
        {
            return (null, OxenDialect.BadRequest($"Model '{modelToken}' was not found; video models: {string.Join(", ", vendor.Models.Select(m => m.Id))}."));
        }

        var prompt = body["prompt"];
        var shots = body["multi_prompt"];
        var hasPrompt = !RequestBody.IsMissing(prompt);
        var hasShots = !RequestBody.IsMissing(shots);
        if (hasPrompt == hasShots)
        {
            return (null, OxenDialect.BadRequest(hasPrompt
                ? "Send either prompt or multi_prompt, not both."
                : "prompt or multi_prompt is required: a text prompt, or a list of shots {prompt, duration}."));
        }

        string? promptText = null;
        var duration = DefaultDuration;
        if (hasPrompt)
        {
            if (prompt!.Type != JTokenType.String || string.IsNullOrWhiteSpace((string?)prompt))
            {
                return (null, OxenDialect.BadRequest($"prompt must be a non-empty string; got {RequestBody.Show(prompt)}."));
            }

            promptText = (string)prompt!;
            var durationToken = body["duration"];
            if (!RequestBody.IsMissing(durationToken))
            {
                if (durationToken!.Type != JTokenType.Integer || durationToken.Value<long>() is < 1 or > 600)
                {
                    return (null, OxenDialect.BadRequest($"duration {RequestBody.Show(durationToken)} is not allowed; use whole seconds, e.g. 5."));
                }

                duration = durationToken.Value<int>();
            }
        }
        else
        {
            if (shots is not JArray list || list.Count == 0)
            {
                return (null, OxenDialect.BadRequest($"multi_prompt must be a non-empty list of shots {{prompt, duration}}; got {RequestBody.Show(shots)}."));
            }

            duration = 0;
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] is not JObject shot || shot["prompt"] is not { Type: JTokenType.String } shotPrompt || string.IsNullOrWhiteSpace((string?)shotPrompt))
                {
                    return (null, OxenDialect.BadRequest($"multi_prompt[{i}] must be an object with a non-empty prompt; got {RequestBody.Show(list[i])}."));
                }

                var shotDuration = shot["duration"];
                if (!RequestBody.IsMissing(shotDuration) && (shotDuration!.Type != JTokenType.Integer || shotDuration.Value<long>() is < 1 or > 600))
                {
                    return (null, OxenDialect.BadRequest($"multi_prompt[{i}].duration {RequestBody.Show(shotDuration)} is not allowed; use whole seconds, e.g. 5."));
                }

                duration += RequestBody.IsMissing(shotDuration) ? DefaultDuration : shotDuration!.Value<int>();
            }
        }

        var ratioToken = body["aspect_ratio"];
        if (!RequestBody.IsMissing(ratioToken) && ratioToken!.Type != JTokenType.String)
        {
            return (null, OxenDialect.BadRequest($"aspect_ratio must be a string such as 16:9; got {RequestBody.Show(ratioToken)}."));
        }

        var image = body["input_image"];
        if (!RequestBody.IsMissing(image) && !(image!.Type == JTokenType.String || (image is JArray images && images.All(i => i.Type == JTokenType.String))))
        {
            return (null, OxenDialect.BadRequest($"input_image must be a URL or a list of URLs; got {RequestBody.Show(image)}."));
        }

        var video = body["input_video"];
        if (!RequestBody.IsMissing(video) && (video!.Type != JTokenType.String || !RequestBody.IsHttpUrl((string?)video)))
        {
            return (null, OxenDialect.BadRequest($"input_video must be an absolute http(s) URL; got {RequestBody.Show(video)}."));
        }

        if (body["generate_audio"] is { } audio && audio.Type is not (JTokenType.Boolean or JTokenType.Null))
        {
            return (null, OxenDialect.BadRequest($"generate_audio must be true or false; got {RequestBody.Show(audio)}."));
        }

        var format = body["response_format"];
        if (!RequestBody.IsMissing(format) && (format!.Type != JTokenType.String || !ResponseFormats.Contains((string)format!)))
        {
            return (null, OxenDialect.BadRequest($"response_format {RequestBody.Show(format)} is not allowed; allowed: {string.Join(", ", ResponseFormats)}."));
        }

        if (body["seed"] is { } seed && seed.Type is not (JTokenType.Integer or JTokenType.Null))
        {
            return (null, OxenDialect.BadRequest($"seed must be an integer; got {RequestBody.Show(seed)}."));
        }

        if (body["target_namespace"] is { } ns && ns.Type is not (JTokenType.String or JTokenType.Null))
        {
            return (null, OxenDialect.BadRequest($"target_namespace must be a string; got {RequestBody.Show(ns)}."));
        }

        var count = 1;
        if (queue && body["num_generations"] is { Type: not JTokenType.Null } countToken)
        {
            if (countToken.Type != JTokenType.Integer || countToken.Value<long>() is < 1 or > 4)
            {
                return (null, OxenDialect.BadRequest($"num_generations {RequestBody.Show(countToken)} is not allowed; use 1 to 4."));
            }

            count = countToken.Value<int>();
        }

        // Model-specific: whether the model can make this aspect ratio is only known when the generation runs.
        var aspectRatio = RequestBody.IsMissing(ratioToken) ? SampleClips.DefaultAspectRatio : (string)ratioToken!;
        var runTimeProblem = SampleClips.Has(aspectRatio)
            ? null
            : $"aspect_ratio '{aspectRatio}' is not supported by {model.Id}; supported: {string.Join(", ", SampleClips.AspectRatios)}";

        return (new OxenRequest(body, model, promptText, duration, aspectRatio, (string?)format ?? "url", count, runTimeProblem), null);
    }

    private sealed record OxenRequest(
        JObject Body,
        VideoModelInfo Model,
        string? Prompt,
        int DurationSeconds,
        string AspectRatio,
        string ResponseFormat,
        int Count,
        string? RunTimeProblem);
}
