using Newtonsoft.Json.Linq;
using VideoGen.Sandbox.Tests.Infrastructure;

namespace VideoGen.Sandbox.Tests.Core;

public sealed class CreditsAndAdminTests
{
    [Fact]
    public async Task Ledger_EachKeyAndVendorHasItsOwnBalance()
    {
        await using var sandbox = await SandboxHarness.StartAsync(o => o.InitialCredits["elumenta"] = 500);
        var ledger = sandbox.Server.Ledger;

        await sandbox.PostAsync("/api/v2/generate", new { model = "kling-v2.1", prompt = "p", duration = 10 }, key: "key_a");

        ledger.GetBalance("elumenta", "key_a").ShouldBe(500 - 94, "kling-v2.1 10 s is the top of its 26–94 range");
        ledger.GetBalance("elumenta", "key_b").ShouldBe(500);
        ledger.GetBalance("neuralbox", "key_a").ShouldBe(406, "NeuralBox is the same contract as Elumenta");
        ledger.GetBalance("aimlapi", "key_a").ShouldBe(SandboxOptions.DefaultInitialCredits["aimlapi"]);
        ledger.SetBalance("elumenta", "key_a", 5);
        ledger.GetBalance("elumenta", "key_a").ShouldBe(5);
        Should.Throw<ArgumentException>(() => ledger.GetBalance("runway", "key_a")).Message.ShouldContain("elumenta, apiframe, aimlapi, oxen");
        Should.Throw<ArgumentOutOfRangeException>(() => ledger.TopUp("elumenta", "key_a", 0));
        Should.Throw<ArgumentOutOfRangeException>(() => ledger.SetBalance("elumenta", "key_a", -1));
    }

    [Fact]
    public async Task CreditsEndpoint_ReadsAndChangesTheBalanceOfTheBearerKey()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var initial = await sandbox.GetAsync("/_sandbox/credits?vendor=aimlapi");
        var set = await sandbox.PostAsync("/_sandbox/credits", new { vendor = "aimlapi", balance = 0 });
        var refused = await sandbox.PostAsync("/v2/generate/video/luma-ai/generation", new { prompt = "p" });
        var topped = await sandbox.PostAsync("/_sandbox/credits", new { vendor = "aimlapi", add = 1_000_000 });
        var accepted = await sandbox.PostAsync("/v2/generate/video/luma-ai/generation", new { prompt = "p" });
        var after = await sandbox.GetAsync("/_sandbox/credits?vendor=aimlapi");

        ((decimal)initial.Object["balance"]!).ShouldBe(50_000_000);
        ((string?)initial.Object["unit"]).ShouldBe("AI/ML tokens");
        ((decimal)set.Object["balance"]!).ShouldBe(0);
        refused.Code.ShouldBe(402);
        ((decimal)topped.Object["balance"]!).ShouldBe(1_000_000);
        accepted.Code.ShouldBe(201);
        ((decimal)after.Object["balance"]!).ShouldBe(500_000);
        (await sandbox.GetAsync("/_sandbox/credits?vendor=runway")).Code.ShouldBe(400);
        (await sandbox.GetAsync("/_sandbox/credits?vendor=aimlapi", key: null)).Code.ShouldBe(401);
        (await sandbox.PostAsync("/_sandbox/credits", new { vendor = "aimlapi", add = -5 })).Code.ShouldBe(400);
    }

    [Fact]
    public async Task CountersAndJobsEndpoints_ReportWhatHappened()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.PostAsync("/v2/videos/generate", new { prompt = "p", model = "veo-3" });
        await sandbox.PostAsync("/v2/videos/generate", new { prompt = "p", model = "veo-3" });

        var counters = (await sandbox.GetAsync("/_sandbox/counters", key: null)).Object;
        var jobs = (await sandbox.GetAsync("/_sandbox/jobs", key: null)).Object;

        ((int)counters["jobsCreated"]!["apiframe"]!).ShouldBe(2);
        ((int)counters["requests"]!["apiframe"]!).ShouldBe(2);
        ((int)counters["faultsInjected"]!["RateLimited"]!).ShouldBe(0);
        var listed = (JArray)jobs["jobs"]!;
        listed.Count.ShouldBe(2);
        ((string?)listed[0]["phase"]).ShouldBe("Queued");

        var id = (string)listed[0]["id"]!;
        var cancelled = await sandbox.PostAsync($"/_sandbox/jobs/gateway/{id}/cancel", "{}", key: null);
        ((bool)cancelled.Object["cancelled"]!).ShouldBeTrue();
        ((string?)(await sandbox.GetAsync($"/v2/jobs/{id}")).Object["status"]).ShouldBe("FAILED");
        sandbox.Server.Counters.Reset();
        sandbox.Server.Counters.TotalJobsCreated.ShouldBe(0);
    }

    [Fact]
    public async Task Ledger_FailedJobIsRefundedOnceItFails()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.PostAsync("/v2/generate/video/luma-ai/generation", new { prompt = "p " + SandboxOptions.FailurePromptMarker });
        var job = sandbox.Server.GetJobs("aimlapi").Single();

        sandbox.Server.Ledger.GetBalance("aimlapi", SandboxHarness.Key).ShouldBe(49_500_000);
        sandbox.FakeClock.AdvanceTo(job.FinishesAt);

        sandbox.Server.Ledger.GetBalance("aimlapi", SandboxHarness.Key).ShouldBe(50_000_000, "a failed generation is not charged");
        sandbox.Server.Ledger.GetBalance("aimlapi", SandboxHarness.Key).ShouldBe(50_000_000, "and refunded only once");
    }

    [Fact]
    public async Task FailureRate_One_FailsEveryJob()
    {
        await using var sandbox = await SandboxHarness.StartAsync(o => { o.FailureRate = 1; o.TimeScale = 0; });

        var id = (string)(await sandbox.PostAsync("/v2/videos/generate", new { prompt = "p", model = "veo-3" })).Object["jobId"]!;

        ((string?)(await sandbox.GetAsync($"/v2/jobs/{id}")).Object["status"]).ShouldBe("FAILED");
    }
}
