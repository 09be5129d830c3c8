using System.CommandLine;
using Spectre.Console;
using VideoGen.Catalog;
using VideoGen.Pricing;
using VideoGen.Validation;
using VideoGen.Waiting;

namespace VideoGen.Cli;

/// <summary>videogen generate "&lt;prompt&gt;" and videogen extend &lt;generation-id&gt; "&lt;prompt&gt;": validate, price, submit, wait with progress, download.</summary>
internal static class GenerateCommand
{
    public static Command Generate(CliContext context)
    {
        var options = new RequestOptions();
        var run = new RunOptions();
        var command = new Command("generate", "Generate a video from a prompt: validate, estimate the price, submit, show progress, download the MP4.");
        options.AddTo(command);
        run.AddTo(command);
        command.SetAction((result, cancellationToken) =>
        {
            var o = context.CreateOutput(result.GetValue(options.Json));
            return RunAsync(context, o, result, options, run, () => options.ToRequest(result), cancellationToken);
        });
        return command;
    }

    public static Command Extend(CliContext context)
    {
        var options = new RequestOptions();
        var run = new RunOptions();
        var generation = new Argument<string>("generation-id") { Description = "The AIML API (Luma) generation to extend." };
        var backward = new Option<bool>("--backward") { Description = "Lead into the generation (it becomes the last frame) instead of continuing after it." };
        var command = new Command("extend", "Extend an earlier AIML API (Luma) generation forward, or backward with --backward.");
        command.Arguments.Add(generation);
        options.AddTo(command);
        command.Options.Add(backward);
        run.AddTo(command);
        options.Vendor.DefaultValueFactory = _ => VendorIds.AimlApi;
        command.SetAction((result, cancellationToken) =>
        {
            var o = context.CreateOutput(result.GetValue(options.Json));
            return RunAsync(context, o, result, options, run, () =>
            {
                var request = options.ToRequest(result);
                request.Extend = new VideoExtension(result.GetValue(generation)!, result.GetValue(backward));
                return request;
            }, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, Output o, ParseResult result, RequestOptions options, RunOptions run, Func<VideoGenerationRequest> build, CancellationToken cancellationToken)
    {
        string? jobId = null;
        var embedded = false;
        var submitting = false;
        var finishedAtVendor = false;
        var vendorId = result.GetValue(options.Vendor) ?? RequestOptions.DefaultVendor;
        var baseUrl = result.GetValue(options.BaseUrl);

        // --timeout bounds the whole command: submission, wait and download (the caller's token is kept for the journal).
        var userCancellation = cancellationToken;
        using var deadline = new CommandDeadline(run.Timeout(result), userCancellation);
        cancellationToken = deadline.Token;
        try
        {
            // Nothing leaves the machine before the request is known to be valid.
            // The model is the vendor's default when none is given (set here, so the check and the send see the same request).
            var (vendor, request, _) = RequestCheck.Read(context, options, result, resolved =>
            {
                var built = build();
                built.Model ??= resolved.DefaultModel;
                return built;
            });
            vendorId = vendor.Id;
            var estimate = PriceCalculator.Estimate(vendor, request);
            o.Info($"{Markup.Escape(vendor.DisplayName)} [bold]{Markup.Escape(request.Model!)}[/]: estimated cost [bold]{Markup.Escape(estimate.ToString())}[/]");
            var outDirectory = run.OutDirectory(result);

            await using var session = await VendorSession.OpenAsync(context, vendor, result.GetValue(options.BaseUrl), o, allowEmbeddedSandbox: true, cancellationToken).ConfigureAwait(false);
            embedded = session.Sandbox is not null;
            o.Redact(session.Credential.ApiKey);
            if (!embedded && vendor.Has(Catalog.VendorFeatures.PriceQuote) && session.Generator.GetService(typeof(IVideoPriceQuoter)) is IVideoPriceQuoter quoter)
            {
                // With a key, the vendor's own figure replaces the catalog's range (Calculate Price).
                estimate = await quoter.QuoteAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
                o.Info($"{Markup.Escape(vendor.DisplayName)} quoted: [bold]{Markup.Escape(estimate.ToString())}[/]");
            }

            submitting = true;
            var job = await session.Generator.SubmitAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
            jobId = job.Id;
            o.Info($"Submitted job [bold]{Markup.Escape(job.Id)}[/] ({Markup.Escape(job.VendorStatus ?? job.Status.ToString())})");

            // A failed job is final: the journal middleware records it when it reads it, so resume has nothing left to do for it.
            var finished = await JobFlow.WaitAsync(o, session, new VideoJobOperation(session.Generator, job), run.Timeout(result), cancellationToken, request.Model).ConfigureAwait(false);

            // The journal marks the job finished only once its file is on disk.
            finishedAtVendor = true;
            var file = await JobFlow.DownloadAndRecordAsync(o, session, session.Generator, finished, outDirectory, cancellationToken, userCancellation).ConfigureAwait(false);
            var reconciliation = PriceCalculator.Reconcile(estimate, finished);
            o.Result($"Job [bold]{Markup.Escape(finished.Id)}[/] {finished.Status.ToString().ToLowerInvariant()}: [green]{Markup.Escape(file.Path)}[/] ({file.Bytes:N0} bytes)");
            o.Result($"Cost: {Markup.Escape(finished.Cost?.ToString() ?? $"not reported by {vendor.DisplayName}; estimated {estimate}")}");
            o.Document(new
            {
                ok = true,
                vendor = vendor.Id,
                model = request.Model,
                jobId = finished.Id,
                status = finished.Status,
                vendorStatus = finished.VendorStatus,
                file = file.Path,
                bytes = file.Bytes,
                sandbox = session.Sandbox is not null,
                cost = finished.Cost is { } c ? new { amount = c.Amount, unit = c.Unit } : null,
                estimate = OfflineCommands.PriceDocument(estimate),
                reconciliation = reconciliation.Summary,
            });
            return ExitCodes.Success;
        }
        catch (Exception e) when (userCancellation.IsCancellationRequested && !deadline.Expired
            && e is OperationCanceledException or VideoGenException or HttpRequestException)
        {
            // Ctrl+C: a cut create surfaces as an unknown outcome, a cut read as a cancellation; either way the user stopped it.
            return jobId is null
                ? submitting && !embedded
                    ? o.Interrupted("the create request was cut in flight, so a job may have been made; the journal keeps it and it is never resent.", "videogen resume")
                    : o.Interrupted(embedded && submitting ? "nothing goes on: the embedded sandbox stopped with this command." : "nothing was submitted.")
                : embedded
                    ? o.Interrupted($"job {jobId} ran on the embedded sandbox, which stopped with this command; nothing goes on and nothing was charged.")
                    : finishedAtVendor
                        ? o.Interrupted($"job {jobId} is finished at the vendor; its video was not downloaded.", JobFlow.PickUpCommand("download", jobId, vendorId, baseUrl))
                        : o.Interrupted($"job {jobId} goes on at the vendor.", JobFlow.PickUpCommand("wait", jobId, vendorId, baseUrl));
        }
        catch (SubmissionOutcomeUnknownException e) when (deadline.Expired)
        {
            // The create request was cut by --timeout: a timeout (5), and the journal keeps the submission for resume.
            return o.Fail(new CommandTimedOutException($"{deadline.TimedOut("The submission").Message} {e.Message}"), jobId, embedded);
        }
        catch (Exception e) when (e is VideoGenException or CliUsageException or ArgumentException or HttpRequestException)
        {
            return o.Fail(e, jobId, embedded);
        }
        catch (OperationCanceledException) when (deadline.Expired)
        {
            return o.Fail(deadline.TimedOut(jobId is null ? "The submission" : $"Job {jobId}"), jobId, embedded);
        }
    }
}

/// <summary>Options of the commands that wait for and download a job.</summary>
internal sealed class RunOptions
{
    /// <summary>The options of a command that waits and downloads.</summary>
    public RunOptions()
        : this(withOut: true, "How long the whole command may take: every request, the wait and the download (past it: exit code 5; the job id is printed to resume). Seconds (90), or 90s, 2m, 1.5m, 1h.")
    {
    }

    /// <summary>The options of a command that may or may not write a video.</summary>
    /// <param name="withOut">Whether the command writes a video (and takes --out).</param>
    /// <param name="timeoutDescription">What --timeout bounds in this command.</param>
    public RunOptions(bool withOut, string timeoutDescription)
    {
        WithOut = withOut;
        // No DefaultValueFactory: help would show it as 00:15:00; the description says it in the units the option takes.
        TimeoutSeconds = CliOptions.Duration(new Option<TimeSpan?>("--timeout")
        {
            Description = $"{timeoutDescription} Default: {WaitOptions.DefaultTimeout.TotalSeconds:0} (15m).",
        });
    }

    /// <summary>Whether <see cref="Out"/> is one of the command's options.</summary>
    public bool WithOut { get; }

    public Option<string> Out { get; } = new("--out", "-o") { Description = "Where to write the MP4.", DefaultValueFactory = _ => "videos" };

    public Option<TimeSpan?> TimeoutSeconds { get; }

    public void AddTo(Command command)
    {
        // A command that writes no video still accepts --out (scripts pass it to every job command) but does not list it.
        Out.Hidden = !WithOut;
        command.Options.Add(Out);
        command.Options.Add(TimeoutSeconds);
    }

    public TimeSpan Timeout(ParseResult result) => result.GetValue(TimeoutSeconds) ?? WaitOptions.DefaultTimeout;

    /// <summary>
    /// The --out directory, created now: a directory that cannot be written is refused before anything is
    /// sent or paid for, not after the video is made.
    /// </summary>
    /// <exception cref="CliUsageException">The directory cannot be created.</exception>
    public string OutDirectory(ParseResult result)
    {
        var value = result.GetValue(Out)!;
        try
        {
            return Directory.CreateDirectory(value).FullName;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CliUsageException($"--out: '{value}' cannot be used as the output directory ({e.Message}); give a directory you can write to.");
        }
    }
}
