using System.CommandLine;
using System.CommandLine.Invocation;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Spectre.Console;
using VideoGen.Catalog;
using VideoGen.Downloads;
using VideoGen.Hangfire;
using VideoGen.Http;
using VideoGen.Resilience;
using VideoGen.Sandbox;
using VideoGen.Validation;
using VideoGen.Waiting;

namespace VideoGen.Cli;

/// <summary>
/// The scale-out commands, on Hangfire over PostgreSQL (--db): <c>videogen worker</c> runs a worker,
/// <c>videogen batch --db</c> enqueues a batch instead of running it here, <c>videogen status --db</c> shows every
/// enqueued generation. Without --db the CLI works as before (SQLite journal, one process).
/// </summary>
internal static class DbCommands
{
    /// <summary>The default number of concurrent step runs per worker process.</summary>
    public const int DefaultWorkers = 20;

    /// <summary>The environment variable read when --db is not given to <c>videogen worker</c>.</summary>
    public const string DatabaseEnvironmentVariable = "VIDEOGEN_DB";

    public static Option<string?> DbOption() => new("--db") { Description = $"A PostgreSQL connection string (Host=...;Database=...;Username=...): enqueue as Hangfire work shared by every worker (see videogen worker) instead of running in this process." };

    public static Command Worker(CliContext context)
    {
        var db = new Option<string?>("--db") { Description = $"The PostgreSQL connection string (or {DatabaseEnvironmentVariable})." };
        var workers = CliOptions.AtLeastOne(new Option<int>("--workers") { Description = "Concurrent steps in this process (a step is a submit, one poll or a download; nothing is held while a vendor renders).", DefaultValueFactory = _ => DefaultWorkers }, "a whole number >= 1");
        var baseUrl = new Option<string?>("--base-url") { Description = "Send every vendor's requests to this host (a standalone sandbox, a proxy)." };
        var outDir = new Option<string>("--out") { Description = "Where finished videos are written, as <correlation id>.mp4.", DefaultValueFactory = _ => "videos" };
        var name = new Option<string?>("--name") { Description = "This worker's name in the Hangfire dashboard." };
        var command = new Command("worker", "Run a worker: do enqueued video generations (videogen batch --db) until stopped (Ctrl+C, SIGTERM).") { db, workers, baseUrl, outDir, name };
        command.SetAction(async (result, ct) =>
        {
            var o = context.CreateOutput(json: false);
            try
            {
                var connection = result.GetValue(db) ?? context.Variable(DatabaseEnvironmentVariable) ?? throw new CliUsageException($"--db: give the PostgreSQL connection string (or set {DatabaseEnvironmentVariable}).");
                var url = result.GetValue(baseUrl);
                var options = Options(context, connection, url);
                options.OutputDirectory = Path.GetFullPath(result.GetValue(outDir)!);
                var clients = new List<HttpClient>();
                options.Generators = vendorId =>
                {
                    var vendor = VideoModelCatalog.Default.GetVendor(vendorId);
                    var apiBase = VendorBaseUrl(vendor, url);
                    var http = new HttpClient(new ResilienceHandler { InnerHandler = new SocketsHttpHandler { AllowAutoRedirect = false } }) { Timeout = TimeSpan.FromSeconds(100) };
                    lock (clients)
                    {
                        clients.Add(http);
                    }

                    var configuration = new VendorClientConfiguration(vendor.DisplayName) { ApiKey = Key(context, vendor), BaseUrl = apiBase };
                    return VendorSession.CreateGenerator(vendor, configuration, http);
                };
                options.Credentials = vendorId =>
                {
                    var vendor = VideoModelCatalog.Default.GetVendor(vendorId);
                    return new VendorCredential(VendorBaseUrl(vendor, url), Key(context, vendor));
                };

                await using var hangfire = await VideoGenHangfire.OpenAsync(options, ct).ConfigureAwait(false);
                using var server = hangfire.StartWorker(result.GetValue(workers), result.GetValue(name), IsLocal(url) ? TimeSpan.FromMilliseconds(200) : null);
                o.Info($"[green]Worker running[/] ({result.GetValue(workers)} concurrent steps, videos to {Markup.Escape(options.OutputDirectory)}). Ctrl+C stops it; its jobs are picked up by the other workers.");
                try
                {
                    await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }

                o.Info("Worker stopping.");
                foreach (var http in clients)
                {
                    http.Dispose();
                }

                return ExitCodes.Success;
            }
            catch (Exception e) when (e is VideoGenException or CliUsageException or ArgumentException or Npgsql.NpgsqlException)
            {
                return o.Fail(e);
            }
        });
        return command;
    }

