using System.Globalization;
using Microsoft.Extensions.Primitives;
using Newtonsoft.Json.Linq;
using VideoGen.Sandbox.Core;

namespace VideoGen.Sandbox.AimlApi;

/// <summary>
/// AIML API's Luma Dream Machine routes (specs/aimlapi.yaml; seed 003):
/// <c>POST /v2/generate/video/luma-ai/generation</c> creates (or, with keyframes, extends) a generation and answers
/// 201 with it <c>queued</c>; <c>GET .../generation?generation_id=&amp;state=</c> answers one generation, waiting when
/// asked until the state (or a higher-priority one: queued &lt; dreaming &lt; completed &lt; failed) is reached or
/// 30 s (times the time scale) pass; <c>GET .../generations?generation_ids=&amp;status=</c> does the same for several.
/// Every generation or extension costs 500,000 AI/ML tokens. With <c>callback_url</c>, the generation is POSTed there
/// when it starts dreaming and when it completes or fails (Luma's callback convention).
/// </summary>
internal static class AimlApiEndpoints
{
    public const string GenerationPath = "/v2/generate/video/luma-ai/generation";
    public const string GenerationsPath = "/v2/generate/video/luma-ai/generations";

    /// <summary>How long a wait-for-state request waits at most, in vendor time (seed 003 § Fetch generation).</summary>
    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    private const string DefaultModel = "ray-2";
    private const string DefaultDuration = "5s";

    private static readonly string[] WaitStates = ["queued", "dreaming", "completed"];
    private static readonly string[] RequestFields = ["generation_type", "prompt", "aspect_ratio", "loop", "keyframes", "callback_url", "model", "resolution", "duration"];
    /// <summary>Luma's aspect ratios, the same on both routes (this one and <see cref="AimlApiVideoRouteEndpoints"/>).</summary>
    internal static readonly string[] AspectRatios = ["1:1", "16:9", "9:16", "4:3", "3:4", "21:9", "9:21"];

    /// <summary>Luma's resolutions, the same on both routes.</summary>
    internal static readonly string[] Resolutions = ["540p", "720p", "1080p", "4k"];
    private static readonly string[] Durations = ["5s", "9s"];
    private static readonly string[] KeyframeTypes = ["image", "generation"];

    public static void Map(WebApplication app, SandboxRuntime runtime)
    {
        app.MapPost(GenerationPath, VendorPipeline.Handle(runtime, AimlApiDialect.Instance, createsJob: true, CreateAsync));
        app.MapGet(GenerationPath, VendorPipeline.Handle(runtime, AimlApiDialect.Instance, createsJob: false, GetOneAsync));
        app.MapGet(GenerationsPath, VendorPipeline.Handle(runtime, AimlApiDialect.Instance, createsJob: false, GetManyAsync));
        AimlApiVideoRouteEndpoints.Map(app, runtime);
    }

