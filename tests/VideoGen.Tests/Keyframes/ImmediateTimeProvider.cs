using System.Collections.Concurrent;

namespace VideoGen.Tests.Keyframes;

/// <summary>
/// A fake clock: time moves only when told to or when a delay is requested. Every delay (timer) is
/// recorded, the clock jumps forward by it, and the delay completes at once, so tests never sleep.
/// </summary>
internal sealed class ImmediateTimeProvider : TimeProvider
{
    private static readonly DateTimeOffset Epoch = new(2026, 3, 8, 12, 0, 0, TimeSpan.Zero);
    private long _ticks;

    public ConcurrentQueue<TimeSpan> Delays { get; } = new();

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override DateTimeOffset GetUtcNow() => Epoch.AddTicks(Interlocked.Read(ref _ticks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Delays.Enqueue(dueTime);
        Advance(dueTime);
        ThreadPool.QueueUserWorkItem(_ => callback(state));
        return new NoopTimer();
    }

    private sealed class NoopTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
