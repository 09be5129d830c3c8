using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VideoGen.Logging;
using VideoGen.Resilience;
using VideoGen.Telemetry;

namespace VideoGen.Waiting;

/// <summary>
/// The one place that decides, for one job being waited on, when to read it next and when to give up: the poll
/// schedule (<see cref="PollSchedule"/>, documented or learned), the offset of a job that was already running
/// when the wait began, the vendor's Retry-After and the backoff of transient read failures, a long poll's
/// minimum gap, the re-reads of a "succeeded" job without a result URL, and the wait's deadline (which also bounds
/// every request through <see cref="RequestDeadline"/>). <see cref="VideoJobOperation"/>,
/// <see cref="VideoJobMonitor"/> and <see cref="AimlApi.LumaExtensionChain"/> all wait through it.
/// </summary>
/// <remarks>
/// The split follows Azure.Core's internal <c>OperationPoller</c>
/// (https://github.com/Azure/azure-sdk-for-net/blob/main/sdk/core/Azure.Core/src/Shared/OperationPoller.cs): the
/// operation only knows how to read its state once; the poller owns the loop, and its delay strategy lets the
/// service's Retry-After win over a fallback schedule. Here the fallback is the pluggable <see cref="PollSchedule"/>
/// (the catalog's window or <see cref="LearnedPollPlan"/>), and the poller is a state machine so that the monitor,
/// which reads many jobs per tick, uses the same decisions as the single-job loop <see cref="PollAsync"/>.
/// </remarks>
internal sealed class JobPoller
{
    private readonly long _started;
    private PollSchedule? _schedule;
    private TimeSpan? _hint;
    private int _failuresInARow;
    private int _missingResult;
    private TimeSpan _requestStarted;

    /// <summary>Starts waiting for <paramref name="jobId"/> now.</summary>
    /// <param name="jobId">The vendor's job id.</param>
    /// <param name="lastKnown">The job as last read (its creation time places it in its processing window), or null.</param>
    /// <param name="options">How to wait; validated by the caller.</param>
    /// <param name="logger">Where polls, deferrals, the end and a timeout are logged.</param>
    /// <param name="schedule">The schedule; null for <see cref="PollSchedule.For"/> of the job's vendor and model.</param>
    public JobPoller(string jobId, VideoJob? lastKnown, WaitOptions options, ILogger? logger = null, PollSchedule? schedule = null)
    {
        Id = jobId;
        LastKnown = lastKnown;
        Options = options;
        Logger = logger ?? NullLogger.Instance;
        Clock = options.TimeProvider;
        _started = Clock.GetTimestamp();
        _schedule = schedule;

        // A job resumed or tracked a while after it was created is further into its processing window than this wait is.
        var sinceCreated = lastKnown?.CreatedAt is { } created ? Clock.GetUtcNow() - created : TimeSpan.Zero;
        AlreadyRunning = sinceCreated > TimeSpan.Zero ? sinceCreated : TimeSpan.Zero;
    }

    /// <summary>The job's id.</summary>
    public string Id { get; }

    /// <summary>The job as last read (or pushed), or null.</summary>
    public VideoJob? LastKnown { get; private set; }

    /// <summary>The wait's options.</summary>
    public WaitOptions Options { get; }

    /// <summary>The wait's logger.</summary>
    public ILogger Logger { get; }

    /// <summary>The clock every delay and the deadline go through.</summary>
    public TimeProvider Clock { get; }

    /// <summary>
    /// The schedule of the polls: the one given, else <see cref="PollSchedule.For"/> the vendor and model of the job as
    /// known when it is first needed (a webhook may have told them by then).
    /// </summary>
    public PollSchedule Schedule => _schedule ??= PollSchedule.For((LastKnown is { } known ? VendorIds.Of(known) ?? known.Vendor : null), LastKnown?.Model, Options);

    /// <summary>How far into its processing the job already was when the wait began.</summary>
    public TimeSpan AlreadyRunning { get; }

    /// <summary>The reads that returned the job (re-reads of a result-less success and failed reads do not count).</summary>
    public int Polls { get; private set; }

    /// <summary>The time since the wait began.</summary>
    public TimeSpan Elapsed => Clock.GetElapsedTime(_started);

    /// <summary>Whether the wait's <see cref="WaitOptions.Timeout"/> has passed.</summary>
    public bool IsPastDeadline => Elapsed >= Options.Timeout;

    /// <summary>When the wait times out, on <see cref="Clock"/>'s wall time.</summary>
    public DateTimeOffset Deadline => Clock.GetUtcNow() + (Options.Timeout - Elapsed);

