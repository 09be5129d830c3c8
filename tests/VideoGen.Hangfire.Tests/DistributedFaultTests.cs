using System.Diagnostics;
using System.Globalization;
using System.Text;
using Newtonsoft.Json;
using VideoGen.ReliabilityTests.Infrastructure;
using VideoGen.Sandbox;
using Xunit.Abstractions;

namespace VideoGen.Hangfire.Tests;

/// <summary>
/// The scale-out path end to end, with real parts only: the sandbox injecting 20% faults (429, 500, 503, connections
/// dropped after a job was accepted), a throwaway PostgreSQL, <c>videogen batch --db</c> enqueueing from its own
/// process, three <c>videogen worker</c> processes, one of them SIGKILLed mid-run and a fourth started. The sandbox's
/// own records then prove that no logical job was created twice and that none was lost.
/// </summary>
/// <remarks>
/// 60 jobs by default (1–3 minutes on a shared 2-core machine under heavy load); set <c>VIDEOGEN_DISTRIBUTED_JOBS=1000</c>
/// for the full run of the issue (passed in 6 min 18 s at load average 45–83: 880 completed, 120 outcome-unknown,
/// 912 created for 912 logical jobs).
/// </remarks>
[Collection(PostgresCollection.Name)]
public sealed class DistributedFaultTests(PostgresCluster cluster, ITestOutputHelper output) : IDisposable
{
    /// <summary>The environment variable that sets the number of logical jobs.</summary>
    public const string JobsEnvironmentVariable = "VIDEOGEN_DISTRIBUTED_JOBS";

