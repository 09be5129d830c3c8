using Newtonsoft.Json.Linq;
using VideoGen.Sandbox.Core;

namespace VideoGen.Sandbox.Apiframe;

/// <summary>
/// The gateway's error body: <c>{"error": name, "message": meaning}</c>, carrying the two columns of the seed's
/// error table (specs/gateway.yaml ErrorResponse, inferred) with the seed's error names.
/// </summary>
internal sealed class ApiframeDialect : IVendorDialect
{
    public static readonly ApiframeDialect Instance = new();

    public string Vendor => SandboxVendors.Apiframe;

    public IResult Unauthorized() => Error(401, "Unauthorized", "Missing or invalid API key.");

    public IResult RateLimited(string retryAfterSeconds) =>
        Error(429, "Too many requests", $"Rate limit exceeded; retry after {retryAfterSeconds} s (sandbox fault injection).");

    public IResult ServerError() => Error(500, "Internal server error", "The gateway failed to handle the request (sandbox fault injection).");

    public IResult ServiceUnavailable(string retryAfterSeconds) =>
        Error(503, "Service unavailable", $"Queue temporarily down; retry after {retryAfterSeconds} s (sandbox fault injection).");

    public static IResult Validation(string message) => Error(400, "Validation error", message);

    public static IResult InsufficientCredits(string message) => Error(402, "Insufficient credits", message);

    public static IResult NotFound(string message) => Error(404, "Not found", message);

    private static JsonBody Error(int status, string error, string message) =>
        new(new JObject { ["error"] = error, ["message"] = message }, status);
}