    /// <summary>
    /// The delay before the next read: a pending hint (Retry-After, backoff, a re-read, a long poll's gap) first, else
    /// at once for a long poll, else the schedule; never past the deadline. Consumes the hint.
    /// </summary>
    /// <param name="longPoll">Whether the next read is a server-side wait.</param>
    public TimeSpan NextDelay(bool longPoll = false)
    {
        var delay = _hint ?? (longPoll ? TimeSpan.Zero : Schedule.NextDelay(Elapsed + AlreadyRunning));
        _hint = null;
        var left = Options.Timeout - Elapsed;
        return delay < left ? delay : (left > TimeSpan.Zero ? left : TimeSpan.Zero);
    }

    /// <summary>Makes the next read happen at once (for example after silent webhooks past the earliest finish).</summary>
    public void ReadNow() => _hint = TimeSpan.Zero;

    /// <summary>Whether the job is past its earliest plausible finish.</summary>
    public bool PastEarliestFinish => Elapsed + AlreadyRunning >= Schedule.Window.Min;

    /// <summary>
    /// Starts a read: the HTTP retry handler must not start a retry this wait would not wait for, and the request
    /// (headers and body, however slowly they come) must not outlive the wait's deadline.
    /// </summary>
    public RequestDeadline.Scope BeginRead()
    {
        _requestStarted = Elapsed;
        VideoGenTelemetry.Polls.Add(1, VideoGenTelemetry.VendorTag(LastKnown?.Vendor));
        return RequestDeadline.Begin(Deadline, Clock);
    }

    /// <summary>A job pushed by a webhook: the poller's last known state.</summary>
    public void Pushed(VideoJob job)
    {
        LastKnown = job;
        VideoGenLog.WebhookUpdate(Logger, job.Vendor, Id, job.Status);
        if (job.HasCompleted)
        {
            Finished(job);
        }
    }

    /// <summary>
    /// Takes a read's answer. Returns false when it is not an update: a "succeeded" job without a result URL, read
    /// again after <see cref="WaitOptions.PollInterval"/> (a race seen at vendors) up to
    /// <see cref="TransientReadFailure.MissingResultRereads"/> times.
    /// </summary>
    /// <exception cref="VideoGenException">The job still had no result URL after that many reads; it carries the job id.</exception>
    public bool Observe(VideoJob job, bool longPoll = false)
    {
        _failuresInARow = 0;
        if (job.Status == VideoJobStatus.Succeeded && job.ResultUri is null)
        {
            if (++_missingResult <= TransientReadFailure.MissingResultRereads)
            {
                _hint = Options.PollInterval;
                return false;
            }

            throw new VideoGenException(
                $"{job.Vendor} reports job {Id} as {job.VendorStatus ?? "succeeded"} but gave no result URL in {_missingResult} reads; check it later with its id.",
                job.Vendor)
            {
                JobId = Id,
            };
        }

        Polls++;
        LastKnown = job;
        VideoGenLog.Polled(Logger, Polls, job.Vendor, Id, job.Status, job.Progress, Elapsed.TotalSeconds);
        if (job.HasCompleted)
        {
            Finished(job);
        }
        else if (longPoll && Elapsed - _requestStarted < Options.PollInterval)
        {
            // A server wait that came back at once (and not done) must not turn into a tight loop.
            _hint = Options.PollInterval - (Elapsed - _requestStarted);
        }

        return true;
    }

    /// <summary>A read that gave nothing for this job (a batch read that did not list it): the schedule goes on.</summary>
    public void Skipped() => Polls++;

    /// <summary>
    /// A read that failed in a way worth another read later (<see cref="TransientReadFailure.IsTransient(Exception)"/>): the
    /// next read waits the vendor's Retry-After, else the poll interval doubled per failure in a row.
    /// </summary>
    /// <returns>The delay chosen.</returns>
    public TimeSpan FailedTransiently(Exception e)
    {
        var delay = TransientReadFailure.Backoff(e, ++_failuresInARow, Options);
        _hint = delay;
        var vendor = (e as VideoGenException)?.Vendor ?? LastKnown?.Vendor;
        if (TransientReadFailure.RetryAfter(e) is not null)
        {
            VideoGenLog.PollDeferred(Logger, vendor, Id, (int?)(e as VideoGenException)?.StatusCode, delay.TotalSeconds);
        }
        else
        {
            VideoGenLog.PollFailedTransiently(Logger, vendor, Id, TransientReadFailure.Cause(e), delay.TotalSeconds);
        }

        return delay;
    }

    /// <summary>Sets the next read's delay (for example a batch read that failed for good: read alone after the interval).</summary>
    public void Defer(TimeSpan delay) => _hint = delay;

    /// <summary>A read that failed for good: the error, carrying the job's id.</summary>
    public Exception Failed(Exception e)
    {
        if (e is VideoGenException { JobId: null } typed)
        {
            typed.JobId = Id;
        }

        return e;
    }

    /// <summary>The wait's timeout: logged, counted, and returned to throw; it carries the job id and its last state.</summary>
    public JobTimeoutException TimedOut()
    {
        VideoGenLog.WaitTimedOut(Logger, LastKnown?.Vendor, Id, Options.Timeout.TotalSeconds, LastKnown?.Status);
        var timeout = new JobTimeoutException(LastKnown?.Vendor, Id, Elapsed, LastKnown);
        VideoGenTelemetry.Fail(activity: null, timeout, LastKnown?.Vendor);
        return timeout;
    }

