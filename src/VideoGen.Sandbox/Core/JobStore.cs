using System.Collections.Concurrent;
using Newtonsoft.Json.Linq;
using VideoGen.Catalog;

namespace VideoGen.Sandbox.Core;

/// <summary>What a vendor endpoint asks the store to create (a record: a retry is the same terms <c>with</c> a few changed).</summary>
internal sealed record JobRequest
{
    public required string Vendor { get; init; }

    /// <summary>The fingerprint of the API key that creates the job (never the key itself).</summary>
    public required string Owner { get; init; }

    public required string Model { get; init; }

    /// <summary>The catalog entry, for the processing time; null falls back to the vendor's usual range.</summary>
    public VideoModelInfo? ModelInfo { get; init; }

    public string? Prompt { get; init; }

    public required int DurationSeconds { get; init; }

    public required string AspectRatio { get; init; }

    public int VideoCount { get; init; } = 1;

    public required decimal Price { get; init; }

    /// <summary>The sandbox's own base URL as the client reached it (for result URLs), ending with '/'.</summary>
    public required string PublicBaseUrl { get; init; }

    /// <summary>The request body as sent, for the vendors that echo parameters.</summary>
    public JObject Request { get; init; } = new();

    /// <summary>
    /// A failure known at submission that the vendor only reports once the job runs (Oxen validates model
    /// parameters and credits at run time): the job fails shortly after it starts.
    /// </summary>
    public string? FailOnStart { get; init; }
}

/// <summary>Every job of every vendor: creates them with a planned lifecycle, finds them for their owner, refunds failed ones.</summary>
internal sealed class JobStore
{
    /// <summary>The share of a job's total time spent queued before processing starts.</summary>
    public const double QueueShare = 0.2;

    /// <summary>The first Elumenta generation id (the vendor's examples show ids around 18500).</summary>
    public const long FirstElumentaId = 18500;

    /// <summary>How long after start a job fails when its failure is found at run time (Oxen's example: 3 s).</summary>
    public static readonly TimeSpan RunTimeFailureDelay = TimeSpan.FromSeconds(3);

    /// <summary>The processing range used when a model has no catalog entry: the 20–180 s of seed 000.</summary>
    public static readonly ProcessingTime FallbackProcessingTime = new(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(180), true, "000_19877c27d990fa7a.txt § Note (20–180 seconds)");

    private readonly ConcurrentDictionary<(string Vendor, string Id), SandboxJob> _jobs = new();
    private readonly SandboxOptions _options;
    private readonly TimeProvider _time;
    private readonly SandboxCounters _counters;
    private readonly Action<SandboxJob> _refund;
    private readonly Random _random;
    private readonly object _randomGate = new();
    private long _nextElumentaId = FirstElumentaId - 1;
    private long _sequence;

    public JobStore(SandboxOptions options, SandboxCounters counters, Action<SandboxJob> refund)
    {
        _options = options;
        _time = options.TimeProvider;
        _counters = counters;
        _refund = refund;
        _random = new Random(options.Seed);
        if (options.FreshIds)
        {
            // Fresh per instance: ids come from an unseeded stream, so two runs of the embedded sandbox never share one.
            _ids = new Random();
            _nextElumentaId = FirstElumentaId - 1 + _ids.NextInt64(1, 100_000_000);
        }
    }

    /// <summary>Where ids are drawn from: the seeded stream, or an unseeded one when <see cref="SandboxOptions.FreshIds"/> is on.</summary>
    private readonly Random? _ids;

    public TimeProvider Time => _time;


