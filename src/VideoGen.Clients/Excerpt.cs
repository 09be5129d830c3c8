using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace VideoGen;

/// <summary>Bounded, redacted excerpts of response bodies for exception messages and properties.</summary>
internal static class Excerpt
{
    /// <summary>The patterns of the secrets seen so far (a process holds a few keys; the cache is bounded all the same).</summary>
    private static readonly ConcurrentDictionary<string, Regex> Patterns = new(StringComparer.Ordinal);

    private const int MaxCachedPatterns = 64;

    /// <summary>Cuts <paramref name="text"/> to <see cref="VideoGenException.ResponseExcerptLimit"/> characters and redacts the secrets.</summary>
    public static string? Of(string? text, params string?[] secrets)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        // Redact before cutting, so a secret that straddles the cut cannot leak in part.
        var redacted = Redact(text, secrets);
        return redacted.Length > VideoGenException.ResponseExcerptLimit
            ? redacted[..VideoGenException.ResponseExcerptLimit] + "…"
            : redacted;
    }

    /// <summary>
    /// Replaces every occurrence of each non-empty secret with <c>***</c>, in every form an outside string may carry it
    /// in (a vendor echoing the request in an error body, a proxy echoing the URL, an HTML error page): as is; each
    /// character, any subset of them, percent-encoded (upper- or lower-case hex, once or twice: <c>%2D</c>, <c>%2d</c>,
    /// <c>%252D</c>), a space as <c>+</c>; JSON string escapes (<c>\u002d</c>, <c>\/</c>, <c>\"</c>); HTML character
    /// references (<c>&amp;#45;</c>, <c>&amp;#x2D;</c>, <c>&amp;amp;</c>); split across line breaks (a wrapped header or
    /// page); and Base64 or Base64url at any byte alignment, in the same encodings (so <c>Basic base64(user:key)</c>
    /// and a key inside a Base64 token are caught too).
    /// </summary>
    public static string Redact(string text, params string?[] secrets)
    {
        foreach (var secret in secrets)
        {
            if (string.IsNullOrEmpty(secret))
            {
                continue;
            }

            text = PatternOf(secret).Replace(text, "***");
        }

        return text;
    }

    /// <summary>Whether <paramref name="text"/> shows any secret in any of the forms <see cref="Redact"/> removes.</summary>
    public static bool Shows(string? text, params string?[] secrets) =>
        !string.IsNullOrEmpty(text) && secrets.Any(s => !string.IsNullOrEmpty(s) && PatternOf(s).IsMatch(text));

    /// <summary>The secret as is, then the characters of its Base64 encodings, longest first; encodings shorter than 8 characters are left out (they would redact ordinary text).</summary>
    internal static IEnumerable<string> FormsOf(string secret)
    {
        var forms = new List<string> { secret };

        // Base64 of the key at each of the three byte alignments: the characters that encode only the key's bytes.
        var bytes = Encoding.UTF8.GetBytes(secret);
        for (var offset = 0; offset < 3; offset++)
        {
            var padded = new byte[offset + bytes.Length];
            bytes.CopyTo(padded, offset);
            var encoded = Convert.ToBase64String(padded);
            var first = offset == 0 ? 0 : 4;
            var last = 4 * ((offset + bytes.Length) / 3);
            if (last - first >= 8)
            {
                var inner = encoded[first..last];
                forms.Add(inner);
                forms.Add(inner.Replace('+', '-').Replace('/', '_'));
            }
        }

        return forms.Where(f => f.Length >= Math.Min(8, secret.Length)).Distinct(StringComparer.Ordinal).OrderByDescending(f => f.Length);
    }

    private static Regex PatternOf(string secret)
    {
        if (Patterns.TryGetValue(secret, out var pattern))
        {
            return pattern;
        }

        if (Patterns.Count >= MaxCachedPatterns)
        {
            Patterns.Clear();
        }

        pattern = new Regex(string.Join("|", FormsOf(secret).Select(FormPattern)), RegexOptions.CultureInvariant);
        return Patterns.GetOrAdd(secret, pattern);
    }

    /// <summary>A form, each character in any of its encodings, optionally broken across lines between characters.</summary>
    private static string FormPattern(string form)
    {
        var characters = new List<string>();
        for (var i = 0; i < form.Length; i += char.IsSurrogatePair(form, i) ? 2 : 1)
        {
            characters.Add(CharacterPattern(char.IsSurrogatePair(form, i) ? form.Substring(i, 2) : form[i].ToString()));
        }

        return "(?:" + string.Join(@"(?:(?:\r\n|\r|\n)[ \t]*)?", characters) + ")";
    }

    /// <summary>One character (one code point) as is, percent-encoded (once or twice), as a JSON escape or an HTML reference.</summary>
    private static string CharacterPattern(string character)
    {
        var alternatives = new List<string> { Regex.Escape(character) };
        var percent = string.Concat(Encoding.UTF8.GetBytes(character).Select(b => "%(?:25)?" + Hex(b, 2)));
        alternatives.Add(percent);
        alternatives.Add(string.Concat(character.Select(c => @"\\u" + Hex(c, 4))));
        var codePoint = char.ConvertToUtf32(character, 0);
        alternatives.Add($"&#0*{codePoint.ToString(CultureInfo.InvariantCulture)};");
        alternatives.Add("&#[xX]0*" + Hex(codePoint, 0) + ";");
        switch (character)
        {
            case " ":
                alternatives.Add(@"\+");
                break;
            case "/":
                alternatives.Add(@"\\/");
                break;
            case "\"":
                alternatives.Add(@"\\""");
                alternatives.Add("&quot;");
                break;
            case "\\":
                alternatives.Add(@"\\\\");
                break;
            case "&":
                alternatives.Add("&amp;");
                break;
            case "<":
                alternatives.Add("&lt;");
                break;
            case ">":
                alternatives.Add("&gt;");
                break;
            case "'":
                alternatives.Add("&apos;");
                break;
        }

        return "(?:" + string.Join("|", alternatives) + ")";
    }

    /// <summary><paramref name="value"/> in hexadecimal digits of either case, at least <paramref name="digits"/> of them.</summary>
    private static string Hex(int value, int digits)
    {
        var hex = value.ToString(digits == 0 ? "X" : "X" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return string.Concat(hex.Select(d => char.IsLetter(d) ? $"[{d}{char.ToLowerInvariant(d)}]" : d.ToString()));
    }
}
