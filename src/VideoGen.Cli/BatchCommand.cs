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
/// submitted is never submitted again: rerunning the file, edited, reordered or moved, picks its job up).
/// </summary>
/// <remarks>
/// A line's identity is what it asks for, not where it stands: the vendor, the request as parsed (so key order,
/// spacing and alias spellings do not matter) and its occurrence among identical lines (the second identical line
/// is a second video). <c>--new-run</c> starts a new generation of identities, so every line is submitted again.
/// While a process works on a line it holds the line's lease in the journal; another process leaves it alone.
/// </remarks>
internal static class BatchCommand
{
    public const int DefaultConcurrency = 4;

    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("file") { Description = $"A JSON Lines file: one object per line with prompt and optionally {string.Join(", ", LineFields.Skip(1).Select(f => f.Name))}." };
        var concurrency = CliOptions.AtLeastOne(new Option<int>("--concurrency") { Description = "Jobs in flight at once.", DefaultValueFactory = _ => DefaultConcurrency }, "a whole number of jobs >= 1");
        var budget = CliOptions.NotNegative(new Option<decimal?>("--budget") { Description = "The most the batch may cost per vendor, in that vendor's unit (worst-case estimates, checked before each submit)." }, "an amount >= 0 in the vendor's unit, e.g. 500");
        var baseUrl = new Option<string?>("--base-url") { Description = "Send every vendor's requests to this host (a standalone sandbox, a proxy); a URL without a path keeps each vendor's own path (Elumenta's /api)." };
        var json = new Option<bool>("--json") { Description = "Print one machine-readable JSON document." };
        var newRun = new Option<bool>("--new-run") { Description = "Submit every line again as a new run, even lines an earlier run already submitted (by default a rerun picks up their jobs and pays for nothing twice)." };
        var db = DbCommands.DbOption();
        var run = new RunOptions();
        var command = new Command("batch", "Generate one video per line of a JSON Lines file, resumable through the journal.") { file, concurrency, budget, baseUrl, json, newRun, db };
        run.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var o = context.CreateOutput(result.GetValue(json));

