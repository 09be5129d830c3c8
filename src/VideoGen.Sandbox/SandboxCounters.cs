using System.Collections.Concurrent;

namespace VideoGen.Sandbox;

/// <summary>A fault the sandbox injected.</summary>
public enum SandboxFaultKind
{
    /// <summary>A 429 with <c>Retry-After</c>.</summary>
    RateLimited,

    /// <summary>A 500.</summary>
    ServerError,

    /// <summary>A 503 with <c>Retry-After</c>.</summary>
    ServiceUnavailable,

    /// <summary>A connection aborted after the job was created and charged.</summary>
    ConnectionDropped,

    /// <summary>A response delayed by <see cref="SandboxFaultOptions.SlowResponseDelay"/>.</summary>
    SlowResponse,
}

/// <summary>
/// What the sandbox did, for reliability tests: jobs created per vendor (so a test can assert "at most one job
/// per logical submission"), faults injected per kind, vendor API requests per vendor, webhook deliveries.
/// Thread-safe.
/// </summary>
public sealed class SandboxCounters
{
    private readonly ConcurrentDictionary<string, int> _jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<SandboxFaultKind, int> _faults = new();
    private int _webhooksDelivered;
    private int _webhookFailures;

    internal SandboxCounters()
    {
    }

    /// <summary>Jobs created at <paramref name="vendor"/> (every accepted submission, including those whose connection was then dropped).</summary>
    /// <param name="vendor">The vendor id (<see cref="SandboxVendors"/>).</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentException">The vendor is unknown.</exception>
    public int JobsCreated(string vendor) => _jobs.GetValueOrDefault(SandboxVendors.Normalize(vendor));

    /// <summary>Jobs created at every vendor.</summary>
    public int TotalJobsCreated => _jobs.Values.Sum();

    /// <summary>Vendor API requests received for <paramref name="vendor"/>, faulted ones included.</summary>
    /// <param name="vendor">The vendor id.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentException">The vendor is unknown.</exception>
    public int Requests(string vendor) => _requests.GetValueOrDefault(SandboxVendors.Normalize(vendor));

    /// <summary>Faults of <paramref name="kind"/> injected so far.</summary>
    /// <param name="kind">The kind of fault.</param>
    /// <returns>The count.</returns>
    public int FaultsInjected(SandboxFaultKind kind) => _faults.GetValueOrDefault(kind);

    /// <summary>Faults of every kind injected so far.</summary>
    public int TotalFaultsInjected => _faults.Values.Sum();

    /// <summary>Webhook and callback POSTs answered with a 2xx status.</summary>
    public int WebhooksDelivered => Volatile.Read(ref _webhooksDelivered);

    /// <summary>Webhook and callback POSTs that failed (non-2xx answer, timeout or connection error), counting each attempt.</summary>
    public int WebhookDeliveryFailures => Volatile.Read(ref _webhookFailures);

    /// <summary>Sets every counter back to zero.</summary>
    public void Reset()
    {
        _jobs.Clear();
        _requests.Clear();
        _faults.Clear();
        Interlocked.Exchange(ref _webhooksDelivered, 0);
        Interlocked.Exchange(ref _webhookFailures, 0);
    }

    /// <summary>Every counter, as plain data (what <c>GET /_sandbox/counters</c> returns).</summary>
    /// <returns>The counters by name.</returns>
    public IReadOnlyDictionary<string, object> ToDictionary() => new Dictionary<string, object>
    {
        ["jobsCreated"] = SandboxVendors.All.ToDictionary(v => v, v => _jobs.GetValueOrDefault(v)),
        ["requests"] = SandboxVendors.All.ToDictionary(v => v, v => _requests.GetValueOrDefault(v)),
        ["faultsInjected"] = Enum.GetValues<SandboxFaultKind>().ToDictionary(k => k.ToString(), k => _faults.GetValueOrDefault(k)),
        ["webhooksDelivered"] = WebhooksDelivered,
        ["webhookDeliveryFailures"] = WebhookDeliveryFailures,
    };

    internal void JobCreated(string vendor) => _jobs.AddOrUpdate(vendor, 1, (_, n) => n + 1);

    internal void Request(string vendor) => _requests.AddOrUpdate(vendor, 1, (_, n) => n + 1);

    internal void Fault(SandboxFaultKind kind) => _faults.AddOrUpdate(kind, 1, (_, n) => n + 1);

    internal void WebhookDelivered() => Interlocked.Increment(ref _webhooksDelivered);

    internal void WebhookFailed() => Interlocked.Increment(ref _webhookFailures);
}
