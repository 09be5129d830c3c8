namespace VideoGen.Resilience;

/// <summary>
/// How VideoGen retries HTTP requests. Reads (GET) are retried on 408, 429, 5xx and transport
/// errors; a create request (POST) is never sent twice once its bytes may have left the machine.
/// Defaults follow the Azure SDK's: 3 retries, 0.8 s base, exponential with jitter, 1 minute cap.
/// </summary>
public sealed class ResilienceOptions
{
    /// <summary>The default number of retries: 3.</summary>
    public const int DefaultMaxRetries = 3;

    /// <summary>The default base delay: 0.8 seconds.</summary>
    public static readonly TimeSpan DefaultBaseDelay = TimeSpan.FromSeconds(0.8);

    /// <summary>The default longest delay: 1 minute.</summary>
    public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromMinutes(1);

    /// <summary>Whether retries happen at all.</summary>
    /// <value><see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>How many times a request is retried after its first try.</summary>
    /// <value><see cref="DefaultMaxRetries"/>.</value>
    public int MaxRetries { get; set; } = DefaultMaxRetries;

    /// <summary>The first retry's delay; each next one doubles (with jitter).</summary>
    /// <value><see cref="DefaultBaseDelay"/>.</value>
    public TimeSpan BaseDelay { get; set; } = DefaultBaseDelay;

    /// <summary>The longest delay between tries, Retry-After included.</summary>
    /// <value><see cref="DefaultMaxDelay"/>.</value>
    public TimeSpan MaxDelay { get; set; } = DefaultMaxDelay;

    /// <summary>Whether to spread delays randomly so clients do not retry in step.</summary>
    /// <value><see langword="true"/>.</value>
    public bool UseJitter { get; set; } = true;

    /// <summary>The clock every delay goes through.</summary>
    /// <value><see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        var problems = new List<string>();
        if (MaxRetries < 0)
        {
            problems.Add($"MaxRetries must not be negative (was {MaxRetries})");
        }

        if (BaseDelay < TimeSpan.Zero)
        {
            problems.Add($"BaseDelay must not be negative (was {BaseDelay})");
        }

        if (MaxDelay < BaseDelay)
        {
            problems.Add($"MaxDelay ({MaxDelay}) must be at least BaseDelay ({BaseDelay})");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid ResilienceOptions: " + string.Join("; ", problems) + ".");
        }
    }
}
