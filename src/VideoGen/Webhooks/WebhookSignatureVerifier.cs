using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace VideoGen.Webhooks;

/// <summary>
/// Verifies webhook signatures in the Standard Webhooks style: HMAC-SHA256 over
/// <c>{webhook-id}.{webhook-timestamp}.{raw body}</c>, sent as <c>webhook-signature: v1,&lt;base64&gt;</c>
/// (several space-separated signatures allowed, for key rotation), compared in constant time, with a
/// timestamp tolerance against replays. The gateway's seed names no signing scheme, so this one is
/// configurable and off unless a secret is set.
/// </summary>
public sealed class WebhookSignatureVerifier
{
    /// <summary>The default timestamp tolerance: 300 seconds either way.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromSeconds(300);

    private const string SecretPrefix = "whsec_";
    private readonly byte[] _key;
    private readonly TimeSpan _tolerance;
    private readonly TimeProvider _clock;

    /// <summary>Creates a verifier for <paramref name="secret"/>.</summary>
    /// <param name="secret">The signing secret: <c>whsec_</c> followed by base64, or any other text used as UTF-8 bytes.</param>
    /// <param name="tolerance">How far the timestamp may be from now; <see cref="DefaultTolerance"/> when null.</param>
    /// <param name="clock">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentException">The secret is empty.</exception>
    public WebhookSignatureVerifier(string secret, TimeSpan? tolerance = null, TimeProvider? clock = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        _key = secret.StartsWith(SecretPrefix, StringComparison.Ordinal)
            ? Convert.FromBase64String(secret[SecretPrefix.Length..])
            : Encoding.UTF8.GetBytes(secret);
        _tolerance = tolerance ?? DefaultTolerance;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>Checks one delivery.</summary>
    /// <param name="id">The <c>webhook-id</c> header.</param>
    /// <param name="timestamp">The <c>webhook-timestamp</c> header (Unix seconds).</param>
    /// <param name="signatures">The <c>webhook-signature</c> header.</param>
    /// <param name="body">The raw request body, exactly as received.</param>
    /// <returns>Whether the delivery is authentic and fresh, and if not, why.</returns>
    public WebhookVerification Verify(string? id, string? timestamp, string? signatures, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signatures))
        {
            return WebhookVerification.Fail("missing webhook-id, webhook-timestamp or webhook-signature header");
        }

        // A number past year 9999 (99999999999999) is no time at all: refused here, never thrown from FromUnixTimeSeconds.
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return WebhookVerification.Fail("webhook-timestamp is not a Unix time in seconds");
        }

        var skew = _clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (skew.Duration() > _tolerance)
        {
            return WebhookVerification.Fail($"webhook-timestamp is {skew.TotalSeconds:0} s from now, outside the {_tolerance.TotalSeconds:0} s tolerance");
        }

        var expected = Sign(id, timestamp, body);
        Span<byte> given = stackalloc byte[64];
        foreach (var candidate in signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = candidate.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0 || candidate[..comma] != "v1")
            {
                continue;
            }

            if (Convert.TryFromBase64String(candidate[(comma + 1)..], given, out var length)
                && length == expected.Length
                && CryptographicOperations.FixedTimeEquals(given[..length], expected))
            {
                return WebhookVerification.Ok;
            }
        }

        return WebhookVerification.Fail("no webhook-signature matches");
    }

    /// <summary>The v1 signature of a delivery (for senders and tests).</summary>
    /// <param name="id">The delivery id.</param>
    /// <param name="timestamp">The Unix timestamp in seconds, as text.</param>
    /// <param name="body">The raw body.</param>
    /// <returns>The header value, <c>v1,&lt;base64&gt;</c>.</returns>
    public string CreateSignatureHeader(string id, string timestamp, ReadOnlySpan<byte> body) => "v1," + Convert.ToBase64String(Sign(id, timestamp, body));

    private byte[] Sign(string id, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return HMACSHA256.HashData(_key, content);
    }
}

/// <summary>The outcome of <see cref="WebhookSignatureVerifier.Verify"/>.</summary>
/// <param name="IsValid">Whether the delivery is authentic and fresh.</param>
/// <param name="Reason">Why not, when it is not.</param>
public sealed record WebhookVerification(bool IsValid, string? Reason)
{
    /// <summary>A valid delivery.</summary>
    public static readonly WebhookVerification Ok = new(true, null);

    internal static WebhookVerification Fail(string reason) => new(false, reason);
}
