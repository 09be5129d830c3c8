using System.Text;
using Microsoft.AspNetCore.Http;
using VideoGen.Tests.Vendors.TestVendorWire;

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
/// wherever a careless vendor or proxy might. Each contract's answers are its <see cref="VendorWire"/>.
/// </summary>
internal sealed class EchoingVendorApi(string key, Func<string, Uri> storage)
{
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
            ApiMode.KeyInTypedField => Json(context, 200, Wire(vendor).EchoKeyInTypedField(key)),
            ApiMode.FailedJob when !submit => Json(context, 200, Wire(vendor).EchoFailed(key)),
            _ when submit => Json(context, Wire(vendor).AcceptedStatus, Wire(vendor).EchoAccepted),
            _ => Json(context, 200, Interlocked.Increment(ref _reads) % 2 == 1 ? Wire(vendor).EchoRunning : Finished(vendor)),
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

    private static VendorWire Wire(string vendor) => VendorWires.Of(vendor);

    private string Finished(string vendor) =>
        // Elumenta's and the gateway's results are on the API host, which redirects to storage.
        Wire(vendor).EchoFinished(Wire(vendor).ResultOnApiHost ? new Uri(Self!, vendor + "/files/" + vendor + ".mp4") : storage("videos/" + vendor + ".mp4"));
}
