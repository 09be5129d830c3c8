using Newtonsoft.Json.Linq;
using VideoGen.Sandbox.Core;

namespace VideoGen.Sandbox.AimlApi;

/// <summary>
/// AIML API's error body: NestJS's default <c>{"statusCode", "message", "error"}</c> (specs/aimlapi.yaml
/// ErrorResponse, inferred from the vendor's NestJS operation ids); validation messages come as a list, one per
/// problem, the way NestJS's validation pipe answers.
/// </summary>
internal sealed class AimlApiDialect : IVendorDialect
{
    public static readonly AimlApiDialect Instance = new();

    public string Vendor => SandboxVendors.AimlApi;

    public IResult Unauthorized() => Error(401, "Missing or invalid API key; send Authorization: Bearer <YOUR_AIMLAPI_KEY>.", "Unauthorized");

    public IResult RateLimited(string retryAfterSeconds) =>
        Error(429, $"ThrottlerException: Too Many Requests; retry after {retryAfterSeconds} s (sandbox fault injection).", "Too Many Requests");

    public IResult ServerError() => Error(500, "Internal server error (sandbox fault injection).", "Internal Server Error");

    public IResult ServiceUnavailable(string retryAfterSeconds) =>
        Error(503, $"Service Unavailable; retry after {retryAfterSeconds} s (sandbox fault injection).", "Service Unavailable");

    public static IResult BadRequest(IReadOnlyList<string> messages) => Error(400, new JArray(messages), "Bad Request");

    public static IResult BadRequest(string message) => Error(400, new JArray(message), "Bad Request");

    public static IResult PaymentRequired(string message) => Error(402, message, "Payment Required");

    private static JsonBody Error(int status, JToken message, string error) =>
        new(new JObject { ["statusCode"] = status, ["message"] = message, ["error"] = error }, status);
}
