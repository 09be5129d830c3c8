using Newtonsoft.Json.Linq;
using VideoGen.Cli.Tests.Infrastructure;
using VideoGen.Sandbox;

namespace VideoGen.Cli.Tests;

/// <summary>
/// Where a batch line's job is created is part of the line's identity: a file tried on one host (a standalone sandbox)
/// is submitted again on another (the vendor, another sandbox), and a rerun never reads one host's job ids at another.
/// Found by a fresh-eyes attack: the second host got no job and was asked for the first host's ids.
/// </summary>
public sealed class BatchTargetTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public BatchTargetTests() => _cli.Environment[SandboxJobs.KeyVariable("elumenta")] = SandboxJobs.ApiKey;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _cli.Dispose();
    }

    [Fact]
    public async Task Batch_SameFileOnAnotherHost_IsSubmittedThereAndARerunOnEachHostSkipsIt()
    {
        await using var first = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 0 });
        await using var second = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 0 });
        var file = Path.Combine(_cli.Home, "two-hosts.jsonl");
        // One folder per host: both sandboxes number their jobs alike.
        var outFirst = Path.Combine(_cli.OutDirectory, "first");
        var outSecond = Path.Combine(_cli.OutDirectory, "second");
        await File.WriteAllLinesAsync(file, ["""{"prompt":"A lighthouse at dawn","vendor":"elumenta"}""", """{"prompt":"A ferry at dusk","vendor":"elumenta"}"""]);

        (await _cli.RunAsync("batch", file, "--base-url", SandboxJobs.BaseUrl(first, "elumenta"), "--out", outFirst, "--json")).ShouldExitWith(0);
        var there = (await _cli.RunAsync("batch", file, "--base-url", SandboxJobs.BaseUrl(second, "elumenta"), "--out", outSecond, "--json")).ShouldExitWith(0);

        first.Counters.JobsCreated("elumenta").ShouldBe(2);
        second.Counters.JobsCreated("elumenta").ShouldBe(2, "the file had only been run on another host");
        there.Json["lines"].ShouldBeOfType<JArray>().ShouldAllBe(l => (string?)l["kind"] == "Succeeded");

        // A rerun on either host submits nothing again there.
        (await _cli.RunAsync("batch", file, "--base-url", SandboxJobs.BaseUrl(first, "elumenta"), "--out", outFirst, "--json")).ShouldExitWith(0);
        (await _cli.RunAsync("batch", file, "--base-url", SandboxJobs.BaseUrl(second, "elumenta"), "--out", outSecond, "--json")).ShouldExitWith(0);
        first.Counters.JobsCreated("elumenta").ShouldBe(2);
        second.Counters.JobsCreated("elumenta").ShouldBe(2);
    }
}
