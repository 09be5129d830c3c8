using System.Net;
using Newtonsoft.Json;
using VideoGen.Catalog;

namespace VideoGen.Journal;

/// <summary>
/// Middleware that records every submission in an <see cref="IJobJournal"/>: the intent before the
/// create request is sent, the job id after. A request whose outcome is ambiguous (sent, but no
/// readable answer) is never resent: it raises <see cref="SubmissionOutcomeUnknownException"/> and
/// stays in the journal until reconciled. A <see cref="VideoGenerationOptions.ClientKey"/> already
/// submitted returns its job instead of submitting again.
/// </summary>
public sealed class JournalingVideoGenerator : DelegatingVideoGenerator
{
    private readonly IJobJournal _journal;
    private readonly string _vendor;
    private readonly TimeProvider _clock;

    /// <summary>Wraps <paramref name="innerGenerator"/>.</summary>
    /// <param name="innerGenerator">The generator submissions go to.</param>
    /// <param name="journal">The journal.</param>
    /// <param name="vendorId">The vendor id recorded with each entry (<c>elumenta</c>, ...); asked from the inner generator's <see cref="VendorInfo"/> when null.</param>
    /// <param name="clock">The clock; <see cref="TimeProvider.System"/> when null.</param>
    public JournalingVideoGenerator(IVideoGenerator innerGenerator, IJobJournal journal, string? vendorId = null, TimeProvider? clock = null)
        : base(innerGenerator)
    {
        ArgumentNullException.ThrowIfNull(journal);
        _journal = journal;
        _vendor = vendorId ?? innerGenerator.GetService<VendorInfo>()?.Id
            ?? throw new ArgumentException("The vendor id is needed: pass it, or wrap a generator that provides its VendorInfo.", nameof(vendorId));
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>The journal.</summary>
    public IJobJournal Journal => _journal;

    /// <inheritdoc />
    public override async Task<VideoJob> SubmitAsync(VideoGenerationRequest request, VideoGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? correlationId = null;
        if (options?.ClientKey is { } key && await _journal.FindByClientKeyAsync(key, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            switch (existing.State)
            {
                case JournalState.Submitted or JournalState.Completed or JournalState.Failed when existing.JobId is not null:
                    return await InnerGenerator.GetJobAsync(existing.JobId, cancellationToken).ConfigureAwait(false);
                case JournalState.Rejected:
                    // Refused before, so no job exists: the same logical submission may be tried again.
                    correlationId = existing.CorrelationId;
                    await _journal.UpdateAsync(correlationId, JournalState.Intent, detail: "retried after a rejection", cancellationToken: cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    throw new SubmissionOutcomeUnknownException(existing.Vendor, existing.CorrelationId, innerException: null);
            }
        }

        if (correlationId is null)
        {
            var now = _clock.GetUtcNow();
            correlationId = Guid.NewGuid().ToString("N");
            await _journal.RecordIntentAsync(
                new JournalEntry(correlationId, options?.ClientKey, _vendor, request.Model, request.Prompt, JsonConvert.SerializeObject(request), JournalState.Intent, JobId: null, Detail: null, now, now),
                cancellationToken).ConfigureAwait(false);
        }

        VideoJob job;
        try
        {
            job = await InnerGenerator.SubmitAsync(request, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsDefinitelyNotCreated(e))
        {
            await _journal.UpdateAsync(correlationId, JournalState.Rejected, detail: Short(e), cancellationToken: CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        catch (Exception e)
        {
            await _journal.UpdateAsync(correlationId, JournalState.OutcomeUnknown, detail: Short(e), cancellationToken: CancellationToken.None).ConfigureAwait(false);
            throw new SubmissionOutcomeUnknownException(e is VideoGenException v ? v.Vendor ?? _vendor : _vendor, correlationId, e);
        }

        await _journal.UpdateAsync(correlationId, JournalState.Submitted, job.Id, cancellationToken: CancellationToken.None).ConfigureAwait(false);
        return job;
    }

    /// <summary>Records that a journaled job reached its final state, so <c>videogen resume</c> no longer waits for it.</summary>
    /// <param name="job">The job in its final state.</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns>Whether the job was in the journal.</returns>
    public async Task<bool> RecordFinishedAsync(VideoJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (!job.HasCompleted || await _journal.FindByJobIdAsync(_vendor, job.Id, cancellationToken).ConfigureAwait(false) is not { } entry)
        {
            return false;
        }

        var state = job.Status == VideoJobStatus.Succeeded ? JournalState.Completed : JournalState.Failed;
        await _journal.UpdateAsync(entry.CorrelationId, state, detail: job.VendorStatus ?? job.Status.ToString(), cancellationToken: cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Tries to settle an unknown-outcome entry: asks the vendor (where it can list jobs) whether the
    /// submission created one. When exactly one job matches that no other entry owns, its id is recorded
    /// (state <see cref="JournalState.Submitted"/>). When the vendor's complete listing shows none, no job
    /// exists: the entry becomes <see cref="JournalState.Rejected"/>, so the same
    /// <see cref="VideoGenerationOptions.ClientKey"/> may be submitted again.
    /// </summary>
    /// <remarks>
    /// Call it once the submission can no longer be in flight: after <see cref="SubmitAsync"/> returned or
    /// threw, or after the process that sent it ended. An entry that is already settled is not asked about
    /// again: its job is read when it has one.
    /// </remarks>
    /// <param name="entry">The entry, normally in state <see cref="JournalState.Intent"/> or <see cref="JournalState.OutcomeUnknown"/>.</param>
    /// <param name="cancellationToken">A token to cancel the lookup.</param>
    /// <returns>
    /// The job found, or <see langword="null"/> when there is none to wait for: the vendor cannot tell (the entry
    /// stays unknown), several jobs could be it (it stays unknown), or none is (it is now rejected).
    /// </returns>
    /// <exception cref="ArgumentException">The journal has no entry with <paramref name="entry"/>'s correlation id.</exception>
    /// <exception cref="VideoGenException">The vendor's listing failed.</exception>
    public async Task<VideoJob?> ReconcileAsync(JournalEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);

        // The caller's copy may be stale (another process or an earlier call may have settled it).
        var current = await _journal.FindAsync(entry.CorrelationId, cancellationToken).ConfigureAwait(false)
            ?? throw new ArgumentException($"The journal has no submission '{entry.CorrelationId}'.", nameof(entry));
        if (current.State is not (JournalState.Intent or JournalState.OutcomeUnknown))
        {
            return current.JobId is { } settled ? await InnerGenerator.GetJobAsync(settled, cancellationToken).ConfigureAwait(false) : null;
        }

        if (InnerGenerator.GetService(typeof(ISubmissionReconciler)) is not ISubmissionReconciler reconciler
            || await reconciler.FindCandidatesAsync(current, cancellationToken).ConfigureAwait(false) is not { } candidates)
        {
            return null;
        }

        // A job another entry owns (in any state, finished ones included) is not this submission's.
        var unclaimed = new List<VideoJob>();
        foreach (var candidate in candidates)
        {
            if (await _journal.FindByJobIdAsync(current.Vendor, candidate.Id, cancellationToken).ConfigureAwait(false) is null)
            {
                unclaimed.Add(candidate);
            }
        }

        switch (unclaimed.Count)
        {
            case 1:
                await _journal.UpdateAsync(current.CorrelationId, JournalState.Submitted, unclaimed[0].Id, "reconciled: found in the vendor's listing", cancellationToken).ConfigureAwait(false);
                return unclaimed[0];
            case 0:
                await _journal.UpdateAsync(current.CorrelationId, JournalState.Rejected, detail: "reconciled: the vendor's complete listing shows no job from this submission", cancellationToken: cancellationToken).ConfigureAwait(false);
                return null;
            default:
                return null;
        }
    }

    /// <summary>A failure that proves no job was created: refused before sending, or refused by the vendor.</summary>
    internal static bool IsDefinitelyNotCreated(Exception e) => e switch
    {
        VideoGenValidationException or ArgumentException => true,
        SubmissionOutcomeUnknownException => false,
        VideoGenException { StatusCode: { } status } when e is not Http.ApiException => (int)status is >= 400 and < 500 || status == HttpStatusCode.ServiceUnavailable,
        VideoGenException { StatusCode: null, InnerException: HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError } } => true,
        VideoGenException { StatusCode: null } when e is not Http.ApiException && e.InnerException is null => true,
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError } => true,
        _ => false,
    };

    private static string Short(Exception e)
    {
        var text = $"{e.GetType().Name}: {e.Message}";
        return text.Length > 300 ? text[..300] + "…" : text;
    }
}
