using System.Diagnostics;
using System.Text.RegularExpressions;
using VideoGen.Sandbox.Tests.Infrastructure;

namespace VideoGen.Sandbox.Tests;

/// <summary>The sandbox as its own process, as <c>dotnet run --project src/VideoGen.Sandbox -- --urls ...</c> starts it.</summary>
public sealed partial class StandaloneSandboxTests
{
    private static readonly string SandboxDll = Path.Combine(AppContext.BaseDirectory, "VideoGen.Sandbox.dll");

    [Fact]
    public async Task Main_UrlsAndEnvironment_ListensPrintsItsUrlServesAndStopsOnSigterm()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { SandboxDll, "--urls", "http://127.0.0.1:0", "--credits", "elumenta=100" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[SandboxOptions.TimeScaleEnvironmentVariable] = "0";
        start.Environment[SandboxOptions.SeedEnvironmentVariable] = "5";
        using var process = Process.Start(start)!;
        try
        {
            var banner = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            banner.ShouldNotBeNull();
            var match = BannerPattern().Match(banner);
            match.Success.ShouldBeTrue(banner);
            banner.ShouldContain("(time scale 0, seed 5)");
            var url = new Uri(match.Groups[1].Value);

            await using var harness = new RemoteSandbox(url);
            var created = await harness.Http.PostAsync("api/v2/generate", Json("""{"model":"kling-v2.1","prompt":"p"}"""));
            var body = await created.Content.ReadAsStringAsync();
            ((int)created.StatusCode).ShouldBe(200, body);
            var done = await harness.Http.GetStringAsync("api/v2/generate/18500");
            done.ShouldContain("\"status\":\"completed\"");
            (await harness.Http.GetStringAsync("_sandbox/credits?vendor=elumenta")).ShouldContain("\"balance\":74");

            await TerminateAsync(process);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
            process.ExitCode.ShouldBe(OperatingSystem.IsWindows() ? -1 : 0);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task Main_InvalidArgument_ExitsWith2AndSaysWhy()
    {
        var result = await ExternalTools.RunAsync("dotnet", [SandboxDll, "--time-scale", "fast"], TimeSpan.FromSeconds(30));

        result.ExitCode.ShouldBe(2);
        result.StandardError.ShouldContain("--time-scale 'fast' is not a number");
    }

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    /// <summary>SIGTERM to the process this test started (by its id), as a service manager stops it.</summary>
    private static async Task TerminateAsync(Process process)
    {
        if (OperatingSystem.IsWindows())
        {
            process.Kill();
            return;
        }

        (await ExternalTools.RunAsync("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10))).ExitCode.ShouldBe(0);
    }

    [GeneratedRegex(@"^VideoGen sandbox listening on (http://127\.0\.0\.1:\d+/) ")]
    private static partial Regex BannerPattern();

    private sealed class RemoteSandbox(Uri url) : IAsyncDisposable
    {
        public HttpClient Http { get; } = CreateClient(url);

        public ValueTask DisposeAsync()
        {
            Http.Dispose();
            return ValueTask.CompletedTask;
        }

        private static HttpClient CreateClient(Uri url)
        {
            var client = SandboxHarness.CreateClient(url);
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "nb_standalone");
            return client;
        }
    }
}
