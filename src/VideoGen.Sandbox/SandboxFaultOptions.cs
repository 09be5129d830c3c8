namespace VideoGen.Sandbox;

/// <summary>
/// The faults a <see cref="SandboxServer"/> injects into vendor API calls (not into media downloads or the
/// <c>/_sandbox</c> endpoints). Each rate is a probability from 0 to 1, drawn per request from a random
/// stream seeded with <see cref="SandboxOptions.Seed"/>, so the same requests in the same order meet the
/// same faults. Every injected fault is counted in <see cref="SandboxServer.Counters"/>.
/// </summary>
public sealed class SandboxFaultOptions
{
    /// <summary>The default <see cref="RetryAfter"/>: 1 second.</summary>
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>The default <see cref="SlowResponseDelay"/>: 2 seconds.</summary>
    public static readonly TimeSpan DefaultSlowResponseDelay = TimeSpan.FromSeconds(2);

    /// <summary>The environment variable that sets <see cref="RateLimitRate"/>.</summary>
    public const string RateLimitRateEnvironmentVariable = "VIDEOGEN_SANDBOX_FAULT_RATE_LIMIT";

    /// <summary>The environment variable that sets <see cref="ServerErrorRate"/>.</summary>
    public const string ServerErrorRateEnvironmentVariable = "VIDEOGEN_SANDBOX_FAULT_SERVER_ERROR";

    /// <summary>The environment variable that sets <see cref="ServiceUnavailableRate"/>.</summary>
    public const string ServiceUnavailableRateEnvironmentVariable = "VIDEOGEN_SANDBOX_FAULT_UNAVAILABLE";

    /// <summary>The environment variable that sets <see cref="DropAfterAcceptRate"/>.</summary>
    public const string DropAfterAcceptRateEnvironmentVariable = "VIDEOGEN_SANDBOX_FAULT_DROP";

    /// <summary>The environment variable that sets <see cref="SlowResponseRate"/>.</summary>
    public const string SlowResponseRateEnvironmentVariable = "VIDEOGEN_SANDBOX_FAULT_SLOW";

    /// <summary>The environment variable that sets <see cref="SlowResponseDelay"/>, in milliseconds.</summary>
    public const string SlowResponseDelayEnvironmentVariable = "VIDEOGEN_SANDBOX_FAULT_SLOW_DELAY_MS";

    /// <summary>The environment variable that sets <see cref="CreateLatency"/>, in milliseconds.</summary>
    public const string CreateLatencyEnvironmentVariable = "VIDEOGEN_SANDBOX_CREATE_LATENCY_MS";

    /// <summary>The environment variable that sets <see cref="RetryAfter"/>, in whole seconds.</summary>
    public const string RetryAfterEnvironmentVariable = "VIDEOGEN_SANDBOX_FAULT_RETRY_AFTER_SECONDS";

    /// <summary>The share of requests answered 429 with a <c>Retry-After</c> header and the vendor's error body.</summary>
    /// <value>0.</value>
    public double RateLimitRate { get; set; }

    /// <summary>The share of requests answered 500 with the vendor's error body.</summary>
    /// <value>0.</value>
    public double ServerErrorRate { get; set; }

    /// <summary>The share of requests answered 503 with a <c>Retry-After</c> header and the vendor's error body.</summary>
    /// <value>0.</value>
    public double ServiceUnavailableRate { get; set; }

    /// <summary>
    /// The share of accepted job submissions whose connection is aborted after the job was created and charged:
    /// the client sees a transport error although the vendor has the job (the case idempotent clients must survive).
    /// </summary>
    /// <value>0.</value>
    public double DropAfterAcceptRate { get; set; }

    /// <summary>The share of requests delayed by <see cref="SlowResponseDelay"/> before they are handled.</summary>
    /// <value>0.</value>
    public double SlowResponseRate { get; set; }

    /// <summary>How long a slow response is delayed (not scaled by <see cref="SandboxOptions.TimeScale"/>: it stands for the network).</summary>
    /// <value><see cref="DefaultSlowResponseDelay"/> (2 s).</value>
    public TimeSpan SlowResponseDelay { get; set; } = DefaultSlowResponseDelay;

    /// <summary>
    /// How long every accepted job submission takes to answer after the job was created and charged (real vendors take
    /// 0.3-3 s): a client that dies or gives up meanwhile leaves a paid job it never learned the id of. Not scaled by
    /// <see cref="SandboxOptions.TimeScale"/>: it stands for the vendor's own latency and the network.
    /// </summary>
    /// <value><see cref="TimeSpan.Zero"/>.</value>
    public TimeSpan CreateLatency { get; set; }

    /// <summary>The <c>Retry-After</c> sent with injected 429 and 503 responses (whole seconds, rounded up).</summary>
    /// <value><see cref="DefaultRetryAfter"/> (1 s).</value>
    public TimeSpan RetryAfter { get; set; } = DefaultRetryAfter;

    /// <summary>Whether any fault is configured.</summary>
    public bool Any => RateLimitRate > 0 || ServerErrorRate > 0 || ServiceUnavailableRate > 0 || DropAfterAcceptRate > 0 || SlowResponseRate > 0;

    internal IEnumerable<string> Validate()
    {
        foreach (var (name, value) in new[]
        {
            (nameof(RateLimitRate), RateLimitRate),
            (nameof(ServerErrorRate), ServerErrorRate),
            (nameof(ServiceUnavailableRate), ServiceUnavailableRate),
            (nameof(DropAfterAcceptRate), DropAfterAcceptRate),
            (nameof(SlowResponseRate), SlowResponseRate),
        })
        {
            if (!SandboxOptions.IsRate(value))
            {
                yield return $"Faults.{name} {value} is not allowed; use a probability from 0 to 1.";
            }
        }

        var statusRates = RateLimitRate + ServerErrorRate + ServiceUnavailableRate;
        if (statusRates > 1 + 1e-9)
        {
            yield return $"Faults.RateLimitRate + ServerErrorRate + ServiceUnavailableRate is {statusRates}; the three exclude each other, so their sum must be at most 1.";
        }

        if (SlowResponseDelay < TimeSpan.Zero)
        {
            yield return $"Faults.SlowResponseDelay {SlowResponseDelay} is negative; use a delay >= 0.";
        }

        if (CreateLatency < TimeSpan.Zero)
        {
            yield return $"Faults.CreateLatency {CreateLatency} is negative; use a delay >= 0.";
        }

        if (RetryAfter < TimeSpan.Zero)
        {
            yield return $"Faults.RetryAfter {RetryAfter} is negative; use a delay >= 0.";
        }
    }
}
