using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace VideoGen.Tests.Hostile;

/// <summary>
/// A seeded generator of hostile responses (no FsCheck here): it starts from a real example body and
/// mutates it — a field dropped, nulled, given the wrong type, an unknown value, a number out of range,
/// a 1 MB string, a bad date or URL, null list items, deep nesting — or breaks the body as text
/// (truncated, empty, an HTML error page, bytes that are not UTF-8, the wrong top-level type), and picks
/// the status code, content type and headers. Most mutants keep the operation's success status, so they
/// reach deserialization and mapping, where near-valid bodies find the bugs.
/// </summary>
internal sealed class HostileResponseGenerator
{
    /// <summary>The length of the "huge" strings: over 1 MB.</summary>
    public const int HugeLength = 1_100_000;

    private static readonly int[] OtherStatuses =
        [100, 200, 201, 202, 203, 204, 206, 299, 300, 301, 302, 303, 304, 307, 308, 400, 401, 402, 403, 404, 405, 408, 409, 410, 413, 415, 422, 429, 451, 499, 500, 501, 502, 503, 504, 520, 599];

    private static readonly string?[] ContentTypes =
        ["application/json", "application/json; charset=utf-8", "text/html; charset=utf-8", "text/plain", "application/problem+json", "application/octet-stream", null, "application/json; charset=no-such-charset", "application/json; charset=utf-16"];

    private static readonly string[] RawNumbers =
        ["1e400", "-1e400", "9223372036854775808", "-9223372036854775809", "2147483648", "-2147483649", "-1", "0", "1.5", "1e-400", "123456789012345678901234567890", "NaN", "Infinity", "-Infinity", "0x1F", "01", "-0"];

