namespace VideoGen.Waiting;

/// <summary>
/// The submit-to-completion times VideoGen has seen, per vendor and model. The waiters
/// (<see cref="VideoJobOperation"/>, <see cref="VideoJobMonitor"/>) record every succeeded job into the
/// history set in <see cref="WaitOptions.ProcessingTimes"/>, and, once a model has
/// <see cref="WaitOptions.MinimumHistory"/> jobs, place their polls where those jobs finished instead of
/// trusting the catalog's documented window.
/// </summary>
/// <remarks>Implementations must be thread-safe: one history is shared by every wait of a process.</remarks>
public interface IProcessingTimeHistory
{
    /// <summary>Records one finished job's processing time.</summary>
    /// <param name="vendor">The vendor, as <see cref="VideoJob.Vendor"/> names it (compared case-insensitively).</param>
    /// <param name="model">The model, as <see cref="VideoJob.Model"/> names it; <see langword="null"/> when the vendor did not say.</param>
    /// <param name="processingTime">From submission to completion; zero, negative or longer than a day is ignored.</param>
    void Record(string vendor, string? model, TimeSpan processingTime);

    /// <summary>The most recent processing times of a model, oldest first.</summary>
    /// <param name="vendor">The vendor (compared case-insensitively).</param>
    /// <param name="model">The model.</param>
    /// <returns>The recent times and how many were ever recorded (a version: it grows with every record).</returns>
    ProcessingTimeSnapshot GetSnapshot(string vendor, string? model);
}

/// <summary>A model's recent processing times.</summary>
/// <param name="Recent">The most recent times, oldest first (at most the history's capacity).</param>
/// <param name="TotalRecorded">How many times were ever recorded for the model; grows with every record.</param>
public sealed record ProcessingTimeSnapshot(IReadOnlyList<TimeSpan> Recent, long TotalRecorded)
{
    /// <summary>The snapshot of a model never seen.</summary>
    public static ProcessingTimeSnapshot Empty { get; } = new([], 0);
}

/// <summary>
/// An <see cref="IProcessingTimeHistory"/> in memory: per model, a ring of the most recent
/// <see cref="Capacity"/> times (a sliding window, not a sample of all time, so a vendor that became
/// slower is learned within <see cref="Capacity"/> jobs and the schedule forgets how it used to be).
/// </summary>
/// <remarks>
/// Bounded: <see cref="Capacity"/> × 8 bytes per model and at most <see cref="MaxModels"/> models (times of
/// further models are not kept). Why a ring and not a streaming quantile sketch: the schedule needs the shape
/// of the distribution (where it is dense, where it is empty), which a few quantiles do not give, and a sketch
/// over all time does not forget a vendor's old speed; 100 exact recent times are 800 bytes.
/// Seed it from the journal with <c>JournalProcessingTimes.LoadAsync</c> (package VideoGen.Journal.Sqlite).
/// </remarks>
public sealed class InMemoryProcessingTimeHistory : IProcessingTimeHistory
{
    /// <summary>The default number of recent times kept per model: 100.</summary>
    public const int DefaultCapacity = 100;

    /// <summary>The default most models kept: 1,024.</summary>
    public const int DefaultMaxModels = 1024;

    private static readonly TimeSpan Longest = TimeSpan.FromDays(1);

    private readonly Dictionary<(string Vendor, string Model), Ring> _models = new();
    private readonly object _gate = new();

    /// <summary>Creates an empty history.</summary>
    /// <param name="capacity">The recent times kept per model (at least 1).</param>
    /// <param name="maxModels">The most models kept (at least 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">A bound is below 1.</exception>
    public InMemoryProcessingTimeHistory(int capacity = DefaultCapacity, int maxModels = DefaultMaxModels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxModels, 1);
        Capacity = capacity;
        MaxModels = maxModels;
    }

    /// <summary>The recent times kept per model.</summary>
    /// <value><see cref="DefaultCapacity"/> unless given.</value>
    public int Capacity { get; }

    /// <summary>The most models kept.</summary>
    /// <value><see cref="DefaultMaxModels"/> unless given.</value>
    public int MaxModels { get; }

    /// <inheritdoc/>
    public void Record(string vendor, string? model, TimeSpan processingTime)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(vendor);
        if (processingTime <= TimeSpan.Zero || processingTime > Longest)
        {
            return;
        }

        var key = Key(vendor, model);
        lock (_gate)
        {
            if (!_models.TryGetValue(key, out var ring))
            {
                if (_models.Count >= MaxModels)
                {
                    return;
                }

                ring = new Ring(Capacity);
                _models[key] = ring;
            }

            ring.Add(processingTime);
        }
    }

    /// <inheritdoc/>
    public ProcessingTimeSnapshot GetSnapshot(string vendor, string? model)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(vendor);
        lock (_gate)
        {
            return _models.TryGetValue(Key(vendor, model), out var ring) ? ring.Snapshot() : ProcessingTimeSnapshot.Empty;
        }
    }

    /// <summary>One key per model whether the vendor is named by its catalog id (the journal) or its display name (<see cref="VideoJob.Vendor"/>, as jobs held it before <see cref="VideoJob.VendorId"/>).</summary>
    private static (string, string) Key(string vendor, string? model)
    {
        var catalog = Catalog.VideoModelCatalog.Default;
        var id = catalog.FindVendor(vendor)?.Id ?? VendorIds.Find(vendor) ?? vendor.Trim();
        return (id.ToUpperInvariant(), model?.Trim().ToUpperInvariant() ?? string.Empty);
    }

    private sealed class Ring(int capacity)
    {
        private readonly TimeSpan[] _items = new TimeSpan[capacity];
        private long _total;

        public void Add(TimeSpan value)
        {
            _items[(int)(_total % _items.Length)] = value;
            _total++;
        }

        public ProcessingTimeSnapshot Snapshot()
        {
            var count = (int)Math.Min(_total, _items.Length);
            var result = new TimeSpan[count];
            var start = _total - count;
            for (var i = 0; i < count; i++)
            {
                result[i] = _items[(int)((start + i) % _items.Length)];
            }

            return new ProcessingTimeSnapshot(result, _total);
        }
    }
}
