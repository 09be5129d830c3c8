using Newtonsoft.Json.Linq;
using VideoGen.Sandbox.Core;

namespace VideoGen.Sandbox.AimlApi;

/// <summary>
/// AI/ML API's documented video route for its current Luma models (specs/aimlapi.yaml CreateVideoGeneration,
/// GetVideoGeneration; https://docs.aimlapi.com/api-references/video-models/luma-ai/luma-ray-2):
/// <c>POST /v2/video/generations</c> takes <c>model</c> (luma/ray-2, luma/ray-flash-2) and <c>prompt</c>, optionally
/// aspect_ratio, loop, keyframes, resolution and an integer duration (5 or 9), nothing else, and answers 200 with the
/// task <c>queued</c>; <c>GET /v2/video/generations?generation_id=</c> answers the task (queued, generating, completed,
/// error) without waiting. Task ids are a UUID, a colon and the model id, as on the vendor's pages.
/// </summary>
internal static class AimlApiVideoRouteEndpoints
{
    public const string VideoPath = "/v2/video/generations";

    private const string Prefix = "luma/";
    private const int DefaultDuration = 5;

    private static readonly string[] RequestFields = ["model", "prompt", "aspect_ratio", "loop", "keyframes", "resolution", "duration"];
    private static readonly int[] Durations = [5, 9];

    /// <summary>Whether a catalog model of AIML is one of the video route's (its id has AI/ML API's <c>luma/</c> prefix).</summary>
    public static bool IsVideoRouteModel(string modelId) => modelId.StartsWith(Prefix, StringComparison.Ordinal);

    public static void Map(WebApplication app, SandboxRuntime runtime)
    {
        app.MapPost(VideoPath, VendorPipeline.Handle(runtime, AimlApiDialect.Instance, createsJob: true, CreateAsync));
        app.MapGet(VideoPath, VendorPipeline.Handle(runtime, AimlApiDialect.Instance, createsJob: false, Get));
    }

    private static async Task<IResult> CreateAsync(VendorCall call)
    {
        var (body, problem) = await RequestBody.ReadObjectAsync(call.Http).ConfigureAwait(false);
        if (body is null)
        {
            return AimlApiDialect.BadRequest(problem!);
        }

        var vendor = call.Runtime.Vendor(SandboxVendors.AimlApi);
        var models = vendor.Models.Select(m => m.Id).Where(IsVideoRouteModel).ToArray();
        var errors = new List<string>();
        errors.AddRange(body.Properties().Where(p => !RequestFields.Contains(p.Name)).Select(p => $"property {p.Name} should not exist"));

        var prompt = body["prompt"];
        if (RequestBody.IsMissing(prompt) || prompt!.Type != JTokenType.String || string.IsNullOrWhiteSpace((string?)prompt))
        {
            errors.Add($"prompt must be a non-empty string; got {RequestBody.Show(prompt)}");
        }

        if (RequestBody.IsMissing(body["model"]))
        {
            errors.Add($"model should not be empty; allowed: {string.Join(", ", models)}");
        }

        AimlApiEndpoints.CheckEnum(body, "model", models, errors);
        AimlApiEndpoints.CheckEnum(body, "aspect_ratio", AimlApiEndpoints.AspectRatios, errors);
        AimlApiEndpoints.CheckEnum(body, "resolution", AimlApiEndpoints.Resolutions, errors);
        var duration = body["duration"];
        if (!RequestBody.IsMissing(duration) && (duration!.Type != JTokenType.Integer || !Durations.Contains(duration.Value<int>())))
        {
            // The schema says integer; the pages' own examples send "5" (a string), which this route refuses.
            errors.Add($"duration must be one of the following values: 5, 9 (an integer); got {RequestBody.Show(duration)}");
        }

        AimlApiEndpoints.CheckLoop(body, errors);
        var extended = new List<(string Frame, string Id)>();
        AimlApiEndpoints.CheckKeyframes(body["keyframes"], errors, extended, uuidIds: false);
        AimlApiEndpoints.CheckExtendedGenerations(call, extended, Status, errors);

        if (errors.Count > 0)
        {
            return AimlApiDialect.BadRequest(errors);
        }

        var model = vendor.Models.First(m => m.Id == (string)body["model"]!);
        var seconds = RequestBody.IsMissing(duration) ? DefaultDuration : duration!.Value<int>();
        var aspectRatio = RequestBody.IsMissing(body["aspect_ratio"]) ? SampleClips.DefaultAspectRatio : (string)body["aspect_ratio"]!;
        var price = SandboxPricing.PriceOf(model, seconds);
        if (!call.Runtime.Ledger.TryCharge(SandboxVendors.AimlApi, call.Owner, price, out _))
        {
            return AimlApiDialect.PaymentRequired("Insufficient credits for this generation.");
        }

        var job = call.Runtime.Jobs.Create($"{call.Runtime.Jobs.NextGuid()}:{model.Id}", new JobRequest
        {
            Vendor = SandboxVendors.AimlApi,
            Owner = call.Owner,
            Model = model.Id,
            ModelInfo = model,
            Prompt = (string)body["prompt"]!,
            DurationSeconds = seconds,
            AspectRatio = aspectRatio,
            Price = price,
            PublicBaseUrl = call.PublicBaseUrl,
            Request = body,
        });

        if (call.DropAfterAccept())
        {
            return VendorCall.Dropped;
        }

        // Accepted means queued, even at time scale 0 where the job is already done when the answer is written.
        var created = Render(job, job.CreatedAt);
        created["status"] = "queued";
        created["video"] = null;
        created["error"] = null;
        return new JsonBody(created, StatusCodes.Status200OK);
    }

    private static Task<IResult> Get(VendorCall call)
    {
        var ids = call.Http.Request.Query["generation_id"];
        if (ids.Count != 1 || string.IsNullOrEmpty(ids[0]))
        {
            return Task.FromResult(AimlApiDialect.BadRequest("generation_id should not be empty"));
        }

        var job = call.Runtime.Jobs.Find(SandboxVendors.AimlApi, ids[0]!, call.Owner);
        return Task.FromResult(job is null
            ? AimlApiDialect.BadRequest($"generation_id: generation {ids[0]} was not found")
            : new JsonBody(Render(job, call.Now), StatusCodes.Status200OK));
    }

    /// <summary>A task in the video route's shape (specs/aimlapi.yaml VideoGenerationTask).</summary>
    public static JObject Render(SandboxJob job, DateTimeOffset now)
    {
        var phase = job.PhaseAt(now);
        var failure = job.FailureReasonAt(now);
        return new JObject
        {
            ["id"] = job.Id,
            ["status"] = Status(phase),
            ["video"] = phase == SandboxJobPhase.Succeeded ? new JObject { ["url"] = MediaEndpoints.UrlFor(job, 1) } : null,
            ["error"] = failure is null ? null : new JObject { ["name"] = "GenerationError", ["message"] = failure },
            ["meta"] = phase == SandboxJobPhase.Succeeded && job.Price > 0 ? new JObject { ["usage"] = new JObject { ["credits_used"] = job.Price } } : null,
        };
    }

    /// <summary>The route's statuses; a cancelled task is an error.</summary>
    public static string Status(SandboxJobPhase phase) => phase switch
    {
        SandboxJobPhase.Queued => "queued",
        SandboxJobPhase.Processing => "generating",
        SandboxJobPhase.Succeeded => "completed",
        _ => "error",
    };
}
