using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Newtonsoft.Json;
using VideoGen.Webhooks;

namespace VideoGen.Hangfire;

/// <summary>
/// Enqueues video generations as Hangfire work and reports on them. Any process with the connection string can use it:
/// the app instances that take requests, the CLI, the workers.
/// </summary>
public sealed class VideoGenWorkClient
{
    private readonly VideoGenRuntime _runtime;
    private readonly IBackgroundJobClient _jobs;

    internal VideoGenWorkClient(VideoGenRuntime runtime, IBackgroundJobClient jobs)
    {
        _runtime = runtime;
        _jobs = jobs;
    }

    /// <summary>
    /// Enqueues one generation. Enqueueing the same <paramref name="correlationId"/> again does not make a second one
    /// (the database keeps one row per id), so a caller that does not know whether its first call went through calls again.
    /// </summary>
    /// <param name="vendor">The vendor id (<c>elumenta</c>, <c>gateway</c>, <c>aimlapi</c>, <c>oxen</c>, ...).</param>
    /// <param name="request">The request.</param>
    /// <param name="correlationId">The caller's id for this generation (a batch line's key, an order id); a new GUID when null. At most 200 characters.</param>
    /// <param name="batch">A name that groups generations, for <see cref="ListAsync"/>.</param>
    /// <param name="cancellationToken">A token to cancel the enqueue.</param>
    /// <returns>The correlation id, to ask <see cref="GetStatusAsync"/> about it.</returns>
    /// <exception cref="ArgumentException">The vendor or request is missing, the vendor is unknown, or the id is too long.</exception>
    public async Task<string> EnqueueAsync(string vendor, VideoGenerationRequest request, string? correlationId = null, string? batch = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(vendor);
        ArgumentNullException.ThrowIfNull(request);

        // The stable vendor id, whatever alias the caller used (gateway is Apiframe): the worker's generator factory
        // and every later step see one name. An unknown vendor is refused here, before anything is stored.
        vendor = VideoGen.Catalog.VideoModelCatalog.Default.GetVendor(vendor).Id;
        correlationId ??= Guid.NewGuid().ToString("N");
        if (correlationId.Length is 0 or > 200)
        {
            throw new ArgumentException("A correlation id has 1 to 200 characters.", nameof(correlationId));
        }

        await _runtime.Store.TryInsertAsync(correlationId, batch, vendor, JsonConvert.SerializeObject(request), cancellationToken).ConfigureAwait(false);
        var row = await _runtime.Store.GetAsync(correlationId, cancellationToken).ConfigureAwait(false);
        if (row?.HangfireJobId is not null)
        {
            return correlationId;
        }

        // The row first, then its job: a job never runs for a row that does not exist. A crash between the two leaves a
        // row without a job; enqueueing the same id again gives it one.
        var created = _jobs.Create(Job.FromExpression<VideoGenSteps>(s => s.RunAsync(correlationId, null, CancellationToken.None), _runtime.Options.Queue), new EnqueuedState(_runtime.Options.Queue));
        var owner = await _runtime.Store.ClaimHangfireJobAsync(correlationId, created, cancellationToken).ConfigureAwait(false);
        if (owner != created)
        {
            // Another enqueue of the same id won: ours stands down (it would also stand down by itself when it ran).
            _jobs.Delete(created);
        }

        return correlationId;
    }

    /// <summary>Where one generation stands.</summary>
    /// <param name="correlationId">Its correlation id.</param>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>Its status, or <see langword="null"/> when no generation has that id.</returns>
    public async Task<VideoWorkStatus?> GetStatusAsync(string correlationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(correlationId);
        return (await _runtime.Store.GetAsync(correlationId, cancellationToken).ConfigureAwait(false))?.ToStatus();
    }

    /// <summary>Every generation of a batch (or all, when <paramref name="batch"/> is null), oldest first.</summary>
    /// <param name="batch">The batch name.</param>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The statuses.</returns>
    public async Task<IReadOnlyList<VideoWorkStatus>> ListAsync(string? batch = null, CancellationToken cancellationToken = default) =>
        (await _runtime.Store.ListAsync(batch, cancellationToken).ConfigureAwait(false)).Select(r => r.ToStatus()).ToList();

