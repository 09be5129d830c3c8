namespace VideoGen.Webhooks;

/// <summary>
/// Remembers which webhook deliveries were already accepted, so a delivery the vendor retries (or an attacker
/// replays) is acknowledged once and acted on once. <see cref="WebhookJobUpdates"/> asks it for every delivery id.
/// </summary>
public interface IWebhookDeliveryStore
{
    /// <summary>Records <paramref name="deliveryId"/> unless it was recorded before.</summary>
    /// <param name="deliveryId">The delivery id (<c>webhook-id</c>, or a hash of the body when the vendor sends none).</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns><see langword="true"/> when the id is new; <see langword="false"/> for a duplicate.</returns>
    ValueTask<bool> TryRecordAsync(string deliveryId, CancellationToken cancellationToken = default);

    /// <summary>Forgets <paramref name="deliveryId"/>, so its redelivery is processed again (used when handling the delivery failed).</summary>
    /// <param name="deliveryId">The delivery id recorded by <see cref="TryRecordAsync"/>.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>A task that completes when the id is forgotten.</returns>
    ValueTask ForgetAsync(string deliveryId, CancellationToken cancellationToken = default);
}
