using System.Globalization;
using System.Text;

namespace VideoGen.Testing;

/// <summary>
/// The forms in which a server or proxy echoes a key back in an error body or header: a vendor quoting the request,
/// a proxy quoting the URL (any subset of the characters percent-encoded, either hex case, once or twice), a JSON
/// writer's escapes, an HTML error page's character references, a wrapped line, and Base64 of <c>user:key</c>
/// (a Basic authorization echoed) in the same encodings.
/// </summary>
public static class KeyEncodings
{
    /// <summary>Each encoding's name and what it makes of a key.</summary>
    public static readonly IReadOnlyDictionary<string, Func<string, string>> All = new Dictionary<string, Func<string, string>>(StringComparer.Ordinal)
    {
        ["percent: only '-' as %2D"] = k => k.Replace("-", "%2D", StringComparison.Ordinal),
        ["percent: only '-' as %2d"] = k => k.Replace("-", "%2d", StringComparison.Ordinal),
        ["percent: every character, lower-case hex"] = k => string.Concat(Encoding.UTF8.GetBytes(k).Select(b => "%" + b.ToString("x2", CultureInfo.InvariantCulture))),
        ["percent: twice (%252D)"] = k => k.Replace("-", "%252D", StringComparison.Ordinal),
        ["percent: EscapeDataString"] = Uri.EscapeDataString,
        ["json: '-' as \\u002d"] = k => k.Replace("-", "\\u002d", StringComparison.Ordinal),
        ["json: every character as \\u00XX"] = k => string.Concat(k.Select(c => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture))),
        ["json: '/' as \\/"] = k => k.Replace("/", "\\/", StringComparison.Ordinal),
        ["html: decimal references"] = k => string.Concat(k.Select(c => "&#" + ((int)c).ToString(CultureInfo.InvariantCulture) + ";")),
        ["html: '-' as &#x2D; '/' as &#x2f;"] = k => k.Replace("-", "&#x2D;", StringComparison.Ordinal).Replace("/", "&#x2f;", StringComparison.Ordinal),
        ["wrapped: split by a line break"] = k => k[..(k.Length / 2)] + "\r\n  " + k[(k.Length / 2)..],
        ["base64: Basic user:key"] = k => Convert.ToBase64String(Encoding.UTF8.GetBytes("user:" + k)),
        ["base64: Basic user:key, percent-encoded"] = k => Uri.EscapeDataString(Convert.ToBase64String(Encoding.UTF8.GetBytes("apiuser:" + k))),
        ["base64: Basic user:key, JSON '\\/'"] = k => Convert.ToBase64String(Encoding.UTF8.GetBytes("ab:" + k)).Replace("/", "\\/", StringComparison.Ordinal),
    };

    /// <summary>The encoding names, for theories.</summary>
    public static IEnumerable<object[]> Names => All.Keys.Select(k => new object[] { k });

    /// <summary>Whether <paramref name="encoding"/> holds a line break (a header value cannot carry it).</summary>
    public static bool FitsAHeader(string encoding) => !All[encoding]("k-e-y").Contains('\n', StringComparison.Ordinal);
}