    /// <summary>
    /// Settles by hand a generation that ended <see cref="VideoWorkState.OutcomeUnknown"/>: its create was sent but its
    /// answer was lost, and you found the job it made on the vendor's dashboard. The job id is recorded in the journal
    /// and on the generation, which goes back to waiting: a worker polls and stores that job, and nothing is submitted.
    /// </summary>
    /// <param name="correlationId">The generation's correlation id.</param>
    /// <param name="jobId">The vendor's job id the lost create made.</param>
    /// <param name="cancellationToken">A token to cancel the writes.</param>
    /// <returns><see langword="true"/> when it was settled; <see langword="false"/> when no generation has that id or its outcome is not unknown.</returns>
    /// <exception cref="ArgumentException">An id is missing.</exception>
    public async Task<bool> SettleAsync(string correlationId, string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(correlationId);
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        var row = await _runtime.Store.GetAsync(correlationId, cancellationToken).ConfigureAwait(false);
        if (row is not { State: VideoWorkState.OutcomeUnknown })
        {
            return false;
        }

        // The journal first: a step that runs from here on finds the job id there and never sends the create again.
        if (await _runtime.Journal.FindByClientKeyAsync(correlationId, cancellationToken).ConfigureAwait(false) is { } entry)
        {
            await _runtime.Journal.UpdateAsync(entry.CorrelationId, VideoGen.Journal.JournalState.Submitted, jobId, "settled by hand", cancellationToken).ConfigureAwait(false);
        }

        await _runtime.Store.UpdateAsync(
            correlationId,
            new WorkChange(VideoWorkState.Waiting) { JobId = jobId, SubmittedAt = _runtime.Options.TimeProvider.GetUtcNow(), ClearError = true, ResetAttempts = true, BackoffSteps = 0 },
            cancellationToken).ConfigureAwait(false);

        // Its Hangfire job finished; run it again (Requeue works from any state while Hangfire keeps the job).
        if (row.HangfireJobId is not { } hangfireJob || !_jobs.Requeue(hangfireJob))
        {
            var created = _jobs.Create(Job.FromExpression<VideoGenSteps>(s => s.RunAsync(correlationId, null, CancellationToken.None), _runtime.Options.Queue), new EnqueuedState(_runtime.Options.Queue));
            await _runtime.Store.ReplaceHangfireJobAsync(correlationId, row.HangfireJobId, created, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>
    /// Moves on the generation waiting for <paramref name="job"/> at once: its scheduled poll is enqueued now, on whichever
    /// worker is free. Only a job in Hangfire's Scheduled state is moved (the change is conditional on that state), so a
    /// run in progress is not disturbed and no second run is made. The poll then reads the job from the vendor: a webhook
    /// says when to look, the vendor's API says what is true.
    /// </summary>
    /// <param name="job">The job a webhook reported.</param>
    /// <returns>How many waiting generations were moved on.</returns>
    public int Advance(VideoJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var moved = 0;
        foreach (var row in _runtime.Store.FindByJobIdAsync(job.Id, CancellationToken.None).GetAwaiter().GetResult())
        {
            if (row.HangfireJobId is { } id && !row.ToStatus().IsFinal
                && _jobs.ChangeState(id, new EnqueuedState(_runtime.Options.Queue) { Reason = $"webhook: {job.VendorStatus ?? job.Status.ToString()}" }, ScheduledState.StateName))
            {
                moved++;
            }
        }

        return moved;
    }

    /// <summary>
    /// Feeds every webhook delivery that <paramref name="updates"/> receives (the hub <c>MapVideoGenWebhooks</c> publishes
    /// to) to <see cref="Advance"/>, so a webhook received by any app instance moves its generation on.
    /// </summary>
    /// <param name="updates">The hub.</param>
    /// <returns>A handle that stops listening when disposed.</returns>
    public IDisposable ListenTo(WebhookJobUpdates updates)
    {
        ArgumentNullException.ThrowIfNull(updates);
        Action<VideoJob> handler = job => Advance(job);
        updates.Published += handler;
        return new Unsubscribe(() => updates.Published -= handler);
    }

    private sealed class Unsubscribe(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
