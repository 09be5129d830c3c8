using System.Collections.Concurrent;

namespace VideoGen.Sandbox.Tests.Infrastructure;

/// <summary>
/// A clock that moves only when told to: Microsoft.Extensions.TimeProvider.Testing's
/// <see cref="Microsoft.Extensions.Time.Testing.FakeTimeProvider"/> (timers fire in order when
/// <c>Advance</c> passes their due time, the clock set to each one's due time first), starting at the
/// sandbox tests' fixed moment.
/// </summary>
// CUSTOM: FakeTimeProvider has no way to ask how many timers are pending, which the long-poll tests
// need to know that the server went to sleep before they move the clock (WaitForTimersAsync); this
// subclass counts them. AdvanceTo is SetUtcNow that ignores a moment already passed.
internal sealed class FakeTimeProvider(DateTimeOffset? start = null)
    : Microsoft.Extensions.Time.Testing.FakeTimeProvider(start ?? new DateTimeOffset(2026, 3, 8, 12, 5, 0, TimeSpan.Zero))
{
    private readonly ConcurrentDictionary<CountedTimer, byte> _pending = new();

    /// <summary>Timers waiting to fire.</summary>
    public int ActiveTimers => _pending.Count;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new CountedTimer(_pending);
        timer.Track(dueTime, period);
        timer.Inner = base.CreateTimer(
            s =>
            {
                timer.Fired();
                callback(s);
            },
            state,
            dueTime,
            period);
        return timer;
    }

    public void AdvanceTo(DateTimeOffset moment)
    {
        if (moment > GetUtcNow())
        {
            SetUtcNow(moment);
        }
    }

    /// <summary>Waits (in real time) until at least <paramref name="count"/> timers are pending, e.g. a long poll that went to sleep.</summary>
    public async Task WaitForTimersAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (ActiveTimers < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Expected {count} pending timer(s); there are {ActiveTimers}.");
            }

            await Task.Delay(5);
        }
    }

    private sealed class CountedTimer(ConcurrentDictionary<CountedTimer, byte> pending) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public ITimer? Inner { get; set; }

        public void Track(TimeSpan dueTime, TimeSpan period)
        {
            _period = period;
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                pending.TryRemove(this, out _);
            }
            else
            {
                pending[this] = 0;
            }
        }

        public void Fired()
        {
            if (_period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero)
            {
                pending.TryRemove(this, out _);
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Track(dueTime, period);
            return Inner!.Change(dueTime, period);
        }

        public void Dispose()
        {
            pending.TryRemove(this, out _);
            Inner?.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
