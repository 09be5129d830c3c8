using System.Net;

namespace VideoGen.Sandbox;

/// <summary>How a <see cref="SandboxServer"/> listens, how fast its jobs run, what it charges and which faults it injects.</summary>
public sealed class SandboxOptions
{
    /// <summary>The default <see cref="Host"/>: loopback only.</summary>
    public const string DefaultHost = "127.0.0.1";

    /// <summary>The default <see cref="Port"/>: 0, a free port chosen by the system (read it from <see cref="SandboxServer.BaseUrl"/>).</summary>
    public const int DefaultPort = 0;

    /// <summary>The default <see cref="TimeScale"/>: jobs take the catalog's processing time.</summary>
    public const double DefaultTimeScale = 1;

    /// <summary>The default <see cref="Seed"/>.</summary>
    public const int DefaultSeed = 1;

    /// <summary>The default <see cref="FailureRate"/>: no job fails unless its prompt asks to (<see cref="FailurePromptMarker"/>).</summary>
    public const double DefaultFailureRate = 0;

    /// <summary>A prompt that contains this text (case-insensitive) makes its job fail, so a test can reach the failed state on purpose.</summary>
    public const string FailurePromptMarker = "[sandbox:fail]";

    /// <summary>
    /// The response header on every sandbox response that says its <see cref="TimeScale"/> (invariant culture, for
    /// example <c>0.05</c>), so a client pointed at a standalone sandbox waits at its pace, not a real vendor's.
    /// No vendor sends it.
    /// </summary>
    public const string TimeScaleHeader = "X-VideoGen-Sandbox-Time-Scale";

    /// <summary>The environment variable that sets <see cref="TimeScale"/> for a standalone sandbox.</summary>
    public const string TimeScaleEnvironmentVariable = "VIDEOGEN_SANDBOX_TIME_SCALE";

    /// <summary>The environment variable that sets <see cref="Seed"/> for a standalone sandbox.</summary>
    public const string SeedEnvironmentVariable = "VIDEOGEN_SANDBOX_SEED";

    /// <summary>The environment variable that sets <see cref="FailureRate"/> for a standalone sandbox.</summary>
    public const string FailureRateEnvironmentVariable = "VIDEOGEN_SANDBOX_FAILURE_RATE";

