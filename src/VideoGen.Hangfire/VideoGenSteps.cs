using System.Net;
using Hangfire;
using Hangfire.Server;
using Newtonsoft.Json;
using VideoGen.Downloads;
using VideoGen.Journal;
using VideoGen.Waiting;

namespace VideoGen.Hangfire;

/// <summary>What one run of <see cref="VideoGenSteps.RunAsync"/> did, and when the job should run again.</summary>
/// <param name="Summary">One line for the dashboard.</param>
/// <param name="NextRunInMilliseconds">When to run again (the job is rescheduled, holding no worker meanwhile); null when it is done.</param>
public sealed record VideoStepResult(string Summary, double? NextRunInMilliseconds)
{
    internal static VideoStepResult Done(string summary) => new(summary, null);

    internal static VideoStepResult Again(TimeSpan delay, string summary) => new(summary, Math.Max(0, delay.TotalMilliseconds));
}

/// <summary>
/// The one Hangfire background job that carries an enqueued generation from submit to stored video. Each run does the
/// next step (submit, poll, download) and either finishes or is rescheduled by <see cref="RescheduleWhileWaitingAttribute"/>
/// to run again when VideoGen's poll schedule says so: no worker thread is held while the vendor renders.
/// </summary>
/// <remarks>
/// Hangfire runs a job at least once: a job is removed from its queue only after it was performed, and a job whose
/// worker died is fetched again (https://docs.hangfire.io/en/latest/background-methods/calling-methods-in-background.html,
/// and "make your background methods reentrant", https://docs.hangfire.io/en/latest/best-practices.html). So every run
/// starts from the state in PostgreSQL, not from memory: the submit goes through the journal with the generation's
/// correlation id as client key (a second run finds the first run's job id, or finds an ambiguous intent and never
/// resends it); polls and downloads are reads and atomic file moves. Two runs of one generation never overlap: a run
/// works only under the row's PostgreSQL advisory lock, which dies with its holder's connection. No run outlives
/// <see cref="VideoGenHangfireOptions.StepTimeout"/>: one still running then is cancelled and rescheduled, so a hung
/// connection or a stalled download never holds a worker (or its generation) for good.
/// </remarks>
public sealed class VideoGenSteps
{
    private static readonly TimeSpan Busy = TimeSpan.FromSeconds(1);

    /// <summary>How long past its deadline a step that ignores its cancelled token is waited for before it is abandoned.</summary>
    private static readonly TimeSpan StepGrace = TimeSpan.FromSeconds(5);
    private readonly VideoGenRuntime _runtime;

    internal VideoGenSteps(VideoGenRuntime runtime) => _runtime = runtime;

