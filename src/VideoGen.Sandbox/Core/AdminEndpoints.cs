using System.Globalization;
using Newtonsoft.Json.Linq;

namespace VideoGen.Sandbox.Core;

/// <summary>
/// The sandbox's own endpoints under <c>/_sandbox</c> (no vendor has them; no faults are injected here):
/// <list type="bullet">
/// <item><c>GET /_sandbox/health</c>: <c>{"status":"ok"}</c>.</item>
/// <item><c>GET /_sandbox/counters</c>: jobs created, requests, faults injected, webhook deliveries.</item>
/// <item><c>GET /_sandbox/credits?vendor=elumenta</c> with the key as bearer token: that key's balance.</item>
/// <item><c>POST /_sandbox/credits</c> with the key as bearer token and <c>{"vendor":"elumenta","add":100}</c> or <c>{"vendor":"elumenta","balance":0}</c>.</item>
/// <item><c>GET /_sandbox/jobs</c>: every job with its phase and timing.</item>
/// <item><c>POST /_sandbox/jobs/{vendor}/{id}/cancel</c>: cancels an active job.</item>
/// </list>
/// </summary>
internal static class AdminEndpoints
{
    public static void Map(WebApplication app, SandboxRuntime runtime)
    {
        app.MapGet("/_sandbox/health", context => Ok(new JObject { ["status"] = "ok" }).ExecuteAsync(context));
        app.MapGet("/_sandbox/counters", context => Ok(JObject.FromObject(runtime.Counters.ToDictionary())).ExecuteAsync(context));
        app.MapGet("/_sandbox/jobs", context => Ok(new JObject { ["jobs"] = new JArray(runtime.Jobs.All().Select(j => Render(j.Snapshot(runtime.Time.GetUtcNow())))) }).ExecuteAsync(context));
        app.MapGet("/_sandbox/credits", context => GetCredits(context, runtime).ExecuteAsync(context));
        app.MapPost("/_sandbox/credits", async context => await (await PostCreditsAsync(context, runtime).ConfigureAwait(false)).ExecuteAsync(context).ConfigureAwait(false));
        app.MapPost("/_sandbox/jobs/{vendor}/{id}/cancel", context => Cancel(context, runtime).ExecuteAsync(context));
    }

    private static IResult GetCredits(HttpContext context, SandboxRuntime runtime)
    {
        if (ApiKeys.ReadBearer(context) is not { } key)
        {
            return Error(StatusCodes.Status401Unauthorized, "Send the API key whose credits you want as Authorization: Bearer <key>.");
        }

        if (!TryVendor(context.Request.Query["vendor"].ToString(), out var vendor, out var problem))
        {
            return Error(StatusCodes.Status400BadRequest, problem);
        }

        return Ok(Balance(runtime, vendor, runtime.Ledger.GetBalance(vendor, key)));
    }

    private static async Task<IResult> PostCreditsAsync(HttpContext context, SandboxRuntime runtime)
    {
        if (ApiKeys.ReadBearer(context) is not { } key)
        {
            return Error(StatusCodes.Status401Unauthorized, "Send the API key whose credits you want to change as Authorization: Bearer <key>.");
        }

        var (body, bodyProblem) = await RequestBody.ReadObjectAsync(context).ConfigureAwait(false);
        if (body is null)
        {
            return Error(StatusCodes.Status400BadRequest, bodyProblem!);
        }

        if (!TryVendor((string?)body["vendor"], out var vendor, out var problem))
        {
            return Error(StatusCodes.Status400BadRequest, problem);
        }

        var add = body["add"];
        var set = body["balance"];
        if ((add is null) == (set is null))
        {
            return Error(StatusCodes.Status400BadRequest, "Send exactly one of 'add' (an amount > 0 to add) or 'balance' (the new balance, >= 0).");
        }

        var amountToken = add ?? set!;
        if (amountToken.Type is not (JTokenType.Integer or JTokenType.Float))
        {
            return Error(StatusCodes.Status400BadRequest, $"'{(add is null ? "balance" : "add")}' is {RequestBody.Show(amountToken)}; send a number.");
        }

        var amount = amountToken.Value<decimal>();
        try
        {
            if (add is not null)
            {
                runtime.Ledger.TopUp(vendor, key, amount);
            }
            else
            {
                runtime.Ledger.SetBalance(vendor, key, amount);
            }
        }
        catch (ArgumentOutOfRangeException e)
        {
            return Error(StatusCodes.Status400BadRequest, $"{(add is null ? "balance" : "add")} {amount.ToString(CultureInfo.InvariantCulture)} is not allowed: {e.Message.Split(" (Parameter", 2)[0]}");
        }

        return Ok(Balance(runtime, vendor, runtime.Ledger.GetBalance(vendor, key)));
    }

    private static IResult Cancel(HttpContext context, SandboxRuntime runtime)
    {
        if (!TryVendor((string?)context.Request.RouteValues["vendor"], out var vendor, out var problem))
        {
            return Error(StatusCodes.Status400BadRequest, problem);
        }

        var id = (string)context.Request.RouteValues["id"]!;
        if (runtime.Jobs.Find(vendor, id) is not { } job)
        {
            return Error(StatusCodes.Status404NotFound, $"There is no {vendor} job '{id}'.");
        }

        var cancelled = runtime.Jobs.Cancel(job, "Cancelled through the sandbox");
        return Ok(new JObject { ["cancelled"] = cancelled, ["job"] = Render(job.Snapshot(runtime.Time.GetUtcNow())) });
    }

    private static bool TryVendor(string? value, out string vendor, out string problem)
    {
        try
        {
            vendor = SandboxVendors.Normalize(value ?? string.Empty);
            problem = string.Empty;
            return true;
        }
        catch (ArgumentException e)
        {
            vendor = string.Empty;
            problem = e.Message.Split(" (Parameter", 2)[0];
            return false;
        }
    }

    private static JObject Balance(SandboxRuntime runtime, string vendor, decimal balance) => new()
    {
        ["vendor"] = vendor,
        ["balance"] = balance,
        ["unit"] = runtime.Vendor(vendor).PriceUnit,
    };

    private static JObject Render(SandboxJobSnapshot job) => new()
    {
        ["vendor"] = job.Vendor,
        ["id"] = job.Id,
        ["model"] = job.Model,
        ["phase"] = job.Phase.ToString(),
        ["createdAt"] = Iso.Format(job.CreatedAt),
        ["startsAt"] = Iso.Format(job.StartsAt),
        ["finishesAt"] = Iso.Format(job.FinishesAt),
        ["price"] = job.Price,
        ["failureReason"] = job.FailureReason,
    };

    private static JsonBody Ok(JToken body) => new(body, StatusCodes.Status200OK);

    private static JsonBody Error(int status, string message) => new(new JObject { ["error"] = status == 404 ? "not_found" : status == 401 ? "unauthorized" : "bad_request", ["message"] = message }, status);
}

/// <summary>Timestamps as the vendors write them: UTC, ISO 8601, whole seconds, 'Z'.</summary>
internal static class Iso
{
    public static string Format(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
