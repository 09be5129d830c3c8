using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VideoGen.Logging;
using VideoGen.Telemetry;

namespace VideoGen.Waiting;

/// <summary>
/// A handle on one video job: read its status, wait for it to finish, watch its updates. It holds
/// only the generator and the job id, so it can be re-created from the id after a restart
/// (<see cref="VideoJobOperationExtensions.GetOperation"/>).
/// </summary>
/// <remarks>
/// Waiting logs through the generator's <see cref="ILoggerFactory"/> (<c>GetService(typeof(ILoggerFactory))</c>:
/// the one given to <c>AsVideoGenerator</c> or by dependency injection): each poll at Debug, the job's end at
/// Information, a wait that timed out at Warning.
/// </remarks>
public sealed class VideoJobOperation
{
    private readonly IVideoGenerator _generator;
    private readonly ILogger _logger;

    /// <summary>Creates a handle for the job with <paramref name="jobId"/>.</summary>
    /// <param name="generator">The generator of the job's vendor.</param>
    /// <param name="jobId">The vendor's job id.</param>
    /// <exception cref="ArgumentException"><paramref name="jobId"/> is empty.</exception>
    public VideoJobOperation(IVideoGenerator generator, string jobId)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        _generator = generator;
        Id = jobId;
        _logger = (generator.GetService(typeof(ILoggerFactory)) as ILoggerFactory)?.CreateLogger<VideoJobOperation>() ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Creates a handle for a job just submitted (or read).</summary>
    /// <param name="generator">The generator of the job's vendor.</param>
    /// <param name="job">The job.</param>
    public VideoJobOperation(IVideoGenerator generator, VideoJob job)
        : this(generator, (job ?? throw new ArgumentNullException(nameof(job))).Id)
    {
        LastKnown = job;
    }

    /// <summary>The vendor's job id.</summary>
    public string Id { get; }

    /// <summary>The job as last read, or <see langword="null"/> when it has not been read yet.</summary>
    public VideoJob? LastKnown { get; private set; }

    /// <summary>Whether the job reached a final state when last read.</summary>
    public bool HasCompleted => LastKnown?.HasCompleted == true;

    /// <summary>Reads the job's current state once.</summary>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>The job.</returns>
    /// <exception cref="VideoGenException">The vendor refused or failed the request.</exception>
    public async Task<VideoJob> UpdateStatusAsync(CancellationToken cancellationToken = default)
    {
        LastKnown = await _generator.GetJobAsync(Id, cancellationToken).ConfigureAwait(false);
        return LastKnown;
    }

    /// <summary>Waits until the job finishes and returns it; a failed, cancelled or expired job throws.</summary>
    /// <param name="options">How to wait; <see langword="null"/> for the defaults.</param>
    /// <param name="progress">Receives every update (status, progress, elapsed, polls).</param>
    /// <param name="cancellationToken">A token to stop waiting (the job goes on at the vendor).</param>
    /// <returns>The succeeded job.</returns>
    /// <exception cref="JobFailedException">The job failed, was cancelled or expired; the vendor's reason is in the message.</exception>
    /// <exception cref="JobTimeoutException">The job did not finish within <see cref="WaitOptions.Timeout"/>; it carries the job id.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<VideoJob> WaitForCompletionAsync(WaitOptions? options = null, IProgress<JobUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        await foreach (var update in WatchAsync(options, cancellationToken).ConfigureAwait(false))
        {
            progress?.Report(update);
        }

