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

    /// <summary>
    /// Waits for the job with live progress on standard error: in a terminal a spinner that shows the vendor's status,
    /// its progress where it reports one, the time elapsed, the model's usual window (from the catalog, at the sandbox's
    /// pace on a sandbox) and an estimate of what is left, redrawn four times a second; elsewhere one line per status.
    /// </summary>
    /// <param name="model">The job's model when the caller knows it better than the vendor's answer (generate).</param>
    public static async Task<VideoJob> WaitAsync(Output o, VendorSession session, VideoJobOperation operation, TimeSpan timeout, CancellationToken cancellationToken, string? model = null)
    {
        var wait = WaitOptionsFor(session, timeout);
        var pace = WaitPace.For(session.Vendor, model ?? operation.LastKnown?.Model, session.SandboxTimeScale, operation.LastKnown?.CreatedAt);

        if (o.IsJson || !o.Console.Profile.Capabilities.Interactive)
        {
            o.Info($"Waiting for job [bold]{Markup.Escape(operation.Id)}[/]{Markup.Escape(pace.Usually)}");
            var lastStatus = string.Empty;
            return await operation.WaitForCompletionAsync(wait, new InlineProgress(update =>
            {
                var status = update.Job.VendorStatus ?? update.Status.ToString();
                if (status != lastStatus)
                {
                    lastStatus = status;
                    o.Info($"  {pace.Elapsed(update.Elapsed).TotalSeconds,6:0.0} s  {Markup.Escape(status)}{Percent(update)}{Markup.Escape(update.Job.HasCompleted ? string.Empty : pace.Left(update.Elapsed))}");
                }
            }), cancellationToken).ConfigureAwait(false);
        }

        return await o.Console.Status().Spinner(Spinner.Known.Dots).StartAsync($"Waiting for job {Markup.Escape(operation.Id)}", async context =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            JobUpdate? last = null;
            var waiting = operation.WaitForCompletionAsync(wait, new InlineProgress(update => Volatile.Write(ref last, update)), cancellationToken);

            // Redrawn between polls too (they may be a minute apart): the elapsed time and what is left keep moving.
            while (await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromMilliseconds(250), CancellationToken.None)).ConfigureAwait(false) != waiting)
            {
                var update = Volatile.Read(ref last);
                var job = update?.Job ?? operation.LastKnown;
                var status = job is null ? "submitted" : job.VendorStatus ?? job.Status.ToString();
                context.Status($"Job {Markup.Escape(Output.Printable(operation.Id))}: {Markup.Escape(Output.Printable(status))}{(update is null ? string.Empty : Percent(update))} · {Markup.Escape(pace.Describe(clock.Elapsed))}");
            }

            return await waiting.ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// What the catalog says about how long a job takes, at the session's pace (a sandbox runs the catalog's times
    /// multiplied by its time scale), for people: the usual window and an estimate of what is left.
    /// </summary>
    internal sealed class WaitPace
    {
        private readonly TimeSpan? _min;
        private readonly TimeSpan? _max;
        private readonly TimeSpan _before;
        private readonly string _model;
        private readonly double? _scale;

        private WaitPace(Catalog.VendorInfo vendor, string? model, double? timeScale, DateTimeOffset? createdAt)
        {
            _model = model ?? vendor.DefaultModel;
            _scale = timeScale;
            var window = vendor.Models.FirstOrDefault(m => string.Equals(m.Id, _model, StringComparison.OrdinalIgnoreCase))?.ProcessingTime;
            if (window is not null)
            {
                var scale = _scale ?? 1;
                _min = window.Min * scale;
                _max = window.Max * scale;
            }

            // A job picked up later (wait after a timeout) has been running since it was created, not since now.
            var age = createdAt is { } created ? DateTimeOffset.UtcNow - created : TimeSpan.Zero;
            _before = age > TimeSpan.Zero && age < TimeSpan.FromDays(1) ? age : TimeSpan.Zero;
        }

        /// <summary>The pace of a job of <paramref name="vendor"/>'s <paramref name="model"/> (its default when null), on a sandbox at <paramref name="timeScale"/> (null: the vendor itself), created at <paramref name="createdAt"/> (null: now).</summary>
        public static WaitPace For(Catalog.VendorInfo vendor, string? model, double? timeScale, DateTimeOffset? createdAt) => new(vendor, model, timeScale, createdAt);

        /// <summary>" (kling-v2.1 usually takes 45–90 s)", with the sandbox's pace when there is one; empty when the catalog does not know the model.</summary>
        public string Usually => _min is null ? string.Empty
            : $" ({_model} usually takes {Seconds(_min.Value)}–{Seconds(_max!.Value)} s{(_scale is { } scale ? $" here: sandbox time scale {scale.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : string.Empty)})";

        /// <summary>How long the job has been running: this wait plus its age when it was picked up.</summary>
        public TimeSpan Elapsed(TimeSpan waited) => waited + _before;

        /// <summary>"; about 12–57 s left", "; up to 20 s left", "; past the usual 90 s"; empty for a model the catalog does not know.</summary>
        public string Left(TimeSpan waited)
        {
            if (_min is not { } min || _max is not { } max)
            {
                return string.Empty;
            }

            var elapsed = Elapsed(waited);
            return elapsed >= max ? $"; past the usual {Seconds(max)} s"
                : elapsed >= min ? $"; up to {Seconds(max - elapsed)} s left"
                : $"; about {Seconds(min - elapsed)}–{Seconds(max - elapsed)} s left";
        }

        /// <summary>"12 s elapsed, usually 45–90 s; about 33–78 s left".</summary>
        public string Describe(TimeSpan waited) => _min is null
            ? $"{Seconds(Elapsed(waited))} s elapsed"
            : $"{Seconds(Elapsed(waited))} s elapsed, usually {Seconds(_min.Value)}–{Seconds(_max!.Value)} s{Left(waited)}";

        private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString(time.TotalSeconds < 10 ? "0.#" : "0", System.Globalization.CultureInfo.InvariantCulture);
    }

    public static Task<DownloadResult> DownloadAsync(Output o, VendorSession session, VideoJob job, string outDirectory, CancellationToken cancellationToken) =>
        DownloadToAsync(session, job, FreePath(session, job, outDirectory), cancellationToken);

    private static async Task<DownloadResult> DownloadToAsync(VendorSession session, VideoJob job, string path, CancellationToken cancellationToken)
    {
        using var downloader = session.CreateDownloader();
        var result = await downloader.DownloadJobAsync(session.Generator, job, path, session.Credential, cancellationToken: cancellationToken).ConfigureAwait(false);
        try
        {
            await WriteIdentityAsync(session, job.Id, result.Path).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The video is whole and is the result; without its identity beside it, a later run downloads it again rather than trust it.
        }

        return result;
    }

    /// <summary>The suffix of the file beside a downloaded video that says whose video it is (<see cref="WriteIdentityAsync"/>).</summary>
    internal const string IdentitySuffix = ".videogen.json";

    /// <summary>
    /// The host a session's files are said to come from: the API base URL as the journal records it; none for the
    /// embedded sandbox (it counts job ids afresh in every process, so its files are never taken for a later run's).
    /// </summary>
    private static string? FileHost(VendorSession session) => session.Sandbox is null ? JournalEndpoint.Describe(session.ApiBaseUrl) : null;

    /// <summary>
    /// Writes, beside a video just downloaded whole, which job it is: vendor, host, job id, size and SHA-256
    /// (<c>&lt;file&gt;.videogen.json</c>, written to a temporary name and moved into place).
    /// </summary>
    internal static async Task WriteIdentityAsync(VendorSession session, string jobId, string path)
    {
        if (FileHost(session) is not { } host)
        {
            return;
        }

        var (bytes, sha256) = await HashAsync(path).ConfigureAwait(false);
        var identity = Newtonsoft.Json.JsonConvert.SerializeObject(new { vendor = session.Vendor.Id, endpoint = host, jobId, bytes, sha256 });
        var temp = $"{path}{IdentitySuffix}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllTextAsync(temp, identity).ConfigureAwait(false);
        File.Move(temp, path + IdentitySuffix, overwrite: true);
    }

    /// <summary>
    /// Whether <paramref name="path"/> is provably job <paramref name="jobId"/>'s video from this session's host: a whole
    /// video whose identity file names this vendor, host and job, with the file's exact size and SHA-256. A file of the
    /// same name without that proof (another host's job of the same id, a file copied in, a run killed before it wrote
    /// the identity) is not reused: the job is downloaded again under a free name.
    /// </summary>
    internal static bool IsJobsFile(VendorSession session, string jobId, string path)
    {
        try
        {
            if (FileHost(session) is not { } host || !File.Exists(path + IdentitySuffix) || !Downloads.MediaSignature.IsVideoFile(path))
            {
                return false;
            }

            var identity = Newtonsoft.Json.Linq.JObject.Parse(File.ReadAllText(path + IdentitySuffix));
            if ((string?)identity["vendor"] != session.Vendor.Id || (string?)identity["endpoint"] != host || (string?)identity["jobId"] != jobId)
            {
                return false;
            }

            var (bytes, sha256) = HashAsync(path).GetAwaiter().GetResult();
            return (long?)identity["bytes"] == bytes && (string?)identity["sha256"] == sha256;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Newtonsoft.Json.JsonException or FormatException or InvalidCastException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>A whole video at <paramref name="path"/> with no identity file beside it (none naming another job or host).</summary>
    private static bool IsUnclaimedWholeVideo(string path) => !File.Exists(path + IdentitySuffix) && Downloads.MediaSignature.IsVideoFile(path);

    private static async Task<(long Bytes, string Sha256)> HashAsync(string path)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous);
        var hash = await System.Security.Cryptography.SHA256.HashDataAsync(file).ConfigureAwait(false);
        return (file.Length, Convert.ToHexStringLower(hash));
    }

    /// <summary>The job's file name in <paramref name="outDirectory"/>, numbered past any file already there.</summary>
    private static string FreePath(VendorSession session, VideoJob job, string outDirectory)
    {
        var stem = FileStem(session.Vendor.Id, job.Id);
        var path = Path.Combine(outDirectory, $"{stem}.mp4");
        for (var n = 2; File.Exists(path); n++)
        {
            // Never overwrite another file of that name (one that is not a whole video).
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

        // The job's own file already here, proven by the identity written beside it after a verified download (same
        // vendor, host and job id, same size and SHA-256), is that video: kept, not downloaded again as a -2 copy. A file
        // of that name without the proof may be another host's job with the same id: it is left alone and not reported.
        var own = Path.Combine(outDirectory, $"{FileStem(session.Vendor.Id, job.Id)}.mp4");
        if (IsJobsFile(session, job.Id, own))
        {
            o.Info($"{Markup.Escape(Path.GetFullPath(own))} is already there: not downloaded again.");
            if (journaling is not null)
            {
                await journaling.RecordFinishedAsync(job, journalCancellation).ConfigureAwait(false);
            }

            return new DownloadResult(Path.GetFullPath(own), new FileInfo(own).Length, null, job.ResultUri ?? new Uri(Path.GetFullPath(own)), 0);
        }

        var path = FreePath(session, job, outDirectory);
        if (journaling is not null && await journaling.Journal.FindByJobIdAtAsync(session.Vendor.Id, journaling.Endpoint, job.Id, journalCancellation).ConfigureAwait(false) is { } owner)
        {
            // A run killed after the file was moved into place but before the journal said so: that entry's own file
            // (named in its detail, written whole or not at all) is the video; it is not downloaded a second time. The
            // entry (this vendor, this host, this job) is the proof when the kill came before the identity was written
            // beside the file: a whole video there with no identity naming anything else is the one this entry wrote.
            if (owner.Detail is { } detail && detail.StartsWith(DownloadingTo, StringComparison.Ordinal)
                && detail[DownloadingTo.Length..] is var earlier
                && (IsJobsFile(session, job.Id, earlier) || IsUnclaimedWholeVideo(earlier)))
            {
                if (!File.Exists(earlier + IdentitySuffix))
                {
                    try
                    {
                        await WriteIdentityAsync(session, job.Id, earlier).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        // The video is still the result; a later run without the identity relies on this entry again.
                    }
                }

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
                if (await journaling.Journal.FindByJobIdAtAsync(session.Vendor.Id, journaling.Endpoint, job.Id, journalCancellation).ConfigureAwait(false) is { } entry)
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

    /// <summary>
    /// The exact command line that picks a job up in another run: <c>videogen wait 18500 --vendor elumenta</c>, with
    /// the --base-url the job was reached through (none for the vendor's own API). Values a shell would split are quoted.
    /// </summary>
    public static string PickUpCommand(string command, string jobId, string vendorId, string? baseUrl) =>
        $"videogen {command} {Quote(jobId)} --vendor {Quote(vendorId)}{(baseUrl is null ? string.Empty : $" --base-url {Quote(baseUrl)}")}";

    internal static string Quote(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':' or '@' or '=' or '+' or ',')
            ? value
            : $"'{value.Replace("'", "'\\''", StringComparison.Ordinal)}'";

    private static string Percent(JobUpdate update) => update.Progress is { } p ? $" {p:P0}" : string.Empty;

    /// <summary>Reports on the waiting thread (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
    internal sealed class InlineProgress(Action<JobUpdate> report) : IProgress<JobUpdate>
    {
        public void Report(JobUpdate value) => report(value);
    }
}