    /// <summary>videogen batch file --db: every line is validated, then enqueued; a line enqueued before is not enqueued again.</summary>
    internal static async Task<int> EnqueueBatchAsync(CliContext context, Output o, string connection, IReadOnlyList<BatchCommand.BatchLine> lines, string file, CancellationToken cancellationToken)
    {
        RequestCheck.EnsureValid(lines);

        var batch = BatchName(file);
        await using var hangfire = await VideoGenHangfire.OpenAsync(Options(context, connection, baseUrl: null), cancellationToken).ConfigureAwait(false);
        var ids = new List<object>();
        foreach (var line in lines)
        {
            var id = await hangfire.Client.EnqueueAsync(line.Vendor.Id, line.Request, CorrelationId(batch, line), batch, cancellationToken).ConfigureAwait(false);
            ids.Add(new { line = line.Number, correlationId = id, vendor = line.Vendor.Id });
        }

        o.Info($"[green]{lines.Count} generations enqueued[/] as batch [bold]{Markup.Escape(batch)}[/]; workers (videogen worker --db ...) run them. Follow them with: videogen status --db ... --batch {Markup.Escape(batch)}");
        o.Document(new { ok = true, batch, enqueued = lines.Count, lines = ids });
        return ExitCodes.Success;
    }

    /// <summary>Adds --db and --batch to <c>videogen status</c>: with --db it lists the enqueued generations instead of reading one job.</summary>
    internal static Command WithDb(Command status, CliContext context)
    {
        var db = DbOption();
        var batch = new Option<string?>("--batch") { Description = "With --db: only this batch (the batch file's name)." };
        status.Options.Add(db);
        status.Options.Add(batch);
        status.Arguments[0].Arity = ArgumentArity.ZeroOrOne;
        var single = (AsynchronousCommandLineAction)status.Action!;
        status.SetAction(async (result, ct) =>
        {
            if (result.GetValue(db) is not { } connection)
            {
                return await single.InvokeAsync(result, ct).ConfigureAwait(false);
            }

            var o = context.CreateOutput(result.GetValue<bool>("--json"));
            try
            {
                await using var hangfire = await VideoGenHangfire.OpenAsync(Options(context, connection, baseUrl: null), ct).ConfigureAwait(false);
                var id = result.GetValue<string>(status.Arguments[0].Name);
                var all = id is not null
                    ? (await hangfire.Client.GetStatusAsync(id, ct).ConfigureAwait(false) is { } one ? [one] : throw new CliUsageException($"No enqueued generation '{id}'."))
                    : await hangfire.Client.ListAsync(result.GetValue(batch), ct).ConfigureAwait(false);
                Print(o, all);
                return all.Any(s => s.State is VideoWorkState.Failed or VideoWorkState.OutcomeUnknown) ? ExitCodes.JobFailed : ExitCodes.Success;
            }
            catch (Exception e) when (e is VideoGenException or CliUsageException or ArgumentException or Npgsql.NpgsqlException)
            {
                return o.Fail(e);
            }
        });
        return status;
    }

