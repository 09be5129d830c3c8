using Microsoft.Extensions.Time.Testing;

namespace VideoGen.Testing;

/// <summary>
/// A clock for single-flow code under test: every timer jumps the clock to its due time and fires at
/// once, so a wait of minutes runs in microseconds and the test reads exactly when things happened.
/// Not for code that runs several timers at the same time: use <see cref="FakeTimeProvider"/> itself
/// (timers fire only when the test calls <see cref="FakeTimeProvider.Advance"/>) for that.
/// </summary>
/// <remarks>
/// The clock itself (now, timestamps, <see cref="FakeTimeProvider.Advance"/>,
/// <see cref="FakeTimeProvider.SetUtcNow"/>) is Microsoft.Extensions.TimeProvider.Testing's.
/// </remarks>
// CUSTOM: FakeTimeProvider fires a timer only when a test calls Advance/SetUtcNow, and its
// AutoAdvanceAmount moves the clock on every read of the time, not to a timer's due time. The code
// these tests drive waits inside the library (poll intervals, Retry-After, backoff) with no test
// thread left to advance the clock, so this subclass adds exactly two things: each timer moves the
// clock to its due time and fires at once (on the thread pool, never inside CreateTimer), and
// every requested delay is recorded in Delays.
public sealed class VirtualTimeProvider() : FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero))
{
    /// <summary>Every delay (timer due time) requested, in order.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<TimeSpan> Delays { get; } = new();

    // FakeTimeProvider's SetUtcNow is not atomic; timers created on two threads at once must not lose a jump.
    private readonly object _gate = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            lock (_gate)
            {
                Delays.Enqueue(dueTime);
                Advance(dueTime);
            }

            ThreadPool.QueueUserWorkItem(_ => callback(state));
        }

        return new NoTimer();
    }

    private sealed class NoTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
