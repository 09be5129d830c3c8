using Hangfire.Common;
using Hangfire.States;

namespace VideoGen.Hangfire;

/// <summary>
/// Turns a run of <see cref="VideoGenSteps.RunAsync"/> that is not done into a scheduled run of the same background
/// job: Hangfire elects a job's next state through <see cref="IElectStateFilter"/> filters, which may replace the
/// candidate state (https://api.hangfire.io/html/M_Hangfire_States_IElectStateFilter_OnStateElection.htm), as its own
/// automatic retries replace Failed by Scheduled. So one generation is one Hangfire job whose history in the dashboard
/// is its polls, and no second chain of polls can appear: the job's state changes are Hangfire's, one at a time.
/// </summary>
public sealed class RescheduleWhileWaitingAttribute : JobFilterAttribute, IElectStateFilter
{
    /// <inheritdoc />
    public void OnStateElection(ElectStateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.CandidateState is SucceededState { Result: VideoStepResult { NextRunInMilliseconds: { } delay } result })
        {
            var queue = context.BackgroundJob.Job.Queue ?? EnqueuedState.DefaultQueue;
            context.CandidateState = delay <= 0
                ? new EnqueuedState(queue) { Reason = result.Summary }
                : new ScheduledState(TimeSpan.FromMilliseconds(delay)) { Reason = result.Summary };
        }
    }
}
