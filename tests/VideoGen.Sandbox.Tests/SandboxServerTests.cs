using System.Net;
using System.Net.Sockets;
using VideoGen.Sandbox.Tests.Infrastructure;

namespace VideoGen.Sandbox.Tests;

public sealed class SandboxServerTests
{
    [Fact]
    public async Task StartAsync_Defaults_ListensOnLoopbackOnAFreePortAndReportsIt()
    {
        await using var server = await SandboxServer.StartAsync();

        server.BaseUrl.Host.ShouldBe("127.0.0.1");
        server.Port.ShouldBeGreaterThan(0);
        server.BaseUrl.ToString().ShouldBe($"http://127.0.0.1:{server.Port}/");
        server.GetVendorBaseUrl("elumenta").ToString().ShouldBe($"http://127.0.0.1:{server.Port}/api/");
        server.GetVendorBaseUrl("neuralbox").ShouldBe(server.GetVendorBaseUrl("elumenta"));
        server.GetVendorBaseUrl("oxen").ShouldBe(server.BaseUrl);
        using var http = SandboxHarness.CreateClient(server.BaseUrl);
        (await http.GetStringAsync("_sandbox/health")).ShouldBe("""{"status":"ok"}""");
    }

    [Fact]
    public async Task DisposeAsync_ReleasesThePort()
    {
        var server = await SandboxServer.StartAsync();
        var port = server.Port;

        await server.DisposeAsync();
        await server.DisposeAsync();

        using var socket = new TcpListener(IPAddress.Loopback, port);
        socket.Start();
        socket.Stop();
    }

    [Fact]
    public async Task StartAsync_PortInUse_Throws()
    {
        await using var first = await SandboxServer.StartAsync();

        await Should.ThrowAsync<IOException>(() => SandboxServer.StartAsync(new SandboxOptions { Port = first.Port }));
    }

    [Fact]
    public async Task StartAsync_InvalidOptions_ThrowsOnceListingEveryProblem()
    {
        var options = new SandboxOptions { TimeScale = -1, Host = "example.com", FailureRate = 2, Port = 70000 };
        options.Faults.RateLimitRate = 0.7;
        options.Faults.ServerErrorRate = 0.7;
        options.InitialCredits["runway"] = 5;

        var error = await Should.ThrowAsync<ArgumentException>(() => SandboxServer.StartAsync(options));

        error.Message.ShouldContain("TimeScale -1 is not allowed");
        error.Message.ShouldContain("Host 'example.com' is not an IP address");
        error.Message.ShouldContain("Port 70000 is out of range");
        error.Message.ShouldContain("FailureRate 2 is not allowed");
        error.Message.ShouldContain("their sum must be at most 1");
        error.Message.ShouldContain("InitialCredits has an unknown vendor 'runway'");
    }

    [Fact]
    public async Task DisposeAsync_RequestsStillWaiting_AnswerServiceUnavailableAtOnce()
    {
        var sandbox = await SandboxHarness.StartAsync(fakeClock: false);
        var id = (string)(await sandbox.PostAsync("/v2/generate/video/luma-ai/generation", new { prompt = "p" })).Object["id"]!;
        var waiting = sandbox.GetAsync($"/v2/generate/video/luma-ai/generation?generation_id={id}&state=completed");
        var syncGenerate = sandbox.PostAsync("/api/ai/videos/generate", new { model = "kling-video-v2-6-pro-text-to-video", prompt = "p" });
        await SandboxHarness.EventuallyAsync(() => sandbox.Server.Counters.JobsCreated("oxen") == 1, "the synchronous generation is waiting");
        var watch = System.Diagnostics.Stopwatch.StartNew();

        await sandbox.Server.DisposeAsync();

        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(3));
        (await waiting).Code.ShouldBe(503);
        (await syncGenerate).Code.ShouldBe(503);
        sandbox.Http.Dispose();
    }

    [Fact]
    public async Task Options_ChangedAfterStart_OnlyFaultRatesTakeEffect()
    {
        var options = new SandboxOptions { TimeProvider = new FakeTimeProvider() };
        await using var server = await SandboxServer.StartAsync(options);
        using var http = SandboxHarness.CreateClient(server.BaseUrl);
        http.DefaultRequestHeaders.Authorization = new("Bearer", "k");

        options.AcceptedApiKeys = new HashSet<string> { "other" };
        (await http.GetAsync("api/ai/queue")).StatusCode.ShouldBe(HttpStatusCode.OK, "the sandbox copied the options at start");

        server.Options.Faults.ServiceUnavailableRate = 1;
        (await http.GetAsync("api/ai/queue")).StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, "an outage window opens");
        server.Options.Faults.ServiceUnavailableRate = 0;
        (await http.GetAsync("api/ai/queue")).StatusCode.ShouldBe(HttpStatusCode.OK, "and closes");
    }

    [Fact]
    public async Task UnknownRoute_Answers404()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        (await sandbox.GetAsync("/v3/anything")).Status.ShouldBe(HttpStatusCode.NotFound);
    }
}
