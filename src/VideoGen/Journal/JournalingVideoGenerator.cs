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
public sealed partial class JournalingVideoGenerator : DelegatingVideoGenerator
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
        Endpoint = (innerGenerator.GetService<Http.VendorClientBase>() is { } client
            ? client.ClientConfiguration.BaseUrl ?? innerGenerator.GetService<VendorInfo>()?.BaseUrl
            : null) is { } baseUrl ? JournalEndpoint.Describe(baseUrl) : null;
    }

    /// <summary>
    /// The host this generator sends to, recorded with every entry (<see cref="JournalEntry.Endpoint"/>). A journaled job
    /// is only read again through a generator with the same endpoint: a client key or job id recorded at another host
    /// is refused, never chased here.
    /// </summary>
    /// <value>
    /// The vendor client's base URL (<see cref="JournalEndpoint.Describe"/>) when the generator below is a VideoGen
    /// vendor adapter; otherwise <see langword="null"/> (not recorded). Set it for a generator of your own, or
    /// <see cref="JournalEndpoint.EmbeddedSandbox"/> for a sandbox inside the process.
    /// </value>
    public string? Endpoint { get; init; }

    /// <summary>
    /// Whether entries whose host was not recorded (written by an earlier version, <see cref="JournalEntry.Endpoint"/>
    /// null) are taken as sent to <see cref="Endpoint"/>. Only the user can know that: <c>videogen resume --assume-host</c>.
    /// </summary>
    /// <value><see langword="false"/>: such entries are refused (<see cref="JournalHostMismatchException"/>), never guessed.</value>
    public bool AssumeUnrecordedHostIsThis { get; init; }

    /// <summary>Whether <paramref name="entry"/> was sent to this generator's host (or, by the user's word, an unrecorded host is taken as it).</summary>
    /// <param name="entry">The entry.</param>
    /// <returns><see langword="true"/> when its job may be read, reconciled or downloaded through this generator.</returns>
    public bool IsSentHere(JournalEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return string.Equals(entry.Endpoint, Endpoint, StringComparison.OrdinalIgnoreCase) || (entry.Endpoint is null && AssumeUnrecordedHostIsThis);
    }

    /// <summary>The journal.</summary>
    public IJobJournal Journal => _journal;

    /// <summary>The owner id this generator takes leases with (see <see cref="IJobJournal.TryAcquireLeaseAsync"/>).</summary>
    /// <value><see cref="JournalLease.CurrentProcessOwner"/>.</value>
    public string LeaseOwner { get; init; } = JournalLease.CurrentProcessOwner;

    /// <summary>How long a lease lasts unless renewed; it is renewed every third of it while this generator works on the entry.</summary>
    /// <value><see cref="JournalLease.DefaultDuration"/> (30 s).</value>
    public TimeSpan LeaseDuration { get; init; } = JournalLease.DefaultDuration;

    /// <summary>How many times a journal write after a paid create is tried before <see cref="JobJournalException"/> (each try waits as long as the journal itself waits for a lock).</summary>
    /// <value>3.</value>
    public const int JournalWriteAttempts = 3;

    /// <inheritdoc />
    /// <exception cref="SubmissionOutcomeUnknownException">The request may or may not have created a job (or an earlier attempt with the same client key did): it was not resent.</exception>
    /// <exception cref="SubmissionInProgressException">Another live process holds the lease on this client key's entry: nothing was sent.</exception>
    /// <exception cref="JobJournalException">The journal could not be written. When the vendor had accepted the job, <see cref="VideoGenException.JobId"/> holds its id.</exception>
    public override async Task<VideoJob> SubmitAsync(VideoGenerationRequest request, VideoGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? correlationId = null;
        for (var attempt = 0; correlationId is null; attempt++)
        {
            if (options?.ClientKey is { } key && await _journal.FindByClientKeyAsync(key, cancellationToken).ConfigureAwait(false) is { } existing)
            {
                if (IsOwnedByOther(existing))
                {
                    throw new SubmissionInProgressException(existing.Vendor, existing.CorrelationId, existing.LeaseOwner!);
                }

                if (!IsSentHere(existing))
                {
                    // Its job id means something only at the host it was sent to: neither read it here nor pay again.
                    throw HostMismatch(existing);
                }

                switch (existing.State)
                {
                    case JournalState.Submitted or JournalState.Completed or JournalState.Failed when existing.JobId is not null:
                        return await InnerGenerator.GetJobAsync(existing.JobId, cancellationToken).ConfigureAwait(false);
                    case JournalState.Rejected:
                        // Refused before, so no job exists: the same logical submission may be tried again, by one process.
                        await AcquireAsync(existing, cancellationToken).ConfigureAwait(false);
                        correlationId = existing.CorrelationId;
                        await _journal.UpdateAsync(correlationId, JournalState.Intent, detail: "retried after a rejection", cancellationToken: cancellationToken).ConfigureAwait(false);
                        continue;
                    default:
                        throw new SubmissionOutcomeUnknownException(existing.Vendor, existing.CorrelationId, innerException: null);
                }
            }

            var now = _clock.GetUtcNow();
            var id = Guid.NewGuid().ToString("N");
            try
            {
                // The intent carries its lease from its first write: no other process sees it unowned while it is sent.
                await _journal.RecordIntentAsync(
                    new JournalEntry(id, options?.ClientKey, _vendor, request.Model, request.Prompt, JsonConvert.SerializeObject(request), JournalState.Intent, JobId: null, Detail: null, now, now)
                    {
                        Endpoint = Endpoint,
                        LeaseOwner = LeaseOwner,
                        LeaseExpiresAt = now + LeaseDuration,
                    },
                    cancellationToken).ConfigureAwait(false);
                correlationId = id;
            }
            catch (InvalidOperationException) when (options?.ClientKey is not null && attempt == 0)
            {
                // Another process recorded the same client key between our look and our write: look again.
            }
        }

        VideoJob job;
        await using (StartRenewing(correlationId))
        {
            var sent = options ?? new VideoGenerationOptions();
            sent = new VideoGenerationOptions
            {
                MaxCost = sent.MaxCost,
                WebhookUrl = sent.WebhookUrl,
                ClientKey = sent.ClientKey,
                ClientReference = sent.ClientReference ?? correlationId,
                AdditionalProperties = sent.AdditionalProperties,
            };
            try
            {
                job = await InnerGenerator.SubmitAsync(request, sent, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsDefinitelyNotCreated(e))
            {
                await _journal.UpdateAsync(correlationId, JournalState.Rejected, detail: Short(e), cancellationToken: CancellationToken.None).ConfigureAwait(false);
                await _journal.ReleaseLeaseAsync(correlationId, LeaseOwner, CancellationToken.None).ConfigureAwait(false);
                throw;
            }
            catch (Exception e)
            {
                await _journal.UpdateAsync(correlationId, JournalState.OutcomeUnknown, detail: Short(e), cancellationToken: CancellationToken.None).ConfigureAwait(false);
                await _journal.ReleaseLeaseAsync(correlationId, LeaseOwner, CancellationToken.None).ConfigureAwait(false);
                throw new SubmissionOutcomeUnknownException(e is VideoGenException v ? v.Vendor ?? _vendor : _vendor, correlationId, e);
            }

            // Paid: the id must reach the journal or, failing that, the caller.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await _journal.UpdateAsync(correlationId, JournalState.Submitted, job.Id, cancellationToken: CancellationToken.None).ConfigureAwait(false);
                    break;
                }
                catch (Exception e) when (e is not OperationCanceledException && attempt < JournalWriteAttempts)
                {
                    await Task.Delay(TimeSpan.FromSeconds(attempt), _clock, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    throw new JobJournalException(
                        $"{_vendor} accepted job {job.Id}, but the journal could not record it ({e.GetType().Name}: {e.Message}). The job exists and is billed: " +
                        $"follow it with its id, and record it with videogen resume --settle {correlationId} --job {job.Id}.",
                        (e as JobJournalException)?.JournalPath,
                        e)
                    {
                        JobId = job.Id,
                    };
                }
            }
        }

        return job;
    }

    /// <summary>
    /// Takes the lease on an entry and renews it until the returned object is disposed (then gives it up), so no
    /// other process waits for, reconciles or downloads the entry's job meanwhile.
    /// </summary>
    /// <param name="entry">The entry.</param>
    /// <param name="cancellationToken">A token to cancel taking the lease.</param>
    /// <returns>The held lease; dispose it when done.</returns>
    /// <exception cref="SubmissionInProgressException">Another live process holds the lease.</exception>
    public async Task<IAsyncDisposable> HoldLeaseAsync(JournalEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await AcquireAsync(entry, cancellationToken).ConfigureAwait(false);
        return StartRenewing(entry.CorrelationId, releaseAtEnd: true);
    }

    /// <summary>Whether another process that may still be alive holds an unexpired lease on <paramref name="entry"/>.</summary>
    /// <param name="entry">The entry, as read from the journal.</param>
    /// <returns><see langword="true"/> when the entry must be left alone.</returns>
    public bool IsOwnedByOther(JournalEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.IsLeasedByOther(LeaseOwner, _clock.GetUtcNow()) && !JournalLease.IsKnownGone(entry.LeaseOwner!);
    }

    private async Task AcquireAsync(JournalEntry entry, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        await JournalLease.ReleaseIfHolderGoneAsync(_journal, entry, LeaseOwner, cancellationToken).ConfigureAwait(false);

        if (!await _journal.TryAcquireLeaseAsync(entry.CorrelationId, LeaseOwner, now, now + LeaseDuration, cancellationToken).ConfigureAwait(false))
        {
            var current = await _journal.FindAsync(entry.CorrelationId, cancellationToken).ConfigureAwait(false);
            throw new SubmissionInProgressException(entry.Vendor, entry.CorrelationId, current?.LeaseOwner ?? "another process");
        }
    }

    private LeaseRenewal StartRenewing(string correlationId, bool releaseAtEnd = false) => new(this, correlationId, releaseAtEnd);

    /// <summary>Renews a lease every third of its duration until disposed.</summary>
    private sealed class LeaseRenewal : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private readonly JournalingVideoGenerator _owner;
        private readonly string _correlationId;
        private readonly bool _release;

        public LeaseRenewal(JournalingVideoGenerator owner, string correlationId, bool release)
        {
            _owner = owner;
            _correlationId = correlationId;
            _release = release;
            _loop = RunAsync();
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _loop.ConfigureAwait(false);
            _stop.Dispose();
            if (_release)
            {
                try
                {
                    await _owner._journal.ReleaseLeaseAsync(_correlationId, _owner.LeaseOwner, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The lease lapses on its own.
                }
            }
        }

        private async Task RunAsync()
        {
            var interval = _owner.LeaseDuration / 3;
            try
            {
                while (true)
                {
                    await Task.Delay(interval, _owner._clock, _stop.Token).ConfigureAwait(false);
                    try
                    {
                        var now = _owner._clock.GetUtcNow();
                        await _owner._journal.TryAcquireLeaseAsync(_correlationId, _owner.LeaseOwner, now, now + _owner.LeaseDuration, _stop.Token).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // A journal busy for a moment: try again at the next beat, well before the lease lapses.
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    /// <summary>Records that a journaled job reached its final state, so <c>videogen resume</c> no longer waits for it.</summary>
    /// <param name="job">The job in its final state.</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns>Whether the job was in the journal.</returns>
    public async Task<bool> RecordFinishedAsync(VideoJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        // The entry of this job id at this generator's host: the same id at another host is another job.
        if (!job.HasCompleted
            || (await _journal.FindByJobIdAtAsync(_vendor, Endpoint, job.Id, cancellationToken).ConfigureAwait(false)
                ?? (AssumeUnrecordedHostIsThis && Endpoint is not null ? await _journal.FindByJobIdAtAsync(_vendor, null, job.Id, cancellationToken).ConfigureAwait(false) : null)) is not { } entry)
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
    /// <exception cref="SubmissionInProgressException">Another live process holds the entry's lease (it may still be sending): nothing was concluded.</exception>
    /// <exception cref="VideoGenException">The vendor's listing failed.</exception>
    public async Task<VideoJob?> ReconcileAsync(JournalEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);

        // The caller's copy may be stale (another process or an earlier call may have settled it).
        var current = await _journal.FindAsync(entry.CorrelationId, cancellationToken).ConfigureAwait(false)
            ?? throw new ArgumentException($"The journal has no submission '{entry.CorrelationId}'.", nameof(entry));
        if (!IsSentHere(current))
        {
            // Another host's listing proves nothing about this submission, and its job is not read here.
            throw HostMismatch(current);
        }

        if (current.State is not (JournalState.Intent or JournalState.OutcomeUnknown))
        {
            return current.JobId is { } settled ? await InnerGenerator.GetJobAsync(settled, cancellationToken).ConfigureAwait(false) : null;
        }

        if (IsOwnedByOther(current))
        {
            // Its owner may still be sending the create request: a listing without the job would prove nothing yet.
            throw new SubmissionInProgressException(current.Vendor, current.CorrelationId, current.LeaseOwner!);
        }

        // One reconciler at a time per entry (a lease this process already holds is simply renewed).
        await AcquireAsync(current, cancellationToken).ConfigureAwait(false);

        if (InnerGenerator.GetService(typeof(ISubmissionReconciler)) is not ISubmissionReconciler reconciler
            || await reconciler.FindCandidatesAsync(current, cancellationToken).ConfigureAwait(false) is not { } candidates)
        {
            return null;
        }

        // A job another entry owns (in any state, finished ones included) is not this submission's.
        var unclaimed = new List<VideoJob>();
        foreach (var candidate in candidates)
        {
            if (await _journal.FindByJobIdAtAsync(current.Vendor, current.Endpoint, candidate.Id, cancellationToken).ConfigureAwait(false) is null)
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

    /// <summary>
    /// A failure that proves no job was created: refused before sending, a connection never made, or an answer that
    /// is a refusal (<see cref="IsRefusal"/>). Everything else (a 5xx, which a proxy sends after forwarding too; a
    /// timeout; a dropped or unreadable answer) leaves the outcome unknown.
    /// </summary>
    internal static bool IsDefinitelyNotCreated(Exception e) => e switch
    {
        VideoGenValidationException or ArgumentException => true,
        SubmissionOutcomeUnknownException => false,
        // An answer arrived but was not read (over the body cap): whatever its status, it proves nothing was refused.
        ResponseTooLargeException => false,
        VideoGenException { StatusCode: { } status } => IsRefusal(status),
        VideoGenException { StatusCode: null, InnerException: HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError } } => true,
        VideoGenException { StatusCode: null } when e is not Http.ApiException && e.InnerException is null => true,
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError } => true,
        _ => false,
    };

    /// <summary>
    /// The statuses that prove the vendor refused a create request and created nothing: 400, 401, 402, 403, 404, 422
    /// (the request, key, credits or path were refused) and 429 (not admitted; RFC 6585 section 4). Any other status,
    /// 5xx above all, does not: a gateway answers 502/503/504 after it forwarded the request (RFC 9110 section 15.6).
    /// </summary>
    /// <param name="status">The HTTP status of the answer to a create request.</param>
    /// <returns><see langword="true"/> when the answer proves that no job exists.</returns>
    internal static bool IsRefusal(HttpStatusCode status) => (int)status is 400 or 401 or 402 or 403 or 404 or 422 or 429;

    /// <summary>The refusal to read or reconcile an entry at a host other than the one it was sent to.</summary>
    /// <param name="entry">The entry.</param>
    /// <returns>The error, naming the submission, its job id if any, and both hosts.</returns>
    internal JournalHostMismatchException HostMismatch(JournalEntry entry) => new(entry, Endpoint);

    private static string Short(Exception e)
    {
        var text = $"{e.GetType().Name}: {e.Message}";
        return text.Length > 300 ? text[..300] + "…" : text;
    }
}
