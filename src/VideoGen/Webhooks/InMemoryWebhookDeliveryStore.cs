namespace VideoGen.Webhooks;

/// <summary>
/// The default <see cref="IWebhookDeliveryStore"/>: the last <see cref="Capacity"/> delivery ids, in memory. A restart
/// forgets them; use <c>SqliteWebhookDeliveryStore</c> (package VideoGen.Journal.Sqlite) to de-duplicate across restarts.
/// </summary>
public sealed class InMemoryWebhookDeliveryStore : IWebhookDeliveryStore
{
    /// <summary>The default number of delivery ids remembered: 10,000.</summary>
    public const int DefaultCapacity = 10_000;

    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    /// <summary>Creates the store.</summary>
    /// <param name="capacity">How many ids to remember; the oldest is forgotten first. <see cref="DefaultCapacity"/> by default.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is below 1.</exception>
    public InMemoryWebhookDeliveryStore(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    /// <summary>How many ids are remembered at most.</summary>
    public int Capacity { get; }

    /// <inheritdoc />
    public ValueTask<bool> TryRecordAsync(string deliveryId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deliveryId);
        lock (_seen)
        {
            if (!_seen.Add(deliveryId))
            {
                return ValueTask.FromResult(false);
            }

            _order.Enqueue(deliveryId);
            if (_order.Count > Capacity)
            {
                _seen.Remove(_order.Dequeue());
            }

            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask ForgetAsync(string deliveryId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deliveryId);
        lock (_seen)
        {
            // The order queue keeps the id until it ages out; removing it from the set is what lets a redelivery through.
            _seen.Remove(deliveryId);
        }

        return ValueTask.CompletedTask;
    }
}
