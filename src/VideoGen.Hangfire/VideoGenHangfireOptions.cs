using VideoGen.Downloads;
using VideoGen.Http;
using VideoGen.Waiting;

namespace VideoGen.Hangfire;

/// <summary>How VideoGen's work runs on Hangfire: the database, the vendors' generators, the destination and the waiting policy.</summary>
public sealed class VideoGenHangfireOptions
{
    /// <summary>The Hangfire queue VideoGen's jobs use.</summary>
    /// <value><c>videogen</c>.</value>
    public const string DefaultQueue = "videogen";

    /// <summary>How long a fetched job stays invisible to other workers without its worker's heartbeat: 1 minute (sliding).</summary>
    public static readonly TimeSpan DefaultInvisibilityTimeout = TimeSpan.FromMinutes(1);

    /// <summary>How long a submit refused for a passing reason (429, 503, a refused connection) waits before it is tried again: 5 seconds.</summary>
    public static readonly TimeSpan DefaultResubmitDelay = TimeSpan.FromSeconds(5);

    /// <summary>How many refused-for-a-passing-reason submits before the generation is reported failed: 20.</summary>
    public const int DefaultMaxSubmitAttempts = 20;

    /// <summary>The longest one step (a submit, one poll, or a download) may run before it is cancelled and rescheduled: 10 minutes.</summary>
    public static readonly TimeSpan DefaultStepTimeout = TimeSpan.FromMinutes(10);

    /// <summary>How long a Hangfire lock row left by a killed process blocks what it locked: 1 minute.</summary>
    public static readonly TimeSpan DefaultDistributedLockTimeout = TimeSpan.FromMinutes(1);

    /// <summary>The PostgreSQL connection string (Npgsql form) for the journal, the work table and Hangfire's storage. Required.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>The schema of the journal and the work table; Hangfire's tables live in <c>hangfire</c>.</summary>
    /// <value><c>videogen</c>.</value>
    public string Schema { get; set; } = Journal.PostgreSql.PostgreSqlJobJournal.DefaultSchema;

    /// <summary>The Hangfire queue.</summary>
    /// <value><see cref="DefaultQueue"/>.</value>
    public string Queue { get; set; } = DefaultQueue;

    /// <summary>Makes the generator of a vendor id (<c>elumenta</c>, <c>gateway</c>, ...); called once per vendor per process. Required to run a worker; a process that only enqueues and reports needs none.</summary>
    /// <remarks>Return the vendor's plain generator: the worker wraps it with the PostgreSQL journal itself.</remarks>
    public Func<string, IVideoGenerator>? Generators { get; set; }

    /// <summary>The vendor's API and key, for result URLs served by the vendor's own API; null when results are public URLs.</summary>
    public Func<string, VendorCredential?>? Credentials { get; set; }

    /// <summary>The folder finished videos are written to, as <c>{correlation id}.mp4</c> (when no <see cref="Sink"/> is set).</summary>
    /// <value>The current directory's <c>videos</c> folder.</value>
    public string OutputDirectory { get; set; } = Path.Combine(Environment.CurrentDirectory, "videos");

    /// <summary>Where finished videos go instead of <see cref="OutputDirectory"/>.</summary>
    /// <value><see langword="null"/>: the folder.</value>
    public IVideoSink? Sink { get; set; }

    /// <summary>The download limits (size, idle timeout, private-network guard).</summary>
    public DownloadOptions Download { get; set; } = new();

    /// <summary>The poll schedule (interval, backoff, the model's time scale) and long-poll use; <see cref="WaitOptions.Timeout"/> is not used: a paid job is waited for until the vendor finishes it.</summary>
    public WaitOptions Wait { get; set; } = new();

    /// <summary>How long a fetched job stays invisible to other workers; renewed while its worker lives (sliding), so it bounds how soon a killed worker's job is picked up again.</summary>
    /// <value><see cref="DefaultInvisibilityTimeout"/>.</value>
    public TimeSpan InvisibilityTimeout { get; set; } = DefaultInvisibilityTimeout;

    /// <summary>
    /// The longest one run of a generation's step (a submit, one poll, or a download) may take. A step still running
    /// then is cancelled and its generation rescheduled, so no worker thread is held by a hung connection or a stalled
    /// download; the next run starts from what PostgreSQL holds. A submit cut off after it was sent is never resent: the
    /// journal holds it as outcome-unknown and the next run reconciles it or reports it with its journal entry.
    /// </summary>
    /// <value><see cref="DefaultStepTimeout"/>; set it above the longest download you expect (see <see cref="DownloadOptions.Timeout"/>).</value>
    public TimeSpan StepTimeout { get; set; } = DefaultStepTimeout;

    /// <summary>
    /// How long a Hangfire distributed lock may be held before others take it. Hangfire.PostgreSql keeps each lock as a
    /// row that only its holder deletes; a worker killed inside a state change leaves its row behind, and until the row
    /// is older than this the job it locked (or the scheduler, for its lock) waits. Hangfire holds these locks for one
    /// state change (milliseconds), so this bounds how long a killed worker can hold anything up.
    /// </summary>
    /// <value><see cref="DefaultDistributedLockTimeout"/> (Hangfire.PostgreSql's own default is 10 minutes).</value>
    public TimeSpan DistributedLockTimeout { get; set; } = DefaultDistributedLockTimeout;

    /// <summary>How often an idle worker asks the queue for work.</summary>
    /// <value>200 milliseconds.</value>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The delay before a submit refused for a passing reason is tried again.</summary>
    /// <value><see cref="DefaultResubmitDelay"/>.</value>
    public TimeSpan ResubmitDelay { get; set; } = DefaultResubmitDelay;

    /// <summary>How many refused-for-a-passing-reason submits before the generation is reported failed.</summary>
    /// <value><see cref="DefaultMaxSubmitAttempts"/>.</value>
    public int MaxSubmitAttempts { get; set; } = DefaultMaxSubmitAttempts;

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            errors.Add("ConnectionString is required.");
        }

        if (Sink is null && string.IsNullOrWhiteSpace(OutputDirectory))
        {
            errors.Add("OutputDirectory or Sink is required.");
        }

        if (InvisibilityTimeout <= TimeSpan.Zero || QueuePollInterval <= TimeSpan.Zero || ResubmitDelay < TimeSpan.Zero)
        {
            errors.Add("InvisibilityTimeout and QueuePollInterval must be positive, ResubmitDelay not negative.");
        }

        if (StepTimeout <= TimeSpan.Zero || DistributedLockTimeout <= TimeSpan.Zero)
        {
            errors.Add("StepTimeout and DistributedLockTimeout must be positive.");
        }

        if (MaxSubmitAttempts < 1)
        {
            errors.Add("MaxSubmitAttempts must be at least 1.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid VideoGenHangfireOptions: " + string.Join(" ", errors));
        }
    }
}
