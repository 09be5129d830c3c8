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

    /// <summary>Replaces every occurrence of each non-empty secret with <c>***</c>.</summary>
    public static string Redact(string text, params string?[] secrets)
    {
        foreach (var secret in secrets)
        {
            if (!string.IsNullOrEmpty(secret))
            {
                text = text.Replace(secret, "***", StringComparison.Ordinal);
            }
        }

        return text;
    }
}