    private static readonly string[] BadDates =
        ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "2026-13-45T99:99:99Z", "yesterday", "", "1775091431", "2026-03-08T12:05:00+99:00", "-2026-03-08T12:05:00Z"];

    private static readonly string[] BadUrls =
        ["not a url", "http://", "javascript:alert(1)", "//no-scheme.example/video.mp4", "http://[::1", "file:///etc/passwd", "", " ", "relative/path.mp4", "http://exa mple.com/a b.mp4", "\u0000"];

    private static readonly string[] UnknownValues =
        ["zzz_unknown", "COMPLETED_WITH_WARNINGS", "Pending", "cancelled", "expired", "archived", "\u00e9t\u00e9", "null", "\ud83d\ude80"];

    private static readonly (string Kind, int Weight)[] Kinds =
    [
        ("example", 4),
        ("drop-field", 8),
        ("null-field", 8),
        ("wrong-type", 10),
        ("unknown-value", 6),
        ("huge-string", 3),
        ("number-out-of-range", 8),
        ("bad-date", 5),
        ("bad-url", 5),
        ("empty-string", 5),
        ("null-item", 5),
        ("deep-nesting", 3),
        ("extra-fields", 3),
        ("combined", 8),
        ("truncated", 8),
        ("empty-body", 3),
        ("html-page", 3),
        ("garbage-bytes", 2),
        ("top-level-wrong-type", 4),
        ("duplicate-key", 2),
        ("bom-and-whitespace", 1),
        ("dropped-connection", 3),
    ];

    private readonly Random _random;
    private readonly List<string> _raw = [];

    public HostileResponseGenerator(int seed) => _random = new Random(seed);

    /// <summary>The next mutant of one of <paramref name="examples"/>.</summary>
    /// <param name="examples">Valid example bodies of the operation (JSON).</param>
    /// <param name="successStatus">The operation's documented success status.</param>
    /// <param name="dropConnections">Whether a mutant may break its connection part-way through the body.</param>
    public HostileResponse Next(IReadOnlyList<string> examples, int successStatus, bool dropConnections)
    {
        var example = examples[_random.Next(examples.Count)];
        string kind;
        do
        {
            kind = PickKind();
        }
        while (kind == "dropped-connection" && !dropConnections);

        var body = kind switch
        {
            "example" => Encoding.UTF8.GetBytes(example),
            "combined" => Encoding.UTF8.GetBytes(MutateJson(example, _random.Next(2, 5))),
            "truncated" => Truncated(example),
            "empty-body" => [],
            "html-page" => Encoding.UTF8.GetBytes("<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr><center>nginx</center></body></html>"),
            "garbage-bytes" => Garbage(),
            "top-level-wrong-type" => Encoding.UTF8.GetBytes(Pick(["[]", "null", "\"pending\"", "42", "true", "[" + example + "]", "{}", "[null]"])),
            "duplicate-key" => Encoding.UTF8.GetBytes(DuplicateKey(example)),
            "bom-and-whitespace" => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes("\r\n\t " + example + " \n")],
            "dropped-connection" => Encoding.UTF8.GetBytes(example),
            _ => Encoding.UTF8.GetBytes(MutateJson(example, kind)),
        };

        var status = _random.NextDouble() < 0.7 ? successStatus : Pick(OtherStatuses);
        var contentType = _random.NextDouble() < 0.7 ? "application/json" : Pick(ContentTypes);
        var headers = new List<KeyValuePair<string, string>>();
        if (_random.NextDouble() < 0.2)
        {
            headers.Add(new("Retry-After", Pick(["-1", "0", "abc", "99999999999", "1.5", "Fri, 31 Dec 9999 23:59:59 GMT", "Mon, 01 Jan 1900 00:00:00 GMT", "", "3"])));
        }

        if (_random.NextDouble() < 0.1)
        {
            headers.Add(new("x-request-id", Pick(["", "req_123", new string('r', 5000), "\u00ff\u00fe"])));
        }

        int? dropAfter = kind == "dropped-connection" ? _random.Next(0, Math.Max(1, body.Length)) : null;
        return new HostileResponse(kind, status, contentType, body, headers, dropAfter);
    }

    private string PickKind()
    {
        var total = Kinds.Sum(k => k.Weight);
        var roll = _random.Next(total);
        foreach (var (kind, weight) in Kinds)
        {
            if (roll < weight)
            {
                return kind;
            }

            roll -= weight;
        }

        throw new InvalidOperationException("unreachable");
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private string MutateJson(string example, int mutations)
    {
        var kinds = new[] { "drop-field", "null-field", "wrong-type", "unknown-value", "number-out-of-range", "bad-date", "bad-url", "empty-string", "null-item", "extra-fields" };
        var token = JToken.Parse(example);
        _raw.Clear();
        for (var i = 0; i < mutations; i++)
        {
            token = Mutate(token, Pick(kinds));
        }

        return Serialize(token);
    }

    private string MutateJson(string example, string kind)
    {
        _raw.Clear();
        return Serialize(Mutate(JToken.Parse(example), kind));
    }

    /// <summary>Applies one mutation somewhere in the tree; returns the (possibly replaced) root.</summary>
    private JToken Mutate(JToken root, string kind)
    {
        var all = AllTokens(root);
        var properties = all.OfType<JProperty>().ToList();
        var values = all.Where(t => t.Parent is JProperty or JArray).ToList();
        var arrays = all.OfType<JArray>().ToList();
        var strings = values.Where(v => v.Type == JTokenType.String).ToList();
        switch (kind)
        {
            case "drop-field" when properties.Count > 0:
                Pick(properties).Remove();
                return root;
            case "null-field" when values.Count > 0:
                return Replace(root, Pick(values), JValue.CreateNull());
            case "wrong-type" when values.Count > 0:
                return Replace(root, Pick(values), WrongType());
            case "unknown-value" when strings.Count > 0:
                return Replace(root, Pick(strings), new JValue(Pick(UnknownValues)));
            case "huge-string" when values.Count > 0:
                return Replace(root, Pick(strings.Count > 0 && _random.NextDouble() < 0.7 ? strings : values), new JValue(Huge()));
            case "number-out-of-range" when values.Count > 0:
                var numbers = values.Where(v => v.Type is JTokenType.Integer or JTokenType.Float).ToList();
                return Replace(root, Pick(numbers.Count > 0 && _random.NextDouble() < 0.7 ? numbers : values), Raw(Pick(RawNumbers)));
            case "bad-date" when values.Count > 0:
                var dates = values.Where(v => v.Type == JTokenType.Date || (v.Parent as JProperty)?.Name.EndsWith("_at", StringComparison.Ordinal) == true || (v.Parent as JProperty)?.Name.EndsWith("At", StringComparison.Ordinal) == true).ToList();
                return Replace(root, Pick(dates.Count > 0 ? dates : values), new JValue(Pick(BadDates)));
            case "bad-url" when values.Count > 0:
                var urls = values.Where(v => v.Type == JTokenType.String && v.ToString().StartsWith("http", StringComparison.Ordinal)).ToList();
                return Replace(root, Pick(urls.Count > 0 ? urls : values), new JValue(Pick(BadUrls)));
            case "empty-string" when strings.Count > 0:
                return Replace(root, Pick(strings), new JValue(string.Empty));
            case "null-item" when arrays.Count > 0:
                var array = Pick(arrays);
                array.Insert(_random.Next(array.Count + 1), JValue.CreateNull());
                return root;
            case "null-item":
                // No list here: a null where an object is expected is the nearest thing.
                return values.Count > 0 ? Replace(root, Pick(values), new JArray(JValue.CreateNull())) : root;
            case "deep-nesting" when values.Count > 0:
                return Replace(root, Pick(values), Raw(Deep(_random.Next(65, 5000))));
            case "deep-nesting":
                return Raw(Deep(_random.Next(65, 5000)));
            case "extra-fields" when root is JObject obj:
                obj["unexpected_" + _random.Next(1000)] = WrongType();
                obj["__proto__"] = new JObject { ["polluted"] = true };
                return root;
            default:
                // The mutation does not apply to this body (no field of that kind): break the root instead.
                return values.Count > 0 ? Replace(root, Pick(values), WrongType()) : WrongType();
        }
    }

    private static List<JToken> AllTokens(JToken root) =>
        root is JContainer container ? [root, .. container.Descendants()] : [root];

    private static JToken Replace(JToken root, JToken target, JToken replacement)
    {
        if (ReferenceEquals(root, target))
        {
            return replacement;
        }

        target.Replace(replacement);
        return root;
    }

    private JToken WrongType() => _random.Next(7) switch
    {
        0 => new JValue("a string"),
        1 => new JValue(_random.Next(-5, 100000)),
        2 => new JValue(_random.NextDouble() < 0.5),
        3 => new JArray(1, "two", JValue.CreateNull()),
        4 => new JObject { ["nested"] = "object" },
        5 => new JValue(3.75),
        _ => new JArray(),
    };

    private string Huge() => _random.Next(3) switch
    {
        0 => new string('x', HugeLength),
        1 => "https://storage.example.com/" + new string('a', HugeLength),
        _ => string.Concat(Enumerable.Repeat("\u00e9\ud83d\ude80\\\"", HugeLength / 4)),
    };

    private static string Deep(int depth) =>
        depth % 2 == 0
            ? new string('[', depth) + new string(']', depth)
            : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);

    /// <summary>A placeholder for text JSON.NET cannot hold as a value (1e400, NaN, deep nesting), swapped in after serialization.</summary>
    private JValue Raw(string text)
    {
        _raw.Add(text);
        return new JValue($"\u0001RAW{_raw.Count - 1}\u0001");
    }

    private string Serialize(JToken token)
    {
        var json = token.ToString(Formatting.None);
        for (var i = 0; i < _raw.Count; i++)
        {
            json = json.Replace($"\"\\u0001RAW{i}\\u0001\"", _raw[i], StringComparison.Ordinal);
        }

        return json;
    }

    private byte[] Truncated(string example)
    {
        var bytes = Encoding.UTF8.GetBytes(example);
        return bytes[..Math.Max(1, _random.Next(bytes.Length))];
    }

    private byte[] Garbage()
    {
        var bytes = new byte[_random.Next(1, 512)];
        _random.NextBytes(bytes);
        return bytes;
    }

    private string DuplicateKey(string example)
    {
        var obj = JToken.Parse(example) as JObject;
        var first = obj?.Properties().FirstOrDefault();
        if (first is null)
        {
            return example;
        }

        // The same key twice, the second with the wrong type: which one wins must not matter.
        var inner = example.TrimStart()[1..];
        return "{" + JsonConvert.ToString(first.Name) + ":" + WrongType().ToString(Formatting.None) + "," + inner;
    }
}