    /// <summary>
    /// Reads the job until it reaches a final state, one update per read that returned it: waits per
    /// <see cref="NextDelay"/>, rides out transient failures until the deadline, and times out with the job id.
    /// </summary>
    /// <param name="read">One status read (a plain GET, or a server-side wait when <paramref name="longPoll"/>).</param>
    /// <param name="longPoll">Whether <paramref name="read"/> waits on the server.</param>
    /// <param name="lastLookAtDeadline">
    /// Whether a delay that ends at the deadline is still followed by one read (a wait's last look, as
    /// <see cref="VideoJobOperation"/> does), or the wait ends there (as the extension chain's step timeout does).
    /// </param>
    /// <param name="cancellationToken">A token to stop waiting.</param>
    /// <exception cref="JobTimeoutException">The wait's deadline passed; it carries the job id.</exception>
    public async IAsyncEnumerable<JobUpdate> PollAsync(
        Func<CancellationToken, Task<VideoJob>> read,
        bool longPoll,
        bool lastLookAtDeadline = true,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (LastKnown is { HasCompleted: true } done)
        {
            yield return new JobUpdate(done, TimeSpan.Zero, 0);
            yield break;
        }

        while (true)
        {
            if (IsPastDeadline)
            {
                throw TimedOut();
            }

            var delay = NextDelay(longPoll);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, Clock, cancellationToken).ConfigureAwait(false);
                if (!lastLookAtDeadline && IsPastDeadline)
                {
                    throw TimedOut();
                }
            }

            VideoJob job;
            using var span = VideoGenTelemetry.Start("poll", LastKnown?.Vendor, LastKnown?.Model, Id);
            try
            {
                using var deadline = BeginRead();
                using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
                try
                {
                    job = await read(bounded.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (deadline.Expired && !cancellationToken.IsCancellationRequested)
                {
                    throw TimedOut();
                }
            }
            catch (Exception e) when (e is not OperationCanceledException and not JobTimeoutException && TransientReadFailure.IsTransient(e))
            {
                // A brief 5xx burst, a reset connection or one slow read must not end a wait that may last minutes.
                VideoGenTelemetry.Fail(span, e, (e as VideoGenException)?.Vendor ?? LastKnown?.Vendor);
                FailedTransiently(e);
                continue;
            }
            catch (Exception e) when (e is not OperationCanceledException and not JobTimeoutException)
            {
                // The adapter logged the failure; the span records it.
                VideoGenTelemetry.Fail(span, e, (e as VideoGenException)?.Vendor ?? LastKnown?.Vendor);
                throw Failed(e);
            }

            if (!Observe(job, longPoll))
            {
                continue;
            }

            span?.SetTag("videogen.status", job.Status.ToString());
            yield return new JobUpdate(job, Elapsed, Polls);
            if (job.HasCompleted)
            {
                yield break;
            }
        }
    }

    /// <summary>Logs and counts the job seen reaching its final state (once per wait).</summary>
    private void Finished(VideoJob job)
    {
        VideoGenLog.JobFinished(Logger, job.Vendor, Id, job.Status, Elapsed.TotalSeconds, Polls);
        JobTelemetry.Finished(job, Logger, Options);
    }

    /// <summary>
    /// The wait options of a service that runs <paramref name="timeScale"/> times real time (a local sandbox with a
    /// time scale): the catalog's processing times and the poll interval both scaled, the interval kept between
    /// <see cref="MinimumScaledPollInterval"/> and <see cref="WaitOptions.DefaultPollInterval"/>. Without it, a sandbox
    /// running 100 times faster would still be polled first after a real model's earliest finish.
    /// </summary>
    /// <param name="timeout">The wait's timeout.</param>
    /// <param name="timeScale">The service's time scale; null for real time (the defaults).</param>
    public static WaitOptions ScaledWaitOptions(TimeSpan timeout, double? timeScale)
    {
        var wait = new WaitOptions { Timeout = timeout };
        if (timeScale is { } scale)
        {
            // A service at scale 0 finishes jobs at once: look at once too.
            wait.ProcessingTimeScale = Math.Max(scale, 1e-6);
            var interval = TimeSpan.FromTicks((long)(WaitOptions.DefaultPollInterval.Ticks * Math.Max(scale, 0)));
            wait.PollInterval = interval < MinimumScaledPollInterval ? MinimumScaledPollInterval
                : interval > WaitOptions.DefaultPollInterval ? WaitOptions.DefaultPollInterval
                : interval;
        }

        return wait;
    }

    /// <summary>The shortest poll interval of a time-scaled service: 50 ms.</summary>
    public static readonly TimeSpan MinimumScaledPollInterval = TimeSpan.FromMilliseconds(50);
}
