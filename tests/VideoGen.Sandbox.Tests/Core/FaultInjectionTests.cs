using System.Net;
using VideoGen.Sandbox.Tests.Infrastructure;

namespace VideoGen.Sandbox.Tests.Core;

public sealed class FaultInjectionTests
{
    private static readonly object KlingRequest = new { model = "kling-v2.1", prompt = "p", duration = 5 };

    [Fact]
    public async Task RateLimitRate_One_Answers429WithRetryAfterAndTheVendorsBody()
    {
        await using var sandbox = await SandboxHarness.StartAsync(o =>
        {
            o.Faults.RateLimitRate = 1;
            o.Faults.RetryAfter = TimeSpan.FromSeconds(7);
        });

        var elumenta = await sandbox.PostAsync("/api/v2/generate", KlingRequest);
        var gateway = await sandbox.GetAsync("/v2/jobs/x");

        elumenta.Code.ShouldBe(429);
        elumenta.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(7));
        ((string?)elumenta.Object["error"]).ShouldBe("rate_limit_exceeded");
        gateway.Code.ShouldBe(429);
        ((string?)gateway.Object["error"]).ShouldBe("Too many requests");
        sandbox.Server.Counters.FaultsInjected(SandboxFaultKind.RateLimited).ShouldBe(2);
        sandbox.Server.Counters.JobsCreated("elumenta").ShouldBe(0, "a rate-limited submission creates nothing");
        sandbox.Server.Ledger.GetBalance("elumenta", SandboxHarness.Key).ShouldBe(10_000);
    }

    [Fact]
    public async Task ServerErrorAndUnavailableRates_Answer500And503InTheVendorsShape()
    {
        await using var errors = await SandboxHarness.StartAsync(o => o.Faults.ServerErrorRate = 1);
        await using var unavailable = await SandboxHarness.StartAsync(o => o.Faults.ServiceUnavailableRate = 1);

        var error = await errors.PostAsync("/v2/generate/video/luma-ai/generation", new { prompt = "p" });
        var down = await unavailable.PostAsync("/api/ai/queue", new { model = "kling-video-v2-6-pro-text-to-video", prompt = "p" });

        error.Code.ShouldBe(500);
        ((int)error.Object["statusCode"]!).ShouldBe(500);
        down.Code.ShouldBe(503);
        down.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(1));
        ((string?)down.Object["status_message"]).ShouldBe("service_unavailable");
        errors.Server.Counters.FaultsInjected(SandboxFaultKind.ServerError).ShouldBe(1);
        unavailable.Server.Counters.FaultsInjected(SandboxFaultKind.ServiceUnavailable).ShouldBe(1);
    }

    [Fact]
    public async Task DropAfterAccept_ConnectionAbortedButJobCreatedAndCharged()
    {
        await using var sandbox = await SandboxHarness.StartAsync(o => o.Faults.DropAfterAcceptRate = 1);

        await Should.ThrowAsync<HttpRequestException>(() => sandbox.PostAsync("/api/v2/generate", KlingRequest));

        sandbox.Server.Counters.JobsCreated("elumenta").ShouldBe(1, "the vendor has the job although the client saw no answer");
        sandbox.Server.Counters.FaultsInjected(SandboxFaultKind.ConnectionDropped).ShouldBe(1);
        sandbox.Server.Ledger.GetBalance("elumenta", SandboxHarness.Key).ShouldBe(10_000 - 26);
        var job = sandbox.Server.GetJobs("elumenta").Single();
        sandbox.AdvanceToEnd("elumenta", job.Id);
        var completed = await sandbox.GetAsync($"/api/v2/generate/{job.Id}");
        ((string?)completed.Object["status"]).ShouldBe("completed", "reads are never dropped");
    }

    [Fact]
    public async Task DropAfterAccept_EveryVendor_DropsOnlySubmissions()
    {
        await using var sandbox = await SandboxHarness.StartAsync(o => o.Faults.DropAfterAcceptRate = 1);

        await Should.ThrowAsync<HttpRequestException>(() => sandbox.PostAsync("/v2/videos/generate", new { prompt = "p", model = "veo-3" }));
        await Should.ThrowAsync<HttpRequestException>(() => sandbox.PostAsync("/v2/generate/video/luma-ai/generation", new { prompt = "p" }));
        await Should.ThrowAsync<HttpRequestException>(() => sandbox.PostAsync("/api/ai/queue", new { model = "kling-video-v2-6-pro-text-to-video", prompt = "p", num_generations = 2 }));
        var invalid = await sandbox.PostAsync("/api/ai/queue", new { prompt = "no model" });

        invalid.Code.ShouldBe(400, "a refused submission creates no job, so there is nothing to drop after");
        sandbox.Server.Counters.JobsCreated("gateway").ShouldBe(1);
        sandbox.Server.Counters.JobsCreated("aimlapi").ShouldBe(1);
        sandbox.Server.Counters.JobsCreated("oxen").ShouldBe(2);
        sandbox.Server.Counters.FaultsInjected(SandboxFaultKind.ConnectionDropped).ShouldBe(3);
        (await sandbox.GetAsync("/api/ai/queue")).Code.ShouldBe(200);
    }

    [Fact]
    public async Task SlowResponseRate_One_DelaysOnTheSandboxClock()
    {
        await using var sandbox = await SandboxHarness.StartAsync(o =>
        {
            o.Faults.SlowResponseRate = 1;
            o.Faults.SlowResponseDelay = TimeSpan.FromSeconds(20);
        });
        var timersBefore = sandbox.FakeClock.ActiveTimers;

        var pending = sandbox.GetAsync("/api/ai/queue");
        await sandbox.FakeClock.WaitForTimersAsync(timersBefore + 1);
        pending.IsCompleted.ShouldBeFalse();
        sandbox.FakeClock.Advance(TimeSpan.FromSeconds(20));

        (await pending.WaitAsync(TimeSpan.FromSeconds(10))).Code.ShouldBe(200);
        sandbox.Server.Counters.FaultsInjected(SandboxFaultKind.SlowResponse).ShouldBe(1);
    }

    [Fact]
    public async Task Faults_SameSeed_SameSequence_DifferentSeed_DifferentSequence()
    {
        static async Task<string> RunAsync(int seed)
        {
            await using var sandbox = await SandboxHarness.StartAsync(o =>
            {
                o.Seed = seed;
                o.Faults.RateLimitRate = 0.3;
                o.Faults.ServerErrorRate = 0.2;
                o.Faults.ServiceUnavailableRate = 0.1;
            });
            var codes = new List<int>();
            for (var i = 0; i < 30; i++)
            {
                codes.Add((await sandbox.GetAsync("/v2/jobs/none")).Code);
            }

            var counted = sandbox.Server.Counters.TotalFaultsInjected;
            counted.ShouldBe(codes.Count(c => c is 429 or 500 or 503));
            return string.Join(",", codes);
        }

        var first = await RunAsync(7);
        var again = await RunAsync(7);
        var other = await RunAsync(8);

        again.ShouldBe(first);
        other.ShouldNotBe(first);
        first.Split(',').Distinct().Count().ShouldBe(4, $"404s and all three faults appear in 30 draws: {first}");
    }

    [Fact]
    public async Task Faults_NeverTouchMediaOrSandboxEndpoints()
    {
        await using var sandbox = await SandboxHarness.StartAsync(o => o.Faults.ServerErrorRate = 1);

        (await sandbox.Http.GetAsync($"/media/aimlapi/{Guid.NewGuid()}/1.mp4")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "the media route answers, unfaulted");
        (await sandbox.GetAsync("/_sandbox/counters")).Code.ShouldBe(200);
        (await sandbox.GetAsync("/v2/jobs/x")).Code.ShouldBe(500);
        sandbox.Server.Counters.TotalFaultsInjected.ShouldBe(1);
    }
}
