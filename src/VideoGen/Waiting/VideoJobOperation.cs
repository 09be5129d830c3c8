using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VideoGen.Logging;

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

        // The poller owns the schedule, the already-running offset, Retry-After, transient failures and the deadline.
        var poller = new JobPoller(Id, LastKnown, options, _logger);
        if (LastKnown is { HasCompleted: true } done)
        {
            yield return new JobUpdate(done, TimeSpan.Zero, 0);
            yield break;
        }

        if (options.Webhooks is { } webhooks)
        {
            // Webhooks first; when none arrives within the grace period, polling takes over.
            var unusable = false;
            while (!poller.IsPastDeadline)
            {
                var pushed = await webhooks.NextAsync(Id, Min(options.WebhookGracePeriod, options.Timeout - poller.Elapsed), poller.Clock, cancellationToken).ConfigureAwait(false);
                if (pushed is null)
                {
                    break;
                }

                if (IsAnotherVendors(pushed))
                {
                    // The hub is keyed by job id: a delivery about a job of the same id at another vendor is not news of
                    // this job (never its result). It is passed over; this job's own news or the poll still ends the wait.
                    continue;
                }

                if (pushed.Status == VideoJobStatus.Succeeded && pushed.ResultUri is null)
                {
                    // A "succeeded" delivery with no usable video URL is no result: the vendor's API is asked at once
                    // (and again, as for any such read), never a success reported without a file.
                    unusable = true;
                    break;
                }

                LastKnown = pushed;
                poller.Pushed(pushed);
                yield return new JobUpdate(pushed, poller.Elapsed, 0);
                if (pushed.HasCompleted)
                {
                    webhooks.Forget(Id);
                    yield break;
                }
            }

            if (!poller.IsPastDeadline && !unusable)
            {
                VideoGenLog.WebhookSilent(_logger, Id, options.WebhookGracePeriod.TotalSeconds);
            }

            // Falling back from silent webhooks past the earliest finish: look at once.
            if (poller.PastEarliestFinish || unusable)
            {
                poller.ReadNow();
            }
        }

        // A job the vendor cannot hold at the server (AIML's video route) is polled on the normal schedule.
        var longPoller = options.UseLongPoll && _generator.GetService(typeof(ILongPollingJobReader)) is ILongPollingJobReader reader && reader.CanWaitOnServer(Id) ? reader : null;
        Func<CancellationToken, Task<VideoJob>> read = longPoller is null
            ? token => _generator.GetJobAsync(Id, token)
            : token => longPoller.WaitForCompletionOnServerAsync(Id, token);
        await foreach (var update in poller.PollAsync(read, longPoll: longPoller is not null, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            LastKnown = update.Job;
            yield return update;
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>
    /// Whether <paramref name="pushed"/> names a vendor other than this job's (its stable id: the last known job's, else
    /// the generator's catalog entry). Unknown on either side is not "another": a delivery without a vendor is read.
    /// </summary>
    private bool IsAnotherVendors(VideoJob pushed)
    {
        var ours = (LastKnown is { } known ? VendorIds.Of(known) : null) ?? (_generator.GetService(typeof(Catalog.VendorInfo)) as Catalog.VendorInfo)?.Id;
        var theirs = VendorIds.Of(pushed);
        return ours is not null && theirs is not null && !string.Equals(ours, theirs, StringComparison.OrdinalIgnoreCase);
    }
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
