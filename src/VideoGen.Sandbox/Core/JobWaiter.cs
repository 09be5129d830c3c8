namespace VideoGen.Sandbox.Core;

/// <summary>Waits, on the sandbox clock, until jobs reach a condition or a deadline passes (AIML's wait-for-state, Oxen's synchronous endpoint).</summary>
internal static class JobWaiter
{
    /// <summary>
    /// Returns when <paramref name="reached"/> holds for every job, or at <paramref name="deadline"/> (null: no deadline),
    /// whichever is first. Sleeps until the next phase change or cancellation; never polls.
    /// </summary>
    public static async Task WaitAsync(
        IReadOnlyList<SandboxJob> jobs,
        Func<SandboxJob, DateTimeOffset, bool> reached,
        DateTimeOffset? deadline,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // The change signals are taken before the jobs are read: a cancellation after the read completes a signal
            // taken here (SandboxJob.Cancel swaps in a new one), so the wait cannot miss it.
            var changed = jobs.Select(j => j.Changed).ToList();
            var now = time.GetUtcNow();
            var pending = jobs.Where(j => !reached(j, now)).ToList();
            if (pending.Count == 0 || now >= deadline)
            {
                return;
            }

            DateTimeOffset? wakeAt = pending.Select(j => j.NextTransitionAfter(now)).Where(t => t is not null).Min();
            if (deadline is { } limit && (wakeAt is null || limit < wakeAt))
            {
                wakeAt = limit;
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var signals = jobs.Select((j, i) => (Job: j, Signal: changed[i])).Where(p => pending.Contains(p.Job)).Select(p => p.Signal).ToList();
            if (wakeAt is { } at)
            {
                // Relative delays only: measure from the latest time, and re-check after arming, so a clock that
                // moved meanwhile (a test's fake clock) cannot leave the wait sleeping past its moment.
                var delay = at - time.GetUtcNow();
                if (delay <= TimeSpan.Zero)
                {
                    continue;
                }

                signals.Add(Task.Delay(delay, time, stop.Token));
                if (time.GetUtcNow() >= at)
                {
                    await stop.CancelAsync().ConfigureAwait(false);
                    continue;
                }
            }
            else
            {
                signals.Add(Task.Delay(Timeout.InfiniteTimeSpan, time, stop.Token));
            }

            await Task.WhenAny(signals).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
        }
    }
}
