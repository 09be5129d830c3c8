using System.Globalization;
using Newtonsoft.Json.Linq;
using VideoGen.Sandbox.Core;

namespace VideoGen.Sandbox.Elumenta;

/// <summary>
/// Elumenta / NeuralBox (specs/elumenta.yaml; seeds 000 and 002): <c>POST /api/v2/generate</c> answers a
/// <c>pending</c> generation with an integer id; <c>GET /api/v2/generate/{id}</c> answers it <c>pending</c> until
/// done, then <c>completed</c> (with <c>result_url</c>, <c>tokens_spent</c>, <c>result_metadata</c>) or <c>failed</c>
/// (with <c>error</c>, nothing charged). The servers' base path <c>/api</c> is part of the URL.
/// </summary>
internal static class ElumentaEndpoints
{
    public const string CreatePath = "/api/v2/generate";
    public const string GetPath = "/api/v2/generate/{id}";
    public const string CalculatePricePath = "/api/v2/models/{slug}/calculate-price";
    public const string BalancePath = "/api/v2/balance";

    private const int DefaultDuration = 5;
    private const string DefaultAspectRatio = "16:9";

    public static void Map(WebApplication app, SandboxRuntime runtime)
    {
        app.MapPost(CreatePath, VendorPipeline.Handle(runtime, ElumentaDialect.Instance, createsJob: true, CreateAsync));
        app.MapGet(GetPath, VendorPipeline.Handle(runtime, ElumentaDialect.Instance, createsJob: false, Get));
        app.MapPost(CalculatePricePath, VendorPipeline.Handle(runtime, ElumentaDialect.Instance, createsJob: false, CalculatePriceAsync));
        app.MapGet(BalancePath, VendorPipeline.Handle(runtime, ElumentaDialect.Instance, createsJob: false, Balance));
    }

    /// <summary>The key's token balance (https://docs.elumenta.ru/en/api-reference/user/balance.md): token_balance, plan, plan_expires_at.</summary>
    private static Task<IResult> Balance(VendorCall call) =>
        Task.FromResult<IResult>(new JsonBody(new JObject
        {
            ["token_balance"] = (long)call.Runtime.Ledger.GetBalance(SandboxVendors.Elumenta, call.Owner),
            // API access comes with the VIP and Elite plans (https://docs.elumenta.ru/en/quickstart); the sandbox plays Elite.
            ["plan"] = "elite",
            ["plan_expires_at"] = null,
        }, StatusCodes.Status200OK));

    /// <summary>
    /// Calculate Price (https://docs.elumenta.ru/en/api-reference/models/calculate-price): what a generation with these
    /// parameters costs, the same figure the sandbox charges on create; nothing is charged for asking.
    /// </summary>
    private static async Task<IResult> CalculatePriceAsync(VendorCall call)
    {
        var (body, problem) = await RequestBody.ReadObjectAsync(call.Http).ConfigureAwait(false);
        if (body is null)
        {
            return ElumentaDialect.BadRequest(problem!);
        }

        var slug = (string)call.Http.Request.RouteValues["slug"]!;
        var vendor = call.Runtime.Vendor(SandboxVendors.Elumenta);
        if (vendor.FindModel(slug) is not { } model || model.Id != slug)
        {
            return ElumentaDialect.NotFound($"Model '{slug}' not found.");
        }

        // The generate parameters sit inside `params` (calculate-price.md § Body Parameters).
        var parameters = body["params"] as JObject ?? new JObject();
        if (ReadDuration(parameters, model.Id, model.Durations, out var duration) is { } invalid)
        {
            return invalid;
        }

        var price = SandboxPricing.PriceOf(model, duration);
        return new JsonBody(new JObject
        {
            ["token_cost"] = (long)price,
            ["min_token_cost"] = model.Price is { } p ? (long)p.Min : null,
            ["max_token_cost"] = model.Price is { } q ? (long)q.Max : null,
            ["pricing_type"] = model.Price is { } r && r.Min == r.Max ? "fixed" : "per_second",
        }, StatusCodes.Status200OK);
    }

