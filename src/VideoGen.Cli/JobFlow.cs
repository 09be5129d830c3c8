using Spectre.Console;
using VideoGen.Downloads;
using VideoGen.Waiting;

namespace VideoGen.Cli;

/// <summary>Waiting with live progress, and downloading, shared by generate, extend, wait and download.</summary>
internal static class JobFlow
{
    /// <summary>How to wait for a job of <paramref name="session"/>: on the embedded sandbox, on the sandbox's clock.</summary>
    public static WaitOptions WaitOptionsFor(VendorSession session, TimeSpan timeout)
    {
        var wait = new WaitOptions { Timeout = timeout };
        if (session.Sandbox is { } sandbox)
        {
            // The sandbox runs the catalog's processing times scaled: so does the schedule.
            wait.ProcessingTimeScale = Math.Max(sandbox.Options.TimeScale, 0.0001);
            wait.PollInterval = TimeSpan.FromMilliseconds(500);
        }

        return wait;
    }

    public static async Task<VideoJob> WaitAsync(Output o, VendorSession session, VideoJobOperation operation, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var wait = WaitOptionsFor(session, timeout);

        if (o.IsJson || !o.Console.Profile.Capabilities.Interactive)
        {
            var lastStatus = string.Empty;
            return await operation.WaitForCompletionAsync(wait, new InlineProgress(update =>
            {
                var status = update.Job.VendorStatus ?? update.Status.ToString();
                if (status != lastStatus)
                {
                    lastStatus = status;
                    o.Info($"  {update.Elapsed.TotalSeconds,6:0.0} s  {Markup.Escape(status)}{Percent(update)}");
                }
            }), cancellationToken).ConfigureAwait(false);
        }

        return await o.Console.Status().Spinner(Spinner.Known.Dots).StartAsync($"Waiting for job {Markup.Escape(operation.Id)}", async context =>
            await operation.WaitForCompletionAsync(wait, new InlineProgress(update =>
                context.Status($"Job {Markup.Escape(operation.Id)}: {Markup.Escape(update.Job.VendorStatus ?? update.Status.ToString())}{Percent(update)} — {update.Elapsed.TotalSeconds:0} s, {update.Polls} polls")), cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
    }

    public static async Task<DownloadResult> DownloadAsync(Output o, VendorSession session, VideoJob job, string outDirectory, CancellationToken cancellationToken)
    {
        using var downloader = session.CreateDownloader();
        var safeId = string.Concat(job.Id.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
        var path = Path.Combine(outDirectory, $"{session.Vendor.Id}-{safeId}.mp4");
        for (var n = 2; File.Exists(path); n++)
        {
            // Sandbox ids restart with every sandbox: never overwrite an earlier video.
            path = Path.Combine(outDirectory, $"{session.Vendor.Id}-{safeId}-{n}.mp4");
        }

        return await downloader.DownloadJobAsync(session.Generator, job, path, session.Credential, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static string Percent(JobUpdate update) => update.Progress is { } p ? $" {p:P0}" : string.Empty;

    /// <summary>Reports on the waiting thread (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
    private sealed class InlineProgress(Action<JobUpdate> report) : IProgress<JobUpdate>
    {
        public void Report(JobUpdate value) => report(value);
    }
}
