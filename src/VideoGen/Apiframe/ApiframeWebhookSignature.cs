using System.Security.Cryptography;
using System.Text;
using VideoGen.Webhooks;

namespace VideoGen.Apiframe;

/// <summary>
/// Verifies Apiframe's webhook signature as documented at https://docs-v2.apiframe.ai/docs/webhooks: the
/// <c>X-Webhook-Signature</c> header is the HMAC-SHA256 of the raw request body, keyed with the signing secret,
/// which is the SHA-256 of your API key. Compared in constant time.
/// </summary>
/// <remarks>
/// The page, as far as it could be read, does not say how the digest is written in the header nor whether the
/// secret is the SHA-256's hex text or its 32 raw bytes. So a signature is accepted in lowercase or uppercase hex
/// or in base64, keyed either way: every one of these still needs the API key, and a body changed by one byte
/// fails all of them. Apiframe's deliveries carry no timestamp or delivery id, so there is nothing to check
/// freshness against here, and a <c>webhook-id</c> header beside it is not signed: deduplicate by the body if replays
/// matter (the AspNetCore receiver does).
/// </remarks>
public sealed class ApiframeWebhookSignature
{
    private readonly byte[][] _keys;
    private readonly byte[] _hexKey;

    /// <summary>Creates a verifier for deliveries of jobs submitted with <paramref name="apiKey"/>.</summary>
    /// <param name="apiKey">The Apiframe API key (<c>afk_...</c>) the jobs were submitted with. Never logged or echoed.</param>
    /// <exception cref="ArgumentException"><paramref name="apiKey"/> is null or empty.</exception>
    public ApiframeWebhookSignature(string apiKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(apiKey));
        _hexKey = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(digest));
        _keys = [_hexKey, digest];
    }

    /// <summary>Checks one delivery.</summary>
    /// <param name="signature">The <c>X-Webhook-Signature</c> header; null or empty when it was missing.</param>
    /// <param name="body">The raw request body, exactly as received.</param>
    /// <returns>Whether the delivery is authentic, and if not, why.</returns>
    public WebhookVerification Verify(string? signature, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrWhiteSpace(signature))
        {
            return new WebhookVerification(false, $"missing {ApiframeWebhooks.SignatureHeader} header");
        }

        var given = Decode(signature.Trim());
        if (given is null)
        {
            return new WebhookVerification(false, $"{ApiframeWebhooks.SignatureHeader} is neither a hex nor a base64 HMAC-SHA256");
        }

        foreach (var key in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(key, body), given))
            {
                return WebhookVerification.Ok;
            }
        }

        return new WebhookVerification(false, $"{ApiframeWebhooks.SignatureHeader} does not match the body");
    }

    /// <summary>
    /// The signature of a body as the VideoGen sandbox sends it: lowercase hex of HMAC-SHA256 keyed with the
    /// lowercase hex SHA-256 of the API key (for senders and tests).
    /// </summary>
    /// <param name="body">The raw body.</param>
    /// <returns>The header value.</returns>
    public string Sign(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(HMACSHA256.HashData(_hexKey, body));

    private static byte[]? Decode(string text)
    {
        if (text.StartsWith("sha256=", StringComparison.OrdinalIgnoreCase))
        {
            text = text["sha256=".Length..];
        }

        if (text.Length == 64)
        {
            try
            {
                return Convert.FromHexString(text);
            }
            catch (FormatException)
            {
                return null;
            }
        }

        var buffer = new byte[32];
        return Convert.TryFromBase64String(text, buffer, out var written) && written == 32 ? buffer : null;
    }
}