    private static async Task<IResult> CreateAsync(VendorCall call)
    {
        var (body, problem) = await RequestBody.ReadObjectAsync(call.Http).ConfigureAwait(false);
        if (body is null)
        {
            return ElumentaDialect.BadRequest(problem!);
        }

        var vendor = call.Runtime.Vendor(SandboxVendors.Elumenta);
        var allowedModels = string.Join(", ", vendor.Models.Select(m => m.Id));

        var modelToken = body["model"];
        if (RequestBody.IsMissing(modelToken))
        {
            return ElumentaDialect.BadRequest($"model is required; allowed: {allowedModels}.", "model");
        }

        if (modelToken!.Type != JTokenType.String || vendor.FindModel((string?)modelToken) is not { } model || model.Id != (string?)modelToken)
        {
            return ElumentaDialect.Invalid("model", modelToken, $"model {RequestBody.Show(modelToken)} is not a video model; allowed: {allowedModels}.", new JArray(vendor.Models.Select(m => m.Id)));
        }

        var promptToken = body["prompt"];
        if (RequestBody.IsMissing(promptToken) || (promptToken!.Type == JTokenType.String && string.IsNullOrWhiteSpace((string?)promptToken)))
        {
            return ElumentaDialect.BadRequest("prompt is required: a text description of the video to generate.", "prompt");
        }

        if (promptToken.Type != JTokenType.String)
        {
            return ElumentaDialect.Invalid("prompt", promptToken, $"prompt must be a string; got {RequestBody.Show(promptToken)}.");
        }

        if (ReadDuration(body, model.Id, model.Durations, out var duration) is { } invalidDuration)
        {
            return invalidDuration;
        }

        var aspectRatio = DefaultAspectRatio;
        var ratioToken = body["aspect_ratio"];
        if (!RequestBody.IsMissing(ratioToken))
        {
            if (ratioToken!.Type != JTokenType.String || !model.AspectRatios.Contains((string)ratioToken!))
            {
                return ElumentaDialect.Invalid("aspect_ratio", ratioToken,
                    $"aspect_ratio {RequestBody.Show(ratioToken)} is not supported; allowed: {string.Join(", ", model.AspectRatios)}.",
                    new JArray(model.AspectRatios));
            }

            aspectRatio = (string)ratioToken!;
        }

        var imageToken = body["image_url"];
        if (!RequestBody.IsMissing(imageToken) && (imageToken!.Type != JTokenType.String || !RequestBody.IsHttpUrl((string?)imageToken)))
        {
            return ElumentaDialect.Invalid("image_url", imageToken, $"image_url {RequestBody.Show(imageToken)} is not an absolute http(s) URL.");
        }

        var negativeToken = body["negative_prompt"];
        if (!RequestBody.IsMissing(negativeToken) && negativeToken!.Type != JTokenType.String)
        {
            return ElumentaDialect.Invalid("negative_prompt", negativeToken, $"negative_prompt must be a string; got {RequestBody.Show(negativeToken)}.");
        }

        var price = SandboxPricing.PriceOf(model, duration);
        if (!call.Runtime.Ledger.TryCharge(SandboxVendors.Elumenta, call.Owner, price, out var balance))
        {
            return ElumentaDialect.InsufficientTokens(price, balance);
        }

        var job = call.Runtime.Jobs.Create(call.Runtime.Jobs.NextElumentaId(), new JobRequest
        {
            Vendor = SandboxVendors.Elumenta,
            Owner = call.Owner,
            Model = model.Id,
            ModelInfo = model,
            Prompt = (string)promptToken!,
            DurationSeconds = duration,
            AspectRatio = aspectRatio,
            Price = price,
            PublicBaseUrl = call.PublicBaseUrl,
            Request = body,
        });

        if (call.DropAfterAccept())
        {
            return VendorCall.Dropped;
        }

        // The create response is the seed's "Initial Response (Pending)", field for field.
        return new JsonBody(new JObject
        {
            ["id"] = long.Parse(job.Id, CultureInfo.InvariantCulture),
            ["status"] = "pending",
            ["model_slug"] = job.Model,
            ["processing_ms"] = null,
            ["created_at"] = Iso.Format(job.CreatedAt),
        }, StatusCodes.Status200OK);
    }

