using System.CommandLine;
using Spectre.Console;
using VideoGen.Journal;
using VideoGen.Waiting;

namespace VideoGen.Cli;

/// <summary>
/// videogen resume: after a crash, settles every unfinished journal entry. Submissions whose outcome
/// is unknown are reconciled with the vendor (never resent); submitted jobs are awaited and downloaded.
/// What no vendor listing can settle, the user settles by hand: <c>--settle ID --job JOB</c> (the job was found on the
/// vendor's dashboard) or <c>--forget ID</c> (no job was created); both are recorded in the journal.
/// </summary>
internal static class ResumeCommand
{
    public static Command Create(CliContext context)
    {
        var baseUrl = new Option<string?>("--base-url") { Description = "The base URL the journaled jobs were sent to (a standalone sandbox, a proxy)." };
        var json = new Option<bool>("--json") { Description = "Print one machine-readable JSON document." };
        var settle = new Option<string?>("--settle") { Description = "Settle an unknown submission by hand: the correlation id (or its first 8 or more characters) resume listed; give the job id found on the vendor's dashboard with --job.", HelpName = "correlation-id" };
        var job = new Option<string?>("--job") { Description = "With --settle: the vendor's job id the submission created.", HelpName = "job-id" };
        var forget = new Option<string?>("--forget") { Description = "Settle an unknown submission by hand as never created (nothing at the vendor): a batch rerun submits its line again.", HelpName = "correlation-id" };
        var assumeHost = new Option<bool>("--assume-host") { Description = "Entries written by an earlier videogen do not say which host they were sent to: take this command's host (--base-url, or the vendor's API) as theirs. Without it they are listed and left alone." };
        var run = new RunOptions();
        var command = new Command("resume", "Finish what a killed videogen left: reconcile unknown submissions, wait for and download submitted jobs.") { baseUrl, json, settle, job, forget, assumeHost };
        run.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var o = context.CreateOutput(result.GetValue(json));

            // --timeout bounds the whole command: every listing, read, wait and download (a hung vendor included).
            using var deadline = new CommandDeadline(run.Timeout(result), ct);
            try
            {
                if (result.GetValue(settle) is not null || result.GetValue(forget) is not null || result.GetValue(job) is not null)
                {
                    return await SettleByHandAsync(context, o, result.GetValue(settle), result.GetValue(job), result.GetValue(forget), result.GetValue(baseUrl), ct).ConfigureAwait(false);
                }

                var outDirectory = run.OutDirectory(result);
                var journal = new SqliteJobJournal(context.JournalPath);
                var entries = await journal.GetUnfinishedAsync(deadline.Token).ConfigureAwait(false);
                o.Info($"{Messages.Count(entries.Count, "unfinished submission")} in {Markup.Escape(context.JournalPath)}");
                var report = new List<object>();
                var exit = ExitCodes.Success;
                foreach (var group in entries.GroupBy(e => e.Vendor))
                {
                    var vendor = RequestOptions.ResolveVendor(group.Key);

                    // Each entry is settled at the host it was sent to, or not at all: a job id means something only there.
                    var host = CommandHost(context, vendor, result.GetValue(baseUrl));
                    var assume = result.GetValue(assumeHost);
                    var elsewhere = group.Where(e => !(host is not null && (string.Equals(e.Endpoint, host, StringComparison.OrdinalIgnoreCase) || (e.Endpoint is null && assume)))).ToList();
                    foreach (var entry in elsewhere)
                    {
                        var detail = OtherHost(entry, host);
                        exit = Math.Max(exit, ExitCodes.VendorError);
                        report.Add(new { correlationId = entry.CorrelationId, vendor = entry.Vendor, createdAt = entry.CreatedAt, prompt = entry.Prompt, state = "OtherHost", jobId = entry.JobId, detail, endpoint = entry.Endpoint });
                        o.Result($"  {Markup.Escape(entry.CorrelationId[..8])} {Markup.Escape(entry.Vendor)}: OtherHost{(entry.JobId is null ? string.Empty : $" (job {Markup.Escape(entry.JobId)})")} {Markup.Escape(detail)}");
                    }

                    var here = group.Except(elsewhere).ToList();
                    if (here.Count == 0)
                    {
                        continue;
                    }

                    await using var session = await VendorSession.OpenAsync(context, vendor, result.GetValue(baseUrl), o, allowEmbeddedSandbox: false, deadline.Token, assumeUnrecordedHost: assume).ConfigureAwait(false);
                    var journaling = session.Generator.GetService<JournalingVideoGenerator>()!;
                    foreach (var entry in here)
                    {
                        var (state, jobId, detail, code) = await SettleAsync(o, session, journaling, entry, run, result, outDirectory, deadline.Token).ConfigureAwait(false);
                        exit = Math.Max(exit, code);
                        report.Add(new { correlationId = entry.CorrelationId, vendor = entry.Vendor, createdAt = entry.CreatedAt, prompt = entry.Prompt, state, jobId, detail, endpoint = entry.Endpoint ?? journaling.Endpoint });
                        o.Result($"  {Markup.Escape(entry.CorrelationId[..8])} {Markup.Escape(entry.Vendor)}: {Markup.Escape(state)}{(jobId is null ? string.Empty : $" (job {Markup.Escape(jobId)})")} {Markup.Escape(detail ?? string.Empty)}");
                        if (state == "OutcomeUnknown")
                        {
                            o.Result($"      submission {Markup.Escape(entry.CorrelationId)}, {entry.CreatedAt.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC, model {Markup.Escape(entry.Model ?? "(default)")}, prompt \"{Markup.Escape(Preview(entry.Prompt))}\"");
                            o.Info($"      settle it: videogen resume --settle {Markup.Escape(entry.CorrelationId)} --job <job id on the dashboard>, or videogen resume --forget {Markup.Escape(entry.CorrelationId)} if no job was created");
                        }
                    }
                }

                o.Document(new { ok = exit == ExitCodes.Success, exitCode = exit, entries = report });
                return exit;
            }
            catch (Exception e) when (e is OperationCanceledException && deadline.Expired)
            {
                // Nothing is settled by a cut: every entry keeps its journal state for the next resume.
                return o.Fail(deadline.TimedOut("videogen resume"));
            }
            catch (Exception e) when (ct.IsCancellationRequested && e is OperationCanceledException or VideoGenException)
            {
                // Ctrl+C: what was not settled keeps its journal state; jobs go on at their vendors.
                return o.Interrupted("what was not settled stays in the journal; submitted jobs go on at their vendors.", "videogen resume");
            }
            catch (Exception e) when (e is VideoGenException or CliUsageException or ArgumentException)
            {
                return o.Fail(e);
            }
        });
        return command;
    }

    /// <summary>
    /// <c>--settle ID --job JOB</c> or <c>--forget ID</c>: records the user's word for a submission whose outcome only
    /// the vendor's dashboard shows. Contacts no vendor. Refuses entries that are settled already, that another live
    /// process holds, and a job id another entry owns.
    /// </summary>
    private static async Task<int> SettleByHandAsync(CliContext context, Output o, string? settle, string? jobId, string? forget, string? baseUrl, CancellationToken ct)
    {
        if ((settle is null) == (forget is null))
        {
            throw new CliUsageException("resume: give either --settle <correlation-id> --job <job-id> or --forget <correlation-id>, not both.");
        }

        if (settle is not null && string.IsNullOrWhiteSpace(jobId))
        {
            throw new CliUsageException("--settle: give the vendor's job id with --job <job-id> (or use --forget <correlation-id> if no job was created).");
        }

        if (forget is not null && jobId is not null)
        {
            throw new CliUsageException("--job goes with --settle, not with --forget.");
        }

        var journal = new SqliteJobJournal(context.JournalPath);
        var entry = await FindEntryAsync(journal, (settle ?? forget)!, ct).ConfigureAwait(false);
        if (entry.State is not (JournalState.Intent or JournalState.OutcomeUnknown))
        {
            throw new CliUsageException($"Submission {entry.CorrelationId} is not unknown: it is {entry.State}{(entry.JobId is null ? string.Empty : $" with job {entry.JobId}")}; nothing to settle.");
        }

        // The job id found on a dashboard belongs to the host the submission went to; a --base-url naming another is a mix-up.
        if (baseUrl is not null && CommandHost(context, RequestOptions.ResolveVendor(entry.Vendor), baseUrl) is { } named
            && entry.Endpoint is { } recorded && !string.Equals(recorded, named, StringComparison.OrdinalIgnoreCase))
        {
            throw new CliUsageException($"Submission {entry.CorrelationId} was sent to {recorded}, not to {named} (--base-url): settle it with the job id shown by {recorded}, without --base-url or with --base-url {recorded}.");
        }

        var owner = JournalLease.CurrentProcessOwner;
        var now = DateTimeOffset.UtcNow;
        if (entry.IsLeasedByOther(owner, now) && !JournalLease.IsKnownGone(entry.LeaseOwner!))
        {
            throw new SubmissionInProgressException(entry.Vendor, entry.CorrelationId, entry.LeaseOwner!);
        }

        if (settle is not null)
        {
            jobId = jobId!.Trim();
            if (await journal.FindByJobIdAtAsync(entry.Vendor, entry.Endpoint, jobId, ct).ConfigureAwait(false) is { } other)
            {
                throw new CliUsageException($"--job: {entry.Vendor} job {jobId} already belongs to submission {other.CorrelationId} ({other.State}); one job settles one submission.");
            }
        }

        // Its holder may have ended on this machine (an earlier resume that listed it, a killed run).
        await JournalLease.ReleaseIfHolderGoneAsync(journal, entry, owner, ct).ConfigureAwait(false);

        if (!await journal.TryAcquireLeaseAsync(entry.CorrelationId, owner, now, now + JournalLease.DefaultDuration, ct).ConfigureAwait(false))
        {
            var current = await journal.FindAsync(entry.CorrelationId, ct).ConfigureAwait(false);
            throw new SubmissionInProgressException(entry.Vendor, entry.CorrelationId, current?.LeaseOwner ?? "another process");
        }

        try
        {
            var at = now.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
            if (settle is not null)
            {
                await journal.UpdateAsync(entry.CorrelationId, JournalState.Submitted, jobId, $"settled by hand at {at} UTC (videogen resume --settle): job {jobId} found on the vendor's side", ct).ConfigureAwait(false);
                o.Result($"Submission {Markup.Escape(entry.CorrelationId)} ({Markup.Escape(entry.Vendor)}, sent to {Markup.Escape(JournalEndpoint.Show(entry.Endpoint))}) is now job {Markup.Escape(jobId!)}: videogen resume waits for and downloads it at that host; a batch rerun picks it up.");
            }
            else
            {
                await journal.UpdateAsync(entry.CorrelationId, JournalState.Rejected, detail: $"forgotten by hand at {at} UTC (videogen resume --forget): no job was created", cancellationToken: ct).ConfigureAwait(false);
                o.Result($"Submission {Markup.Escape(entry.CorrelationId)} ({Markup.Escape(entry.Vendor)}) is recorded as never created: a batch rerun submits its line again.");
            }
        }
        finally
        {
            await journal.ReleaseLeaseAsync(entry.CorrelationId, owner, CancellationToken.None).ConfigureAwait(false);
        }

        var state = settle is not null ? "Settled" : "Forgotten";
        o.Document(new { ok = true, exitCode = ExitCodes.Success, entries = new[] { new { correlationId = entry.CorrelationId, vendor = entry.Vendor, createdAt = entry.CreatedAt, prompt = entry.Prompt, state, jobId, detail = (string?)null, endpoint = entry.Endpoint } } });
        return ExitCodes.Success;
    }

    /// <summary>An entry by its correlation id or a unique prefix of at least 8 characters (what resume prints).</summary>
    private static async Task<JournalEntry> FindEntryAsync(SqliteJobJournal journal, string id, CancellationToken ct)
    {
        id = id.Trim();
        if (await journal.FindAsync(id, ct).ConfigureAwait(false) is { } exact)
        {
            return exact;
        }

        var matches = id.Length >= 8
            ? (await journal.GetUnfinishedAsync(ct).ConfigureAwait(false)).Where(e => e.CorrelationId.StartsWith(id, StringComparison.OrdinalIgnoreCase)).ToList()
            : [];
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new CliUsageException($"The journal has no unfinished submission '{id}'; videogen resume lists them with their ids."),
            _ => throw new CliUsageException($"'{id}' matches {matches.Count} submissions; give more characters of the id."),
        };
    }

    /// <summary>
    /// The host this command would send <paramref name="vendor"/>'s requests to, as the journal records hosts: the
    /// --base-url (with the vendor's path), else the vendor's API when its key is set; null when neither (no host).
    /// </summary>
    private static string? CommandHost(CliContext context, Catalog.VendorInfo vendor, string? baseUrl) =>
        VendorSession.VendorBaseUrl(vendor, baseUrl) is { } given
            ? Uri.TryCreate(given, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? JournalEndpoint.Describe(uri) : null
            : !string.IsNullOrEmpty(context.ApiKey(vendor)) && !vendor.BaseUrlInferred ? JournalEndpoint.Describe(vendor.BaseUrl) : null;

    /// <summary>Why an entry is left alone: it went to another host than this command's (or its host is not recorded).</summary>
    private static string OtherHost(JournalEntry entry, string? host)
    {
        var here = host ?? "no host (no --base-url, and no API key for the vendor's own)";
        return entry.Endpoint switch
        {
            null => $"submission {entry.CorrelationId} was recorded by an earlier videogen without the host it was sent to; this command's host is {here}. " +
                    "Not guessed: if it went there, run videogen resume --assume-host (with the same --base-url, if any).",
            JournalEndpoint.EmbeddedSandbox => $"submission {entry.CorrelationId} was sent to an embedded sandbox, which ended with its process; its job cannot be read at {here}. Nothing was charged by it: videogen resume --forget {entry.CorrelationId}.",
            var recorded => $"submission {entry.CorrelationId} was sent to {recorded}, not to this command's host {here}; left alone. Run videogen resume --base-url {recorded} to settle it there.",
        };
    }

    private static string Preview(string prompt) => prompt.Length > 80 ? prompt[..80] + "…" : prompt;

    private static async Task<(string State, string? JobId, string? Detail, int ExitCode)> SettleAsync(Output o, VendorSession session, JournalingVideoGenerator journaling, JournalEntry entry, RunOptions run, ParseResult result, string outDirectory, CancellationToken ct)
    {
        var jobId = entry.JobId;
        IAsyncDisposable? lease = null;
        try
        {
            if (journaling.IsOwnedByOther(entry))
            {
                return ("InProgress", jobId, $"another videogen ({JournalLease.Describe(entry.LeaseOwner!)}) is working on it; left alone", ExitCodes.VendorError);
            }

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

            // This process's until it is downloaded: another resume or batch leaves it alone meanwhile.
            lease = await journaling.HoldLeaseAsync(entry, ct).ConfigureAwait(false);

            // Read the job first: one that finished while nobody watched is settled at once, and a running one is
            // polled on the schedule of its age instead of a fresh one (after a real model's earliest finish).
            var operation = session.Generator.GetOperation(jobId!);
            await operation.UpdateStatusAsync(ct).ConfigureAwait(false);
            var job = await operation.WaitForCompletionAsync(JobFlow.WaitOptionsFor(session, run.Timeout(result)), cancellationToken: ct).ConfigureAwait(false);
            var file = await JobFlow.DownloadAndRecordAsync(Output.Silent, session, session.Generator, job, outDirectory, ct, ct).ConfigureAwait(false);
            return ("Completed", job.Id, file.Path, ExitCodes.Success);
        }
        catch (JobFailedException e)
        {
            // The journal middleware recorded the failed job when it read it.
            return ("Failed", e.JobId, e.VendorReason, ExitCodes.JobFailed);
        }
        catch (JobTimeoutException e)
        {
            return ("Submitted", e.JobId, "still running", ExitCodes.TimedOut);
        }
        catch (SubmissionInProgressException e)
        {
            return ("InProgress", jobId, e.Message, ExitCodes.VendorError);
        }
        catch (VideoGenException e)
        {
            // One entry the vendor would not answer for does not stop the others; it stays in the journal for the next resume.
            return ("Error", jobId ?? e.JobId, e.Message, ExitCodes.VendorError);
        }
        finally
        {
            if (lease is not null)
            {
                await lease.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
