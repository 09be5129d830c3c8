using System.Globalization;
using Newtonsoft.Json.Linq;
using VideoGen.Sandbox.Core;

namespace VideoGen.Sandbox.Elumenta;

/// <summary>
/// Elumenta's error body (<c>{"error": code, "message": text, "details": {...}}</c>, from the vendor's
/// error-handling guide, specs/elumenta.yaml ErrorResponse) and codes per status.
/// </summary>
internal sealed class ElumentaDialect : IVendorDialect
{
    public static readonly ElumentaDialect Instance = new();

    public string Vendor => SandboxVendors.Elumenta;

    public IResult Unauthorized() =>
        Error(401, "not_authenticated", "Missing or invalid Authorization header; send Authorization: Bearer nb_YOUR_API_KEY.");

    public IResult RateLimited(string retryAfterSeconds) =>
        Error(429, "rate_limit_exceeded", $"Too many requests; retry after {retryAfterSeconds} s (sandbox fault injection).");

    public IResult ServerError() =>
        Error(500, "provider_error", "The upstream AI provider returned an error (sandbox fault injection).");

    public IResult ServiceUnavailable(string retryAfterSeconds) =>
        Error(503, "model_unavailable", $"The model is temporarily unavailable; retry after {retryAfterSeconds} s (sandbox fault injection).");

    /// <summary>400: the body is unreadable or a required field is missing.</summary>
    public static IResult BadRequest(string message, string? field = null) =>
        Error(400, "bad_request", message, field is null ? null : new JObject { ["field"] = field });

    /// <summary>422: a field has a value the schema does not allow.</summary>
    public static IResult Invalid(string field, JToken? value, string message, JToken? allowed = null)
    {
        var details = new JObject { ["field"] = field, ["value"] = value?.DeepClone() ?? JValue.CreateNull() };
        if (allowed is not null)
        {
            details["allowed"] = allowed;
        }

        return Error(422, "validation_error", message, details);
    }

    public static IResult InsufficientTokens(decimal price, decimal balance) =>
        Error(402, "insufficient_tokens", $"Not enough tokens: this generation costs {Amount(price)} tokens and the balance is {Amount(balance)}.",
            new JObject { ["required"] = price, ["balance"] = balance });

    public static IResult NotFound(string message) => Error(404, "not_found", message);

    private static JsonBody Error(int status, string code, string message, JObject? details = null)
    {
        var body = new JObject { ["error"] = code, ["message"] = message };
        if (details is not null)
        {
            body["details"] = details;
        }

        return new JsonBody(body, status);
    }

    private static string Amount(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
