using System.Diagnostics;
using System.Globalization;
using Npgsql;
using VideoGen.Benchmarks.Infrastructure;
using VideoGen.Catalog;
using VideoGen.Downloads;
using VideoGen.Elumenta;
using VideoGen.Hangfire;
using VideoGen.Http;
using VideoGen.Journal;
using VideoGen.Journal.PostgreSql;
using VideoGen.Sandbox;
using VideoGen.Testing;
using VideoGen.Waiting;

namespace VideoGen.Benchmarks.ScaleOut;

/// <summary>
/// <c>scaleout</c>: the same N jobs (Elumenta on the sandbox, no faults, a fixed time scale) three ways, side by side in
/// one run: in-process (PostgreSQL journal + <see cref="VideoJobOperation"/> + download, the same concurrency as one
/// worker), then 1 and 3 <c>videogen worker</c> processes on Hangfire. Reports jobs completed per minute, PostgreSQL
/// transactions per job (the server's own count for the database, so Hangfire's storage traffic is included) and CPU
/// time per job of the processes doing the work.
/// </summary>
internal static class ScaleOutCommand
{
    private static readonly string CliDll = Path.Combine(AppContext.BaseDirectory, "VideoGen.Cli.dll");

    public static async Task<int> RunAsync(string[] args)
    {
        var options = ServeCommand.Options(args);
        var jobs = int.Parse(options.GetValueOrDefault("jobs", "120"), CultureInfo.InvariantCulture);
        var timeScale = double.Parse(options.GetValueOrDefault("time-scale", "0.01"), CultureInfo.InvariantCulture);
        var concurrency = int.Parse(options.GetValueOrDefault("workers-per-process", "8"), CultureInfo.InvariantCulture);
        var cluster = new PostgresCluster();
        await cluster.InitializeAsync().ConfigureAwait(false);
        var sandboxOptions = new SandboxOptions { TimeScale = timeScale };
        sandboxOptions.InitialCredits[VendorIds.Elumenta] = 1_000_000_000m;
        await using var sandbox = await SandboxServer.StartAsync(sandboxOptions).ConfigureAwait(false);
        var dir = Directory.CreateTempSubdirectory("videogen-scaleout-").FullName;
        try
        {
            Console.WriteLine($"scaleout: {jobs} Elumenta jobs per run on the sandbox (time scale {timeScale}, no faults), {concurrency} concurrent steps per process, PostgreSQL 15 on loopback");
            var inProcess = await InProcessAsync(cluster, sandbox, jobs, concurrency, timeScale, dir).ConfigureAwait(false);
            var one = await HangfireAsync(cluster, sandbox, jobs, concurrency, timeScale, dir, processes: 1).ConfigureAwait(false);
            var three = await HangfireAsync(cluster, sandbox, jobs, concurrency, timeScale, dir, processes: 3).ConfigureAwait(false);
            Console.WriteLine();
            Console.WriteLine("| path | processes | jobs | wall s | jobs/min | PG round trips/job | CPU ms/job |");
            Console.WriteLine("|---|---|---|---|---|---|---|");
            foreach (var row in new[] { inProcess, one, three })
            {
                Console.WriteLine("| " + string.Join(" | ", row.Cells()) + " |");
            }

            Console.WriteLine();
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Hangfire path overhead per job (1 worker process vs in-process): {one.CpuMsPerJob - inProcess.CpuMsPerJob:+0.0;-0.0} ms CPU, {one.TransactionsPerJob - inProcess.TransactionsPerJob:+0.0;-0.0} PG round trips, {one.WallMsPerJob - inProcess.WallMsPerJob:+0;-0} ms wall"));
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"3 vs 1 worker processes: jobs/min x{three.JobsPerMinute / one.JobsPerMinute:0.00}, PG round trips/job x{three.TransactionsPerJob / one.TransactionsPerJob:0.00}, CPU ms/job x{three.CpuMsPerJob / one.CpuMsPerJob:0.00}"));
            return 0;
        }
        finally
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<Measured> InProcessAsync(PostgresCluster cluster, SandboxServer sandbox, int jobs, int concurrency, double timeScale, string dir)
    {
        var db = await cluster.CreateDatabaseAsync().ConfigureAwait(false);
        await using var journal = new PostgreSqlJobJournal(db);
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        var configuration = new VendorClientConfiguration("Elumenta") { ApiKey = "bench", BaseUrl = sandbox.GetVendorBaseUrl(VendorIds.Elumenta) };
        using var generator = new JournalingVideoGenerator(new ElumentaClient(configuration, http).AsVideoGenerator(), journal, VendorIds.Elumenta);
        using var downloader = new VideoDownloader(new DownloadOptions { BlockPrivateNetworks = false });
        var wait = Wait(timeScale);
        var before = await TransactionsAsync(db).ConfigureAwait(false);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        using var gate = new SemaphoreSlim(concurrency);
        await Task.WhenAll(Enumerable.Range(0, jobs).Select(async i =>
        {
            await gate.WaitAsync().ConfigureAwait(false);
            try
            {
                var job = await generator.SubmitAsync(new VideoGenerationRequest($"in-process {i}"), new VideoGenerationOptions { ClientKey = $"in-process-{i}" }).ConfigureAwait(false);
                var done = await new VideoJobOperation(generator, job).WaitForCompletionAsync(wait).ConfigureAwait(false);
                await generator.RecordFinishedAsync(done).ConfigureAwait(false);
                await downloader.DownloadJobAsync(generator, done, Path.Combine(dir, $"in-process-{i}.mp4")).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);
        var wall = clock.Elapsed;
        var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var transactions = await TransactionsAsync(db).ConfigureAwait(false) - before;
        return new Measured("in-process (journal in PostgreSQL)", 1, jobs, wall, transactions, cpuUsed);
    }

    private static async Task<Measured> HangfireAsync(PostgresCluster cluster, SandboxServer sandbox, int jobs, int concurrency, double timeScale, string dir, int processes)
    {
        var db = await cluster.CreateDatabaseAsync().ConfigureAwait(false);
        await using var hangfire = await VideoGenHangfire.OpenAsync(new VideoGenHangfireOptions { ConnectionString = db }).ConfigureAwait(false);
        var workers = new List<Process>();
        try
        {
            for (var p = 0; p < processes; p++)
            {
                workers.Add(await StartWorkerAsync(db, sandbox, concurrency, timeScale, Path.Combine(dir, $"hangfire-{processes}")).ConfigureAwait(false));
            }

            var before = await TransactionsAsync(db).ConfigureAwait(false);
            var cpuBefore = workers.Sum(w => CpuTicks(w.Id));
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < jobs; i++)
            {
                await hangfire.Client.EnqueueAsync(VendorIds.Elumenta, new VideoGenerationRequest($"hangfire {processes} {i}"), $"h{processes}-{i}").ConfigureAwait(false);
            }

            while (true)
            {
                var all = await hangfire.Client.ListAsync().ConfigureAwait(false);
                if (all.Count == jobs && all.All(s => s.IsFinal))
                {
                    if (all.Any(s => s.State != VideoWorkState.Completed))
                    {
                        throw new InvalidOperationException($"{all.Count(s => s.State != VideoWorkState.Completed)} jobs did not complete: {all.First(s => s.State != VideoWorkState.Completed).Error}");
                    }

                    break;
                }

                await Task.Delay(100).ConfigureAwait(false);
            }

            var wall = clock.Elapsed;
            var cpuUsed = TimeSpan.FromSeconds((workers.Sum(w => CpuTicks(w.Id)) - cpuBefore) / (double)ClockTicksPerSecond);
            var transactions = await TransactionsAsync(db).ConfigureAwait(false) - before;
            return new Measured("Hangfire workers", processes, jobs, wall, transactions, cpuUsed);
        }
        finally
        {
            foreach (var worker in workers)
            {
                worker.Kill(entireProcessTree: true);
                await worker.WaitForExitAsync().ConfigureAwait(false);
                worker.Dispose();
            }
        }
    }

    private static async Task<Process> StartWorkerAsync(string db, SandboxServer sandbox, int concurrency, double timeScale, string outDir)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { CliDll, "worker", "--db", db, "--base-url", sandbox.BaseUrl.ToString(), "--workers", concurrency.ToString(CultureInfo.InvariantCulture), "--out", outDir })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment[SandboxOptions.TimeScaleEnvironmentVariable] = timeScale.ToString(CultureInfo.InvariantCulture);
        var process = Process.Start(start)!;
        var ready = new TaskCompletionSource();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("Worker running", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        return process;
    }

    private static WaitOptions Wait(double timeScale) => new()
    {
        // The same waiting policy the CLI worker uses for a local sandbox (DbCommands.Options).
        ProcessingTimeScale = timeScale,
        PollInterval = TimeSpan.FromMilliseconds(Math.Max(50, WaitOptions.DefaultPollInterval.TotalMilliseconds * timeScale * 10)),
        MaxPollInterval = TimeSpan.FromMilliseconds(Math.Max(250, WaitOptions.DefaultMaxPollInterval.TotalMilliseconds * timeScale * 10)),
    };

    /// <summary>The server's count of committed and rolled-back transactions in the database (each autocommit statement is one).</summary>
    private static async Task<long> TransactionsAsync(string db)
    {
        // The statistics are flushed by each backend about once a second: wait for them to settle.
        await Task.Delay(1500).ConfigureAwait(false);
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()", connection);
        return (long)(await command.ExecuteScalarAsync().ConfigureAwait(false))!;
    }

    private const long ClockTicksPerSecond = 100;

    /// <summary>utime + stime of a process, in clock ticks (/proc/PID/stat fields 14 and 15).</summary>
    private static long CpuTicks(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    /// <summary>One path's run; "PG round trips" are the server's transactions for the run's database (each autocommit statement is one).</summary>
    private sealed record Measured(string Path, int Processes, int Jobs, TimeSpan Wall, long Transactions, TimeSpan Cpu)
    {
        public double JobsPerMinute => Jobs / Wall.TotalMinutes;

        public double TransactionsPerJob => (double)Transactions / Jobs;

        public double CpuMsPerJob => Cpu.TotalMilliseconds / Jobs;

        public double WallMsPerJob => Wall.TotalMilliseconds / Jobs;

        public string[] Cells() =>
        [
            Path,
            Processes.ToString(CultureInfo.InvariantCulture),
            Jobs.ToString(CultureInfo.InvariantCulture),
            Wall.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture),
            JobsPerMinute.ToString("0", CultureInfo.InvariantCulture),
            TransactionsPerJob.ToString("0.0", CultureInfo.InvariantCulture),
            CpuMsPerJob.ToString("0.0", CultureInfo.InvariantCulture),
        ];
    }
}