    /// <summary>The starting balance of every API key, per vendor, in the vendor's own unit, unless <see cref="InitialCredits"/> says otherwise.</summary>
    /// <remarks>
    /// Elumenta: 10,000 tokens (about 100 kling-v2.1 videos). Apiframe: 10,000 credits (its prices are not
    /// documented, so jobs cost 0 and only an empty balance is refused). AIML API: 50,000,000 AI/ML tokens
    /// (100 generations at 500,000). Oxen: 100 USD (prices not documented; jobs cost 0).
    /// </remarks>
    public static IReadOnlyDictionary<string, decimal> DefaultInitialCredits { get; } = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase)
    {
        [SandboxVendors.Elumenta] = 10_000m,
        [SandboxVendors.Apiframe] = 10_000m,
        [SandboxVendors.AimlApi] = 50_000_000m,
        [SandboxVendors.Oxen] = 100m,
    };

    /// <summary>The IP address to listen on.</summary>
    /// <value><see cref="DefaultHost"/> (127.0.0.1). <c>localhost</c> is read as 127.0.0.1.</value>
    public string Host { get; set; } = DefaultHost;

    /// <summary>The TCP port to listen on; 0 picks a free one.</summary>
    /// <value><see cref="DefaultPort"/> (0).</value>
    public int Port { get; set; } = DefaultPort;

    /// <summary>
    /// The factor applied to every vendor duration: processing times drawn from the model catalog, AIML API's
    /// 30 s wait limit, webhook retry delays. 0.01 makes a 90 s job take 0.9 s; 0 completes jobs at once.
    /// </summary>
    /// <value><see cref="DefaultTimeScale"/> (1).</value>
    public double TimeScale { get; set; } = DefaultTimeScale;

    /// <summary>The clock of every job, wait and delay; a test passes a fake one.</summary>
    /// <value><see cref="System.TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The seed of every random draw (processing times, failures, ids, faults): the same seed and the same requests give the same run.</summary>
    /// <value><see cref="DefaultSeed"/> (1).</value>
    public int Seed { get; set; } = DefaultSeed;

    /// <summary>
    /// Whether job ids are fresh for this sandbox instance (Elumenta's integers start at a random point, UUIDs are random)
    /// instead of drawn from <see cref="Seed"/>, which repeats them from run to run (every first Elumenta job is 18500).
    /// The CLI's embedded sandbox turns it on unless a seed is set, so files named after job ids do not collide across runs.
    /// </summary>
    /// <value><see langword="false"/>: ids follow the seed, as every other draw does.</value>
    public bool FreshIds { get; set; }

    /// <summary>The share of jobs, between 0 and 1, that end failed (in the vendor's failed state, uncharged).</summary>
    /// <value><see cref="DefaultFailureRate"/> (0).</value>
    public double FailureRate { get; set; } = DefaultFailureRate;

    /// <summary>
    /// The starting balance of each API key per vendor id (<see cref="SandboxVendors"/>), in the vendor's unit.
    /// Change an entry to start every key with less or more; use <see cref="SandboxServer.Ledger"/> for one key.
    /// </summary>
    /// <value>A copy of <see cref="DefaultInitialCredits"/>.</value>
    public IDictionary<string, decimal> InitialCredits { get; } = new Dictionary<string, decimal>(DefaultInitialCredits, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The API keys the sandbox accepts; any other bearer token gets the vendor's 401. When null, every non-empty
    /// bearer token is accepted (each key has its own credits and jobs).
    /// </summary>
    /// <value>null: any non-empty key.</value>
    public ISet<string>? AcceptedApiKeys { get; set; }

    /// <summary>
    /// Keys that exist but are deactivated: a vendor that tells them apart answers its own code (Apiframe: 403
    /// "API key is inactive", https://docs-v2.apiframe.ai/docs/getting-started/authentication); others answer 401.
    /// </summary>
    /// <value>null: no key is inactive.</value>
    public ISet<string>? InactiveApiKeys { get; set; }

    /// <summary>
    /// The faults to inject. Unlike the other options, which the sandbox copies when it starts, this object is read
    /// at every request: change its rates on a running sandbox (<c>server.Options.Faults.ServiceUnavailableRate = 1</c>)
    /// to open and close an outage window. Keep them valid (0 to 1; the three status rates summing to at most 1).
    /// </summary>
    /// <value>No faults.</value>
    public SandboxFaultOptions Faults { get; set; } = new();

    /// <summary>Every problem with these options, empty when they are valid.</summary>
    /// <returns>One line per invalid option, naming it, its value and what is allowed.</returns>
    internal IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (ResolveAddress() is null)
        {
            errors.Add($"Host '{Host}' is not an IP address; use an address such as 127.0.0.1 (or localhost).");
        }

        if (Port is < 0 or > 65535)
        {
            errors.Add($"Port {Port} is out of range; allowed: 0 (any free port) to 65535.");
        }

        if (!double.IsFinite(TimeScale) || TimeScale < 0)
        {
            errors.Add($"TimeScale {TimeScale} is not allowed; use a finite number >= 0 (1 = the vendors' own timing, 0.01 = 100 times faster, 0 = instant).");
        }

        if (TimeProvider is null)
        {
            errors.Add("TimeProvider is null; use TimeProvider.System or a fake clock.");
        }

        if (!IsRate(FailureRate))
        {
            errors.Add($"FailureRate {FailureRate} is not allowed; use a number from 0 to 1.");
        }

        foreach (var (vendor, amount) in InitialCredits)
        {
            // Aliases (neuralbox, gateway) name their vendor here as everywhere else; Normalize maps them.
            if (SandboxVendors.TryNormalize(vendor) is null)
            {
                errors.Add($"InitialCredits has an unknown vendor '{vendor}'; allowed: {string.Join(", ", SandboxVendors.All)} (and the aliases neuralbox, gateway).");
            }

            if (amount < 0)
            {
                errors.Add($"InitialCredits['{vendor}'] is {amount}; use an amount >= 0.");
            }
        }

        if (AcceptedApiKeys is not null && AcceptedApiKeys.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add("AcceptedApiKeys contains an empty key; list non-empty keys, or set it to null to accept any key.");
        }

        if (Faults is null)
        {
            errors.Add("Faults is null; use new SandboxFaultOptions() for no faults.");
        }
        else
        {
            errors.AddRange(Faults.Validate());
        }

        return errors;
    }

    /// <summary>A copy taken at start, so later changes to the caller's object do not reach a running sandbox; <see cref="Faults"/> stays shared on purpose.</summary>
    internal SandboxOptions Snapshot()
    {
        var copy = new SandboxOptions
        {
            Host = Host,
            Port = Port,
            TimeScale = TimeScale,
            TimeProvider = TimeProvider,
            Seed = Seed,
            FreshIds = FreshIds,
            FailureRate = FailureRate,
            AcceptedApiKeys = AcceptedApiKeys is null ? null : new HashSet<string>(AcceptedApiKeys, StringComparer.Ordinal),
            InactiveApiKeys = InactiveApiKeys is null ? null : new HashSet<string>(InactiveApiKeys, StringComparer.Ordinal),
            Faults = Faults,
        };
        copy.InitialCredits.Clear();
        foreach (var (vendor, amount) in InitialCredits)
        {
            copy.InitialCredits[SandboxVendors.Normalize(vendor)] = amount;
        }

        return copy;
    }

    /// <summary>The address <see cref="Host"/> names, or null when it names none.</summary>
    internal IPAddress? ResolveAddress() =>
        string.Equals(Host, "localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
        : IPAddress.TryParse(Host, out var address) ? address
        : null;

    /// <summary>The starting balance of a key at <paramref name="vendor"/>.</summary>
    internal decimal InitialCreditsFor(string vendor) =>
        InitialCredits.TryGetValue(vendor, out var amount) ? amount : DefaultInitialCredits[vendor];

    internal static bool IsRate(double value) => double.IsFinite(value) && value is >= 0 and <= 1;
}