    private static async Task<IResult> CreateAsync(VendorCall call)
    {
        var (body, problem) = await RequestBody.ReadObjectAsync(call.Http).ConfigureAwait(false);
        if (body is null)
        {
            return AimlApiDialect.BadRequest(problem!);
        }

        var vendor = call.Runtime.Vendor(SandboxVendors.AimlApi);
        var errors = new List<string>();
        errors.AddRange(body.Properties().Where(p => !RequestFields.Contains(p.Name)).Select(p => $"property {p.Name} should not exist"));

        var prompt = body["prompt"];
        if (RequestBody.IsMissing(prompt) || prompt!.Type != JTokenType.String)
        {
            errors.Add($"prompt must be a string; got {RequestBody.Show(prompt)}");
        }
        else if (string.IsNullOrWhiteSpace((string?)prompt))
        {
            errors.Add("prompt should not be empty");
        }

        CheckEnum(body, "generation_type", ["video"], errors);
        CheckEnum(body, "aspect_ratio", AspectRatios, errors);
        CheckEnum(body, "model", vendor.Models.Select(m => m.Id).Where(m => !AimlApiVideoRouteEndpoints.IsVideoRouteModel(m)).ToArray(), errors);
        CheckEnum(body, "resolution", Resolutions, errors);
        CheckEnum(body, "duration", Durations, errors);
        CheckLoop(body, errors);
        if (body["callback_url"] is { } callback && callback.Type != JTokenType.Null && (callback.Type != JTokenType.String || !RequestBody.IsHttpUrl((string?)callback)))
        {
            errors.Add($"callback_url must be a URL address; got {RequestBody.Show(callback)}");
        }

        var extended = new List<(string Frame, string Id)>();
        CheckKeyframes(body["keyframes"], errors, extended);
        if (errors.Count > 0)
        {
            return AimlApiDialect.BadRequest(errors);
        }

        CheckExtendedGenerations(call, extended, State, errors);
        if (errors.Count > 0)
        {
            return AimlApiDialect.BadRequest(errors);
        }

        var modelId = RequestBody.IsMissing(body["model"]) ? DefaultModel : (string)body["model"]!;
        var model = vendor.Models.First(m => m.Id == modelId);
        var duration = RequestBody.IsMissing(body["duration"]) ? DefaultDuration : (string)body["duration"]!;
        var seconds = int.Parse(duration[..^1], CultureInfo.InvariantCulture);
        var aspectRatio = RequestBody.IsMissing(body["aspect_ratio"]) ? SampleClips.DefaultAspectRatio : (string)body["aspect_ratio"]!;

        var price = SandboxPricing.PriceOf(model, seconds);
        if (!call.Runtime.Ledger.TryCharge(SandboxVendors.AimlApi, call.Owner, price, out var balance))
        {
            return AimlApiDialect.PaymentRequired(
                $"Insufficient credits: a Luma generation costs {price.ToString("N0", CultureInfo.InvariantCulture)} AI/ML tokens and the balance is {balance.ToString("N0", CultureInfo.InvariantCulture)}.");
        }

        var job = call.Runtime.Jobs.Create(call.Runtime.Jobs.NextGuid().ToString(), new JobRequest
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

        if (body["callback_url"] is { Type: JTokenType.String } url)
        {
            call.Runtime.Callbacks.Start(job, new Uri((string)url!), Callbacks(job));
        }

        if (call.DropAfterAccept())
        {
            return VendorCall.Dropped;
        }

        // Accepted means queued, even at time scale 0 where the job is already done when the answer is written.
        var created = Render(job, job.CreatedAt);
        created["state"] = "queued";
        created["failure_reason"] = null;
        created["assets"]!["video"] = null;
        return new JsonBody(created, StatusCodes.Status201Created);
    }

    private static async Task<IResult> GetOneAsync(VendorCall call)
    {
        var query = call.Http.Request.Query;
        var errors = new List<string>();
        var ids = query["generation_id"];
        Guid id = default;
        if (ids.Count != 1 || !Guid.TryParse(ids[0], out id))
        {
            errors.Add(ids.Count == 0 ? "generation_id should not be empty" : $"generation_id must be a UUID; got '{ids}'");
        }

        var state = ReadWaitState(query["state"], "state", errors);
        if (errors.Count > 0)
        {
            return AimlApiDialect.BadRequest(errors);
        }

        var job = call.Runtime.Jobs.Find(SandboxVendors.AimlApi, id.ToString(), call.Owner);
        if (job is null)
        {
            return AimlApiDialect.BadRequest($"generation_id: generation {id} was not found");
        }

        await WaitAsync(call, [job], state).ConfigureAwait(false);
        return new JsonBody(Render(job, call.Now), StatusCodes.Status200OK);
    }

    private static async Task<IResult> GetManyAsync(VendorCall call)
    {
        var query = call.Http.Request.Query;
        var errors = new List<string>();

        // The vendor names the parameter generation_ids; its examples send generation_ids[]; its prose allows a comma-separated string.
        var raw = new StringValues([.. query["generation_ids"], .. query["generation_ids[]"]]);
        var values = raw.SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        var ids = new List<Guid>();
        if (values.Count == 0)
        {
            errors.Add("generation_ids should not be empty");
        }

        foreach (var value in values)
        {
            if (Guid.TryParse(value, out var id))
            {
                if (!ids.Contains(id))
                {
                    ids.Add(id);
                }
            }
            else
            {
                errors.Add($"each value in generation_ids must be a UUID; got '{value}'");
            }
        }

        var state = ReadWaitState(query["status"], "status", errors);
        if (errors.Count > 0)
        {
            return AimlApiDialect.BadRequest(errors);
        }

        var jobs = new List<SandboxJob>();
        foreach (var id in ids)
        {
            if (call.Runtime.Jobs.Find(SandboxVendors.AimlApi, id.ToString(), call.Owner) is { } job)
            {
                jobs.Add(job);
            }
            else
            {
                errors.Add($"generation_ids: generation {id} was not found");
            }
        }

        if (errors.Count > 0)
        {
            return AimlApiDialect.BadRequest(errors);
        }

        await WaitAsync(call, jobs, state).ConfigureAwait(false);
        var now = call.Now;
        return new JsonBody(new JObject { ["generations"] = new JArray(jobs.Select(j => Render(j, now))) }, StatusCodes.Status200OK);
    }

    /// <summary>Waits until every job is at <paramref name="state"/> or a higher-priority state, or the wait limit passes.</summary>
    private static Task WaitAsync(VendorCall call, IReadOnlyList<SandboxJob> jobs, string? state)
    {
        if (state is null)
        {
            return Task.CompletedTask;
        }

        var wanted = Priority(state);
        var deadline = call.Now + call.Runtime.Scaled(WaitLimit);
        return JobWaiter.WaitAsync(jobs, (job, now) => Priority(State(job.PhaseAt(now))) >= wanted, deadline, call.Runtime.Time, call.Aborted);
    }

    private static string? ReadWaitState(StringValues values, string name, List<string> errors)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var value = values[0];
        if (values.Count > 1 || value is null || !WaitStates.Contains(value))
        {
            errors.Add(value == "failed"
                ? $"{name} 'failed' cannot be waited for; allowed: {string.Join(", ", WaitStates)}"
                : $"{name} must be one of the following values: {string.Join(", ", WaitStates)}; got '{values}'");
            return null;
        }

        return value;
    }

