using System.Diagnostics;
using System.Globalization;
using Newtonsoft.Json.Linq;
using VideoGen.ReliabilityTests.Infrastructure;
using VideoGen.Sandbox;
using Xunit.Abstractions;

namespace VideoGen.ReliabilityTests.Cli;

/// <summary>
/// <c>videogen batch</c> as a user runs it against a sandbox that outlives it (here, in this test process): killed with
/// SIGKILL in the middle of a batch, then <c>videogen resume</c>, then the same batch again, every line ends with its MP4,
/// the sandbox created one job per line and nothing was lost. The kill moment is chosen under the journal's write lock,
/// so it is the same every run. Submissions whose connection drops after acceptance are settled where the vendor can
/// list its jobs and kept unknown (never resent) where it cannot.
/// </summary>
public sealed class BatchRecoveryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const double TimeScale = 0.002;
    private static readonly TimeSpan CliTimeout = TimeSpan.FromMinutes(3);
    private static readonly string[] Vendors = [VendorIds.Elumenta, VendorIds.Apiframe, VendorIds.AimlApi, VendorIds.Oxen];

    private readonly string _dir = Directory.CreateTempSubdirectory("videogen-kill-").FullName;
    private readonly SandboxFaultOptions _faults = new();
    private SandboxServer _sandbox = null!;

    private string Home => Path.Combine(_dir, "home");

    private string Out => Path.Combine(_dir, "videos");

    private string JournalPath => Path.Combine(Home, "journal.db");

    private Dictionary<string, string> Environment => new() { [SandboxOptions.TimeScaleEnvironmentVariable] = TimeScale.ToString(CultureInfo.InvariantCulture) };

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Home);
        var options = new SandboxOptions { TimeScale = TimeScale, Faults = _faults };
        foreach (var vendor in Vendors)
        {
            options.InitialCredits[vendor] = 1_000_000_000m;
        }

        _sandbox = await SandboxServer.StartAsync(options);
    }

    public async Task DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Batch_KilledWhileJobsRunThenResumedAndRerun_EveryLineDownloadedOnceAndChargedOnce()
    {
        var file = WriteBatch("harbour", 40, Vendors);

        // Killed while jobs run at the vendor and no submission is in flight: nothing is ambiguous, so every line must end well.
        var atKill = await RunAndKillAsync(file, afterJobs: 12, rows => rows.Any(r => r.State == "Submitted") && rows.All(r => r.State != "Intent"));

        atKill.Count(r => r.State == "Submitted").ShouldBeGreaterThan(0, "some jobs were left running for resume");
        await ResumeAsync(expectedSettled: atKill.Count(r => r.State == "Submitted"));
        await RerunAndAssertEveryLineDownloadedOnceAsync(file, 40);
    }

    [Fact]
    public async Task Batch_KilledBetweenOxenAcceptingAJobAndTheJournalRecordingIt_ResumeFindsTheJobByListing()
    {
        var file = WriteBatch("lantern", 16, [VendorIds.Oxen]);

        // Killed after an intent was recorded and its request sent, before the job id was journaled: the CLI never
        // learned the id. Oxen lists its queue, so resume finds the job instead of submitting it again.
        var atKill = await RunAndKillAsync(file, afterJobs: 6, rows => rows.Any(r => r.State == "Intent"), holdBeforeKill: TimeSpan.FromMilliseconds(300));

        var unknown = atKill.Where(r => r.State == "Intent").ToList();
        unknown.ShouldNotBeEmpty();
        var resumed = await ResumeAsync(expectedSettled: atKill.Count(r => r.State is "Intent" or "Submitted"));
        foreach (var row in unknown)
        {
            var created = _sandbox.GetJobs(VendorIds.Oxen).Where(j => j.Prompt == row.Prompt).ToList();
            var entry = resumed.Single(e => (string?)e["correlationId"] == row.CorrelationId);
            if (created.Count == 1)
            {
                ((string?)entry["state"]).ShouldBe("Completed", $"the job the killed CLI never heard of is found: {entry}");
                ((string?)entry["jobId"]).ShouldBe(created[0].Id);
            }
            else
            {
                ((string?)entry["state"]).ShouldBe("NotCreated", $"the request never reached the vendor: {entry}");
            }
        }

        await RerunAndAssertEveryLineDownloadedOnceAsync(file, 16);
    }

    [Fact]
    public async Task Batch_EverySubmissionDroppedAfterAcceptance_OxenLinesFoundByListingOthersKeptUnknownNeverResent()
    {
        var file = WriteBatch("lighthouse", 9, [VendorIds.Oxen, VendorIds.Oxen, VendorIds.Apiframe]);
        _faults.DropAfterAcceptRate = 1;

        using var batch = await CliProcess.RunAsync(Home, Environment, CliTimeout, "batch", file, "--base-url", _sandbox.BaseUrl.ToString(), "--concurrency", "4", "--out", Out, "--json");

        var lines = ((JArray)Document(batch)["lines"]!).Cast<JObject>().ToList();
        output.WriteLine($"batch exit code {batch.ExitCode}: {string.Join(", ", lines.GroupBy(l => (string?)l["kind"]).Select(g => $"{g.Count()} {g.Key}"))}; {_sandbox.Counters.FaultsInjected(SandboxFaultKind.ConnectionDropped)} connections dropped");
        batch.ExitCode.ShouldBe(3, "the gateway lines' outcome is unknown");
        _sandbox.Counters.FaultsInjected(SandboxFaultKind.ConnectionDropped).ShouldBe(9, "every submission was sent once and dropped once");
        var journal = JournalLock.ReadAll(JournalPath);
        foreach (var line in lines)
        {
            var number = (int)line["line"]!;
            var job = _sandbox.GetJobs().Where(j => j.Prompt!.Contains(Marker(number), StringComparison.Ordinal)).ShouldHaveSingleItem($"line {number}: one job, whatever the client saw");
            var entry = journal.Single(r => r.Prompt.Contains(Marker(number), StringComparison.Ordinal));
            if (VendorExpectations.IsReconciledByListing(job.Vendor))
            {
                ((string?)line["kind"]).ShouldBe("Succeeded", $"Oxen lists its queue, so the dropped submission's job is found: {line}");
                ((string?)line["jobId"]).ShouldBe(job.Id);
                AssertMp4((string)line["file"]!);
            }
            else
            {
                ((string?)line["kind"]).ShouldBe("OutcomeUnknown", line.ToString());
                entry.State.ShouldBe("OutcomeUnknown");
                ((string)line["error"]!).ShouldContain(entry.CorrelationId, customMessage: "the line names the submission to settle");
            }
        }

        // Resume and a rerun settle nothing they cannot prove, and send nothing again.
        _faults.DropAfterAcceptRate = 0;
        using var resume = await CliProcess.RunAsync(Home, Environment, CliTimeout, "resume", "--base-url", _sandbox.BaseUrl.ToString(), "--out", Out, "--json");
        resume.ExitCode.ShouldBe(3);
        ((JArray)Document(resume)["entries"]!).Select(e => (string?)e["state"]).ShouldAllBe(state => state == "OutcomeUnknown");
        using var rerun = await CliProcess.RunAsync(Home, Environment, CliTimeout, "batch", file, "--base-url", _sandbox.BaseUrl.ToString(), "--concurrency", "4", "--out", Out, "--json");
        rerun.ExitCode.ShouldBe(3);
        _sandbox.Counters.TotalJobsCreated.ShouldBe(9, "an unknown outcome is never resubmitted blindly");
        Directory.GetFiles(Out, "*.mp4").Length.ShouldBe(6, "the Oxen videos, each downloaded once");
    }

    private string WriteBatch(string subject, int lines, IReadOnlyList<string> vendors)
    {
        var path = Path.Combine(_dir, $"{subject}.jsonl");
        File.WriteAllLines(path, Enumerable.Range(1, lines).Select(n => new JObject
        {
            ["vendor"] = vendors[(n - 1) % vendors.Count],
            ["prompt"] = $"A {subject} at dawn {Marker(n)}",
        }.ToString(Newtonsoft.Json.Formatting.None)));
        return path;
    }

    /// <summary>
    /// Starts the batch and kills it (SIGKILL) once the sandbox has <paramref name="afterJobs"/> jobs and the journal,
    /// read under its write lock, satisfies <paramref name="killWhen"/>. The lock is held through the kill, so the CLI
    /// can start no submission between the look and the kill.
    /// </summary>
    /// <returns>The journal as it was at the kill.</returns>
    private async Task<IReadOnlyList<JournalRow>> RunAndKillAsync(string file, int afterJobs, Func<IReadOnlyList<JournalRow>, bool> killWhen, TimeSpan? holdBeforeKill = null)
    {
        var clock = Stopwatch.StartNew();
        using var cli = CliProcess.Start(Home, Environment, "batch", file, "--base-url", _sandbox.BaseUrl.ToString(), "--concurrency", "4", "--out", Out, "--json");
        while (true)
        {
            cli.HasExited.ShouldBeFalse($"the batch ended before the test could kill it.{System.Environment.NewLine}{cli.StandardOutput}{cli.StandardError}");
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromMinutes(2), "the kill moment never came");
            if (_sandbox.GetJobs().Count >= afterJobs && JournalLock.TryTake(JournalPath) is { } held)
            {
                using (held)
                {
                    if (killWhen(held.Rows))
                    {
                        if (holdBeforeKill is { } hold)
                        {
                            // Lets a request already sent reach the sandbox; its answer cannot be journaled meanwhile.
                            await Task.Delay(hold);
                        }

                        var rows = held.Rows;
                        cli.Kill();
                        await cli.WaitForExitAsync(TimeSpan.FromSeconds(30));
                        output.WriteLine($"killed after {clock.Elapsed.TotalSeconds:0.0} s (exit code {cli.ExitCode}): {_sandbox.GetJobs().Count} sandbox jobs; journal {Summary(rows)}");
                        return rows;
                    }
                }
            }

            await Task.Delay(2);
        }
    }

    /// <summary>Runs <c>videogen resume</c> and checks it settled every unfinished entry.</summary>
    private async Task<IReadOnlyList<JObject>> ResumeAsync(int expectedSettled)
    {
        var clock = Stopwatch.StartNew();
        using var resume = await CliProcess.RunAsync(Home, Environment, CliTimeout, "resume", "--base-url", _sandbox.BaseUrl.ToString(), "--out", Out, "--json");
        var document = Document(resume);
        var entries = ((JArray)document["entries"]!).Cast<JObject>().ToList();
        output.WriteLine($"resume in {clock.Elapsed.TotalSeconds:0.0} s, exit code {resume.ExitCode}: {string.Join(", ", entries.GroupBy(e => (string?)e["state"]).Select(g => $"{g.Count()} {g.Key}"))}");
        resume.ExitCode.ShouldBe(0, resume.StandardOutput + resume.StandardError);
        entries.Count.ShouldBe(expectedSettled);
        foreach (var entry in entries.Where(e => (string?)e["state"] == "Completed"))
        {
            AssertMp4((string)entry["detail"]!);
        }

        return entries;
    }

    private async Task RerunAndAssertEveryLineDownloadedOnceAsync(string file, int lineCount)
    {
        var clock = Stopwatch.StartNew();
        using var rerun = await CliProcess.RunAsync(Home, Environment, CliTimeout, "batch", file, "--base-url", _sandbox.BaseUrl.ToString(), "--concurrency", "4", "--out", Out, "--json");
        var document = Document(rerun);
        var lines = ((JArray)document["lines"]!).Cast<JObject>().ToList();
        output.WriteLine($"batch again in {clock.Elapsed.TotalSeconds:0.0} s, exit code {rerun.ExitCode}: {string.Join(", ", lines.GroupBy(l => (string?)l["kind"]).Select(g => $"{g.Count()} {g.Key}"))}");

        rerun.ExitCode.ShouldBe(0, rerun.StandardOutput + rerun.StandardError);
        lines.Count.ShouldBe(lineCount);
        var jobsByMarker = _sandbox.GetJobs().GroupBy(j => FaultInjection.FaultInjectionTests.MarkerOf(j.Prompt) ?? "(none)").ToDictionary(g => g.Key, g => g.ToList());
        foreach (var line in lines)
        {
            var number = (int)line["line"]!;
            ((string?)line["kind"]).ShouldBe("Succeeded", line.ToString());
            var jobs = jobsByMarker.GetValueOrDefault(Marker(number)) ?? [];
            jobs.Count.ShouldBe(1, $"line {number} was charged {jobs.Count} times");
            ((string?)line["jobId"]).ShouldBe(jobs[0].Id, $"line {number} ends with the one job the sandbox created for it");
            AssertMp4((string)line["file"]!);
        }

        _sandbox.Counters.TotalJobsCreated.ShouldBe(lineCount, "one job per line, whatever was killed and run again");
        var videos = Directory.GetFiles(Out, "*.mp4");
        videos.Length.ShouldBe(lineCount, $"every video downloaded once, none again: {string.Join(", ", videos.Select(Path.GetFileName))}");
        JournalLock.ReadAll(JournalPath).Select(r => r.State).Distinct().ShouldBe(["Completed"]);
    }

    private static JObject Document(CliProcess cli)
    {
        var text = cli.StandardOutput;
        var start = text.IndexOf('{', StringComparison.Ordinal);
        start.ShouldBeGreaterThanOrEqualTo(0, $"no JSON document from videogen (exit code {cli.ExitCode}): {text}{cli.StandardError}");
        return JObject.Parse(text[start..]);
    }

    /// <summary>A whole MP4: the file exists and starts with an ftyp box.</summary>
    private static void AssertMp4(string path)
    {
        File.Exists(path).ShouldBeTrue(path);
        var head = new byte[8];
        using (var stream = File.OpenRead(path))
        {
            stream.ReadExactly(head);
        }

        System.Text.Encoding.ASCII.GetString(head, 4, 4).ShouldBe("ftyp", $"{path} is an MP4");
    }

    private static string Marker(int line) => $"#job-{line:D5}#";

    private static string Summary(IEnumerable<JournalRow> rows) =>
        string.Join(", ", rows.GroupBy(r => r.State).Select(g => $"{g.Count()} {g.Key}"));
}