            // --timeout bounds the whole batch: every create, wait and download (a create cut by it is an unknown outcome).
            using var deadline = new CommandDeadline(run.Timeout(result), ct);
            try
            {
                if (result.GetValue(db) is { } connection)
                {
                    return await DbCommands.EnqueueBatchAsync(context, o, connection, Parse(result.GetValue(file)!), result.GetValue(file)!, ct).ConfigureAwait(false);
                }

                // Where each line's job is created is part of its identity: a file tried on a sandbox is still submitted
                // when it is run at the vendor, and a rerun never reads a sandbox's job ids at the vendor (or the reverse).
                var target = result.GetValue(baseUrl);
                var lines = Parse(result.GetValue(file)!, vendor => Target(context, vendor, target));

                var rerun = $"videogen batch {JobFlow.Quote(result.GetValue(file)!)}{(result.GetValue(baseUrl) is { } url ? $" --base-url {JobFlow.Quote(url)}" : string.Empty)}{(result.GetResult(run.Out) is { Implicit: false } ? $" --out {JobFlow.Quote(result.GetValue(run.Out)!)}" : string.Empty)}";
                return await RunAsync(context, o, lines, result.GetValue(concurrency), result.GetValue(budget), result.GetValue(baseUrl), run.OutDirectory(result), deadline, result.GetValue(newRun), ct, rerun).ConfigureAwait(false);
            }
            catch (Exception e) when (e is VideoGenException or CliUsageException or ArgumentException or IOException)
            {
                return o.Fail(e);
            }
            catch (OperationCanceledException) when (deadline.Expired)
            {
                // Cut before any line started (opening the sessions, reading the journal): nothing was sent.
                return o.Fail(deadline.TimedOut("The batch"));
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Ctrl+C before any line started (opening the sessions, reading the journal): nothing was sent.
                return o.Interrupted("nothing was submitted.");
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, Output o, IReadOnlyList<BatchLine> lines, int concurrency, decimal? budget, string? baseUrl, string outDirectory, CommandDeadline deadline, bool newRun, CancellationToken userCancellation, string rerunCommand)
    {
        var cancellationToken = deadline.Token;
        var started = System.Diagnostics.Stopwatch.StartNew();
        // Every line is checked before anything is sent: one bad line stops the batch with all problems listed.
        RequestCheck.EnsureValid(lines);

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

            // Which run each line belongs to: the latest one that has it, or a new one with --new-run.
            var keyed = new List<BatchLine>(lines.Count);
            foreach (var line in lines)
            {
                keyed.Add(sessions[line.Vendor.Id].Generator.GetService<JournalingVideoGenerator>() is { } journaling
                    ? await AssignKeyAsync(line, journaling.Journal, newRun, cancellationToken).ConfigureAwait(false)
                    : line);
            }

            lines = keyed;
            var outcomes = new ConcurrentBag<LineOutcome>();
            var board = new BatchBoard(o, lines.Select(l => (l.Number, l.Vendor.Id, l.Request.Model)));
            using var gate = new SemaphoreSlim(concurrency);
            var work = lines.Select(async line =>
            {
                try
                {
                    await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (deadline.Expired)
                {
                    // The deadline passed before the line's turn: nothing was sent for it; a rerun submits it.
                    var notStarted = new LineOutcome(line.Number, "NotStarted", null, null, $"not submitted: the batch's --timeout {deadline.Timeout.TotalSeconds:0.#} s passed first; a rerun submits it", ExitCodes.TimedOut);
                    outcomes.Add(notStarted);
                    board.Finished(notStarted);
                    return;
                }

                try
                {
                    // The wait of a line ends at the batch's deadline, with its own timeout (the job id kept).
                    board.Started(line.Number);
                    var remaining = deadline.Timeout - started.Elapsed;
                    var outcome = await RunLineAsync(line, sessions[line.Vendor.Id], outDirectory, remaining > TimeSpan.FromSeconds(1) ? remaining : TimeSpan.FromSeconds(1), deadline, board).ConfigureAwait(false);
                    outcomes.Add(outcome);
                    board.Finished(outcome);
                }
                finally
                {
                    gate.Release();
                }
            }).ToList();
            try
            {
                await board.ShowWhileAsync(async () =>
                {
                    await Task.WhenAll(work).ConfigureAwait(false);
                    return 0;
                }).ConfigureAwait(false);
            }
            catch (Exception e) when (userCancellation.IsCancellationRequested && !deadline.Expired && e is OperationCanceledException or VideoGenException)
            {
                // Ctrl+C: reported below, with what goes on.
            }

            if (userCancellation.IsCancellationRequested && !deadline.Expired)
            {
                // Every job already created goes on at its vendor and is in the journal: a rerun of the file (or resume)
                // picks each one up and submits nothing twice. The embedded sandbox's jobs end with it.
                return sandbox is not null && sessions.Values.All(s => s.Session.Sandbox is not null)
                    ? o.Interrupted("the embedded sandbox stopped with this command, so nothing goes on and nothing was charged; a rerun starts the lines again.")
                    : o.Interrupted($"{board.WithJob} submitted job{(board.WithJob == 1 ? string.Empty : "s")} go on at the vendor, recorded in the journal; a rerun submits nothing twice.", $"{rerunCommand} (or videogen resume)");
            }

            var sorted = outcomes.OrderBy(x => x.Line).ToList();
            var byKind = sorted.GroupBy(x => x.Kind).ToDictionary(g => g.Key, g => g.Count());
            board.WriteResults();
            o.Result($"[bold]{lines.Count} lines:[/] {string.Join(", ", byKind.OrderBy(k => k.Key).Select(k => $"{k.Value} {k.Key.ToLowerInvariant()}"))}");
            var skipped = sorted.Where(x => x.Resumed).Select(x => x.Line).ToList();
            if (skipped.Count > 0)
            {
                o.Result($"Not submitted again ({skipped.Count}, already submitted by an earlier run; --new-run submits them anew): line{(skipped.Count == 1 ? string.Empty : "s")} {string.Join(", ", skipped)}");
            }

            var exit = sorted.Select(x => x.ExitCode).DefaultIfEmpty(ExitCodes.Success).Max();
            o.Document(new { ok = exit == ExitCodes.Success, exitCode = exit, total = lines.Count, counts = byKind, skippedLines = skipped, lines = sorted });
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

    private static async Task<LineOutcome> RunLineAsync(BatchLine line, (VendorSession Session, IVideoGenerator Generator) target, string outDirectory, TimeSpan timeout, CommandDeadline deadline, BatchBoard board)
    {
        var cancellationToken = deadline.Token;
        string? jobId = null;
        var resumed = false;
        IAsyncDisposable? lease = null;
        try
        {
            var journaling = target.Generator.GetService<JournalingVideoGenerator>();
            var earlier = journaling is null ? null : await journaling.Journal.FindByClientKeyAsync(line.Key, cancellationToken).ConfigureAwait(false);
            resumed = earlier is { JobId: not null } or { State: JournalState.Intent or JournalState.OutcomeUnknown };
            if (earlier is { State: JournalState.Completed, JobId: { } doneId } && DownloadedFile(target.Session, doneId, outDirectory) is { } downloaded)
            {
                // Rerunning a batch after a crash: a line finished and downloaded by an earlier run is not fetched again.
                return new LineOutcome(line.Number, "Succeeded", doneId, downloaded, null, ExitCodes.Success) { Resumed = true };
            }

            var job = await SubmitAsync(line, target.Generator, journaling, cancellationToken).ConfigureAwait(false);
            jobId = job.Id;
            board.Submitted(line.Number, job.Id, job.VendorStatus, resumed);

            // The line is this process's until its video is on disk: another videogen on the same file leaves it alone.
            if (journaling is not null && await journaling.Journal.FindByClientKeyAsync(line.Key, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                lease = await journaling.HoldLeaseAsync(entry, cancellationToken).ConfigureAwait(false);
            }

            var finished = await new VideoJobOperation(target.Generator, job).WaitForCompletionAsync(JobFlow.WaitOptionsFor(target.Session, timeout), new JobFlow.InlineProgress(update => board.Polled(line.Number, update)), cancellationToken).ConfigureAwait(false);
            board.Downloading(line.Number);
            var file = await JobFlow.DownloadAndRecordAsync(Output.Silent, target.Session, target.Generator, finished, outDirectory, cancellationToken, cancellationToken).ConfigureAwait(false);
            return new LineOutcome(line.Number, "Succeeded", finished.Id, file.Path, null, ExitCodes.Success) { Resumed = resumed };
        }
        catch (JobFailedException e)
        {
            // The journal middleware recorded the failed job when it read it.
            return new LineOutcome(line.Number, "Failed", e.JobId, null, e.VendorReason ?? e.Message, ExitCodes.JobFailed) { Resumed = resumed };
        }
        catch (JobTimeoutException e)
        {
            return new LineOutcome(line.Number, "TimedOut", e.JobId, null, e.Message, ExitCodes.TimedOut) { Resumed = resumed };
        }
        catch (SubmissionInProgressException e)
        {
            // Another videogen owns the line (the same file run twice at once): not touched, not an error of the line.
            return new LineOutcome(line.Number, "InProgress", jobId, null, e.Message, ExitCodes.VendorError) { Resumed = true };
        }
        catch (SubmissionOutcomeUnknownException e)
        {
            // Cut by the deadline or not, the create may have made a job: journaled as unknown, never resent; its
            // correlation id is what resume --settle/--forget takes.
            var exit = deadline.Expired ? ExitCodes.TimedOut : ExitCodes.VendorError;
            return new LineOutcome(line.Number, "OutcomeUnknown", null, null, e.Message, exit) { Resumed = resumed, CorrelationId = e.CorrelationId };
        }
        catch (OperationCanceledException) when (deadline.Expired)
        {
            // Past --timeout while waiting or downloading: the job (when there is one) goes on at the vendor; a rerun or resume picks it up.
            return new LineOutcome(line.Number, "TimedOut", jobId, null, deadline.TimedOut(jobId is null ? "The line" : $"Job {jobId}").Message, ExitCodes.TimedOut) { Resumed = resumed };
        }
        catch (BudgetExceededException e)
        {
            return new LineOutcome(line.Number, "OverBudget", null, null, e.Message, ExitCodes.InvalidInput);
        }
        catch (VideoGenException e)
        {
            return new LineOutcome(line.Number, "Error", jobId ?? e.JobId, null, e.Message, ExitCodes.VendorError) { Resumed = resumed };
        }
        finally
        {
            if (lease is not null)
            {
                await lease.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The line's client key in the journal: the newest run that has the line (run 0 has no suffix, run n ends with
    /// <c>:run-n</c>), or the run after it with <paramref name="newRun"/>. A journal written before line identities
    /// were by content has the line under its old key (file, line number, text): that entry is used when no run has it.
    /// </summary>
    private static async Task<BatchLine> AssignKeyAsync(BatchLine line, IJobJournal journal, bool newRun, CancellationToken cancellationToken)
    {
        var latest = -1;
        while (await journal.FindByClientKeyAsync(KeyOfRun(line.Key, latest + 1), cancellationToken).ConfigureAwait(false) is not null)
        {
            latest++;
        }

        if (newRun)
        {
            return line with { Key = KeyOfRun(line.Key, latest + 1) };
        }

        if (latest < 0 && await journal.FindByClientKeyAsync(line.LegacyKey, cancellationToken).ConfigureAwait(false) is not null)
        {
            return line with { Key = line.LegacyKey };
        }

        return line with { Key = KeyOfRun(line.Key, Math.Max(latest, 0)) };
    }

    private static string KeyOfRun(string key, int run) => run == 0 ? key : $"{key}:run-{run}";

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
        catch (SubmissionOutcomeUnknownException e) when (journaling is not null && !cancellationToken.IsCancellationRequested)
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

    /// <summary>The video an earlier run downloaded for <paramref name="jobId"/>, where JobFlow.DownloadAsync names it first; null when it is not there or is not a video.</summary>
    private static string? DownloadedFile(VendorSession session, string jobId, string outDirectory)
    {
        var path = Path.Combine(outDirectory, $"{JobFlow.FileStem(session.Vendor.Id, jobId)}.mp4");

        // Only this job's proven video counts (JobFlow.IsJobsFile): a file of that name may be an error page an older
        // version saved, or another host's job with the same id.
        return JobFlow.IsJobsFile(session, jobId, path) ? Path.GetFullPath(path) : null;
    }

    /// <summary>
    /// Where <paramref name="vendor"/>'s jobs of this run are created: null for the vendor itself (the identity lines have
    /// always had), the --base-url given, or the embedded sandbox.
    /// </summary>
    private static string? Target(CliContext context, VendorInfo vendor, string? baseUrl) =>
        baseUrl is not null ? $"base-url {baseUrl.Trim().TrimEnd('/').ToLowerInvariant()}"
        : context.ApiKey(vendor) is null ? "embedded sandbox"
        : null;

    /// <summary>The lines of a batch file, each with its identity (<paramref name="targetOf"/>: where a vendor's jobs are created; null: the vendor).</summary>
    internal static IReadOnlyList<BatchLine> Parse(string path, Func<VendorInfo, string?>? targetOf = null)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new CliUsageException($"file: '{path}' does not exist.");
        }

        var lines = new List<BatchLine>();
        var problems = new List<string>();
        var occurrences = new Dictionary<string, int>(StringComparer.Ordinal);
        var number = 0;
        foreach (var text in File.ReadLines(full))
        {
            number++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            var lineProblems = ReadLine(text, out var fields);
            if (lineProblems.Count > 0)
            {
                problems.AddRange(lineProblems.Select(p => $"line {number}: {p}"));
                continue;
            }

            var vendor = VideoModelCatalog.Default.FindVendor((string?)fields.GetValueOrDefault("vendor") ?? RequestOptions.DefaultVendor)!;
            var request = new VideoGenerationRequest((string?)fields.GetValueOrDefault("prompt") ?? string.Empty)
            {
                Model = (string?)fields.GetValueOrDefault("model") ?? vendor.DefaultModel,
                DurationSeconds = (int?)fields.GetValueOrDefault("duration"),
                AspectRatio = (string?)fields.GetValueOrDefault("aspectRatio"),
                Resolution = (string?)fields.GetValueOrDefault("resolution"),
                StartImage = (Uri?)fields.GetValueOrDefault("image"),
                EndImage = (Uri?)fields.GetValueOrDefault("endImage"),
                NegativePrompt = (string?)fields.GetValueOrDefault("negativePrompt"),
            };

            // The line's identity: what it asks for (vendor and the request as parsed, so spelling and key order do not
            // count) and its occurrence among identical lines. Not its position or the file's path: inserting, reordering,
            // moving or copying the file keeps every line's identity.
            // Where the jobs are created counts too, unless it is the vendor itself (so identities of real runs stay as they were).
            var normalized = targetOf?.Invoke(vendor) is { } target
                ? JsonConvert.SerializeObject(new { vendor = vendor.Id, request, target }, Formatting.None)
                : JsonConvert.SerializeObject(new { vendor = vendor.Id, request }, Formatting.None);
            var digest = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)))[..32].ToLowerInvariant();
            var occurrence = occurrences[digest] = occurrences.GetValueOrDefault(digest) + 1;
            var key = $"batch:{vendor.Id}:{digest}:{occurrence}";
            var legacyKey = $"batch:{full}:{number}:{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16]}";
            lines.Add(new BatchLine(number, key, vendor, request, legacyKey));
        }

        if (problems.Count > 0)
        {
            throw new CliUsageException($"{path} has {Messages.Count(problems.Count, "unreadable line")}:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");
        }

        return lines.Count == 0 ? throw new CliUsageException($"{path} has no requests.") : lines;
    }

    /// <summary>
    /// The fields a batch line may hold: name, JSON type, default, what is allowed, and the other spellings read. README.md
    /// § Batch files lists exactly these (a test holds them together).
    /// </summary>
    internal static readonly IReadOnlyList<LineField> LineFields =
    [
        new("prompt", "string", "(required)", "what the video shows; not empty"),
        new("vendor", "string", RequestOptions.DefaultVendor, "elumenta, neuralbox, apiframe (also: gateway), aimlapi, oxen"),
        new("model", "string", "the vendor's default model", "a model id of the vendor (`videogen models`)"),
        new("duration", "integer", "the model's default", "whole seconds the model offers, e.g. 5"),
        new("aspectRatio", "string", "the model's default", "width:height the model offers, e.g. 16:9", "aspect_ratio"),
        new("resolution", "string", "the model's default", "a resolution the model offers, e.g. 720p"),
        new("image", "string", "none", "an absolute http(s) URL of the image the video starts from"),
        new("endImage", "string", "none", "an absolute http(s) URL of the image the video ends on"),
        new("negativePrompt", "string", "none", "what to keep out of the video, where the model takes it", "negative_prompt"),
    ];

    /// <summary>
    /// Reads one line strictly (nothing is sent for a line that is not understood): a JSON object whose every key is one of
    /// <see cref="LineFields"/>, each value of its type. <paramref name="fields"/> gets each value by the field's name
    /// (<see cref="string"/>, <see cref="int"/> or <see cref="Uri"/>); the problems name the field, the value and what is allowed.
    /// </summary>
    internal static List<string> ReadLine(string text, out Dictionary<string, object?> fields)
    {
        fields = new Dictionary<string, object?>(StringComparer.Ordinal);
        var problems = new List<string>();
        JToken token;
        try
        {
            using var reader = new JsonTextReader(new StringReader(text)) { SupportMultipleContent = true, DateParseHandling = DateParseHandling.None, FloatParseHandling = FloatParseHandling.Decimal };
            token = JToken.ReadFrom(reader, new JsonLoadSettings { DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error });
            if (reader.Read())
            {
                problems.Add("holds more than one JSON value; write one object per line, e.g. {\"prompt\": \"a red balloon\", \"duration\": 5}.");
                return problems;
            }
        }
        catch (JsonReaderException e)
        {
            var duplicate = e.Message.StartsWith("Property with the name", StringComparison.Ordinal);
            problems.Add(duplicate
                ? $"a field appears twice ({JsonWords(e)}); give each field once."
                : $"is not valid JSON ({JsonWords(e)}); write one object per line, e.g. {{\"prompt\": \"a red balloon\", \"duration\": 5}}.");
            return problems;
        }

        if (token is not JObject line)
        {
            problems.Add($"{Shown(token)} is not a JSON object; write one object per line, e.g. {{\"prompt\": \"a red balloon\", \"duration\": 5}}.");
            return problems;
        }

        foreach (var property in line.Properties())
        {
            var field = LineFields.FirstOrDefault(f => f.Name == property.Name || f.Aliases.Contains(property.Name, StringComparer.Ordinal));
            if (field is null)
            {
                problems.Add($"field '{property.Name}' is not known (its value {Shown(property.Value)} would be ignored); the fields are {string.Join(", ", LineFields.Select(f => f.Name))}.");
                continue;
            }

            if (fields.ContainsKey(field.Name))
            {
                problems.Add($"field '{property.Name}' sets {field.Name} a second time; give it once.");
                continue;
            }

            var value = property.Value;
            if (value.Type == JTokenType.Null)
            {
                fields[field.Name] = null;
                continue;
            }

            var wrongType = $"field '{property.Name}': {Shown(value)} is not allowed; give {(field.Type == "integer" ? "a whole number" : "a string")}: {field.Allowed}.";
            switch (field.Type)
            {
                case "integer" when value is JValue { Value: long n } && n is >= 0 and <= int.MaxValue:
                    fields[field.Name] = (int)n;
                    break;
                case "integer":
                    problems.Add(wrongType);
                    break;
                case "string" when value.Type != JTokenType.String:
                    problems.Add(wrongType);
                    break;
                case "string" when field.Name == "vendor" && VideoModelCatalog.Default.FindVendor((string)value!) is null:
                    problems.Add($"field 'vendor': {Shown(value)} is not a vendor; use one of {string.Join(", ", VideoModelCatalog.Default.Vendors.Select(v => v.Id))}.");
                    break;
                case "string" when field.Name is "image" or "endImage":
                    // As --image reads it: any absolute URL (the vendor's validator says which schemes it takes).
                    if (Uri.TryCreate((string)value!, UriKind.Absolute, out var uri))
                    {
                        fields[field.Name] = uri;
                    }
                    else
                    {
                        problems.Add($"field '{property.Name}': {Shown(value)} is not allowed; give {field.Allowed}, such as https://example.com/image.png.");
                    }

                    break;
                default:
                    fields[field.Name] = (string)value!;
                    break;
            }
        }

        return problems;
    }

    /// <summary>A JSON value as the line holds it, cut to 60 characters.</summary>
    private static string Shown(JToken value)
    {
        var text = value.ToString(Formatting.None);
        return text.Length > 60 ? text[..60] + "…" : text;
    }

    /// <summary>The JSON reader's words with where (position on the line), without its .NET path syntax.</summary>
    private static string JsonWords(JsonReaderException e)
    {
        var words = e.Message;
        var cut = words.IndexOf(" Path '", StringComparison.Ordinal);
        words = (cut > 0 ? words[..cut] : words).TrimEnd('.', ' ');
        return e.LinePosition > 0 ? $"{words} at character {e.LinePosition}" : words;
    }

    /// <summary>One field of a batch line.</summary>
    /// <param name="Name">The JSON key.</param>
    /// <param name="Type">The JSON type: string or integer.</param>
    /// <param name="Default">What an absent field means.</param>
    /// <param name="Allowed">What is allowed.</param>
    /// <param name="Aliases">Other spellings read (the vendors' snake_case).</param>
    internal sealed record LineField(string Name, string Type, string Default, string Allowed, params string[] Aliases);

    /// <summary>One request of the file.</summary>
    /// <param name="Number">The line number (for messages only: not part of the identity).</param>
    /// <param name="Key">The journal's client key: vendor, digest of the request, occurrence (and run).</param>
    /// <param name="Vendor">The vendor.</param>
    /// <param name="Request">The request.</param>
    /// <param name="LegacyKey">The key earlier versions gave the line (file, line number, text), to resume their journals.</param>
    internal sealed record BatchLine(int Number, string Key, VendorInfo Vendor, VideoGenerationRequest Request, string LegacyKey);

    internal sealed record LineOutcome(int Line, string Kind, string? JobId, string? File, string? Error, [property: JsonIgnore] int ExitCode)
    {
        /// <summary>Whether an earlier run had submitted the line already, so this run did not submit it again.</summary>
        public bool Resumed { get; init; }

        /// <summary>The journal's id of a submission whose outcome is unknown (for <c>videogen resume --settle/--forget</c>); null otherwise.</summary>
        public string? CorrelationId { get; init; }

        [JsonIgnore]
        public string Summary => Kind switch
        {
            "Succeeded" => $"job {JobId} → {File}{(Resumed ? " (submitted by an earlier run, not again)" : string.Empty)}",
            _ => $"{Kind.ToLowerInvariant()}{(JobId is null ? string.Empty : $" (job {JobId})")}{(CorrelationId is null ? string.Empty : $" (submission {CorrelationId})")}: {Error}",
        };
    }
}