    private static void Print(Output o, IReadOnlyList<VideoWorkStatus> all)
    {
        var table = new Table().AddColumns("correlation id", "vendor", "state", "job id", "polls", "result / reason");
        foreach (var s in all)
        {
            table.AddRow(Markup.Escape(s.CorrelationId), s.Vendor, s.State.ToString(), Markup.Escape(s.JobId ?? "-"), s.Polls.ToString(CultureInfo.InvariantCulture), Markup.Escape(s.Result ?? s.Error ?? s.VendorStatus ?? ""));
        }

        if (!o.IsJson)
        {
            o.Results.Write(table);
        }

        var counts = all.GroupBy(s => s.State).ToDictionary(g => g.Key.ToString(), g => g.Count());
        o.Result($"[bold]{all.Count} generations:[/] {string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Value} {c.Key.ToLowerInvariant()}"))}");
        o.Document(new { ok = true, total = all.Count, counts, generations = all });
    }

    private static VideoGenHangfireOptions Options(CliContext context, string connection, string? baseUrl)
    {
        var wait = new WaitOptions();
        if (IsLocal(baseUrl) && context.Variable(SandboxOptions.TimeScaleEnvironmentVariable) is { } text
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var scale) && scale is > 0 and < 1)
        {
            // A local sandbox on a fast clock: wait on its clock.
            wait.ProcessingTimeScale = scale;
            wait.PollInterval = TimeSpan.FromMilliseconds(Math.Max(50, WaitOptions.DefaultPollInterval.TotalMilliseconds * scale * 10));
            wait.MaxPollInterval = TimeSpan.FromMilliseconds(Math.Max(250, WaitOptions.DefaultMaxPollInterval.TotalMilliseconds * scale * 10));
        }

        return new VideoGenHangfireOptions
        {
            ConnectionString = connection,
            Wait = wait,
            Download = new DownloadOptions { BlockPrivateNetworks = !IsLocal(baseUrl) },
            ResubmitDelay = IsLocal(baseUrl) ? TimeSpan.FromMilliseconds(500) : VideoGenHangfireOptions.DefaultResubmitDelay,
            InvisibilityTimeout = Seconds(context, "VIDEOGEN_INVISIBILITY_SECONDS") ?? VideoGenHangfireOptions.DefaultInvisibilityTimeout,
            DistributedLockTimeout = Seconds(context, "VIDEOGEN_LOCK_TIMEOUT_SECONDS") ?? VideoGenHangfireOptions.DefaultDistributedLockTimeout,
            StepTimeout = Seconds(context, "VIDEOGEN_STEP_TIMEOUT_SECONDS") ?? VideoGenHangfireOptions.DefaultStepTimeout,
        };
    }

    /// <summary>A whole number of seconds from an environment variable (a fleet's tuning, and the tests' fast settings); null when unset or not positive.</summary>
    private static TimeSpan? Seconds(CliContext context, string variable) =>
        context.Variable(variable) is { } text && int.TryParse(text, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 ? TimeSpan.FromSeconds(seconds) : null;

    /// <summary>The batch's name: the file's name (two files of one name in different folders share a batch view, not their lines).</summary>
    private static string BatchName(string file) => Path.GetFileName(Path.GetFullPath(file));

    /// <summary>A line's correlation id: readable (batch and line number) and derived from the line's identity, so enqueueing the file again is a no-op.</summary>
    internal static string CorrelationId(string batch, BatchCommand.BatchLine line)
    {
        var prefix = batch.Length > 100 ? batch[..100] : batch;
        return $"{prefix}:{line.Number}:{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(line.Key)))[..12].ToLowerInvariant()}";
    }

    private static string Key(CliContext context, VendorInfo vendor) => context.ApiKey(vendor) ?? "videogen-local-sandbox";

    private static Uri VendorBaseUrl(VendorInfo vendor, string? baseUrl) =>
        VendorSession.VendorBaseUrl(vendor, baseUrl) is { } url ? new Uri(url) : vendor.BaseUrl;

    private static bool IsLocal(string? baseUrl) =>
        baseUrl is not null && Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) && (uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var a) && IPAddress.IsLoopback(a)));
}
