using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using VideoGen.Apiframe;
using VideoGen.Journal;
using VideoGen.Webhooks;

namespace VideoGen.AspNetCore;

/// <summary>Maps the endpoint that receives Apiframe's webhooks and feeds them to waiting jobs.</summary>
public static class VideoGenWebhookEndpoints
{
    /// <summary>Registers the <see cref="WebhookJobUpdates"/> hub the endpoint publishes to (pass it to <c>WaitOptions.Webhooks</c>).</summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    /// <remarks>
    /// <para>Where delivery ids are remembered (for <see cref="SqliteWebhookDeliveryStore.DefaultRetention"/>, 7 days, or the last
    /// <see cref="InMemoryWebhookDeliveryStore.DefaultCapacity"/> ids), first match wins:</para>
    /// <list type="number">
    /// <item>the <see cref="IWebhookDeliveryStore"/> registered in the container;</item>
    /// <item>with a <see cref="SqliteJobJournal"/> registered (as <see cref="IJobJournal"/> or as itself), a
    /// <see cref="SqliteWebhookDeliveryStore"/> in the journal's own file (<see cref="SqliteJobJournal.Path"/>, table
    /// <c>webhook_deliveries</c>): a delivery replayed after a restart is still a duplicate, acknowledged and not published;</item>
    /// <item>otherwise (no journal, or a journal that is not a SQLite file, such as PostgreSQL) an
    /// <see cref="InMemoryWebhookDeliveryStore"/>, bounded to its capacity: a restart forgets the ids. Register a store to
    /// keep them.</item>
    /// </list>
    /// <para>The store is chosen when the hub is first resolved, so the journal may be registered before or after this call.</para>
    /// </remarks>
    public static IServiceCollection AddVideoGenWebhooks(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(sp => new WebhookJobUpdates(DeliveryStore(sp)));
        return services;
    }

    /// <summary>The delivery store <see cref="AddVideoGenWebhooks"/> gives the hub: the user's, the journal's file, or null (in memory).</summary>
    internal static IWebhookDeliveryStore? DeliveryStore(IServiceProvider services)
    {
        if (services.GetService<IWebhookDeliveryStore>() is { } registered)
        {
            return registered;
        }

        return (services.GetService<IJobJournal>() as SqliteJobJournal ?? services.GetService<SqliteJobJournal>()) is { } journal
            ? new SqliteWebhookDeliveryStore(journal.Path, clock: services.GetService<TimeProvider>())
            : null;
    }

    /// <summary>
    /// Maps <c>POST {pattern}</c>: reads the raw body (<see cref="VideoGenWebhookOptions.MaxBodyBytes"/> at most, enforced
    /// while reading, chunked or not), verifies the signature (401 on a bad signature, a stale or impossible timestamp,
    /// missing headers, or no secret configured unless <see cref="VideoGenWebhookOptions.AllowUnsignedDeliveries"/>), drops duplicate
    /// deliveries (same signed <c>webhook-id</c> under <see cref="VideoGenWebhookOptions.SigningSecret"/>; otherwise, as with
    /// Apiframe's signature, which covers the body alone, the same body), and publishes
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
        return endpoints.MapPost(pattern, (HttpContext context, WebhookJobUpdates updates, ILoggerFactory loggers) => ReceiveAsync(context, updates, verifier, apiframe, options, loggers.CreateLogger("VideoGen.Webhooks")));
    }

    private static async Task<IResult> ReceiveAsync(HttpContext context, WebhookJobUpdates updates, WebhookSignatureVerifier? verifier, ApiframeWebhookSignature? apiframe, VideoGenWebhookOptions options, ILogger logger)
    {
        var body = await ReadBoundedAsync(context.Request, options.MaxBodyBytes, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        var headers = context.Request.Headers;
        string? deliveryId = headers["webhook-id"];
        if (verifier is null && apiframe is null && !options.AllowUnsignedDeliveries)
        {
            logger.LogWarning("Refused a webhook delivery: no signing secret is configured and unsigned deliveries are not allowed");
            return Results.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Unsigned webhook delivery",
                detail: "No signing secret is configured: set VideoGenWebhookOptions.SigningSecret (Standard Webhooks) or ApiframeApiKey (Apiframe's X-Webhook-Signature), or AllowUnsignedDeliveries to accept deliveries unverified.");
        }

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

        // A webhook-id is the delivery's id only where a signature covers it (Standard Webhooks). Apiframe signs the body
        // alone: there (and without a signature) anyone could replay a captured delivery under a fresh webhook-id, so an
        // identical body is the same delivery.
        if (verifier is null || string.IsNullOrEmpty(deliveryId))
        {
            deliveryId = "sha256:" + Convert.ToHexString(SHA256.HashData(body));
        }
        var fresh = await updates.PublishAsync(deliveryId, job, context.RequestAborted).ConfigureAwait(false);
        logger.LogDebug("Webhook delivery {DeliveryId} for job {JobId}: {Status} ({Outcome})", deliveryId, job.Id, job.VendorStatus, fresh ? "new" : "duplicate");
        return Results.Ok(new { received = true, duplicate = !fresh });
    }

    /// <summary>
    /// The body, or null when it is longer than <paramref name="limit"/>: a Content-Length over it is refused before
    /// reading, and a chunked body is counted as it arrives, so at most <paramref name="limit"/> bytes are ever held.
    /// </summary>
    private static async Task<byte[]?> ReadBoundedAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        var buffer = new byte[Math.Min(limit + 1, (int)(request.ContentLength ?? 16 * 1024) + 1)];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > limit)
                {
                    return null;
                }

                Array.Resize(ref buffer, Math.Min(limit + 1, buffer.Length * 2));
            }

            var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return buffer[..length];
            }

            length += read;
            if (length > limit)
            {
                return null;
            }
        }
    }
}
