namespace VideoGen;

/// <summary>Bounded, redacted excerpts of response bodies for exception messages and properties.</summary>
internal static class Excerpt
{
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
    /// Replaces every occurrence of each non-empty secret with <c>***</c>, in the forms an outside string carries it
    /// in: as is, URL-encoded (upper- or lower-case hex), and Base64 or Base64url at any byte alignment (so
    /// <c>Basic base64(user:key)</c> and a key inside a Base64 token are caught too).
    /// </summary>
    public static string Redact(string text, params string?[] secrets)
    {
        foreach (var secret in secrets)
        {
            if (string.IsNullOrEmpty(secret))
            {
                continue;
            }

            foreach (var form in FormsOf(secret))
            {
                text = text.Replace(form, "***", StringComparison.Ordinal);
            }
        }

        return text;
    }

    /// <summary>Whether <paramref name="text"/> shows any secret in any of the forms <see cref="Redact"/> removes.</summary>
    public static bool Shows(string? text, params string?[] secrets) =>
        !string.IsNullOrEmpty(text) && secrets.Any(s => !string.IsNullOrEmpty(s) && FormsOf(s).Any(f => text.Contains(f, StringComparison.Ordinal)));

    /// <summary>The secret as is, then its encodings, longest first; encodings shorter than 8 characters are left out (they would redact ordinary text).</summary>
    internal static IEnumerable<string> FormsOf(string secret)
    {
        var forms = new List<string> { secret };
        var escaped = Uri.EscapeDataString(secret);
        forms.Add(escaped);
        forms.Add(System.Text.RegularExpressions.Regex.Replace(escaped, "%[0-9A-F]{2}", m => m.Value.ToLowerInvariant()));
        forms.Add(escaped.Replace("%20", "+", StringComparison.Ordinal));

        // Base64 of the key at each of the three byte alignments: the characters that encode only the key's bytes.
        var bytes = System.Text.Encoding.UTF8.GetBytes(secret);
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
}