    /// <summary>The next Elumenta id (sequential integers).</summary>
    public string NextElumentaId() => Interlocked.Increment(ref _nextElumentaId).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A random version-4 UUID: from the seeded stream (ids repeat from run to run), or a fresh one with <see cref="SandboxOptions.FreshIds"/>.</summary>
    public Guid NextGuid()
    {
        var bytes = new byte[16];
        lock (_randomGate)
        {
            (_ids ?? _random).NextBytes(bytes);
        }

        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4 (Guid's byte order keeps the version in byte 7)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes);
    }

    /// <summary>Creates a job with id <paramref name="id"/>, planning its timing and outcome, and counts it.</summary>
    public SandboxJob Create(string id, JobRequest request)
    {
        var range = request.ModelInfo?.ProcessingTime ?? FallbackProcessingTime;
        double draw, failureDraw;
        lock (_randomGate)
        {
            draw = _random.NextDouble();
            failureDraw = _random.NextDouble();
        }

        var now = _time.GetUtcNow();
        var totalSeconds = (range.Min.TotalSeconds + ((range.Max - range.Min).TotalSeconds * draw)) * _options.TimeScale;
        var startsAt = now + TimeSpan.FromSeconds(totalSeconds * QueueShare);
        var finishesAt = now + TimeSpan.FromSeconds(totalSeconds);
        string? failure = null;
        if (request.FailOnStart is { } early)
        {
            failure = early;
            finishesAt = startsAt + (RunTimeFailureDelay * _options.TimeScale);
        }
        else if (request.Prompt?.Contains(SandboxOptions.FailurePromptMarker, StringComparison.OrdinalIgnoreCase) == true)
        {
            failure = "Provider error: the prompt asked the sandbox to fail (" + SandboxOptions.FailurePromptMarker + ")";
        }
        else if (failureDraw < _options.FailureRate)
        {
            failure = "Provider error: simulated failure (sandbox failure rate)";
        }

        var job = new SandboxJob(request)
        {
            Sequence = Interlocked.Increment(ref _sequence),
            Id = id,
            CreatedAt = now,
            StartsAt = startsAt,
            FinishesAt = finishesAt,
            PlannedFailure = failure,
        };

        if (!_jobs.TryAdd((job.Vendor, job.Id), job))
        {
            throw new InvalidOperationException($"Duplicate {job.Vendor} job id {job.Id}.");
        }

        _counters.JobCreated(job.Vendor);
        return job;
    }

    /// <summary>The job with this id at this vendor, if it belongs to <paramref name="owner"/> (other keys' jobs are not found, as at the vendors).</summary>
    public SandboxJob? Find(string vendor, string id, string owner)
    {
        var job = Find(vendor, id);
        if (job is null || job.Owner != owner)
        {
            return null;
        }

        Settle(job);
        return job;
    }

    /// <summary>The job with this id at this vendor, whoever owns it.</summary>
    public SandboxJob? Find(string vendor, string id) => _jobs.GetValueOrDefault((vendor, id));

    /// <summary>The jobs of <paramref name="owner"/> at <paramref name="vendor"/>, oldest first.</summary>
    public IReadOnlyList<SandboxJob> List(string vendor, string owner)
    {
        var jobs = _jobs.Values.Where(j => j.Vendor == vendor && j.Owner == owner).OrderBy(j => j.Sequence).ToList();
        jobs.ForEach(Settle);
        return jobs;
    }

    /// <summary>Every job, oldest first.</summary>
    public IReadOnlyList<SandboxJob> All() => _jobs.Values.OrderBy(j => j.Sequence).ToList();

    /// <summary>Refunds every job that ended without a video and was not refunded yet.</summary>
    public void SettleDue()
    {
        foreach (var job in _jobs.Values)
        {
            Settle(job);
        }
    }

    /// <summary>Cancels a job if it is still active; the refund follows.</summary>
    public bool Cancel(SandboxJob job, string reason)
    {
        var cancelled = job.Cancel(_time.GetUtcNow(), reason);
        Settle(job);
        return cancelled;
    }

    private void Settle(SandboxJob job)
    {
        var phase = job.PhaseAt(_time.GetUtcNow());
        if (phase is SandboxJobPhase.Failed or SandboxJobPhase.Cancelled && job.TryMarkSettled())
        {
            _refund(job);
        }
    }
}
