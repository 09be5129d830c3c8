namespace VideoGen.Waiting;

/// <summary>How <see cref="VideoJobOperation.WaitForCompletionAsync"/> waits for a job.</summary>
/// <remarks>
/// The schedule follows the model's expected processing time from the catalog: no poll before the
/// earliest plausible finish, polls every <see cref="PollInterval"/> through the likely window, then
/// exponential backoff by <see cref="BackoffFactor"/> with jitter up to <see cref="MaxPollInterval"/>.
/// With a <see cref="ProcessingTimes"/> history holding <see cref="MinimumHistory"/> jobs of the model, the
/// polls are placed where those jobs finished instead (the documented window is then not used).
/// A vendor's Retry-After wins over the schedule. Vendors with a server-side wait (AIML's
/// wait-for-state GET) are long-polled instead, one request per server wait.
/// </remarks>
public sealed class WaitOptions
{
    /// <summary>The default overall timeout: 15 minutes.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(15);

    /// <summary>The default interval inside the model's likely window: 2 seconds.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(2);

    /// <summary>The default cap of the backoff after the likely window: 30 seconds.</summary>
    public static readonly TimeSpan DefaultMaxPollInterval = TimeSpan.FromSeconds(30);

    /// <summary>The default growth of the interval per poll after the likely window: 1.5.</summary>
    public const double DefaultBackoffFactor = 1.5;

    /// <summary>The default jitter: ±10% of each backoff delay.</summary>
    public const double DefaultJitter = 0.1;

    /// <summary>How long to wait in all before giving up with <see cref="JobTimeoutException"/> (which carries the job id).</summary>
    /// <value><see cref="DefaultTimeout"/>.</value>
    public TimeSpan Timeout { get; set; } = DefaultTimeout;

    /// <summary>The interval between polls inside the model's likely processing window.</summary>
    /// <value><see cref="DefaultPollInterval"/>.</value>
    public TimeSpan PollInterval { get; set; } = DefaultPollInterval;

    /// <summary>The longest interval between polls.</summary>
    /// <value><see cref="DefaultMaxPollInterval"/>.</value>
    public TimeSpan MaxPollInterval { get; set; } = DefaultMaxPollInterval;

    /// <summary>How much the interval grows per poll once the likely window has passed.</summary>
    /// <value><see cref="DefaultBackoffFactor"/>.</value>
    public double BackoffFactor { get; set; } = DefaultBackoffFactor;

    /// <summary>The random spread of backoff delays, as a fraction (0 to 1), so many clients do not poll in step.</summary>
    /// <value><see cref="DefaultJitter"/>.</value>
    public double Jitter { get; set; } = DefaultJitter;

    /// <summary>
    /// Scales the model's expected processing time from the catalog, for a vendor that runs faster or
    /// slower than documented: the local sandbox with a time scale, or a vendor under load.
    /// </summary>
    /// <value>1: the catalog's figures.</value>
    public double ProcessingTimeScale { get; set; } = 1;

    /// <summary>Whether to use the vendor's server-side wait (long poll) where it has one.</summary>
    /// <value><see langword="true"/>.</value>
    public bool UseLongPoll { get; set; } = true;

    /// <summary>The default time to wait for a webhook before polling takes over: 60 seconds.</summary>
    public static readonly TimeSpan DefaultWebhookGracePeriod = TimeSpan.FromSeconds(60);

    /// <summary>Where webhook deliveries for the job arrive (see <see cref="VideoGen.Webhooks.WebhookJobUpdates"/>); null to poll only.</summary>
    /// <value>No webhooks.</value>
    public VideoGen.Webhooks.WebhookJobUpdates? Webhooks { get; set; }

    /// <summary>How long to wait for the next webhook before polling takes over.</summary>
    /// <value><see cref="DefaultWebhookGracePeriod"/>.</value>
    public TimeSpan WebhookGracePeriod { get; set; } = DefaultWebhookGracePeriod;

