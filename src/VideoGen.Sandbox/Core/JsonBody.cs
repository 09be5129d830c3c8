using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace VideoGen.Sandbox.Core;

/// <summary>A JSON response written with Newtonsoft.Json exactly as built (the vendors' shapes, nulls included).</summary>
internal sealed class JsonBody(JToken body, int statusCode) : IResult
{
    public JToken Body => body;

    public int StatusCode => statusCode;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToString(Formatting.None));
        httpContext.Response.StatusCode = statusCode;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        httpContext.Response.ContentLength = bytes.Length;
        await httpContext.Response.Body.WriteAsync(bytes, httpContext.RequestAborted).ConfigureAwait(false);
    }
}

/// <summary>Reads a request body as one JSON object, keeping strings as strings (no date parsing) and numbers exact.</summary>
internal static class RequestBody
{
    /// <summary>The body as an object, or the problem with it in words.</summary>
    public static async Task<(JObject? Body, string? Problem)> ReadObjectAsync(HttpContext context)
    {
        string text;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
        {
            text = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, "The request body is empty; send a JSON object.");
        }

        try
        {
            using var json = new JsonTextReader(new StringReader(text))
            {
                DateParseHandling = DateParseHandling.None,
                FloatParseHandling = FloatParseHandling.Decimal,
            };
            var token = JToken.ReadFrom(json);
            if (json.Read())
            {
                return (null, $"The request body has content after the JSON value (line {json.LineNumber}, position {json.LinePosition}); send one JSON object.");
            }

            return token is JObject obj ? (obj, null) : (null, $"The request body is a JSON {token.Type.ToString().ToLowerInvariant()}; send a JSON object.");
        }
        catch (JsonReaderException e)
        {
            return (null, $"The request body is not valid JSON: {e.Message}");
        }
    }

    /// <summary>Whether a property is absent or JSON null.</summary>
    public static bool IsMissing(JToken? token) => token is null || token.Type == JTokenType.Null;

    /// <summary>A JSON value as it should appear in an error message.</summary>
    public static string Show(JToken? token) => token switch
    {
        null => "(missing)",
        { Type: JTokenType.String } => "'" + (string)token! + "'",
        _ => token.ToString(Formatting.None),
    };

    /// <summary>Whether <paramref name="value"/> is an absolute http(s) URL.</summary>
    public static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
