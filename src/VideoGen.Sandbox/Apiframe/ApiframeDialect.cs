using Newtonsoft.Json.Linq;
using VideoGen.Sandbox.Core;

namespace VideoGen.Sandbox.Apiframe;

/// <summary>
/// Apiframe's authentication and errors: the key in <c>X-API-Key</c>; 401 "API key is required" / "Invalid API key";
/// 403 "API key is inactive" (https://docs-v2.apiframe.ai/docs/getting-started/authentication). The body
/// <c>{"error": ..., "message": ...}</c> is the spec's ErrorResponse, inferred: the page shows no body.
/// </summary>
internal sealed class ApiframeDialect : IVendorDialect
{
    public static readonly ApiframeDialect Instance = new();

    public string Vendor => SandboxVendors.Apiframe;

    public string? ApiKeyHeader => "X-API-Key";

    public IResult Unauthorized() => Error(401, "Invalid API key", "No X-API-Key header, or the key does not exist or has been revoked.");

    public IResult InactiveKey() => Error(403, "API key is inactive", "The key exists but has been deactivated.");

    public IResult RateLimited(string retryAfterSeconds) =>
        Error(429, "Too many requests", $"Rate limit exceeded; retry after {retryAfterSeconds} s (sandbox fault injection).");

    public IResult ServerError() => Error(500, "Internal server error", "Apiframe failed to handle the request (sandbox fault injection).");

    public IResult ServiceUnavailable(string retryAfterSeconds) =>
        Error(503, "Service unavailable", $"Queue temporarily down; retry after {retryAfterSeconds} s (sandbox fault injection).");

    public static IResult Validation(string message) => Error(400, "Validation error", message);

    public static IResult InsufficientCredits(string message) => Error(402, "Insufficient credits", message);

    public static IResult NotFound(string message) => Error(404, "Not found", message);

    private static JsonBody Error(int status, string error, string message) =>
        new(new JObject { ["error"] = error, ["message"] = message }, status);
}