    internal static void CheckEnum(JObject body, string field, IReadOnlyCollection<string> allowed, List<string> errors)
    {
        var value = body[field];
        if (!RequestBody.IsMissing(value) && (value!.Type != JTokenType.String || !allowed.Contains((string)value!)))
        {
            errors.Add($"{field} must be one of the following values: {string.Join(", ", allowed)}; got {RequestBody.Show(value)}");
        }
    }

    /// <summary><c>loop</c>, where given, is a boolean (both routes).</summary>
    internal static void CheckLoop(JObject body, List<string> errors)
    {
        if (body["loop"] is { } loop && loop.Type is not (JTokenType.Boolean or JTokenType.Null))
        {
            errors.Add($"loop must be a boolean value; got {RequestBody.Show(loop)}");
        }
    }

    /// <summary>
    /// Extending needs an earlier generation of the same key that has completed (both routes); <paramref name="state"/>
    /// names a phase in the route's own words.
    /// </summary>
    internal static void CheckExtendedGenerations(VendorCall call, IEnumerable<(string Frame, string Id)> extended, Func<SandboxJobPhase, string> state, List<string> errors)
    {
        foreach (var (frame, id) in extended)
        {
            var source = call.Runtime.Jobs.Find(SandboxVendors.AimlApi, id, call.Owner);
            if (source is null)
            {
                errors.Add($"keyframes.{frame}.id: generation {id} was not found");
            }
            else if (source.PhaseAt(call.Now) != SandboxJobPhase.Succeeded)
            {
                errors.Add($"keyframes.{frame}.id: generation {id} is {state(source.PhaseAt(call.Now))}; only a completed generation can be extended");
            }
        }
    }

