using System.Security.Cryptography;
using System.Text;

namespace VideoGen.Sandbox.Core;

/// <summary>Reads bearer keys and turns them into fingerprints, so the sandbox never keeps or logs a key.</summary>
internal static class ApiKeys
{
    /// <summary>The bearer token of the request, or null when there is none.</summary>
    public static string? ReadBearer(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = header[scheme.Length..].Trim();
        return token.Length == 0 ? null : token;
    }

    /// <summary>The key in header <paramref name="name"/> (Apiframe: <c>X-API-Key</c>), or null when there is none.</summary>
    public static string? ReadHeader(HttpContext context, string name)
    {
        var token = context.Request.Headers[name].ToString().Trim();
        return token.Length == 0 ? null : token;
    }

    /// <summary>A stable, one-way fingerprint of a key (SHA-256, hex, first 32 characters).</summary>
    public static string Fingerprint(string apiKey) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)))[..32];
}
