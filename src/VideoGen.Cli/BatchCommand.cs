using System.Collections.Concurrent;
using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Spectre.Console;
using VideoGen.Catalog;
using VideoGen.Journal;
using VideoGen.Sandbox;
using VideoGen.Validation;
using VideoGen.Waiting;

namespace VideoGen.Cli;

/// <summary>
/// videogen batch prompts.jsonl: one request per line (any vendor), bounded concurrency, a budget
/// cap checked before each submit, progress, and resumption through the journal (a line already
/// submitted is never submitted again: rerunning the same file picks its job up).
/// </summary>
internal static class BatchCommand
{
    public const int DefaultConcurrency = 4;

    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "A JSON Lines file: one object per line with prompt and optionally vendor, model, duration, aspectRatio, resolution, image, endImage, negativePrompt." };
        var concurrency = CliOptions.AtLeastOne(new Option<int>("--concurrency") { Description = "Jobs in flight at once.", DefaultValueFactory = _ => DefaultConcurrency }, "a whole number of jobs >= 1");
        var budget = new Option<decimal?>("--budget") { Description = "The most the batch may cost per vendor, in that vendor's unit (worst-case estimates, checked before each submit)." };
        var baseUrl = new Option<string?>("--base-url") { Description = "Send every vendor's requests to this host (a standalone sandbox, a proxy); a URL without a path keeps each vendor's own path (Elumenta's /api)." };
        var json = new Option<bool>("--json") { Description = "Print one machine-readable JSON document." };
        var db = DbCommands.DbOption();
        var run = new RunOptions();
        var command = new Command("batch", "Generate one video per line of a JSON Lines file, resumable through the journal.") { file, concurrency, budget, baseUrl, json, db };
        run.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var o = context.CreateOutput(result.GetValue(json));
            try
            {
                var lines = Parse(result.GetValue(file)!);
                if (result.GetValue(db) is { } connection)
                {
                    return await DbCommands.EnqueueBatchAsync(context, o, connection, lines, result.GetValue(file)!, ct).ConfigureAwait(false);
                }

                return await RunAsync(context, o, lines, result.GetValue(concurrency), result.GetValue(budget), result.GetValue(baseUrl), run.OutDirectory(result), run.Timeout(result), ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is VideoGenException or CliUsageException or ArgumentException or IOException)
            {
                return o.Fail(e);
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, Output o, IReadOnlyList<BatchLine> lines, int concurrency, decimal? budget, string? baseUrl, string outDirectory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // Every line is checked before anything is sent: one bad line stops the batch with all problems listed.
        var problems = new List<ValidationFailure>();
        foreach (var line in lines)
        {
            problems.AddRange(VideoRequestValidation.Validate(line.Vendor, line.Request).Select(f => f with { Field = $"line {line.Number}: {f.Field}" }));
        }

        if (problems.Count > 0)
        {
            throw new VideoGenValidationException(vendor: null, problems);
        }

        SandboxServer? sandbox = null;
        var sessions = new Dictionary<string, (VendorSession Session, IVideoGenerator Generator)>(StringComparer.Ordinal);
        try
        {
            foreach (var vendor in lines.Select(l => l.Vendor).DistinctBy(v => v.Id))
            {
                if (baseUrl is null && context.ApiKey(vendor) is null)
                {
                    sandbox ??= await context.StartSandboxAsync(cancellationToken).ConfigureAwait(false);
                }

                var session = await VendorSession.OpenAsync(context, vendor, baseUrl, o, allowEmbeddedSandbox: true, cancellationToken, sandbox).ConfigureAwait(false);
                var generator = budget is { } cap
                    ? new BudgetVideoGenerator(session.Generator, vendor, new VideoBudgetOptions { MaxTotalCost = cap })
                    : session.Generator;
                sessions[vendor.Id] = (session, generator);
            }

            var outcomes = new ConcurrentBag<LineOutcome>();
            using var gate = new SemaphoreSlim(concurrency);
            var work = lines.Select(async line =>
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    var outcome = await RunLineAsync(line, sessions[line.Vendor.Id], outDirectory, timeout, cancellationToken).ConfigureAwait(false);
                    outcomes.Add(outcome);
                    o.Info($"  line {line.Number,4}: {Markup.Escape(outcome.Summary)}");
                }
                finally
                {
                    gate.Release();
                }
            }).ToList();
            await Task.WhenAll(work).ConfigureAwait(false);

            var sorted = outcomes.OrderBy(x => x.Line).ToList();
            var byKind = sorted.GroupBy(x => x.Kind).ToDictionary(g => g.Key, g => g.Count());
            o.Info($"[bold]{lines.Count} lines:[/] {string.Join(", ", byKind.OrderBy(k => k.Key).Select(k => $"{k.Value} {k.Key.ToLowerInvariant()}"))}");
            var exit = sorted.Select(x => x.ExitCode).DefaultIfEmpty(ExitCodes.Success).Max();
            o.Document(new { ok = exit == ExitCodes.Success, exitCode = exit, total = lines.Count, counts = byKind, lines = sorted });
            return exit;
        }
        finally
        {
            foreach (var (session, _) in sessions.Values)
            {
                await session.DisposeAsync().ConfigureAwait(false);
            }

            if (sandbox is not null)
            {
                await sandbox.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<LineOutcome> RunLineAsync(BatchLine line, (VendorSession Session, IVideoGenerator Generator) target, string outDirectory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        string? jobId = null;
        try
        {
            var journaling = target.Generator.GetService<JournalingVideoGenerator>();
            var earlier = journaling is null ? null : await journaling.Journal.FindByClientKeyAsync(line.Key, cancellationToken).ConfigureAwait(false);
            if (earlier is { State: JournalState.Completed, JobId: { } doneId } && DownloadedFile(target.Session, doneId, outDirectory) is { } downloaded)
            {
                // Rerunning a batch after a crash: a line finished and downloaded by an earlier run is not fetched again.
                return new LineOutcome(line.Number, "Succeeded", doneId, downloaded, null, ExitCodes.Success);
            }

            var job = await SubmitAsync(line, target.Generator, journaling, cancellationToken).ConfigureAwait(false);
            jobId = job.Id;
            var finished = await new VideoJobOperation(target.Generator, job).WaitForCompletionAsync(JobFlow.WaitOptionsFor(target.Session, timeout), cancellationToken: cancellationToken).ConfigureAwait(false);
            await MarkFinishedAsync(target.Generator, finished, cancellationToken).ConfigureAwait(false);
            var file = await JobFlow.DownloadAsync(Output.Silent, target.Session, finished, outDirectory, cancellationToken).ConfigureAwait(false);
            return new LineOutcome(line.Number, "Succeeded", finished.Id, file.Path, null, ExitCodes.Success);
        }
        catch (JobFailedException e)
        {
            await MarkFinishedAsync(target.Generator, e.Job, cancellationToken).ConfigureAwait(false);
            return new LineOutcome(line.Number, "Failed", e.JobId, null, e.VendorReason ?? e.Message, ExitCodes.JobFailed);
        }
        catch (JobTimeoutException e)
        {
            return new LineOutcome(line.Number, "TimedOut", e.JobId, null, e.Message, ExitCodes.TimedOut);
        }
        catch (SubmissionOutcomeUnknownException e)
        {
            return new LineOutcome(line.Number, "OutcomeUnknown", null, null, e.Message, ExitCodes.VendorError);
        }
        catch (BudgetExceededException e)
        {
            return new LineOutcome(line.Number, "OverBudget", null, null, e.Message, ExitCodes.InvalidInput);
        }
        catch (VideoGenException e)
        {
            return new LineOutcome(line.Number, "Error", jobId ?? e.JobId, null, e.Message, ExitCodes.VendorError);
        }
    }

    /// <summary>
    /// Submits the line (the journal returns the job of a line already submitted). A submission whose outcome is
    /// unknown is reconciled at once where the vendor can list its jobs: the job found is the line's; a vendor
    /// that shows none proves nothing was created, so the line is submitted again, once.
    /// </summary>
    private static async Task<VideoJob> SubmitAsync(BatchLine line, IVideoGenerator generator, JournalingVideoGenerator? journaling, CancellationToken cancellationToken)
    {
        var options = new VideoGenerationOptions { ClientKey = line.Key };
        try
        {
            return await generator.SubmitAsync(line.Request, options, cancellationToken).ConfigureAwait(false);
        }
        catch (SubmissionOutcomeUnknownException e) when (journaling is not null)
        {
            if (await journaling.Journal.FindAsync(e.CorrelationId, cancellationToken).ConfigureAwait(false) is not { } entry)
            {
                throw;
            }

            if (await journaling.ReconcileAsync(entry, cancellationToken).ConfigureAwait(false) is { } found)
            {
                return found;
            }

            if ((await journaling.Journal.FindAsync(e.CorrelationId, cancellationToken).ConfigureAwait(false))?.State != JournalState.Rejected)
            {
                throw;
            }

            return await generator.SubmitAsync(line.Request, options, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The file an earlier run downloaded for <paramref name="jobId"/>, where JobFlow.DownloadAsync names it first; null when it is not there.</summary>
    private static string? DownloadedFile(VendorSession session, string jobId, string outDirectory)
    {
        var safeId = string.Concat(jobId.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
        var path = Path.Combine(outDirectory, $"{session.Vendor.Id}-{safeId}.mp4");
        return File.Exists(path) && new FileInfo(path).Length > 0 ? Path.GetFullPath(path) : null;
    }

    private static Task MarkFinishedAsync(IVideoGenerator generator, VideoJob job, CancellationToken cancellationToken) =>
        generator.GetService<JournalingVideoGenerator>() is { } journaling ? journaling.RecordFinishedAsync(job, cancellationToken) : Task.CompletedTask;

    internal static IReadOnlyList<BatchLine> Parse(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new CliUsageException($"file: '{path}' does not exist.");
        }

        var lines = new List<BatchLine>();
        var problems = new List<string>();
        var number = 0;
        foreach (var text in File.ReadLines(full))
        {
            number++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            try
            {
                var o = JObject.Parse(text);
                var vendor = RequestOptions.ResolveVendor((string?)o["vendor"]);
                var request = new VideoGenerationRequest((string?)o["prompt"] ?? string.Empty)
                {
                    Model = (string?)o["model"] ?? vendor.DefaultModel,
                    DurationSeconds = (int?)o["duration"],
                    AspectRatio = (string?)o["aspectRatio"] ?? (string?)o["aspect_ratio"],
                    Resolution = (string?)o["resolution"],
                    StartImage = RequestOptions.ParseUrl("image", (string?)o["image"]),
                    EndImage = RequestOptions.ParseUrl("endImage", (string?)o["endImage"]),
                    NegativePrompt = (string?)o["negativePrompt"] ?? (string?)o["negative_prompt"],
                };

                // The line's identity: file, line number and content. Rerunning the file resumes it; an edited line is new.
                var key = $"batch:{full}:{number}:{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16]}";
                lines.Add(new BatchLine(number, key, vendor, request));
            }
            catch (Exception e) when (e is JsonException or CliUsageException or FormatException or InvalidCastException or ArgumentException)
            {
                problems.Add($"line {number}: {e.Message}");
            }
        }

        if (problems.Count > 0)
        {
            throw new CliUsageException($"{path} has {problems.Count} unreadable lines:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");
        }

        return lines.Count == 0 ? throw new CliUsageException($"{path} has no requests.") : lines;
    }

    internal sealed record BatchLine(int Number, string Key, VendorInfo Vendor, VideoGenerationRequest Request);

    internal sealed record LineOutcome(int Line, string Kind, string? JobId, string? File, string? Error, [property: JsonIgnore] int ExitCode)
    {
        [JsonIgnore]
        public string Summary => Kind switch
        {
            "Succeeded" => $"job {JobId} → {File}",
            _ => $"{Kind.ToLowerInvariant()}{(JobId is null ? string.Empty : $" (job {JobId})")}: {Error}",
        };
    }
}
