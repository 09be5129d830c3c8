namespace VideoGen.AspNetCore;

/// <summary>How the webhook endpoint checks and routes deliveries.</summary>
public sealed class VideoGenWebhookOptions
{
    /// <summary>
    /// The signing secret (<c>whsec_…</c>). When set, every delivery must carry a valid Standard Webhooks
    /// signature (<c>webhook-id</c>, <c>webhook-timestamp</c>, <c>webhook-signature</c>) or it is refused
    /// with 401. Apiframe does not sign this way: for its deliveries set <see cref="ApiframeApiKey"/>.
    /// </summary>
    /// <value>No secret: deliveries are not verified this way.</value>
    public string? SigningSecret { get; set; }

    /// <summary>
    /// Accepts deliveries without verifying them when neither <see cref="SigningSecret"/> nor <see cref="ApiframeApiKey"/> is set. Off by default: with no
    /// secret, every delivery is refused with 401, since anyone who finds the URL could otherwise report any job as done.
    /// Turn it on only behind something else that authenticates the sender (a private network, mutual TLS, a proxy).
    /// </summary>
    /// <value><see langword="false"/>.</value>
    public bool AllowUnsignedDeliveries { get; set; }

    /// <summary>The most bytes a delivery's body may have; a larger one is refused with 413 while it is read, before anything is checked.</summary>
    /// <value><see cref="Apiframe.ApiframeWebhooks.MaxBodyBytes"/> (1 MiB).</value>
    public int MaxBodyBytes { get; set; } = Apiframe.ApiframeWebhooks.MaxBodyBytes;

    /// <summary>
    /// The Apiframe API key (<c>afk_…</c>) the jobs were submitted with. When set, every delivery must carry a valid
    /// <c>X-Webhook-Signature</c>: HMAC-SHA256 of the raw body keyed with SHA-256 of this key
    /// (https://docs-v2.apiframe.ai/docs/webhooks), or it is refused with 401. Never logged.
    /// </summary>
    /// <value>No key: Apiframe's signature is not checked.</value>
    public string? ApiframeApiKey { get; set; }

    /// <summary>How far a delivery's timestamp may be from now.</summary>
    /// <value>300 seconds.</value>
    public TimeSpan Tolerance { get; set; } = Webhooks.WebhookSignatureVerifier.DefaultTolerance;

    /// <summary>The clock signatures are checked against.</summary>
    /// <value><see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
