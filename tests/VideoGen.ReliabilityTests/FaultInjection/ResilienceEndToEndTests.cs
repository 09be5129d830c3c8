using System.Diagnostics;
using VideoGen.Journal;
using VideoGen.ReliabilityTests.Infrastructure;
using VideoGen.Resilience;
using VideoGen.Sandbox;
using VideoGen.Waiting;

namespace VideoGen.ReliabilityTests.FaultInjection;

/// <summary>
/// <see cref="ResilienceHandler"/> and the journal against the sandbox's real faults, one fault at a time: what the
/// sandbox counted and what reached the wire (a <see cref="WireTap"/> under the retry handler sees every attempt).
/// </summary>
public sealed class ResilienceEndToEndTests : IAsyncLifetime
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(200);

    private readonly string _dir = Directory.CreateTempSubdirectory("videogen-resilience-").FullName;
    private readonly SandboxFaultOptions _faults = new() { RetryAfter = RetryAfter };
    private SandboxServer _sandbox = null!;
    private SqliteJobJournal _journal = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 0.002, Faults = _faults });
        _journal = new SqliteJobJournal(Path.Combine(_dir, "journal.db"));
    }

    public async Task DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Theory]
    [InlineData(VendorIds.Elumenta, 429)]
    [InlineData(VendorIds.Apiframe, 503)]
    [InlineData(VendorIds.AimlApi, 429)]
    [InlineData(VendorIds.Oxen, 503)]
    public async Task GetJobAsync_SandboxAnswersWithRetryAfter_RetriedOnceAfterThatWait(string vendor, int status)
    {
        using var stack = Stack(vendor);
        var job = await stack.Generator.SubmitAsync(new VideoGenerationRequest("A kite over dunes"));
        FaultOnce(stack, status);

        var read = await stack.Generator.GetJobAsync(job.Id);

        read.Id.ShouldBe(job.Id);
        var gets = stack.Wire.Attempts.Where(a => a.Method == "GET").ToList();
        gets.Select(a => a.Status).ShouldBe([status, 200]);
        (gets[1].SentAt - gets[0].SentAt).ShouldBeGreaterThanOrEqualTo(RetryAfter - TimeSpan.FromMilliseconds(20), "the sandbox's Retry-After is honoured");
        stack.Resilience.Retries.ShouldBe(1);
    }

    [Fact]
    public async Task GetJobAsync_SandboxAnswers500_RetriedAfterTheBackoff()
    {
        using var stack = Stack(VendorIds.Apiframe);
        var job = await stack.Generator.SubmitAsync(new VideoGenerationRequest("A kite over dunes"));
        FaultOnce(stack, 500);

        await stack.Generator.GetJobAsync(job.Id);

        var gets = stack.Wire.Attempts.Where(a => a.Method == "GET").ToList();
        gets.Select(a => a.Status).ShouldBe([500, 200]);
        (gets[1].SentAt - gets[0].SentAt).ShouldBeGreaterThanOrEqualTo(BaseDelay - TimeSpan.FromMilliseconds(20));
        _sandbox.Counters.FaultsInjected(SandboxFaultKind.ServerError).ShouldBe(1);
    }

    [Theory]
    [InlineData(VendorIds.Elumenta)]
    [InlineData(VendorIds.Apiframe)]
    [InlineData(VendorIds.AimlApi)]
    [InlineData(VendorIds.Oxen)]
    public async Task SubmitAsync_ConnectionDroppedAfterAcceptance_SentOnceAndOutcomeUnknownCarriesTheCorrelationId(string vendor)
    {
        using var stack = Stack(vendor);

        // A first job, so the dropped POST goes out on a pooled, reused connection (where an HTTP stack may be
        // tempted to resend a request that got no answer).
        await stack.Generator.SubmitAsync(new VideoGenerationRequest("Warm-up"));
        _faults.DropAfterAcceptRate = 1;
        var request = new VideoGenerationRequest("A kite over dunes #dropped#");
        var options = new VideoGenerationOptions { ClientKey = "dropped" };

        var error = await Should.ThrowAsync<SubmissionOutcomeUnknownException>(() => stack.Generator.SubmitAsync(request, options));
        _faults.DropAfterAcceptRate = 0;

        stack.Wire.Attempts.Count(a => a.Method == "POST").ShouldBe(2, "the warm-up and the dropped submission, each sent once");
        stack.Wire.Attempts.Last(a => a.Method == "POST").Error.ShouldBeOfType<HttpRequestException>();
        var created = _sandbox.GetJobs(vendor).Where(j => j.Prompt == request.Prompt).ToList();
        created.Count.ShouldBe(1, "the sandbox created the job once although the client saw no answer");
        _sandbox.Counters.FaultsInjected(SandboxFaultKind.ConnectionDropped).ShouldBe(1);

        var entry = (await _journal.FindByClientKeyAsync("dropped")).ShouldNotBeNull();
        error.CorrelationId.ShouldBe(entry.CorrelationId);
        error.Message.ShouldContain(entry.CorrelationId);
        entry.State.ShouldBe(JournalState.OutcomeUnknown);

        var again = await Should.ThrowAsync<SubmissionOutcomeUnknownException>(() => stack.Generator.SubmitAsync(request, options));
        again.CorrelationId.ShouldBe(entry.CorrelationId);
        stack.Wire.Attempts.Count(a => a.Method == "POST").ShouldBe(2, "an unsettled client key is never resent");

        var reconciled = await stack.Generator.ReconcileAsync(entry);
        if (VendorExpectations.IsReconciledByListing(vendor))
        {
            // Oxen lists its queue with each job's prompt: the job is found and claimed; the same client key then returns it.
            // (Apiframe lists jobs too, but without anything unique to the request: it is not reconciled automatically.)
            reconciled.ShouldNotBeNull().Id.ShouldBe(created[0].Id);
            (await stack.Generator.SubmitAsync(request, options)).Id.ShouldBe(created[0].Id);
            stack.Wire.Attempts.Count(a => a.Method == "POST").ShouldBe(2);
        }
        else
        {
            reconciled.ShouldBeNull("the vendor cannot list jobs, so the entry stays for a person to settle");
            (await _journal.FindAsync(entry.CorrelationId))!.State.ShouldBe(JournalState.OutcomeUnknown);
        }

        _sandbox.GetJobs(vendor).Count(j => j.Prompt == request.Prompt).ShouldBe(1);
    }

    [Fact]
    public async Task SubmitAsync_SandboxAnswers429_ResentAfterRetryAfterUnderTheSameIntentAndCreatedOnce()
    {
        using var stack = Stack(VendorIds.Elumenta);
        FaultOnce(stack, 429);

        // A 429 proves nothing was accepted: the handler waits out Retry-After and sends the same create again.
        var job = await stack.Generator.SubmitAsync(new VideoGenerationRequest("A kite"), new VideoGenerationOptions { ClientKey = "k" });

        stack.Wire.Attempts.Where(a => a.Method == "POST").Select(a => a.Status).ShouldBe([429, 200]);
        _sandbox.Counters.JobsCreated(VendorIds.Elumenta).ShouldBe(1);
        var entry = (await _journal.FindByClientKeyAsync("k")).ShouldNotBeNull();
        entry.State.ShouldBe(JournalState.Submitted);
        entry.JobId.ShouldBe(job.Id);
    }

    [Theory]
    [InlineData(503, JournalState.OutcomeUnknown)]
    [InlineData(500, JournalState.OutcomeUnknown)]
    public async Task SubmitAsync_SandboxAnswersFaultStatus_PostSentOnceAndJournaledByWhatItProves(int status, JournalState expected)
    {
        using var stack = Stack(VendorIds.Elumenta);
        FaultOnce(stack, status);

        var error = await Should.ThrowAsync<VideoGenException>(() => stack.Generator.SubmitAsync(new VideoGenerationRequest("A kite"), new VideoGenerationOptions { ClientKey = "k" }));

        stack.Wire.Attempts.Where(a => a.Method == "POST").Select(a => a.Status).ShouldBe([status], "a create request is never resent by the retry handler");
        _sandbox.Counters.JobsCreated(VendorIds.Elumenta).ShouldBe(0);
        (await _journal.FindByClientKeyAsync("k"))!.State.ShouldBe(expected);
        if (expected == JournalState.OutcomeUnknown)
        {
            // A 5xx does not prove the vendor refused (a proxy may answer 503 after forwarding): unknown, never resent.
            error.ShouldBeOfType<SubmissionOutcomeUnknownException>().CorrelationId.ShouldBe((await _journal.FindByClientKeyAsync("k"))!.CorrelationId);
        }
    }

    [Fact]
    public async Task WaitForCompletionAsync_EveryReadRateLimited_NoRetryStartsPastTheWaitTimeout()
    {
        await using var slow = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 1, Faults = _faults });
        _faults.RetryAfter = TimeSpan.FromSeconds(5);
        var resilience = new ResilienceOptions { BaseDelay = BaseDelay, MaxDelay = TimeSpan.FromSeconds(10) };
        using var stack = VendorStack.Create(slow, VendorIds.Apiframe, _journal, resilience);
        var job = await stack.Generator.SubmitAsync(new VideoGenerationRequest("A kite"));
        _faults.RateLimitRate = 1;
        var wait = new WaitOptions { Timeout = TimeSpan.FromSeconds(1.5), ProcessingTimeScale = 0.001, PollInterval = TimeSpan.FromMilliseconds(100) };
        var clock = Stopwatch.StartNew();

        var error = await Should.ThrowAsync<JobTimeoutException>(() => stack.Generator.GetOperation(job.Id).WaitForCompletionAsync(wait));

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(4), "without the wait's deadline, each read would retry for 3 x 5 s");
        error.JobId.ShouldBe(job.Id);
        stack.Resilience.Retries.ShouldBe(0, "a 5 s Retry-After ends after the 1.5 s wait: no retry starts");
        stack.Wire.Attempts.Count(a => a.Method == "GET").ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task VideoJobMonitor_EveryReadRateLimited_NoRetryStartsPastTheWaitTimeout()
    {
        await using var slow = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 1, Faults = _faults });
        _faults.RetryAfter = TimeSpan.FromSeconds(5);
        using var stack = VendorStack.Create(slow, VendorIds.Elumenta, _journal, new ResilienceOptions { BaseDelay = BaseDelay, MaxDelay = TimeSpan.FromSeconds(10) });
        var job = await stack.Generator.SubmitAsync(new VideoGenerationRequest("A kite"));
        _faults.RateLimitRate = 1;
        await using var monitor = new VideoJobMonitor(stack.Generator, new JobMonitorOptions
        {
            TickInterval = TimeSpan.FromMilliseconds(50),
            Wait = new WaitOptions { Timeout = TimeSpan.FromSeconds(1.5), ProcessingTimeScale = 0.001, PollInterval = TimeSpan.FromMilliseconds(100) },
        });
        var clock = Stopwatch.StartNew();

        await Should.ThrowAsync<JobTimeoutException>(() => monitor.TrackAsync(job));

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(4), "without the wait's deadline, a read would retry for 3 x 5 s");
        stack.Resilience.Retries.ShouldBe(0);
    }

    private VendorStack Stack(string vendor) =>
        VendorStack.Create(_sandbox, vendor, _journal, new ResilienceOptions { BaseDelay = BaseDelay, MaxDelay = TimeSpan.FromSeconds(5), UseJitter = false });

    /// <summary>Makes the sandbox answer the next vendor request with <paramref name="status"/>, and only that one.</summary>
    private void FaultOnce(VendorStack stack, int status)
    {
        switch (status)
        {
            case 429:
                _faults.RateLimitRate = 1;
                break;
            case 500:
                _faults.ServerErrorRate = 1;
                break;
            case 503:
                _faults.ServiceUnavailableRate = 1;
                break;
        }

        stack.Wire.OnAttempt = attempt =>
        {
            if (attempt.Status == status)
            {
                _faults.RateLimitRate = _faults.ServerErrorRate = _faults.ServiceUnavailableRate = 0;
            }
        };
    }
}