    /// <summary>
    /// The <c>duration</c> of a generate request or of Calculate Price's <c>params</c> (the same rule for both): the
    /// default when absent, else an integer the model offers; returns the 422 answer for any other value, else null.
    /// </summary>
    private static IResult? ReadDuration(JObject parameters, string modelId, IReadOnlyList<int> durations, out int duration)
    {
        duration = DefaultDuration;
        var token = parameters["duration"];
        if (RequestBody.IsMissing(token))
        {
            return null;
        }

        if (token!.Type != JTokenType.Integer || !durations.Contains(token.Value<int>()))
        {
            return ElumentaDialect.Invalid("duration", token,
                $"duration {RequestBody.Show(token)} is not supported by {modelId}; allowed: {string.Join(" or ", durations)} (seconds, an integer).",
                new JArray(durations));
        }

        duration = token.Value<int>();
        return null;
    }

    private static Task<IResult> Get(VendorCall call)
    {
        var id = (string)call.Http.Request.RouteValues["id"]!;
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return Task.FromResult(ElumentaDialect.NotFound($"Generation '{id}' not found: generation ids are integers."));
        }

        var job = call.Runtime.Jobs.Find(SandboxVendors.Elumenta, id, call.Owner);
        return Task.FromResult(job is null
            ? ElumentaDialect.NotFound($"Generation {id} not found.")
            : new JsonBody(Render(job, call.Now), StatusCodes.Status200OK));
    }

    /// <summary>A generation as GET answers it (the seed's Completed Response and the vendor's status page).</summary>
    public static JObject Render(SandboxJob job, DateTimeOffset now)
    {
        var phase = job.PhaseAt(now);
        var body = new JObject
        {
            ["id"] = long.Parse(job.Id, CultureInfo.InvariantCulture),
            ["status"] = Status(phase),
            ["model_slug"] = job.Model,
        };

        switch (phase)
        {
            case SandboxJobPhase.Succeeded:
                var clip = SampleClips.For(job.AspectRatio);
                body["result_url"] = MediaEndpoints.UrlFor(job, 1);
                body["tokens_spent"] = (long)job.Price;
                body["result_metadata"] = new JObject { ["duration"] = job.DurationSeconds, ["width"] = clip.Width, ["height"] = clip.Height };
                body["processing_ms"] = (long)(job.FinishesAt - job.CreatedAt).TotalMilliseconds;
                body["created_at"] = Iso.Format(job.CreatedAt);
                body["completed_at"] = Iso.Format(job.FinishesAt);
                break;
            case SandboxJobPhase.Failed or SandboxJobPhase.Cancelled:
                body["error"] = job.FailureReasonAt(now);
                body["tokens_spent"] = 0;
                body["processing_ms"] = (long)(job.EndedAt(now)!.Value - job.CreatedAt).TotalMilliseconds;
                body["created_at"] = Iso.Format(job.CreatedAt);
                body["completed_at"] = Iso.Format(job.EndedAt(now)!.Value);
                break;
            default:
                // The vendor sends the fields of an unfinished generation as null (issue 10); so does the sandbox.
                body["result_url"] = null;
                body["thumbnail_url"] = null;
                body["tokens_spent"] = 0;
                body["result_metadata"] = null;
                body["error"] = null;
                body["processing_ms"] = null;
                body["created_at"] = Iso.Format(job.CreatedAt);
                body["completed_at"] = null;
                break;
        }

        return body;
    }

    /// <summary>Elumenta has no processing state: a generation is pending until it is completed or failed.</summary>
    public static string Status(SandboxJobPhase phase) => phase switch
    {
        SandboxJobPhase.Queued or SandboxJobPhase.Processing => "pending",
        SandboxJobPhase.Succeeded => "completed",
        _ => "failed",
    };
}
