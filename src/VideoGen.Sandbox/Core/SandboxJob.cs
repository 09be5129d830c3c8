using Newtonsoft.Json.Linq;

namespace VideoGen.Sandbox.Core;

/// <summary>
/// One job of one vendor. Its phase is a function of the clock (queued until <see cref="StartsAt"/>, processing
/// until <see cref="FinishesAt"/>, then succeeded or failed as planned at submission), so a fake clock moves
/// it exactly; the only outside change is a cancellation, which is signalled through <see cref="Changed"/>.
/// </summary>
internal sealed class SandboxJob
{
    private readonly object _gate = new();
    private TaskCompletionSource _changed = NewSignal();
    private DateTimeOffset? _cancelledAt;
    private string? _cancelReason;
    private int _settled;

    /// <summary>A job on the terms of <paramref name="terms"/>; its id, order and plan are the store's.</summary>
    public SandboxJob(JobRequest terms) => Terms = terms;

    /// <summary>What the vendor endpoint asked for: the job's vendor, owner, model, prompt, price and body are these.</summary>
    public JobRequest Terms { get; }

    /// <summary>The order in which jobs were created (ids are random, and a fake clock gives equal creation times).</summary>
    public required long Sequence { get; init; }

    public required string Id { get; init; }

    public string Vendor => Terms.Vendor;

    public string Owner => Terms.Owner;

    public string Model => Terms.Model;

    public string? Prompt => Terms.Prompt;

    public int DurationSeconds => Terms.DurationSeconds;

    public string AspectRatio => Terms.AspectRatio;

    public int VideoCount => Terms.VideoCount;

    public decimal Price => Terms.Price;

    public string PublicBaseUrl => Terms.PublicBaseUrl;

    public JObject Request => Terms.Request;

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset StartsAt { get; init; }

    public required DateTimeOffset FinishesAt { get; init; }

    /// <summary>The reason the job will fail at <see cref="FinishesAt"/>, or null when it will succeed.</summary>
    public string? PlannedFailure { get; init; }

    /// <summary>Completes when the job changes other than by the clock (a cancellation).</summary>
    public Task Changed
    {
        get
        {
            lock (_gate)
            {
                return _changed.Task;
            }
        }
    }

    public SandboxJobPhase PhaseAt(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_cancelledAt is { } cancelled && cancelled <= now)
            {
                return SandboxJobPhase.Cancelled;
            }
        }

        return now < StartsAt ? SandboxJobPhase.Queued
            : now < FinishesAt ? SandboxJobPhase.Processing
            : PlannedFailure is null ? SandboxJobPhase.Succeeded
            : SandboxJobPhase.Failed;
    }

    public static bool IsTerminal(SandboxJobPhase phase) => phase is SandboxJobPhase.Succeeded or SandboxJobPhase.Failed or SandboxJobPhase.Cancelled;

    /// <summary>When the job reached its terminal phase, or null while it is active at <paramref name="now"/>.</summary>
    public DateTimeOffset? EndedAt(DateTimeOffset now)
    {
        var phase = PhaseAt(now);
        return phase == SandboxJobPhase.Cancelled ? CancelledAt : IsTerminal(phase) ? FinishesAt : null;
    }

    /// <summary>When processing began, or null while queued (or when cancelled in the queue).</summary>
    public DateTimeOffset? StartedAt(DateTimeOffset now)
    {
        var cancelled = CancelledAt;
        return now >= StartsAt && (cancelled is null || cancelled > StartsAt) ? StartsAt : null;
    }

    public DateTimeOffset? CancelledAt
    {
        get
        {
            lock (_gate)
            {
                return _cancelledAt;
            }
        }
    }

    /// <summary>The failure or cancellation reason when the job ended without a video at <paramref name="now"/>.</summary>
    public string? FailureReasonAt(DateTimeOffset now) => PhaseAt(now) switch
    {
        SandboxJobPhase.Failed => PlannedFailure,
        SandboxJobPhase.Cancelled => CancelReason,
        _ => null,
    };

    public string? CancelReason
    {
        get
        {
            lock (_gate)
            {
                return _cancelReason;
            }
        }
    }

    /// <summary>Progress from 0 to 100: 0 while queued, linear while processing, 100 when succeeded; null when it ended without a video.</summary>
    public double? ProgressAt(DateTimeOffset now)
    {
        var phase = PhaseAt(now);
        switch (phase)
        {
            case SandboxJobPhase.Queued:
                return 0;
            case SandboxJobPhase.Processing:
                var total = (FinishesAt - StartsAt).TotalMilliseconds;
                var done = total <= 0 ? 1 : (now - StartsAt).TotalMilliseconds / total;
                return Math.Round(Math.Clamp(done * 100, 0, 99.9), 1);
            case SandboxJobPhase.Succeeded:
                return 100;
            default:
                return null;
        }
    }

    /// <summary>The next moment after <paramref name="now"/> at which the phase changes by the clock, or null when it no longer will.</summary>
    public DateTimeOffset? NextTransitionAfter(DateTimeOffset now)
    {
        var phase = PhaseAt(now);
        return phase switch
        {
            SandboxJobPhase.Queued => StartsAt,
            SandboxJobPhase.Processing => FinishesAt,
            _ => null,
        };
    }

    /// <summary>Cancels the job at <paramref name="now"/> if it is still active.</summary>
    /// <returns>Whether it was active (and is now cancelled).</returns>
    public bool Cancel(DateTimeOffset now, string reason)
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            if (_cancelledAt is not null || now >= FinishesAt)
            {
                return false;
            }

            _cancelledAt = now;
            _cancelReason = reason;
            signal = _changed;
            _changed = NewSignal();
        }

        signal.TrySetResult();
        return true;
    }

    /// <summary>Marks the job's refund as done; true only the first time.</summary>
    public bool TryMarkSettled() => Interlocked.Exchange(ref _settled, 1) == 0;

    public SandboxJobSnapshot Snapshot(DateTimeOffset now) =>
        new(Vendor, Id, Model, PhaseAt(now), CreatedAt, StartsAt, FinishesAt, Price, FailureReasonAt(now)) { Prompt = Prompt };

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
