using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using VideoGen.Journal;
using VideoGen.ReliabilityTests.Infrastructure;
using VideoGen.Resilience;
using VideoGen.Sandbox;
using VideoGen.Waiting;
using Xunit.Abstractions;

namespace VideoGen.ReliabilityTests.FaultInjection;

/// <summary>
/// Many logical jobs through the whole client stack (generated client, <see cref="ResilienceHandler"/>, vendor adapter,
/// <see cref="JournalingVideoGenerator"/> over a <see cref="SqliteJobJournal"/>, <see cref="VideoJobOperation"/>) against
/// the in-process sandbox injecting 429 with Retry-After, 500, 503, connections dropped after a job was accepted, and
/// slow responses. The sandbox's own records prove that no logical submission was charged twice and that no job was lost.
/// </summary>
/// <remarks>
/// 1,000 jobs by default; set <c>VIDEOGEN_RELIABILITY_JOBS</c> (for example 10000) for a longer run of the same test.
/// </remarks>
public sealed partial class FaultInjectionTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>The environment variable that sets the number of logical jobs.</summary>
    public const string JobsEnvironmentVariable = "VIDEOGEN_RELIABILITY_JOBS";

    private const int DefaultJobs = 1000;
    private const int Concurrency = 32;
    private const double TimeScale = 0.002;

    /// <summary>A logical job gives up after this many refused submissions (each one proven to have created nothing).</summary>
    private const int MaxSubmissions = 20;

    /// <summary>A wait that failed on a transient read is started again this many times, as <c>videogen wait</c> would be.</summary>
    private const int MaxWaits = 3;

    private static readonly string[] Vendors = [VendorIds.Elumenta, VendorIds.Apiframe, VendorIds.AimlApi, VendorIds.Oxen];

    private readonly string _dir = Directory.CreateTempSubdirectory("videogen-reliability-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task SubmitAndWait_ThousandJobsUnderTwentyPercentFaults_AtMostOneJobPerSubmissionAndNoneLost()
    {
        var jobs = JobCount();
        var faults = new SandboxFaultOptions
        {
            RateLimitRate = 0.05,
            ServerErrorRate = 0.05,
            ServiceUnavailableRate = 0.05,
            SlowResponseRate = 0.04,
            DropAfterAcceptRate = 0.05,
            SlowResponseDelay = TimeSpan.FromMilliseconds(40),
            RetryAfter = TimeSpan.FromSeconds(1),
        };
        var sandboxOptions = new SandboxOptions { TimeScale = TimeScale, Faults = faults, Seed = 7 };
        foreach (var vendor in Vendors)
        {
            // Enough credits for the longest run: this test is about faults, not balances.
            sandboxOptions.InitialCredits[vendor] = 1_000_000_000_000m;
        }

        await using var sandbox = await SandboxServer.StartAsync(sandboxOptions);
        var journal = new SqliteJobJournal(Path.Combine(_dir, "journal.db"));
        var resilience = new ResilienceOptions { BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromSeconds(1) };
        var stacks = Vendors.ToDictionary(v => v, v => VendorStack.Create(sandbox, v, journal, resilience));
        try
        {
            var run = new Run(journal, new WaitOptions
            {
                Timeout = TimeSpan.FromMinutes(2),
                ProcessingTimeScale = TimeScale,
                PollInterval = TimeSpan.FromMilliseconds(25),
                MaxPollInterval = TimeSpan.FromMilliseconds(250),
            });

            var clock = Stopwatch.StartNew();
            using var gate = new SemaphoreSlim(Concurrency);
            var work = Enumerable.Range(0, jobs).Select(async n =>
            {
                await gate.WaitAsync();
                try
                {
                    return await run.RunAsync(n, stacks[Vendors[n % Vendors.Length]]);
                }
                finally
                {
                    gate.Release();
                }
            });
            var results = await Task.WhenAll(work).WaitAsync(TimeSpan.FromMinutes(5 + (jobs / 500)));
            clock.Stop();

            var serverJobs = sandbox.GetJobs();
            Report(jobs, clock.Elapsed, results, run, sandbox, stacks.Values, serverJobs);
            AssertAtMostOneJobPerSubmission(results, serverJobs);
            AssertNoJobLost(results, serverJobs);
            await AssertJournalAgreesAsync(results, journal);
            if (jobs >= DefaultJobs)
            {
                // A shorter run (VIDEOGEN_RELIABILITY_JOBS below 1000) may by chance meet no fault of some kind.
                AssertFaultsWereInjected(sandbox, stacks.Values, run);
            }
        }
        finally
        {
            foreach (var stack in stacks.Values)
            {
                stack.Dispose();
            }
        }
    }

    private static int JobCount() =>
        Environment.GetEnvironmentVariable(JobsEnvironmentVariable) is { Length: > 0 } text
            ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n
                : throw new ArgumentException($"{JobsEnvironmentVariable} '{text}' is not allowed; use a whole number of jobs > 0, for example 10000.")
            : DefaultJobs;

    private static void AssertAtMostOneJobPerSubmission(IReadOnlyList<LogicalResult> results, IReadOnlyList<SandboxJobSnapshot> serverJobs)
    {
        var unmarked = serverJobs.Where(j => MarkerOf(j.Prompt) is null).ToList();
        unmarked.ShouldBeEmpty("every sandbox job comes from a logical submission of this test");

        var perMarker = serverJobs.GroupBy(j => MarkerOf(j.Prompt)!).ToDictionary(g => g.Key, g => g.ToList());
        var doubles = perMarker.Where(p => p.Value.Count > 1).Select(p => $"{p.Key}: {string.Join(", ", p.Value.Select(j => $"{j.Vendor} {j.Id}"))}").ToList();
        doubles.ShouldBeEmpty("a logical submission was charged more than once");
        perMarker.Keys.Except(results.Select(r => r.Marker)).ShouldBeEmpty();
    }

    private static void AssertNoJobLost(IReadOnlyList<LogicalResult> results, IReadOnlyList<SandboxJobSnapshot> serverJobs)
    {
        var byMarker = serverJobs.ToDictionary(j => MarkerOf(j.Prompt)!);
        var problems = new List<string>();
        foreach (var r in results)
        {
            byMarker.TryGetValue(r.Marker, out var server);
            switch (r.Ending)
            {
                case Ending.Completed when server is { Phase: SandboxJobPhase.Succeeded } && server.Id == r.JobId && !r.ShouldFail:
                case Ending.Failed when server is { Phase: SandboxJobPhase.Failed } && server.Id == r.JobId && r.ShouldFail:
                    break;

                // The sandbox may or may not hold a job (dropped after acceptance, or a 500 before it): the journal keeps
                // the entry for reconciliation and the caller holds a typed error with its correlation id.
                case Ending.OutcomeUnknown when r.Error is SubmissionOutcomeUnknownException { CorrelationId: { Length: > 0 } id } && id == r.CorrelationId && !VendorExpectations.IsReconciledByListing(r.Vendor):
                    break;

                // A read failed past every retry: the caller holds a typed error with the job id, and the job is there.
                case Ending.WaitError when r.Error is { JobId: { } jobId } && jobId == r.JobId && server?.Id == jobId:
                    break;
                default:
                    problems.Add($"{r.Marker} ({r.Vendor}): ended {r.Ending}, job {r.JobId ?? "-"}, correlation {r.CorrelationId ?? "-"}, sandbox job {server?.Id ?? "none"} {server?.Phase}, error {r.Error?.GetType().Name}: {r.Error?.Message}");
                    break;
            }
        }

        problems.ShouldBeEmpty("every logical job ends completed, failed by the sandbox, or with a typed error carrying its id");
    }

    private static async Task AssertJournalAgreesAsync(IReadOnlyList<LogicalResult> results, SqliteJobJournal journal)
    {
        var problems = new List<string>();
        foreach (var r in results)
        {
            var entry = await journal.FindByClientKeyAsync(r.Marker);
            var expected = r.Ending switch
            {
                Ending.Completed => JournalState.Completed,
                Ending.Failed => JournalState.Failed,
                Ending.OutcomeUnknown => JournalState.OutcomeUnknown,
                _ => JournalState.Submitted,
            };
            if (entry is null || entry.State != expected || (r.JobId is not null && entry.JobId != r.JobId))
            {
                problems.Add($"{r.Marker}: ended {r.Ending} (job {r.JobId}) but the journal has {entry?.State.ToString() ?? "nothing"} (job {entry?.JobId})");
            }
        }

        problems.ShouldBeEmpty("the journal records how every logical job ended");
    }

    private static void AssertFaultsWereInjected(SandboxServer sandbox, IEnumerable<VendorStack> stacks, Run run)
    {
        foreach (var kind in Enum.GetValues<SandboxFaultKind>())
        {
            sandbox.Counters.FaultsInjected(kind).ShouldBeGreaterThan(0, $"the run must meet {kind} faults");
        }

        stacks.Sum(s => s.Resilience.Retries).ShouldBeGreaterThan(0, "transient read failures are retried");
        run.Reconciled.ShouldBeGreaterThan(0, "Oxen submissions whose connection dropped are found by listing its queue");
    }

    private void Report(int jobs, TimeSpan elapsed, IReadOnlyList<LogicalResult> results, Run run, SandboxServer sandbox, IEnumerable<VendorStack> stacks, IReadOnlyList<SandboxJobSnapshot> serverJobs)
    {
        var counters = sandbox.Counters;
        var requests = Vendors.Sum(counters.Requests);
        output.WriteLine($"{jobs} logical jobs, concurrency {Concurrency}, time scale {TimeScale}, in {elapsed.TotalSeconds:0.0} s");
        output.WriteLine($"  submitted: {run.Submissions} submissions for {jobs} logical jobs ({run.Refused} refused for sure and submitted again)");
        foreach (var ending in Enum.GetValues<Ending>())
        {
            var of = results.Where(r => r.Ending == ending).ToList();
            output.WriteLine($"  {ending,-15} {of.Count,6}   {string.Join("  ", Vendors.Select(v => $"{v} {of.Count(r => r.Vendor == v)}"))}");
        }

        output.WriteLine($"  reconciled: {run.Reconciled} found by listing, {run.ReconciledAbsent} shown absent (then submitted again)");
        output.WriteLine($"  waits restarted after a failed read: {run.WaitRestarts}");
        output.WriteLine($"  retries by ResilienceHandler: {stacks.Sum(s => s.Resilience.Retries)}; attempts on the wire: {stacks.Sum(s => s.Wire.Attempts.Count)}");
        output.WriteLine($"  vendor requests at the sandbox: {requests}; faults injected: {counters.TotalFaultsInjected} ({100.0 * counters.TotalFaultsInjected / Math.Max(1, requests):0.0}% of requests)");
        foreach (var kind in Enum.GetValues<SandboxFaultKind>())
        {
            output.WriteLine($"    {kind,-20} {counters.FaultsInjected(kind),6}");
        }

        output.WriteLine($"  jobs created: {counters.TotalJobsCreated} ({string.Join(", ", Vendors.Select(v => $"{v} {counters.JobsCreated(v)}"))}); sandbox jobs listed: {serverJobs.Count}");
    }

    /// <summary>The logical job's marker in a prompt: <c>#job-00042#</c>.</summary>
    internal static string? MarkerOf(string? prompt) => prompt is null ? null : MarkerPattern().Match(prompt) is { Success: true } m ? m.Value : null;

    [GeneratedRegex("#job-[0-9]+#")]
    private static partial Regex MarkerPattern();

    internal enum Ending
    {
        Completed,
        Failed,
        OutcomeUnknown,
        WaitError,
        GaveUp,
    }

    internal sealed record LogicalResult(int Number, string Vendor, string Marker, bool ShouldFail, Ending Ending, string? JobId, string? CorrelationId, VideoGenException? Error);

    /// <summary>What a user's code does for each logical job, and the counts of what happened.</summary>
    private sealed class Run(SqliteJobJournal journal, WaitOptions wait)
    {
        private int _submissions;
        private int _refused;
        private int _reconciled;
        private int _reconciledAbsent;
        private int _waitRestarts;

        public int Submissions => _submissions;

        public int Refused => _refused;

        public int Reconciled => _reconciled;

        public int ReconciledAbsent => _reconciledAbsent;

        public int WaitRestarts => _waitRestarts;

        public async Task<LogicalResult> RunAsync(int number, VendorStack stack)
        {
            var marker = $"#job-{number:D5}#";

            // One job in 25 of each vendor fails at the sandbox on purpose, so the failed ending is exercised too.
            var shouldFail = number / Vendors.Length % 25 == 3;
            var request = new VideoGenerationRequest($"A lighthouse at dusk, take {marker}{(shouldFail ? " " + SandboxOptions.FailurePromptMarker : string.Empty)}");
            var options = new VideoGenerationOptions { ClientKey = marker };
            LogicalResult End(Ending ending, string? jobId = null, string? correlationId = null, VideoGenException? error = null) =>
                new(number, stack.Vendor, marker, shouldFail, ending, jobId, correlationId, error);

            VideoJob? job = null;
            for (var attempt = 1; job is null; attempt++)
            {
                if (attempt > MaxSubmissions)
                {
                    return End(Ending.GaveUp);
                }

                Interlocked.Increment(ref _submissions);
                try
                {
                    job = await stack.Generator.SubmitAsync(request, options);
                }
                catch (SubmissionOutcomeUnknownException e)
                {
                    var entry = await journal.FindAsync(e.CorrelationId) ?? throw new InvalidOperationException($"No journal entry for {e.CorrelationId}.");
                    job = await ReconcileAsync(stack, entry);
                    if (job is not null)
                    {
                        Interlocked.Increment(ref _reconciled);
                        break;
                    }

                    if ((await journal.FindAsync(e.CorrelationId))!.State == JournalState.Rejected)
                    {
                        // The vendor's full listing shows no job from it: the journal allows a new attempt.
                        Interlocked.Increment(ref _reconciledAbsent);
                        continue;
                    }

                    return End(Ending.OutcomeUnknown, correlationId: e.CorrelationId, error: e);
                }
                catch (VideoGenException e)
                {
                    var entry = await journal.FindByClientKeyAsync(marker);
                    if (entry?.State != JournalState.Rejected)
                    {
                        throw new InvalidOperationException($"{marker}: {e.GetType().Name} left the journal in {entry?.State}; only a refusal proven to create nothing may be retried.", e);
                    }

                    // Refused for sure (429, 503): nothing was created; submit again after the vendor's Retry-After.
                    Interlocked.Increment(ref _refused);
                    var pause = e switch
                    {
                        RateLimitedException r => r.RetryAfter,
                        ServiceUnavailableException u => u.RetryAfter,
                        _ => null,
                    };
                    await Task.Delay(pause ?? TimeSpan.FromMilliseconds(10));
                }
            }

            var operation = new VideoJobOperation(stack.Generator, job);
            for (var waits = 1; ; waits++)
            {
                try
                {
                    var done = await operation.WaitForCompletionAsync(wait);
                    await stack.Generator.RecordFinishedAsync(done);
                    return End(Ending.Completed, done.Id);
                }
                catch (JobFailedException e)
                {
                    await stack.Generator.RecordFinishedAsync(e.Job);
                    return End(Ending.Failed, e.Job.Id, error: e);
                }
                catch (VideoGenException e) when (e.JobId is not null && e is not JobTimeoutException && waits < MaxWaits)
                {
                    // A read failed past every retry (a run of 500s): the job is not lost, wait for it again by its id.
                    Interlocked.Increment(ref _waitRestarts);
                    operation = stack.Generator.GetOperation(e.JobId);
                }
                catch (VideoGenException e) when (e.JobId is not null)
                {
                    return End(Ending.WaitError, job.Id, error: e);
                }
            }
        }

        private static async Task<VideoJob?> ReconcileAsync(VendorStack stack, JournalEntry entry)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await stack.Generator.ReconcileAsync(entry);
                }
                catch (VideoGenException) when (attempt < 5)
                {
                    // The listing itself met faults past its retries: ask again.
                }
            }
        }
    }
}