    /// <summary>Does the next step of generation <paramref name="correlationId"/>. Called by Hangfire.</summary>
    /// <param name="correlationId">The generation's correlation id.</param>
    /// <param name="context">Hangfire's context (injected by Hangfire; null when called directly).</param>
    /// <param name="cancellationToken">Hangfire's shutdown token.</param>
    /// <returns>What was done, and when to run again.</returns>
    [AutomaticRetry(Attempts = 50, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    [RescheduleWhileWaiting]
    [JobDisplayName("VideoGen generation {0}")]
    public async Task<VideoStepResult> RunAsync(string correlationId, PerformContext? context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(correlationId);
        var options = _runtime.Options;
        using var deadline = new CancellationTokenSource(options.StepTimeout, options.TimeProvider);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var step = StepAsync(correlationId, context, bounded.Token);
        try
        {
            // The token stops a step that honours it; the wait stops one that does not (a call that ignores its token):
            // the worker is given back either way, and the run that comes next starts from what PostgreSQL holds.
            return await step.WaitAsync(options.StepTimeout + StepGrace, options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Whatever the cut left half done is safe to do again: a submit cut after it was sent is held by the journal
            // as outcome-unknown (never resent), a cut poll reads again, a cut download is fetched again into place.
            ObserveLater(step);
            return VideoStepResult.Again(Busy, Short($"step overran its deadline of {options.StepTimeout.TotalSeconds:0.###} s and was cancelled ({e.GetType().Name}); rescheduled"));
        }
    }

    private static void ObserveLater(Task step) =>
        _ = step.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private async Task<VideoStepResult> StepAsync(string correlationId, PerformContext? context, CancellationToken cancellationToken)
    {
        var store = _runtime.Store;
        var row = await store.GetAsync(correlationId, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return VideoStepResult.Done("no such generation");
        }

        if (context?.BackgroundJob.Id is { } self)
        {
            // One Hangfire job drives a row; a second one (two enqueues racing) stands down.
            var owner = row.HangfireJobId ?? await store.ClaimHangfireJobAsync(correlationId, self, cancellationToken).ConfigureAwait(false);
            if (owner != self)
            {
                return VideoStepResult.Done($"superseded: Hangfire job {owner} drives {correlationId}");
            }
        }

        if (row.ToStatus().IsFinal)
        {
            return VideoStepResult.Done($"{row.State}: {row.Result ?? row.Error}");
        }

        await using var held = await store.TryLockAsync(correlationId, cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            return VideoStepResult.Again(Busy, "another worker is on this generation");
        }

        // Read again under the lock: the previous holder may have moved it on.
        row = (await store.GetAsync(correlationId, cancellationToken).ConfigureAwait(false))!;
        return row.State switch
        {
            VideoWorkState.Queued or VideoWorkState.Submitting => await SubmitAsync(row, cancellationToken).ConfigureAwait(false),
            VideoWorkState.Waiting => await PollAsync(row, cancellationToken).ConfigureAwait(false),
            _ => VideoStepResult.Done($"{row.State}: {row.Result ?? row.Error}"),
        };
    }

    private async Task<VideoStepResult> SubmitAsync(WorkRow row, CancellationToken cancellationToken)
    {
        var store = _runtime.Store;
        var generator = _runtime.Generator(row.Vendor);
        var request = JsonConvert.DeserializeObject<VideoGenerationRequest>(row.RequestJson)
            ?? throw new InvalidOperationException($"Generation {row.CorrelationId} has no request.");
        await store.UpdateAsync(row.CorrelationId, new WorkChange(VideoWorkState.Submitting) { AddAttempts = 1 }, cancellationToken).ConfigureAwait(false);

        VideoJob job;
        try
        {
            // The journal's client key is the correlation id: a run after a crash finds what the first run recorded.
            job = await generator.SubmitAsync(request, new VideoGenerationOptions { ClientKey = row.CorrelationId }, cancellationToken).ConfigureAwait(false);
        }
        catch (SubmissionOutcomeUnknownException unknown)
        {
            // Never resent. Ask the vendor where it can list its jobs; otherwise report it with its ids.
            var found = await TryReconcileAsync(generator, row.CorrelationId, cancellationToken).ConfigureAwait(false);
            if (found is null)
            {
                var entry = await _runtime.Journal.FindByClientKeyAsync(row.CorrelationId, cancellationToken).ConfigureAwait(false);
                if (entry?.State == JournalState.Rejected)
                {
                    return VideoStepResult.Again(_runtime.Options.ResubmitDelay, "reconciled: the vendor has no job from the ambiguous attempt; submitting again");
                }

                await store.UpdateAsync(row.CorrelationId, new WorkChange(VideoWorkState.OutcomeUnknown) { Error = Short($"outcome unknown, not resent (journal entry {unknown.CorrelationId}): {unknown.InnerException?.Message ?? unknown.Message}") }, cancellationToken).ConfigureAwait(false);
                return VideoStepResult.Done($"outcome unknown; journal entry {unknown.CorrelationId}");
            }

            job = found;
        }
        catch (SubmissionInProgressException busy)
        {
            return VideoStepResult.Again(_runtime.Options.ResubmitDelay, Short(busy.Message));
        }
        catch (JobJournalException lost) when (lost.JobId is { } paid)
        {
            // The vendor accepted (and bills) the job, but the journal could not record its id (the database was gone).
            // The id lives only in this process now: write it down as soon as the database answers, until the step's
            // deadline; never dropped for a later run to find only the intent and call the outcome unknown.
            job = await RecordAcceptedAsync(row, paid, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException && JournalingVideoGenerator.IsDefinitelyNotCreated(e))
        {
            // Refused for sure: nothing was created, nothing charged. A passing refusal is tried again, a final one reported.
            if (IsPassing(e) && row.Attempts + 1 < _runtime.Options.MaxSubmitAttempts)
            {
                await store.UpdateAsync(row.CorrelationId, new WorkChange(VideoWorkState.Submitting) { Error = Short(e.Message) }, cancellationToken).ConfigureAwait(false);
                return VideoStepResult.Again(_runtime.Options.ResubmitDelay, $"refused for now ({Short(e.Message)}); trying again");
            }

            await store.UpdateAsync(row.CorrelationId, new WorkChange(VideoWorkState.Failed) { Error = Short($"refused: {e.Message}") }, cancellationToken).ConfigureAwait(false);
            return VideoStepResult.Done($"refused: {Short(e.Message)}");
        }

        var now = _runtime.Options.TimeProvider.GetUtcNow();
        await store.UpdateAsync(
            row.CorrelationId,
            new WorkChange(VideoWorkState.Waiting) { JobId = job.Id, VendorStatus = job.VendorStatus ?? job.Status.ToString(), SubmittedAt = now, ClearError = true, ResetAttempts = true, BackoffSteps = 0 },
            cancellationToken).ConfigureAwait(false);
        if (job.HasCompleted)
        {
            var waiting = (await store.GetAsync(row.CorrelationId, cancellationToken).ConfigureAwait(false))!;
            return await FinishAsync(waiting, job, polls: 0, cancellationToken).ConfigureAwait(false);
        }

        var schedule = Schedule(row, request.Model, backoffSteps: 0);
        return VideoStepResult.Again(schedule.NextDelay(TimeSpan.Zero), $"submitted as {job.Vendor} job {job.Id}");
    }

    private async Task<VideoStepResult> PollAsync(WorkRow row, CancellationToken cancellationToken)
    {
        var generator = _runtime.Generator(row.Vendor);
        var model = JsonConvert.DeserializeObject<VideoGenerationRequest>(row.RequestJson)?.Model;
        var schedule = Schedule(row, model, row.BackoffSteps);
        var elapsed = _runtime.Options.TimeProvider.GetUtcNow() - (row.SubmittedAt ?? row.CreatedAt);
        VideoJob job;
        try
        {
            // Inside the likely window, a vendor that holds the request until the job finishes (AIML) is asked that way:
            // one request instead of several; the worker is held at most the server's wait.
            job = _runtime.Options.Wait.UseLongPoll && elapsed >= schedule.Window.Min && generator.GetService(typeof(ILongPollingJobReader)) is ILongPollingJobReader longPoll
                && longPoll.CanWaitOnServer(row.JobId!)
                ? await longPoll.WaitForCompletionOnServerAsync(row.JobId!, cancellationToken).ConfigureAwait(false)
                : await generator.GetJobAsync(row.JobId!, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is VideoGenException or HttpRequestException or TimeoutException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // A failed read loses nothing: the job id is kept; read again on the schedule.
            var retry = schedule.NextDelay(elapsed);
            await store(row, new WorkChange(VideoWorkState.Waiting) { Error = Short($"last read failed: {e.Message}"), AddPolls = 1, BackoffSteps = schedule.BackoffSteps }).ConfigureAwait(false);
            return VideoStepResult.Again(retry, $"read failed ({Short(e.Message)}); next poll in {retry.TotalSeconds:0.###} s");
        }

        if (job.HasCompleted)
        {
            return await FinishAsync(row, job, polls: 1, cancellationToken).ConfigureAwait(false);
        }

        var delay = schedule.NextDelay(elapsed);
        await store(row, new WorkChange(VideoWorkState.Waiting) { VendorStatus = job.VendorStatus ?? job.Status.ToString(), AddPolls = 1, BackoffSteps = schedule.BackoffSteps, ClearError = true }).ConfigureAwait(false);
        return VideoStepResult.Again(delay, $"{job.VendorStatus ?? job.Status.ToString()}{(job.Progress is { } p ? $" {p:0}%" : "")}; next poll in {delay.TotalSeconds:0.###} s");

        Task store(WorkRow r, WorkChange change) => _runtime.Store.UpdateAsync(r.CorrelationId, change, cancellationToken);
    }

    private async Task<VideoStepResult> FinishAsync(WorkRow row, VideoJob job, int polls, CancellationToken cancellationToken)
    {
        var generator = _runtime.Generator(row.Vendor);
        var status = job.VendorStatus ?? job.Status.ToString();
        if (job.Status != VideoJobStatus.Succeeded)
        {
            var reason = Short($"{job.Status}: {job.Error ?? status}");
            await _runtime.Store.UpdateAsync(row.CorrelationId, new WorkChange(VideoWorkState.Failed) { VendorStatus = status, Error = reason, AddPolls = polls }, cancellationToken).ConfigureAwait(false);
            await generator.RecordFinishedAsync(job, cancellationToken).ConfigureAwait(false);
            return VideoStepResult.Done(reason);
        }

        string result;
        try
        {
            result = await _runtime.StoreVideoAsync(row, generator, job, cancellationToken).ConfigureAwait(false);
        }
        catch (VideoDownloadException e) when (job.ResultUri is not null && row.Attempts + 1 < _runtime.Options.MaxSubmitAttempts)
        {
            // The job is paid and done: its result is fetched again, never resubmitted.
            await _runtime.Store.UpdateAsync(row.CorrelationId, new WorkChange(VideoWorkState.Waiting) { VendorStatus = status, AddAttempts = 1, AddPolls = polls, Error = Short($"download failed: {e.Message}") }, cancellationToken).ConfigureAwait(false);
            return VideoStepResult.Again(_runtime.Options.ResubmitDelay, $"download failed ({Short(e.Message)}); trying again");
        }
        catch (VideoDownloadException e)
        {
            await _runtime.Store.UpdateAsync(row.CorrelationId, new WorkChange(VideoWorkState.Failed) { VendorStatus = status, AddPolls = polls, Error = Short($"succeeded at the vendor (job {job.Id}) but the download failed: {e.Message}") }, cancellationToken).ConfigureAwait(false);
            return VideoStepResult.Done($"download failed: {Short(e.Message)}");
        }

        await _runtime.Store.UpdateAsync(row.CorrelationId, new WorkChange(VideoWorkState.Completed) { VendorStatus = status, Result = result, ClearError = true, AddPolls = polls }, cancellationToken).ConfigureAwait(false);
        await generator.RecordFinishedAsync(job, cancellationToken).ConfigureAwait(false);
        return VideoStepResult.Done($"stored at {result}");
    }

    /// <summary>Records a job the vendor accepted in the journal, retrying until the database answers or the step is cancelled.</summary>
    private async Task<VideoJob> RecordAcceptedAsync(WorkRow row, string jobId, CancellationToken cancellationToken)
    {
        var clock = _runtime.Options.TimeProvider;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var entry = await _runtime.Journal.FindByClientKeyAsync(row.CorrelationId, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"Generation {row.CorrelationId} has no journal entry for job {jobId}.");
                await _runtime.Journal.UpdateAsync(entry.CorrelationId, JournalState.Submitted, jobId, cancellationToken: cancellationToken).ConfigureAwait(false);
                return new VideoJob { Id = jobId, Vendor = VideoGen.Catalog.VideoModelCatalog.Default.GetVendor(row.Vendor).DisplayName, Status = VideoJobStatus.Queued };
            }
            catch (Exception e) when (e is not OperationCanceledException and not InvalidOperationException)
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, 1 << Math.Min(attempt, 5))), clock, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<VideoJob?> TryReconcileAsync(JournalingVideoGenerator generator, string clientKey, CancellationToken cancellationToken)
    {
        if (await _runtime.Journal.FindByClientKeyAsync(clientKey, cancellationToken).ConfigureAwait(false) is not { } entry)
        {
            return null;
        }

        try
        {
            return await generator.ReconcileAsync(entry, cancellationToken).ConfigureAwait(false);
        }
        catch (VideoGenException)
        {
            // The listing failed: the entry stays unknown, which is what is reported.
            return null;
        }
    }

    private PollSchedule Schedule(WorkRow row, string? model, int backoffSteps) =>
        new(PollSchedule.WindowFor(row.Vendor, model), _runtime.Options.Wait, backoffSteps);

    /// <summary>Refused now, likely accepted later: rate limits, a vendor briefly unavailable, a connection refused.</summary>
    private static bool IsPassing(Exception e) => e switch
    {
        VideoGenException { StatusCode: HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable } => true,
        VideoGenException { StatusCode: null, InnerException: HttpRequestException } => true,
        HttpRequestException => true,
        _ => false,
    };

    private static string Short(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