    internal static void CheckKeyframes(JToken? keyframes, List<string> errors, List<(string Frame, string Id)> extended, bool uuidIds = true)
    {
        if (RequestBody.IsMissing(keyframes))
        {
            return;
        }

        if (keyframes is not JObject frames)
        {
            errors.Add($"keyframes must be an object with frame0 and/or frame1; got {RequestBody.Show(keyframes)}");
            return;
        }

        foreach (var property in frames.Properties())
        {
            if (property.Name is not ("frame0" or "frame1"))
            {
                errors.Add($"property keyframes.{property.Name} should not exist");
                continue;
            }

            if (property.Value.Type == JTokenType.Null)
            {
                continue;
            }

            var path = "keyframes." + property.Name;
            if (property.Value is not JObject frame)
            {
                errors.Add($"{path} must be an object {{type, url}} or {{type, id}}; got {RequestBody.Show(property.Value)}");
                continue;
            }

            var type = frame["type"];
            if (type?.Type != JTokenType.String || !KeyframeTypes.Contains((string)type!))
            {
                errors.Add($"{path}.type must be one of the following values: {string.Join(", ", KeyframeTypes)}; got {RequestBody.Show(type)}");
                continue;
            }

            var isImage = (string)type! == "image";
            var required = isImage ? "url" : "id";
            var forbidden = isImage ? "id" : "url";
            errors.AddRange(frame.Properties().Where(p => p.Name is not ("type" or "url" or "id")).Select(p => $"property {path}.{p.Name} should not exist"));
            if (frame[forbidden] is not null)
            {
                errors.Add($"property {path}.{forbidden} should not exist when type is '{type}' (a {type} keyframe takes {required})");
            }

            var value = frame[required];
            if (isImage && (value?.Type != JTokenType.String || !RequestBody.IsHttpUrl((string?)value)))
            {
                errors.Add($"{path}.url must be a URL address; got {RequestBody.Show(value)}");
            }
            else if (!isImage)
            {
                if (value?.Type != JTokenType.String || (uuidIds ? !Guid.TryParse((string?)value, out _) : string.IsNullOrEmpty((string?)value)))
                {
                    errors.Add(uuidIds ? $"{path}.id must be a UUID; got {RequestBody.Show(value)}" : $"{path}.id must be a non-empty string; got {RequestBody.Show(value)}");
                }
                else
                {
                    extended.Add((property.Name, uuidIds ? Guid.Parse((string)value!).ToString() : (string)value!));
                }
            }
        }
    }

    /// <summary>A generation in Luma's Generation shape (specs/aimlapi.yaml Generation, inferred).</summary>
    public static JObject Render(SandboxJob job, DateTimeOffset now)
    {
        var phase = job.PhaseAt(now);
        return new JObject
        {
            ["id"] = job.Id,
            ["state"] = State(phase),
            ["generation_type"] = "video",
            ["failure_reason"] = job.FailureReasonAt(now),
            ["created_at"] = Iso.Format(job.CreatedAt),
            ["assets"] = new JObject
            {
                ["video"] = phase == SandboxJobPhase.Succeeded ? MediaEndpoints.UrlFor(job, 1) : null,
                ["image"] = null,
                ["progress_video"] = null,
            },
            ["model"] = job.Model,
        };
    }

    /// <summary>Luma has no cancelled state: a cancelled generation is failed.</summary>
    public static string State(SandboxJobPhase phase) => phase switch
    {
        SandboxJobPhase.Queued => "queued",
        SandboxJobPhase.Processing => "dreaming",
        SandboxJobPhase.Succeeded => "completed",
        _ => "failed",
    };

    /// <summary>The seed's priority order: queued &lt; dreaming &lt; completed &lt; failed.</summary>
    private static int Priority(string state) => state switch
    {
        "queued" => 0,
        "dreaming" => 1,
        "completed" => 2,
        _ => 3,
    };

    private static CallbackSchedule Callbacks(SandboxJob job) => new(
        [
            // At time scale 0 a job never dreams: it is queued and completed at once.
            new CallbackEvent(job.StartsAt, Terminal: false, () => job.StartsAt < job.FinishesAt ? Render(job, job.StartsAt) : null),
            new CallbackEvent(job.FinishesAt, Terminal: true, () => Render(job, job.FinishesAt)),
        ],
        cancelledAt => Render(job, cancelledAt));
}
