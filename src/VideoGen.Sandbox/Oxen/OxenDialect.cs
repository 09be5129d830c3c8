using Newtonsoft.Json.Linq;
using VideoGen.Sandbox.Core;

namespace VideoGen.Sandbox.Oxen;

/// <summary>
/// Oxen's error body: <c>{"error": {"type", "title"}, "status": "error", "status_message": type}</c>, the shape of the
/// vendor's documented 404 (specs/oxen.yaml ErrorResponse), used for every error.
/// </summary>
internal sealed class OxenDialect : IVendorDialect
{
    public static readonly OxenDialect Instance = new();

    public string Vendor => SandboxVendors.Oxen;

    public IResult Unauthorized() => Error(401, "unauthorized", "Missing or invalid API key; send Authorization: Bearer YOUR_API_KEY.");

    public IResult RateLimited(string retryAfterSeconds) =>
        Error(429, "rate_limited", $"Too many requests; retry after {retryAfterSeconds} s (sandbox fault injection).");

    public IResult ServerError() => Error(500, "internal_server_error", "Internal server error (sandbox fault injection).");

    public IResult ServiceUnavailable(string retryAfterSeconds) =>
        Error(503, "service_unavailable", $"Service unavailable; retry after {retryAfterSeconds} s (sandbox fault injection).");

    public static IResult BadRequest(string title) => Error(400, "bad_request", title);

    public static IResult InsufficientCredits(string title) => Error(402, "insufficient_credits", title);

    /// <summary>The vendor's documented 404, word for word.</summary>
    public static IResult NotFound() => Error(404, "resource_not_found", "The requested resource could not be found");

    /// <summary>A synchronous generation that ended without a video.</summary>
    public static IResult GenerationFailed(string title) => Error(500, "generation_failed", title);

    private static JsonBody Error(int status, string type, string title) => new(
        new JObject
        {
            ["error"] = new JObject { ["type"] = type, ["title"] = title },
            ["status"] = "error",
            ["status_message"] = type,
        },
        status);
}
