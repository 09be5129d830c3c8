using Microsoft.Extensions.Logging;
using VideoGen.Logging;
using VideoGen.Telemetry;

namespace VideoGen.Waiting;

/// <summary>What the waiters record when they see a job end: its cost, and a failure when it did not succeed.</summary>
internal static class JobTelemetry
{
    public static void Finished(VideoJob job, ILogger logger)
    {
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
}
