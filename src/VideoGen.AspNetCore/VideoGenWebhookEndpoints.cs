using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using VideoGen.Apiframe;
using VideoGen.Webhooks;

namespace VideoGen.AspNetCore;

/// <summary>Maps the endpoint that receives Apiframe's webhooks and feeds them to waiting jobs.</summary>
public static class VideoGenWebhookEndpoints
{
    /// <summary>Registers the <see cref="WebhookJobUpdates"/> hub the endpoint publishes to (pass it to <c>WaitOptions.Webhooks</c>).</summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddVideoGenWebhooks(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<WebhookJobUpdates>();
        return services;
    }

    /// <summary>
    /// Maps <c>POST {pattern}</c>: reads the raw body (1 MiB at most), verifies the signature when a
    /// secret is set (401 on a bad signature, a stale timestamp or missing headers), drops duplicate
    /// deliveries (same <c>webhook-id</c>, or the same body when the vendor sends no id), and publishes
    /// the job update to the <see cref="WebhookJobUpdates"/> hub. Duplicates are acknowledged (200) so
    /// the vendor stops redelivering them.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="pattern">The route, the path of the <c>webhookUrl</c> you give Apiframe.</param>
    /// <param name="configure">Sets the signing secret and tolerance.</param>
    /// <returns>The endpoint, to add authorization or rate limiting.</returns>
    public static RouteHandlerBuilder MapVideoGenWebhooks(this IEndpointRouteBuilder endpoints, string pattern = "/webhooks/videogen", Action<VideoGenWebhookOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = new VideoGenWebhookOptions();
        configure?.Invoke(options);
        var verifier = options.SigningSecret is { Length: > 0 } secret ? new WebhookSignatureVerifier(secret, options.Tolerance, options.TimeProvider) : null;
        var apiframe = options.ApiframeApiKey is { Length: > 0 } key ? new ApiframeWebhookSignature(key) : null;
        return endpoints.MapPost(pattern, (HttpContext context, WebhookJobUpdates updates, ILoggerFactory loggers) => ReceiveAsync(context, updates, verifier, apiframe, loggers.CreateLogger("VideoGen.Webhooks")));
    }

    private static async Task<IResult> ReceiveAsync(HttpContext context, WebhookJobUpdates updates, WebhookSignatureVerifier? verifier, ApiframeWebhookSignature? apiframe, ILogger logger)
    {
        if (context.Request.ContentLength > ApiframeWebhooks.MaxBodyBytes)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        if (buffer.Length > ApiframeWebhooks.MaxBodyBytes)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        var body = buffer.ToArray();
        var headers = context.Request.Headers;
        string? deliveryId = headers["webhook-id"];
        if (verifier is not null)
        {
            var check = verifier.Verify(deliveryId, headers["webhook-timestamp"], headers["webhook-signature"], body);
            if (!check.IsValid)
            {
                logger.LogWarning("Refused a webhook delivery: {Reason}", check.Reason);
                return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Invalid webhook signature", detail: check.Reason);
            }
        }

        // CUSTOM: Apiframe's own scheme (X-Webhook-Signature over the raw body), checked besides the Standard Webhooks one.
        if (apiframe is not null && apiframe.Verify(headers[ApiframeWebhooks.SignatureHeader], body) is { IsValid: false } apiframeCheck)
        {
            logger.LogWarning("Refused a webhook delivery: {Reason}", apiframeCheck.Reason);
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Invalid webhook signature", detail: apiframeCheck.Reason);
        }

        VideoJob job;
        try
        {
            job = ApiframeWebhooks.ToVideoJob(ApiframeWebhooks.Parse(Encoding.UTF8.GetString(body)));
        }
        catch (FormatException e)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a webhook payload", detail: e.Message);
        }

        // Without a delivery id, an identical body is the same delivery.
        deliveryId ??= "sha256:" + Convert.ToHexString(SHA256.HashData(body));
        var fresh = updates.Publish(deliveryId, job);
        logger.LogDebug("Webhook delivery {DeliveryId} for job {JobId}: {Status} ({Outcome})", deliveryId, job.Id, job.VendorStatus, fresh ? "new" : "duplicate");
        return Results.Ok(new { received = true, duplicate = !fresh });
    }
}
