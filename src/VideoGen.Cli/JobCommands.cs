using System.CommandLine;
using Spectre.Console;
using VideoGen.Waiting;

namespace VideoGen.Cli;

/// <summary>videogen status|wait|download &lt;id&gt;: an existing job, by id (a real vendor, or --base-url).</summary>
internal static class JobCommands
{
    public static Command Status(CliContext context) => Create("status", "Read a job's status once.", context, writesVideo: false, async (o, session, id, _, _, ct) =>
    {
        var job = await session.Generator.GetJobAsync(id, ct).ConfigureAwait(false);
        // A failed job's reason is part of what status read: in the text as in --json.
        o.Result($"Job [bold]{Markup.Escape(job.Id)}[/]: {Markup.Escape(job.VendorStatus ?? job.Status.ToString())} ({job.Status}){(job.ResultUri is { } u ? $" → {Markup.Escape(u.ToString())}" : string.Empty)}{(job.Error is { Length: > 0 } error ? $": {Markup.Escape(error)}" : string.Empty)}");
        o.Document(new { ok = true, vendor = session.Vendor.Id, jobId = job.Id, status = job.Status, vendorStatus = job.VendorStatus, progress = job.Progress, result = job.ResultUri, error = job.Error });
        // Reading worked: 0, whatever the job's state (a failed job is in the output and --json, with the vendor's reason).
        return ExitCodes.Success;
    });

