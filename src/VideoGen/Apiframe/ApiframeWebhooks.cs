using Newtonsoft.Json;
using VideoGen.Catalog;

namespace VideoGen.Apiframe;

/// <summary>
/// Reads Apiframe's webhook deliveries (the spec's <c>WebhookPayload</c>, POSTed to <c>webhookUrl</c>;
/// https://docs-v2.apiframe.ai/docs/webhooks) as job updates. Verify the delivery first with
/// <see cref="ApiframeWebhookSignature"/>.
/// </summary>
public static class ApiframeWebhooks
{
    /// <summary>The most bytes a delivery body may have: 1 MiB.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>The header with the HMAC-SHA256 signature of the raw body.</summary>
    public const string SignatureHeader = "X-Webhook-Signature";

    /// <summary>The header with the event type (<c>completed</c>, <c>failed</c> or <c>progress</c>).</summary>
    public const string EventHeader = "X-Webhook-Event";

    /// <summary>Parses one delivery body.</summary>
    /// <param name="json">The raw body.</param>
    /// <returns>The payload.</returns>
    /// <exception cref="FormatException">The body is not a webhook payload (the message says why; it never echoes more than a short excerpt).</exception>
    public static WebhookPayload Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        WebhookPayload? payload;
        try
        {
            // CUSTOM: read like every vendor response (tolerant reader): an unknown event name, an error given as
            // an object, a date in another form never make a delivery unreadable.
            payload = JsonConvert.DeserializeObject<WebhookPayload>(json, Http.VendorJson.Settings);
        }
        catch (JsonException e)
        {
            throw new FormatException("The webhook body is not an Apiframe webhook payload: " + e.Message, e);
        }

        if (payload is null || string.IsNullOrEmpty(payload.JobId) || string.IsNullOrEmpty(payload.Status))
        {
            throw new FormatException("The webhook body has no jobId or status.");
        }

        return payload;
    }

    /// <summary>The job as the delivery describes it, normalized like <see cref="IVideoGenerator.GetJobAsync"/> does.</summary>
    /// <param name="payload">The payload.</param>
    /// <returns>The job update.</returns>
    public static VideoJob ToVideoJob(WebhookPayload payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var vendor = VideoModelCatalog.Default.GetVendor(VendorIds.Apiframe);
        var urls = ApiframeVideoGenerator.ResultUrls(payload.Result);
        return new VideoJob
        {
            Id = payload.JobId,
            Vendor = vendor.DisplayName,
            VendorId = vendor.Id,
            Model = payload.Model,
            Status = ApiframeVideoGenerator.ToJobStatus(payload.Status),
            VendorStatus = payload.Status,
            Progress = ApiframeVideoGenerator.ToProgress(payload.Progress),
            ResultUri = urls.Count > 0 ? urls[0] : null,
            ResultUris = urls,
            Cost = ApiframeVideoGenerator.ToCost(payload.CreditCost, vendor.PriceUnit),
            Error = payload.Error,
            CompletedAt = payload.CompletedAt,
            RawRepresentation = payload,
        };
    }
}
