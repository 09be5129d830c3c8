namespace VideoGen.AspNetCore;

/// <summary>How the webhook endpoint checks and routes deliveries.</summary>
public sealed class VideoGenWebhookOptions
{
    /// <summary>
    /// The signing secret (<c>whsec_…</c>). When set, every delivery must carry a valid Standard Webhooks
    /// signature (<c>webhook-id</c>, <c>webhook-timestamp</c>, <c>webhook-signature</c>) or it is refused
    /// with 401. The gateway's documents name no signing scheme, so this is off unless you set it.
    /// </summary>
    /// <value>No secret: deliveries are not verified.</value>
    public string? SigningSecret { get; set; }

    /// <summary>How far a delivery's timestamp may be from now.</summary>
    /// <value>300 seconds.</value>
    public TimeSpan Tolerance { get; set; } = Webhooks.WebhookSignatureVerifier.DefaultTolerance;

    /// <summary>The clock signatures are checked against.</summary>
    /// <value><see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
