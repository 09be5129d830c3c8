using System.CommandLine;
using Spectre.Console;
using VideoGen.Journal;
using VideoGen.Waiting;

namespace VideoGen.Cli;

/// <summary>
/// videogen resume: after a crash, settles every unfinished journal entry. Submissions whose outcome
/// is unknown are reconciled with the vendor (never resent); submitted jobs are awaited and downloaded.
/// </summary>
internal static class ResumeCommand
{
    public static Command Create(CliContext context)
    {
        var baseUrl = new Option<string?>("--base-url") { Description = "The base URL the journaled jobs were sent to (a standalone sandbox, a proxy)." };
        var json = new Option<bool>("--json") { Description = "Print one machine-readable JSON document." };
        var run = new RunOptions();
        var command = new Command("resume", "Finish what a killed videogen left: reconcile unknown submissions, wait for and download submitted jobs.") { baseUrl, json };
        run.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var o = context.CreateOutput(result.GetValue(json));
            try
            {
                var outDirectory = run.OutDirectory(result);
                var journal = new SqliteJobJournal(context.JournalPath);
                var entries = await journal.GetUnfinishedAsync(ct).ConfigureAwait(false);
                o.Info($"{entries.Count} unfinished submissions in {Markup.Escape(context.JournalPath)}");
                var report = new List<object>();
                var exit = ExitCodes.Success;
                foreach (var group in entries.GroupBy(e => e.Vendor))
                {
                    await using var session = await VendorSession.OpenAsync(context, RequestOptions.ResolveVendor(group.Key), result.GetValue(baseUrl), o, allowEmbeddedSandbox: false, ct).ConfigureAwait(false);
                    var journaling = session.Generator.GetService<JournalingVideoGenerator>()!;
                    foreach (var entry in group)
                    {
                        var (state, jobId, detail, code) = await SettleAsync(o, session, journaling, entry, run, result, outDirectory, ct).ConfigureAwait(false);
                        exit = Math.Max(exit, code);
                        report.Add(new { correlationId = entry.CorrelationId, vendor = entry.Vendor, state, jobId, detail });
                        o.Info($"  {Markup.Escape(entry.CorrelationId[..8])} {Markup.Escape(entry.Vendor)}: {Markup.Escape(state)}{(jobId is null ? string.Empty : $" (job {Markup.Escape(jobId)})")} {Markup.Escape(detail ?? string.Empty)}");
                    }
                }

                o.Document(new { ok = exit == ExitCodes.Success, exitCode = exit, entries = report });
                return exit;
            }
            catch (Exception e) when (e is VideoGenException or CliUsageException or ArgumentException)
            {
                return o.Fail(e);
            }
        });
        return command;
    }

    private static async Task<(string State, string? JobId, string? Detail, int ExitCode)> SettleAsync(Output o, VendorSession session, JournalingVideoGenerator journaling, JournalEntry entry, RunOptions run, ParseResult result, string outDirectory, CancellationToken ct)
    {
        var jobId = entry.JobId;
        try
        {
            if (entry.State is JournalState.Intent or JournalState.OutcomeUnknown)
            {
                var found = await journaling.ReconcileAsync(entry, ct).ConfigureAwait(false);
                if (found is null)
                {
                    return (await journaling.Journal.FindAsync(entry.CorrelationId, ct).ConfigureAwait(false))?.State == JournalState.Rejected
                        ? ("NotCreated", null, $"{session.Vendor.DisplayName} shows no job from this submission: nothing was charged; submit it again (rerunning the batch does)", ExitCodes.Success)
                        : ("OutcomeUnknown", null, $"{session.Vendor.DisplayName} cannot tell whether submission {entry.CorrelationId} created a job; check the vendor's dashboard before submitting it again", ExitCodes.VendorError);
                }

                jobId = found.Id;
            }

            // Read the job first: one that finished while nobody watched is settled at once, and a running one is
            // polled on the schedule of its age instead of a fresh one (after a real model's earliest finish).
            var operation = session.Generator.GetOperation(jobId!);
            await operation.UpdateStatusAsync(ct).ConfigureAwait(false);
            var job = await operation.WaitForCompletionAsync(JobFlow.WaitOptionsFor(session, run.Timeout(result)), cancellationToken: ct).ConfigureAwait(false);
            await journaling.RecordFinishedAsync(job, ct).ConfigureAwait(false);
            var file = await JobFlow.DownloadAsync(Output.Silent, session, job, outDirectory, ct).ConfigureAwait(false);
            return ("Completed", job.Id, file.Path, ExitCodes.Success);
        }
        catch (JobFailedException e)
        {
            await journaling.RecordFinishedAsync(e.Job, ct).ConfigureAwait(false);
            return ("Failed", e.JobId, e.VendorReason, ExitCodes.JobFailed);
        }
        catch (JobTimeoutException e)
        {
            return ("Submitted", e.JobId, "still running", ExitCodes.TimedOut);
        }
        catch (VideoGenException e)
        {
            // One entry the vendor would not answer for does not stop the others; it stays in the journal for the next resume.
            return ("Error", jobId ?? e.JobId, e.Message, ExitCodes.VendorError);
        }
    }
}