    /// <summary>The default number of a model's observed jobs before its polls are placed from them: 20.</summary>
    public const int DefaultMinimumHistory = 20;

    /// <summary>
    /// Where finished jobs' processing times are recorded (every succeeded job: the vendor's completion time
    /// minus its creation time, or the time the wait saw it done when the vendor gives no completion time) and
    /// read back to place polls. Share one instance across waits (for example <see cref="InMemoryProcessingTimeHistory"/>,
    /// seeded from the journal, for example with <c>JournalProcessingTimes.LoadAsync</c> of the VideoGen.Journal.Sqlite package). <see langword="null"/>: the generator's
    /// own history is used when it has one (<c>AddVideoGeneration</c> and the CLI give every generator one, see
    /// <see cref="VideoGeneratorBuilderProcessingTimesExtensions.UseProcessingTimes"/>); otherwise nothing is learned and the
    /// documented window is used.
    /// </summary>
    /// <value><see langword="null"/>: the generator's history, if any.</value>
    public IProcessingTimeHistory? ProcessingTimes { get; set; }

    /// <summary>
    /// How many observed jobs of a model <see cref="ProcessingTimes"/> must hold before polls are placed from
    /// them; with fewer, the documented window is used, widened to every time seen.
    /// </summary>
    /// <value><see cref="DefaultMinimumHistory"/>.</value>
    public int MinimumHistory { get; set; } = DefaultMinimumHistory;

    /// <summary>The clock every delay goes through.</summary>
    /// <value><see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The source of jitter; set a seeded one for repeatable schedules.</summary>
    /// <value><see cref="Random.Shared"/>.</value>
    public Random Random { get; set; } = Random.Shared;

    /// <summary>
    /// These options, with the history of <paramref name="generator"/> (<c>GetService(typeof(IProcessingTimeHistory))</c>:
    /// what dependency injection and the CLI put under every generator) when <see cref="ProcessingTimes"/> is not set;
    /// the caller's object is not changed.
    /// </summary>
    internal WaitOptions WithHistoryOf(IVideoGenerator generator)
    {
        if (ProcessingTimes is not null || generator.GetService(typeof(IProcessingTimeHistory)) is not IProcessingTimeHistory history)
        {
            return this;
        }

        var copy = (WaitOptions)MemberwiseClone();
        copy.ProcessingTimes = history;
        return copy;
    }

    /// <summary>Checks the options once, where they enter; lists every problem.</summary>
    /// <exception cref="ArgumentException">One or more options are out of range.</exception>
    internal void Validate()
    {
        var problems = new List<string>();
        if (Timeout <= TimeSpan.Zero)
        {
            problems.Add($"Timeout must be positive (was {Timeout})");
        }

        if (PollInterval <= TimeSpan.Zero)
        {
            problems.Add($"PollInterval must be positive (was {PollInterval})");
        }

        if (MaxPollInterval < PollInterval)
        {
            problems.Add($"MaxPollInterval ({MaxPollInterval}) must be at least PollInterval ({PollInterval})");
        }

        if (BackoffFactor < 1)
        {
            problems.Add($"BackoffFactor must be at least 1 (was {BackoffFactor})");
        }

        if (Webhooks is not null && WebhookGracePeriod <= TimeSpan.Zero)
        {
            problems.Add($"WebhookGracePeriod must be positive (was {WebhookGracePeriod})");
        }

        if (ProcessingTimeScale <= 0)
        {
            problems.Add($"ProcessingTimeScale must be positive (was {ProcessingTimeScale})");
        }

        if (MinimumHistory < 2)
        {
            problems.Add($"MinimumHistory must be at least 2 (was {MinimumHistory})");
        }

        if (Jitter is < 0 or > 1)
        {
            problems.Add($"Jitter must be between 0 and 1 (was {Jitter})");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid WaitOptions: " + string.Join("; ", problems) + ".");
        }
    }
}