    private const int DefaultJobs = 60;
    private const double TimeScale = 0.002;
    private static readonly string[] Vendors = [VendorIds.Elumenta, VendorIds.Gateway, VendorIds.AimlApi, VendorIds.Oxen];
    private readonly string _dir = Directory.CreateTempSubdirectory("videogen-distributed-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // It once found a live worker's step stuck for over 6 minutes after the SIGKILL (row Waiting, Hangfire job
    // Processing): the killed worker had died inside a state change, leaving Hangfire.PostgreSql's lock row for that job,
    // which is freed only after DistributedLockTimeout (10 minutes by default; VideoGen sets 1 minute, 10 s here).
    [Fact]
    public async Task Workers_TwentyPercentFaultsAndAWorkerKilled_EveryJobCreatedAtMostOnceAndNoneLost()
    {
        var jobs = int.TryParse(Environment.GetEnvironmentVariable(JobsEnvironmentVariable), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : DefaultJobs;
        var sandboxOptions = new SandboxOptions
        {
            TimeScale = TimeScale,
            Seed = 16,
            Faults = new SandboxFaultOptions { RateLimitRate = 0.05, ServerErrorRate = 0.05, ServiceUnavailableRate = 0.05, DropAfterAcceptRate = 0.05, RetryAfter = TimeSpan.FromSeconds(1) },
        };
        foreach (var vendor in Vendors)
        {
            sandboxOptions.InitialCredits[vendor] = 1_000_000_000m;
        }

        await using var sandbox = await SandboxServer.StartAsync(sandboxOptions);
        var db = await cluster.CreateDatabaseAsync();
        var file = Path.Combine(_dir, "prompts.jsonl");
        await File.WriteAllLinesAsync(file, Enumerable.Range(1, jobs).Select(i => JsonConvert.SerializeObject(new { vendor = Vendors[i % Vendors.Length], prompt = $"distributed job {i}" })));
        var environment = new Dictionary<string, string>
        {
            [SandboxOptions.TimeScaleEnvironmentVariable] = TimeScale.ToString(CultureInfo.InvariantCulture),
            ["VIDEOGEN_INVISIBILITY_SECONDS"] = "5",
            ["VIDEOGEN_LOCK_TIMEOUT_SECONDS"] = "10",
            ["VIDEOGEN_STEP_TIMEOUT_SECONDS"] = "60",
        };
        var home = Directory.CreateDirectory(Path.Combine(_dir, "home")).FullName;
        var videos = Path.Combine(_dir, "videos");
        var clock = Stopwatch.StartNew();

        using var enqueue = await CliProcess.RunAsync(home, environment, TimeSpan.FromMinutes(2), "batch", file, "--db", db, "--json");
        enqueue.ExitCode.ShouldBe(0, enqueue.StandardError + enqueue.StandardOutput);
        var enqueued = clock.Elapsed;

        var workers = new List<CliProcess>();
        try
        {
            string[] Worker(string name) => ["worker", "--db", db, "--base-url", sandbox.BaseUrl.ToString(), "--out", videos, "--workers", "8", "--name", name];
            for (var i = 1; i <= 3; i++)
            {
                workers.Add(CliProcess.Start(home, environment, Worker($"worker-{i}")));
            }

            await using var client = await VideoGenHangfire.OpenAsync(new VideoGenHangfireOptions { ConnectionString = db });
            // Generous: it only bounds a failing run (the default run takes about a minute, 1,000 jobs about 15).
            var deadline = TimeSpan.FromSeconds(Math.Max(480, jobs * 2));

            // Mid-run: a third of the jobs final, then SIGKILL one worker (no handler runs) and start another.
            await WaitAsync(client, s => s.Count(x => x.IsFinal) >= jobs / 3, deadline - clock.Elapsed, db);
            var killedAt = (await client.Client.ListAsync()).Count(x => x.IsFinal);
            workers[0].Kill();
            workers.Add(CliProcess.Start(home, environment, Worker("worker-4")));

            var all = await WaitAsync(client, s => s.Count == jobs && s.All(x => x.IsFinal), deadline - clock.Elapsed, db);
            var elapsed = clock.Elapsed;

            // The sandbox's records: every job it created, by the prompt that names the logical job.
            var created = sandbox.GetJobs().Where(j => j.Prompt is not null).GroupBy(j => j.Prompt!).ToDictionary(g => g.Key, g => g.ToList());
            var byState = all.GroupBy(s => s.State).ToDictionary(g => g.Key, g => g.Count());
            var duplicated = created.Where(c => c.Value.Count > 1).Select(c => c.Key).ToList();
            var statuses = all.ToDictionary(s => s.CorrelationId);

            output.WriteLine($"{jobs} jobs, 3 worker processes (+1 after SIGKILL of worker-1 at {killedAt} final), sandbox faults 20%: enqueued in {enqueued.TotalSeconds:0.0} s, all final after {elapsed.TotalSeconds:0.0} s");
            output.WriteLine($"  completed {byState.GetValueOrDefault(VideoWorkState.Completed)}, failed {byState.GetValueOrDefault(VideoWorkState.Failed)}, outcome unknown {byState.GetValueOrDefault(VideoWorkState.OutcomeUnknown)}, lost (not final) {all.Count(s => !s.IsFinal)}");
            output.WriteLine($"  sandbox: jobs created {sandbox.Counters.TotalJobsCreated} for {created.Count} logical jobs; created twice: {duplicated.Count}; faults injected {sandbox.Counters.TotalFaultsInjected} ({string.Join(", ", Enum.GetValues<SandboxFaultKind>().Select(k => $"{k} {sandbox.Counters.FaultsInjected(k)}"))})");

            all.Count.ShouldBe(jobs, "every line was enqueued once");
            all.ShouldAllBe(s => s.IsFinal, "no job lost: every one completed, failed or is reported outcome-unknown");
            duplicated.ShouldBeEmpty("no logical job was created twice at the sandbox");
            sandbox.Counters.TotalJobsCreated.ShouldBe(created.Values.Sum(v => v.Count));
            sandbox.Counters.FaultsInjected(SandboxFaultKind.ConnectionDropped).ShouldBeGreaterThan(0);
            foreach (var status in all)
            {
                var prompt = $"distributed job {status.CorrelationId.Split(':')[1]}";
                var jobsForPrompt = created.GetValueOrDefault(prompt) ?? [];
                switch (status.State)
                {
                    case VideoWorkState.Completed:
                        jobsForPrompt.Count.ShouldBe(1, $"{status.CorrelationId} completed: created exactly once");
                        jobsForPrompt[0].Id.ShouldBe(status.JobId, status.CorrelationId);
                        File.Exists(status.Result!).ShouldBeTrue(status.CorrelationId);
                        break;
                    case VideoWorkState.Failed:
                        status.Error.ShouldNotBeNullOrWhiteSpace($"{status.CorrelationId} failed with its reason");
                        break;
                    case VideoWorkState.OutcomeUnknown:
                        status.Error.ShouldNotBeNull().ShouldContain("journal entry", customMessage: status.CorrelationId);
                        jobsForPrompt.Count.ShouldBeLessThanOrEqualTo(1, status.CorrelationId);
                        break;
                }
            }

            byState.GetValueOrDefault(VideoWorkState.Completed).ShouldBeGreaterThan(jobs / 2, "most jobs get through 20% faults");
            workers.Skip(1).ShouldAllBe(w => !w.HasExited, "the surviving workers ran to the end");
        }
        finally
        {
            foreach (var worker in workers)
            {
                worker.Dispose();
            }
        }
    }

    private async Task<IReadOnlyList<VideoWorkStatus>> WaitAsync(VideoGenHangfire client, Func<IReadOnlyList<VideoWorkStatus>, bool> condition, TimeSpan timeout, string db)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var all = await client.Client.ListAsync();
            if (condition(all))
            {
                return all;
            }

            if (clock.Elapsed > timeout)
            {
                var summary = new StringBuilder();
                foreach (var group in all.GroupBy(s => s.State))
                {
                    summary.Append(CultureInfo.InvariantCulture, $"{group.Key} {group.Count()}; ");
                }

                output.WriteLine($"timed out: {summary}");
                foreach (var stuck in all.Where(s => !s.IsFinal).Take(10))
                {
                    output.WriteLine($"  {stuck.CorrelationId} {stuck.State} job {stuck.JobId} polls {stuck.Polls} hangfire {stuck.HangfireJobId}: {stuck.Error}");
                }

                // Hangfire's lock rows (a killed worker's are left behind) and the fetched queue entries, to see what holds them.
                await using var connection = new Npgsql.NpgsqlConnection(db);
                await connection.OpenAsync();
                await using var locks = new Npgsql.NpgsqlCommand("SELECT resource || ' since ' || acquired FROM hangfire.lock UNION ALL SELECT 'queue: job ' || jobid || ' fetched at ' || fetchedat FROM hangfire.jobqueue WHERE fetchedat IS NOT NULL", connection);
                await using (var reader = await locks.ExecuteReaderAsync())
                {
                    while (await reader.ReadAsync())
                    {
                        output.WriteLine($"  {reader.GetString(0)}");
                    }
                }

                throw new TimeoutException($"Not every job final after {timeout}: {summary}");
            }

            await Task.Delay(250);
        }
    }
}
