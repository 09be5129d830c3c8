using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using VideoGen.ReliabilityTests.Infrastructure;
using VideoGen.Sandbox;
using VideoGen.Waiting;

namespace VideoGen.Hangfire.Tests;

/// <summary><c>videogen status --db</c> as a real process against a real PostgreSQL, after <c>videogen batch --db</c> enqueued the lines.</summary>
[Collection(PostgresCollection.Name)]
public sealed class StatusCommandTests(PostgresCluster cluster) : IDisposable
{
    private const double TimeScale = 0.002;
    private readonly string _dir = Directory.CreateTempSubdirectory("videogen-status-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task StatusDb_BatchQueuedThenWorkedWithOneOutcomeUnknown_ListsEveryGenerationWithItsStateAndExitCode()
    {
        var sandboxOptions = new SandboxOptions { TimeScale = TimeScale };
        sandboxOptions.InitialCredits[VendorIds.Elumenta] = 1_000_000m;
        sandboxOptions.InitialCredits[VendorIds.Gateway] = 1_000_000m;
        await using var sandbox = await SandboxServer.StartAsync(sandboxOptions);
        var db = await cluster.CreateDatabaseAsync();
        var home = Directory.CreateDirectory(Path.Combine(_dir, "home")).FullName;
        var file = Path.Combine(_dir, "status-batch.jsonl");
        await File.WriteAllLinesAsync(file, Enumerable.Range(1, 3).Select(i => JsonConvert.SerializeObject(new { vendor = i == 2 ? VendorIds.Gateway : VendorIds.Elumenta, prompt = $"status line {i}" })));
        var environment = new Dictionary<string, string>();

        using (var enqueue = await CliProcess.RunAsync(home, environment, TimeSpan.FromMinutes(2), "batch", file, "--db", db, "--json"))
        {
            enqueue.ExitCode.ShouldBe(0, enqueue.StandardError + enqueue.StandardOutput);
        }

        var queued = await StatusAsync(home, environment, 0, "status", "--db", db, "--batch", "status-batch.jsonl", "--json");
        queued["total"]!.Value<int>().ShouldBe(3);
        Counts(queued).ShouldBe("queued 3");

        // Work them in this process: the first one's create answer is lost after the sandbox accepted it (outcome unknown).
        await using var hangfire = await VideoGenHangfire.OpenAsync(new VideoGenHangfireOptions
        {
            ConnectionString = db,
            Generators = vendor => SandboxGenerators.Create(sandbox, vendor),
            OutputDirectory = Path.Combine(_dir, "videos"),
            Download = new Downloads.DownloadOptions { BlockPrivateNetworks = false },
            Wait = new WaitOptions { ProcessingTimeScale = TimeScale, PollInterval = TimeSpan.FromMilliseconds(50), MaxPollInterval = TimeSpan.FromMilliseconds(300) },
            ResubmitDelay = TimeSpan.FromMilliseconds(100),
        });
        var ids = (await hangfire.Client.ListAsync("status-batch.jsonl")).Select(s => s.CorrelationId).ToList();
        sandboxOptions.Faults.DropAfterAcceptRate = 1;
        var first = ids.Single(i => i.Contains(":1:", StringComparison.Ordinal));
        for (var i = 0; i < 3; i++)
        {
            await hangfire.CreateSteps().RunAsync(first, null, default);
        }

        sandboxOptions.Faults.DropAfterAcceptRate = 0;
        hangfire.StartWorker(workerCount: 2, schedulePollingInterval: TimeSpan.FromMilliseconds(100));
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!(await hangfire.Client.ListAsync("status-batch.jsonl")).All(s => s.IsFinal))
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "every generation final");
            await Task.Delay(100);
        }

        var worked = await StatusAsync(home, environment, 4, "status", "--db", db, "--batch", "status-batch.jsonl", "--json");
        worked["total"]!.Value<int>().ShouldBe(3);
        Counts(worked).ShouldBe("completed 2, outcomeUnknown 1");
        var generations = worked["generations"]!.Children<JObject>().ToDictionary(g => g["correlationId"]!.Value<string>()!);
        generations.Keys.ShouldBe(ids, ignoreOrder: true);
        generations[first]["state"]!.Value<string>().ShouldBe("outcomeUnknown");
        generations[first]["error"]!.Value<string>().ShouldNotBeNull().ShouldContain("journal entry");
        foreach (var done in generations.Values.Where(g => g["state"]!.Value<string>() == "completed"))
        {
            File.Exists(done["result"]!.Value<string>()).ShouldBeTrue();
            done["jobId"]!.Value<string>().ShouldNotBeNullOrEmpty();
        }

        // One generation by its id, as a table; and an id nobody enqueued.
        var second = ids.Single(i => i.Contains(":2:", StringComparison.Ordinal));
        using (var one = await CliProcess.RunAsync(home, environment, TimeSpan.FromMinutes(2), "status", second, "--db", db))
        {
            one.ExitCode.ShouldBe(0, one.StandardError + one.StandardOutput);
            one.StandardOutput.ShouldContain(second);
            one.StandardOutput.ShouldContain("Completed");
            one.StandardOutput.ShouldNotContain(first);
        }

        using var missing = await CliProcess.RunAsync(home, environment, TimeSpan.FromMinutes(2), "status", "no-such-generation", "--db", db);
        missing.ExitCode.ShouldNotBe(0);
        (missing.StandardError + missing.StandardOutput).ShouldContain("No enqueued generation 'no-such-generation'");
    }

    private static async Task<JObject> StatusAsync(string home, Dictionary<string, string> environment, int exitCode, params string[] arguments)
    {
        using var status = await CliProcess.RunAsync(home, environment, TimeSpan.FromMinutes(2), arguments);
        status.ExitCode.ShouldBe(exitCode, status.StandardError + status.StandardOutput);
        return JObject.Parse(status.StandardOutput);
    }

    private static string Counts(JObject status) =>
        string.Join(", ", ((JObject)status["counts"]!).Properties().OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => $"{p.Name} {p.Value.Value<int>()}"));
}