        var job = LastKnown!;
        return job.Status == VideoJobStatus.Succeeded ? job : throw new JobFailedException(job);
    }

    /// <summary>Streams the job's updates until it reaches a final state (the last update is that state).</summary>
    /// <param name="options">How to wait; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">A token to stop watching.</param>
    /// <returns>Every update, one per status request.</returns>
    /// <exception cref="JobTimeoutException">The job did not finish within <see cref="WaitOptions.Timeout"/>; it carries the job id.</exception>
    public async IAsyncEnumerable<JobUpdate> WatchAsync(WaitOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        options ??= new WaitOptions();
        options.Validate();
        options = options.WithHistoryOf(_generator);
        var clock = options.TimeProvider;
        var started = clock.GetTimestamp();
        TimeSpan Elapsed() => clock.GetElapsedTime(started);

        // A job resumed after a while is further into its processing window than this wait is.
        var sinceCreated = LastKnown?.CreatedAt is { } created ? clock.GetUtcNow() - created : TimeSpan.Zero;
        var alreadyRunning = sinceCreated > TimeSpan.Zero ? sinceCreated : TimeSpan.Zero;

        if (LastKnown is { HasCompleted: true } done)
        {
            yield return new JobUpdate(done, TimeSpan.Zero, 0);
            yield break;
        }

        if (options.Webhooks is { } webhooks)
        {
            // Webhooks first; when none arrives within the grace period, polling takes over.
            while (Elapsed() < options.Timeout)
            {
                var pushed = await webhooks.NextAsync(Id, Min(options.WebhookGracePeriod, options.Timeout - Elapsed()), clock, cancellationToken).ConfigureAwait(false);
                if (pushed is null)
                {
                    break;
                }

                LastKnown = pushed;
                VideoGenLog.WebhookUpdate(_logger, pushed.Vendor, Id, pushed.Status);
                if (pushed.HasCompleted)
                {
                    Finished(pushed, Elapsed(), polls: 0, options);
                }

                yield return new JobUpdate(pushed, Elapsed(), 0);
                if (pushed.HasCompleted)
                {
                    webhooks.Forget(Id);
                    yield break;
                }
            }

            if (Elapsed() < options.Timeout)
            {
                VideoGenLog.WebhookSilent(_logger, Id, options.WebhookGracePeriod.TotalSeconds);
            }
        }

        var longPoller = options.UseLongPoll ? _generator.GetService(typeof(ILongPollingJobReader)) as ILongPollingJobReader : null;
        var schedule = PollSchedule.For(LastKnown?.Vendor, LastKnown?.Model, options);
        var polls = 0;
        var failuresInARow = 0;
        var missingResult = 0;
        TimeSpan? serverHint = null;

        // Falling back from silent webhooks past the earliest finish: look at once.
        var pollNow = options.Webhooks is not null && Elapsed() + alreadyRunning >= schedule.Window.Min;
        while (true)
        {
            var elapsed = Elapsed();
            if (elapsed >= options.Timeout)
            {
                VideoGenLog.WaitTimedOut(_logger, LastKnown?.Vendor, Id, options.Timeout.TotalSeconds, LastKnown?.Status);
                var timeout = new JobTimeoutException(LastKnown?.Vendor, Id, elapsed, LastKnown);
                VideoGenTelemetry.Fail(activity: null, timeout, LastKnown?.Vendor);
                throw timeout;
            }

            var delay = pollNow ? TimeSpan.Zero
                : longPoller is null || serverHint is not null ? serverHint ?? schedule.NextDelay(elapsed + alreadyRunning)
                : TimeSpan.Zero;
            pollNow = false;
            delay = Min(delay, options.Timeout - elapsed);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, clock, cancellationToken).ConfigureAwait(false);
            }

            serverHint = null;
            var requestStarted = Elapsed();
            VideoJob job;
            using var span = VideoGenTelemetry.Start("poll", LastKnown?.Vendor, LastKnown?.Model, Id);
            VideoGenTelemetry.Polls.Add(1, VideoGenTelemetry.VendorTag(LastKnown?.Vendor));
            try
            {
                // The HTTP retry handler must not start a retry this wait would not wait for, and the request (its
                // headers and its body, however slowly they come) must not outlive the wait's timeout.
                using var deadline = Resilience.RequestDeadline.Begin(clock.GetUtcNow() + (options.Timeout - requestStarted), clock);
                using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
                try
                {
                    job = longPoller is null
                        ? await _generator.GetJobAsync(Id, bounded.Token).ConfigureAwait(false)
                        : await longPoller.WaitForCompletionOnServerAsync(Id, bounded.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (deadline.Expired && !cancellationToken.IsCancellationRequested)
                {
                    VideoGenLog.WaitTimedOut(_logger, LastKnown?.Vendor, Id, options.Timeout.TotalSeconds, LastKnown?.Status);
                    var timeout = new JobTimeoutException(LastKnown?.Vendor, Id, Elapsed(), LastKnown);
                    VideoGenTelemetry.Fail(activity: null, timeout, LastKnown?.Vendor);
                    throw timeout;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException && TransientReadFailure.IsTransient(e))
            {
                // A brief 5xx burst, a reset connection or one slow read must not end a wait that may last minutes:
                // read again with backoff (the vendor's hint wins) until the wait's own deadline.
                VideoGenTelemetry.Fail(span, e, (e as VideoGenException)?.Vendor ?? LastKnown?.Vendor);
                failuresInARow++;
                serverHint = TransientReadFailure.Backoff(e, failuresInARow, options);
                if (TransientReadFailure.RetryAfter(e) is not null)
                {
                    VideoGenLog.PollDeferred(_logger, LastKnown?.Vendor, Id, (int?)(e as VideoGenException)?.StatusCode, serverHint.Value.TotalSeconds);
                }
                else
                {
                    VideoGenLog.PollFailedTransiently(_logger, LastKnown?.Vendor, Id, TransientReadFailure.Cause(e), serverHint.Value.TotalSeconds);
                }

                continue;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The adapter logged the failure; the span records it.
                VideoGenTelemetry.Fail(span, e, (e as VideoGenException)?.Vendor ?? LastKnown?.Vendor);
                if (e is VideoGenException { JobId: null } typed)
                {
                    typed.JobId = Id;
                }

                throw;
            }

            failuresInARow = 0;
            if (job.Status == VideoJobStatus.Succeeded && job.ResultUri is null)
            {
                // "Completed" before the result URL is written is a race seen at vendors: read again a few times.
                if (++missingResult <= TransientReadFailure.MissingResultRereads)
                {
                    serverHint = options.PollInterval;
                    continue;
                }

                throw new VideoGenException(
                    $"{job.Vendor} reports job {Id} as {job.VendorStatus ?? "succeeded"} but gave no result URL in {missingResult} reads; check it later with its id.",
                    job.Vendor)
                {
                    JobId = Id,
                };
            }

            polls++;
            span?.SetTag("videogen.status", job.Status.ToString());
            LastKnown = job;
            VideoGenLog.Polled(_logger, polls, job.Vendor, Id, job.Status, job.Progress, Elapsed().TotalSeconds);
            if (job.HasCompleted)
            {
                Finished(job, Elapsed(), polls, options);
            }

            yield return new JobUpdate(job, Elapsed(), polls);
            if (job.HasCompleted)
            {
                yield break;
            }

            if (longPoller is not null && Elapsed() - requestStarted < options.PollInterval)
            {
                // A server wait that came back at once (and not done) must not turn into a tight loop.
                serverHint = options.PollInterval - (Elapsed() - requestStarted);
            }
        }
    }

    /// <summary>Logs and counts a job seen reaching its final state (once per wait).</summary>
    private void Finished(VideoJob job, TimeSpan elapsed, int polls, WaitOptions options)
    {
        VideoGenLog.JobFinished(_logger, job.Vendor, Id, job.Status, elapsed.TotalSeconds, polls);
        JobTelemetry.Finished(job, _logger, options);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}

/// <summary>Starts and resumes <see cref="VideoJobOperation"/>s.</summary>
public static class VideoJobOperationExtensions
{
    /// <summary>Submits a request and returns a handle to wait on.</summary>
    /// <param name="generator">The generator.</param>
    /// <param name="request">What to generate.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">A token to cancel the submission.</param>
    /// <returns>The handle of the submitted job.</returns>
    public static async Task<VideoJobOperation> StartGenerationAsync(this IVideoGenerator generator, VideoGenerationRequest request, VideoGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var job = await generator.SubmitAsync(request, options, cancellationToken).ConfigureAwait(false);
        return new VideoJobOperation(generator, job);
    }

    /// <summary>Re-creates the handle of an earlier job from its id (for example after a restart).</summary>
    /// <param name="generator">The generator of the job's vendor.</param>
    /// <param name="jobId">The vendor's job id.</param>
    /// <returns>The handle; nothing is read until you ask.</returns>
    public static VideoJobOperation GetOperation(this IVideoGenerator generator, string jobId) => new(generator, jobId);
}
