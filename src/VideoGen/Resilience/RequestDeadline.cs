namespace VideoGen.Resilience;

/// <summary>
/// The deadline of the operation the current async flow works for. <see cref="ResilienceHandler"/> starts no retry
/// past it and cancels a request still running at it (<see cref="ResilienceHandler.SetDeadline"/> for one request),
/// and <see cref="Http.VendorClientBase"/> stops reading a response body at it. A waiter cannot reach the
/// <see cref="HttpRequestMessage"/> a generated client builds, so it sets the deadline here, around the call:
/// <code>using (var scope = RequestDeadline.Begin(deadline, clock)) { job = await generator.GetJobAsync(id, scope.Token); }</code>
/// </summary>
/// <remarks>
/// The value lives in an <see cref="AsyncLocal{T}"/>: it flows into the awaited call and its HTTP handlers, never
/// back to the caller nor to unrelated work. A nested scope can only bring the deadline closer. The deadline is
/// read on the clock that set it, so a virtual clock in tests and the system clock never mix.
/// </remarks>
internal static class RequestDeadline
{
    private static readonly AsyncLocal<Entry?> Ambient = new();

    /// <summary>The deadline of the current flow, if one was set.</summary>
    public static DateTimeOffset? Current => Ambient.Value?.Deadline;

    /// <summary>Cancelled when the current flow's deadline passes; <see cref="CancellationToken.None"/> when none was set.</summary>
    public static CancellationToken Token => Ambient.Value?.Expiry.Token ?? CancellationToken.None;

    /// <summary>The time left until the current flow's deadline (zero when passed), or null when none was set.</summary>
    public static TimeSpan? Remaining => Ambient.Value is { } entry ? Max(entry.Deadline - entry.Clock.GetUtcNow(), TimeSpan.Zero) : null;

    /// <summary>Sets <paramref name="deadline"/> (or keeps an earlier one) until the returned scope is disposed.</summary>
    /// <param name="deadline">The time after which no retry may start and no request may still run.</param>
    /// <param name="clock">The clock <paramref name="deadline"/> is on; <see cref="TimeProvider.System"/> when null.</param>
    /// <returns>The scope; dispose it when the call returns.</returns>
    public static Scope Begin(DateTimeOffset deadline, TimeProvider? clock = null)
    {
        clock ??= TimeProvider.System;
        var previous = Ambient.Value;
        if (previous is not null && previous.Deadline <= deadline && ReferenceEquals(previous.Clock, clock))
        {
            return new Scope(previous, owned: null);
        }

        // The time left is read on the deadline's clock; the timer then runs in real time (a virtual clock in tests
        // fires its timers at once, which would end every request before it started). Beyond a timer's range
        // (about 49 days) the deadline only stops retries.
        // A request started at the deadline itself (the wait's last look) still gets LastRequestAllowance.
        var left = Max(deadline - clock.GetUtcNow(), LastRequestAllowance);
        var expiry = left < MaxTimer ? new CancellationTokenSource(left) : new CancellationTokenSource();
        var entry = new Entry(deadline, clock, expiry);
        Ambient.Value = entry;
        return new Scope(previous, entry);
    }

    /// <summary>The least time a request gets before its token is cancelled, even one sent at its deadline: 1 second.</summary>
    public static readonly TimeSpan LastRequestAllowance = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan MaxTimer = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    internal sealed record Entry(DateTimeOffset Deadline, TimeProvider Clock, CancellationTokenSource Expiry);

    /// <summary>Restores the deadline that was current before <see cref="Begin"/>.</summary>
    internal readonly struct Scope : IDisposable
    {
        private readonly Entry? _previous;
        private readonly Entry? _owned;

        internal Scope(Entry? previous, Entry? owned)
        {
            _previous = previous;
            _owned = owned;
        }

        /// <summary>Cancelled when this scope's deadline (or an earlier outer one) passes.</summary>
        public CancellationToken Token => (_owned ?? _previous)?.Expiry.Token ?? CancellationToken.None;

        /// <summary>Whether the deadline has passed.</summary>
        public bool Expired => Token.IsCancellationRequested;

        public void Dispose()
        {
            if (_owned is not null)
            {
                Ambient.Value = _previous;
                _owned.Expiry.Dispose();
            }
        }
    }
}
