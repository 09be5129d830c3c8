using Newtonsoft.Json;
using VideoGen.Gateway;

namespace VideoGen.Webhooks;

/// <summary>Reads the gateway's webhook deliveries (the spec's <c>WebhookPayload</c>, posted to <c>webhookUrl</c>) as job updates.</summary>
public static class GatewayWebhooks
{
    /// <summary>The most bytes a delivery body may have: 1 MiB.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

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
            throw new FormatException("The webhook body is not a gateway webhook payload: " + e.Message, e);
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
        var urls = payload.Result?.VideoUrls?.Where(u => u is not null).ToList() ?? [];
        return new VideoJob
        {
            Id = payload.JobId,
            Vendor = Catalog.VideoModelCatalog.Default.GetVendor(VendorIds.Gateway).DisplayName,
            Status = GatewayVideoGenerator.ToJobStatus(payload.Status),
            VendorStatus = payload.Status,
            Progress = GatewayVideoGenerator.ToProgress(payload.Progress),
            ResultUri = urls.FirstOrDefault(),
            ResultUris = urls,
            Error = payload.Error,
            RawRepresentation = payload,
        };
    }
}
