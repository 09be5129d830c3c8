using System.Text;
using Microsoft.AspNetCore.Http;

namespace VideoGen.Tests.Security;

/// <summary>What the fake vendor API does with the next requests.</summary>
internal enum ApiMode
{
    /// <summary>Accepts the job, reports it running once, then finished with a result URL.</summary>
    Normal,

    /// <summary>Answers <see cref="EchoingVendorApi.ErrorStatus"/> with a body and headers that echo the key.</summary>
    Error,

    /// <summary>Reports the job failed, with the key in the vendor's reason.</summary>
    FailedJob,

    /// <summary>Answers 200 with the key where the contract wants a number or a UUID (the JSON reader quotes it).</summary>
    KeyInTypedField,

    /// <summary>Answers an undocumented 203 whose body and request id echo the key.</summary>
    Undocumented,

    /// <summary>Redirects to the storage host (HttpClient follows it) with the key in the body.</summary>
    RedirectToStorage,
}

/// <summary>
/// The vendor API of the secret-hygiene test, on a real loopback server: every vendor under its own path
/// prefix (<c>/elumenta/</c>, <c>/gateway/</c>, …), answering as its contract says — or echoing the key back
/// wherever a careless vendor or proxy might.
/// </summary>
internal sealed class EchoingVendorApi(string key, Func<string, Uri> storage)
{
    public const string ElumentaId = "18500";
    public const string GatewayId = "job-gw-7f3a";
    public const string AimlId = "2f6a7e37-1c3b-4f9e-9a4e-6a3c1e8d2b10";
    public const string OxenId = "7cf9b23a-1234-5678-9abc-def012345678";

    private int _reads;

    public ApiMode Mode { get; set; }

    public int ErrorStatus { get; set; }

    /// <summary>The API's own base URL, for result URLs served by the API (which redirect to storage).</summary>
    public Uri? Self { get; set; }

    public Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var vendor = path.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? string.Empty;
        var rest = path[(vendor.Length + 1)..];

        // A result the API serves itself: the API is allowed the key, the storage host it redirects to is not.
        if (rest.StartsWith("/files/", StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status302Found;
            context.Response.Headers.Location = storage("videos/" + rest["/files/".Length..]).ToString();
            return Task.CompletedTask;
        }

        var submit = HttpMethods.IsPost(context.Request.Method);
        return Mode switch
        {
            ApiMode.Error => Echo(context, ErrorStatus),
            ApiMode.Undocumented => Echo(context, StatusCodes.Status203NonAuthoritative),
            ApiMode.RedirectToStorage => Redirect(context),
            ApiMode.KeyInTypedField => Json(context, 200, KeyInTypedField(vendor)),
            ApiMode.FailedJob when !submit => Json(context, 200, Failed(vendor)),
            _ when submit => Json(context, vendor == "apiframe" ? 202 : vendor == "aimlapi" ? 201 : 200, Accepted(vendor)),
            _ => Json(context, 200, Interlocked.Increment(ref _reads) % 2 == 1 ? Running(vendor) : Finished(vendor)),
        };
    }

    private string EchoBody =>
        $$"""{"error": "invalid key {{key}}", "message": "Bearer {{key}} is not valid", "code": "{{key}}", "request_id": "{{key}}", "detail": "{{key}}"}""";

    private Task Echo(HttpContext context, int status)
    {
        context.Response.Headers["x-request-id"] = "req-" + key;
        context.Response.Headers["Retry-After"] = "1";
        return Json(context, status, EchoBody);
    }

    private Task Redirect(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status302Found;
        context.Response.Headers.Location = storage("bounce?from=api").ToString();
        return context.Response.WriteAsync("Moved; your key " + key + " was logged");
    }

    private static Task Json(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body, Encoding.UTF8);
    }

    private static string Accepted(string vendor) => vendor switch
    {
        "elumenta" or "neuralbox" => $$"""{"id": {{ElumentaId}}, "status": "pending", "model_slug": "kling-v2.1", "created_at": "2026-11-22T12:00:00Z"}""",
        "apiframe" => $$"""{"jobId": "{{GatewayId}}", "status": "QUEUED"}""",
        "aimlapi" => $$"""{"id": "{{AimlId}}", "state": "queued", "model": "ray-2"}""",
        "oxen" => $$"""{"generations": [{"generation_id": "{{OxenId}}", "status": "queued"}]}""",
        _ => throw new InvalidOperationException("Unknown vendor " + vendor),
    };

    private static string Running(string vendor) => vendor switch
    {
        "elumenta" or "neuralbox" => $$"""{"id": {{ElumentaId}}, "status": "pending", "model_slug": "kling-v2.1"}""",
        "apiframe" => $$"""{"id": "{{GatewayId}}", "status": "PROCESSING", "progress": 50}""",
        "aimlapi" => $$"""{"id": "{{AimlId}}", "state": "dreaming"}""",
        "oxen" => $$"""{"generation_id": "{{OxenId}}", "status": "processing"}""",
        _ => throw new InvalidOperationException("Unknown vendor " + vendor),
    };

    private string Finished(string vendor) => vendor switch
    {
        // Elumenta's and the gateway's results are on the API host, which redirects to storage.
        "elumenta" or "neuralbox" => $$"""{"id": {{ElumentaId}}, "status": "completed", "model_slug": "kling-v2.1", "tokens_spent": 26, "result_url": "{{new Uri(Self!, vendor + "/files/" + vendor + ".mp4")}}"}""",
        "apiframe" => $$"""{"id": "{{GatewayId}}", "status": "COMPLETED", "progress": 100, "result": {"videoUrl": "{{new Uri(Self!, "apiframe/files/apiframe.mp4")}}"} }""",
        "aimlapi" => $$"""{"id": "{{AimlId}}", "state": "completed", "assets": {"video": "{{storage("videos/aimlapi.mp4")}}"} }""",
        "oxen" => $$"""{"generation_id": "{{OxenId}}", "status": "succeeded", "result_url": "{{storage("videos/oxen.mp4")}}"}""",
        _ => throw new InvalidOperationException("Unknown vendor " + vendor),
    };

    private string Failed(string vendor) => vendor switch
    {
        "elumenta" or "neuralbox" => $$"""{"id": {{ElumentaId}}, "status": "failed", "error": "provider rejected key {{key}}"}""",
        "apiframe" => $$"""{"id": "{{GatewayId}}", "status": "FAILED", "error": "provider rejected key {{key}}"}""",
        "aimlapi" => $$"""{"id": "{{AimlId}}", "state": "failed", "failure_reason": "provider rejected key {{key}}"}""",
        "oxen" => $$"""{"generation_id": "{{OxenId}}", "status": "failed", "error_message": "provider rejected key {{key}}"}""",
        _ => throw new InvalidOperationException("Unknown vendor " + vendor),
    };

    private string KeyInTypedField(string vendor) => vendor switch
    {
        "elumenta" or "neuralbox" => $$"""{"id": "{{key}}", "status": "pending"}""",
        "apiframe" => $$"""{"id": "{{GatewayId}}", "status": "QUEUED", "createdAt": "{{key}}"}""",
        "aimlapi" => $$"""{"id": "{{key}}", "state": "queued"}""",
        "oxen" => $$"""{"generation_id": "{{key}}", "status": "queued", "generations": [{"generation_id": "{{key}}"}]}""",
        _ => throw new InvalidOperationException("Unknown vendor " + vendor),
    };
}
