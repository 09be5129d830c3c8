using Spectre.Console;
using VideoGen.Downloads;
using VideoGen.Journal;
using VideoGen.Waiting;

namespace VideoGen.Cli;

/// <summary>Waiting with live progress, and downloading, shared by generate, extend, wait and download.</summary>
internal static class JobFlow
{
    /// <summary>
    /// The wait schedule of a session: the catalog's processing times, scaled to a local sandbox's time scale
    /// (<see cref="VendorSession.SandboxTimeScale"/>). Without it, a sandbox running 100 times faster would
    /// still be polled first after a real model's earliest finish (45 s and more).
    /// </summary>
    public static WaitOptions WaitOptionsFor(VendorSession session, TimeSpan timeout) =>
        JobPoller.ScaledWaitOptions(timeout, session.SandboxTimeScale);

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

    public static Task<DownloadResult> DownloadAsync(Output o, VendorSession session, VideoJob job, string outDirectory, CancellationToken cancellationToken) =>
        DownloadToAsync(session, job, FreePath(session, job, outDirectory), cancellationToken);

    private static async Task<DownloadResult> DownloadToAsync(VendorSession session, VideoJob job, string path, CancellationToken cancellationToken)
    {
        using var downloader = session.CreateDownloader();
        return await downloader.DownloadJobAsync(session.Generator, job, path, session.Credential, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The job's file name in <paramref name="outDirectory"/>, numbered past any file already there.</summary>
    private static string FreePath(VendorSession session, VideoJob job, string outDirectory)
    {
        var stem = FileStem(session.Vendor.Id, job.Id);
        var path = Path.Combine(outDirectory, $"{stem}.mp4");
        for (var n = 2; File.Exists(path); n++)
        {
            // Sandbox ids restart with every sandbox: never overwrite an earlier video.
            path = Path.Combine(outDirectory, $"{stem}-{n}.mp4");
        }

        return path;
    }

    /// <summary>The journal detail that names the file a download is writing (the downloader moves it into place whole).</summary>
    private const string DownloadingTo = "downloading to ";

    /// <summary>
    /// Downloads a finished job's video and only then records the job as finished in the journal (where the session
    /// journals): a job whose download fails stays unfinished there (Submitted, with its job id and the failure as
    /// its detail), so <c>videogen resume</c> downloads it later. The error then says both ways to get the video.
    /// </summary>
    /// <param name="journalCancellation">The token for the journal writes (the caller's, not the command deadline's).</param>
    /// <exception cref="VideoDownloadException">The download failed; <see cref="VideoGenException.JobId"/> is the job's id.</exception>
    public static async Task<DownloadResult> DownloadAndRecordAsync(Output o, VendorSession session, IVideoGenerator generator, VideoJob job, string outDirectory, CancellationToken cancellationToken, CancellationToken journalCancellation)
    {
        var journaling = generator.GetService<JournalingVideoGenerator>();
        var path = FreePath(session, job, outDirectory);
        if (journaling is not null && await journaling.Journal.FindByJobIdAsync(session.Vendor.Id, job.Id, journalCancellation).ConfigureAwait(false) is { } owner)
        {
            // A run killed after the file was moved into place but before the journal said so: that entry's own file
            // (named in its detail, written whole or not at all) is the video; it is not downloaded a second time.
            if (owner.Detail is { } detail && detail.StartsWith(DownloadingTo, StringComparison.Ordinal)
                && detail[DownloadingTo.Length..] is var earlier && Downloads.MediaSignature.IsVideoFile(earlier))
            {
                await journaling.RecordFinishedAsync(job, journalCancellation).ConfigureAwait(false);
                return new DownloadResult(Path.GetFullPath(earlier), new FileInfo(earlier).Length, null, job.ResultUri ?? new Uri(earlier), 0);
            }

            await journaling.Journal.UpdateAsync(owner.CorrelationId, JournalState.Submitted, job.Id, DownloadingTo + Path.GetFullPath(path), journalCancellation).ConfigureAwait(false);
        }

        DownloadResult file;
        try
        {
            file = await DownloadToAsync(session, job, path, cancellationToken).ConfigureAwait(false);
        }
        catch (VideoDownloadException e) when (journaling is not null)
        {
            var kept = false;
            try
            {
                if (await journaling.Journal.FindByJobIdAsync(session.Vendor.Id, job.Id, journalCancellation).ConfigureAwait(false) is { } entry)
                {
                    // Still unfinished: resume lists it and downloads it.
                    await journaling.Journal.UpdateAsync(entry.CorrelationId, JournalState.Submitted, job.Id, Short($"finished; download failed: {e.Message}"), journalCancellation).ConfigureAwait(false);
                    kept = true;
                }
            }
            catch (Exception journalError) when (journalError is not OperationCanceledException)
            {
                // The entry keeps its earlier state (Submitted, unfinished): resume still finds it.
                kept = true;
            }

            if (!kept)
            {
                throw;
            }

            throw new VideoDownloadException($"{e.Message} It stays unfinished in the journal: `videogen resume` downloads it.", e) { JobId = job.Id };
        }

        // The journal middleware recorded the job finished when the downloader wrote its file whole (not before).
        return file;
    }

    private static string Short(string text) => text.Length > 300 ? text[..300] + "…" : text;

    /// <summary>The longest job id kept whole in a file name; a longer one is cut and given a hash suffix.</summary>
    public const int MaxIdInFileName = 64;

    /// <summary>
    /// The file name (without extension) of a job's video: <c>vendor-id</c>. A job id is the vendor's text: only ASCII
    /// letters, digits, '-' and '_' are kept, and an id that was changed by that or is longer than
    /// <see cref="MaxIdInFileName"/> is cut and suffixed with 12 hex digits of its SHA-256, so names stay short (far
    /// under the 255-byte file-name limit, with room for the download's temporary suffix), distinct and stable.
    /// </summary>
    public static string FileStem(string vendorId, string jobId)
    {
        var safe = string.Concat(jobId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
        if (safe.Length <= MaxIdInFileName && safe == jobId)
        {
            return $"{vendorId}-{safe}";
        }

        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(jobId)))[..12];
        return $"{vendorId}-{safe[..Math.Min(safe.Length, MaxIdInFileName - 13)]}-{hash}";
    }

    private static string Percent(JobUpdate update) => update.Progress is { } p ? $" {p:P0}" : string.Empty;

    /// <summary>Reports on the waiting thread (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
    private sealed class InlineProgress(Action<JobUpdate> report) : IProgress<JobUpdate>
    {
        public void Report(JobUpdate value) => report(value);
    }
}