    public static Command Wait(CliContext context)
    {
        var noDownload = new Option<bool>("--no-download") { Description = "Only wait: do not download the video into --out." };
        return Create("wait", "Wait until a job finishes and download its video into --out, as generate does (resumes a job after a timeout or a restart).", context, writesVideo: true, async (o, session, id, run, result, ct) =>
        {
            // Refused before the wait, not after it: a directory that cannot be written is found at once.
            var outDirectory = result.GetValue(noDownload) ? null : run.OutDirectory(result);
            // One read first: the job's model and age set the expected window, and a sandbox behind --base-url says its pace.
            // A transient failure of that read (an unreachable host, a 5xx) is the wait's to ride out until --timeout, as
            // every later read is: the outcome does not depend on which read met it (exit 5 at the deadline, not 3).
            VideoJob? known = null;
            try
            {
                known = await session.Generator.GetJobAsync(id, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (Waiting.TransientReadFailure.IsTransient(e))
            {
                // Also when the deadline passed while this read failed (a loaded machine, --timeout 1): the wait below
                // then ends at once as any wait past its deadline does (exit 5; 130 for Ctrl+C), not as this read's error.
            }

            var operation = known is null ? new VideoJobOperation(session.Generator, id) : new VideoJobOperation(session.Generator, known);
            var job = await JobFlow.WaitAsync(o, session, operation, run.Timeout(result), ct).ConfigureAwait(false);
            if (outDirectory is null)
            {
                o.Result($"Job [bold]{Markup.Escape(job.Id)}[/] {job.Status.ToString().ToLowerInvariant()}{(job.ResultUri is { } u ? $": {Markup.Escape(u.ToString())}" : string.Empty)}");
                o.Document(new { ok = true, vendor = session.Vendor.Id, jobId = job.Id, status = job.Status, result = job.ResultUri, cost = job.Cost, file = (string?)null, bytes = (long?)null });
                return ExitCodes.Success;
            }

            // The journal marks a journaled job finished only once its file is on disk.
            var file = await JobFlow.DownloadAndRecordAsync(o, session, session.Generator, job, outDirectory, ct, ct).ConfigureAwait(false);
            o.Result($"Job [bold]{Markup.Escape(job.Id)}[/] {job.Status.ToString().ToLowerInvariant()}: [green]{Markup.Escape(file.Path)}[/] ({file.Bytes:N0} bytes)");
            o.Document(new { ok = true, vendor = session.Vendor.Id, jobId = job.Id, status = job.Status, result = job.ResultUri, cost = job.Cost, file = file.Path, bytes = file.Bytes });
            return ExitCodes.Success;
        }, noDownload);
    }

    public static Command Download(CliContext context) => Create("download", "Download a finished job's video.", context, writesVideo: true, async (o, session, id, run, result, ct) =>
    {
        var outDirectory = run.OutDirectory(result);
        var job = await session.Generator.GetJobAsync(id, ct).ConfigureAwait(false);
        if (job.Status != VideoJobStatus.Succeeded)
        {
            throw job.HasCompleted ? new JobFailedException(job) : new VideoGenException($"Job {job.Id} is {job.VendorStatus ?? job.Status.ToString()}, not finished: use videogen wait {job.Id}.", session.Vendor.DisplayName);
        }

        // A journaled job whose download failed earlier is finished in the journal once its file is here.
        var file = await JobFlow.DownloadAndRecordAsync(o, session, session.Generator, job, outDirectory, ct, ct).ConfigureAwait(false);
        o.Result($"[green]{Markup.Escape(file.Path)}[/] ({file.Bytes:N0} bytes)");
        o.Document(new { ok = true, vendor = session.Vendor.Id, jobId = job.Id, file = file.Path, bytes = file.Bytes });
        return ExitCodes.Success;
    });

    public static Command Cancel(CliContext context) => Create("cancel", "Cancel a submitted job, where the vendor documents cancel (Oxen.ai); elsewhere says it is not supported and sends nothing.", context, writesVideo: false, async (o, session, id, _, _, ct) =>
    {
        var job = await session.Generator.CancelAsync(id, ct).ConfigureAwait(false);
        o.Result($"Job [bold]{Markup.Escape(job.Id)}[/]: {Markup.Escape(job.VendorStatus ?? job.Status.ToString())} ({job.Status})");
        o.Document(new { ok = true, vendor = session.Vendor.Id, jobId = job.Id, status = job.Status, vendorStatus = job.VendorStatus });
        return ExitCodes.Success;
    });

    private static Command Create(string name, string description, CliContext context, bool writesVideo, Func<Output, VendorSession, string, RunOptions, ParseResult, CancellationToken, Task<int>> action, params Option[] extra)
    {
        var id = new Argument<string>("id") { Description = "The vendor's job id." };
        var vendor = new Option<string>("--vendor", "-v") { Description = "The job's vendor.", DefaultValueFactory = _ => RequestOptions.DefaultVendor };
        var baseUrl = new Option<string?>("--base-url") { Description = "The vendor API's base URL (a proxy, a standalone sandbox)." };
        var json = new Option<bool>("--json") { Description = "Print one machine-readable JSON document." };
        // --out only where a video is written; --timeout everywhere, since every command makes requests a hung server could hold.
        var run = writesVideo ? new RunOptions() : new RunOptions(withOut: false, "How long the command may take, its requests included (past it: exit code 5). Seconds (90), or 90s, 2m, 1.5m, 1h.");
        var command = new Command(name, description) { id, vendor, baseUrl, json };
        run.AddTo(command);
        foreach (var option in extra)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, ct) =>
        {
            var o = context.CreateOutput(result.GetValue(json));
            var jobId = result.GetValue(id)!;

            // --timeout bounds the whole command: every request, body read, wait and download in it.
            using var deadline = new CommandDeadline(run.Timeout(result), ct);
            try
            {
                await using var session = await VendorSession.OpenAsync(context, RequestOptions.ResolveVendor(result.GetValue(vendor)), result.GetValue(baseUrl), o, allowEmbeddedSandbox: false, deadline.Token).ConfigureAwait(false);
                o.Redact(session.Credential.ApiKey);
                return await action(o, session, jobId, run, result, deadline.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (ct.IsCancellationRequested && !deadline.Expired
                && e is OperationCanceledException or VideoGenException or HttpRequestException)
            {
                // Ctrl+C: the job is the vendor's; say what goes on and the command that picks it up.
                var vendorId = result.GetValue(vendor) ?? RequestOptions.DefaultVendor;
                var baseUrlValue = result.GetValue(baseUrl);
                return name switch
                {
                    "wait" => o.Interrupted($"job {jobId} goes on at the vendor.", JobFlow.PickUpCommand("wait", jobId, vendorId, baseUrlValue)),
                    "download" => o.Interrupted($"the download of job {jobId} stopped; no file was written.", JobFlow.PickUpCommand("download", jobId, vendorId, baseUrlValue)),
                    "cancel" => o.Interrupted($"the cancel request for job {jobId} may not have reached the vendor.", JobFlow.PickUpCommand("status", jobId, vendorId, baseUrlValue)),
                    _ => o.Interrupted($"nothing was changed; job {jobId} goes on at the vendor."),
                };
            }
            catch (Exception e) when (e is VideoGenException or CliUsageException or ArgumentException or HttpRequestException)
            {
                return o.Fail(e, jobId);
            }
            catch (OperationCanceledException) when (deadline.Expired)
            {
                return o.Fail(deadline.TimedOut($"videogen {name} {jobId}"), jobId);
            }
        });
        return command;
    }
}
