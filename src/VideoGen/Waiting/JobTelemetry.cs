using Microsoft.Extensions.Logging;
using VideoGen.Logging;
using VideoGen.Telemetry;

namespace VideoGen.Waiting;

/// <summary>What the waiters record when they see a job end: its cost, and a failure when it did not succeed.</summary>
internal static class JobTelemetry
{
    public static void Finished(VideoJob job, ILogger logger, WaitOptions? options = null)
    {
        if (ProcessingTimeOf(job, options?.TimeProvider ?? TimeProvider.System) is { } processing)
        {
            VideoGenTelemetry.ProcessingTime.Record(
                processing.TotalSeconds,
                VideoGenTelemetry.VendorTag(job.Vendor),
                new KeyValuePair<string, object?>("videogen.model", job.Model),
                new KeyValuePair<string, object?>("videogen.status", job.Status.ToString()));
            if (job.Status == VideoJobStatus.Succeeded)
            {
                options?.ProcessingTimes?.Record(VendorIds.Of(job) ?? job.Vendor, job.Model, processing);
            }
        }

        if (job.Cost is { } cost)
        {
            VideoGenTelemetry.Cost.Add(
                (double)cost.Amount,
                VideoGenTelemetry.VendorTag(job.Vendor),
                new KeyValuePair<string, object?>("videogen.model", job.Model),
                new KeyValuePair<string, object?>("unit", cost.Unit));
        }

        if (job.Status != VideoJobStatus.Succeeded)
        {
            VideoGenTelemetry.Failures.Add(1, VideoGenTelemetry.VendorTag(job.Vendor), new KeyValuePair<string, object?>("error.type", "Job" + job.Status));

            // The vendor's reason may quote the prompt: Debug only.
            VideoGenLog.JobFailureReason(logger, job.Vendor, job.Id, job.Status, job.Error);
        }
    }

    /// <summary>
    /// From submission to completion: the vendor's completion time minus its creation time; without a completion
    /// time, when the wait saw the job done (an upper bound: it includes the detection lag); unknown without a creation time.
    /// </summary>
    internal static TimeSpan? ProcessingTimeOf(VideoJob job, TimeProvider clock)
    {
        if (job.CreatedAt is not { } created)
        {
            return null;
        }

        var processing = (job.CompletedAt ?? clock.GetUtcNow()) - created;
        return processing > TimeSpan.Zero ? processing : null;
    }
}
