using VideoGen.Cli.Tests.Infrastructure;
using VideoGen.Http;
using VideoGen.Sandbox;
using VideoGen.Vendors;

namespace VideoGen.Cli.Tests;

/// <summary>
/// Two hosts with the same id scheme (two standalone sandboxes both count from 18500, as a sandbox and the real vendor
/// may) write <c>elumenta-18500.mp4</c> into one --out folder. A file of that name is reused only when the identity
/// written beside it after its verified download names this vendor, host and job with its size and SHA-256; otherwise
/// the job is downloaded again under a free name, and never reported done with the other job's video.
/// </summary>
public sealed class OutputCollisionTests : IAsyncLifetime, IDisposable
{
    private readonly CliHarness _cli = new();
    private SandboxServer _first = null!;
    private SandboxServer _second = null!;

    public async Task InitializeAsync()
    {
        _first = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 0 });
        _second = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 0 });
        _cli.Environment[SandboxJobs.KeyVariable("elumenta")] = SandboxJobs.ApiKey;
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _cli.Dispose();
    }

    [Fact]
    public async Task Download_SameJobIdFromAnotherSandbox_IsDownloadedAgainNotReusedFromTheOtherJob()
    {
        var mine = await SubmitAsync(_first, "16:9");
        var theirs = await SubmitAsync(_second, "9:16");
        theirs.Id.ShouldBe(mine.Id, "both sandboxes issue the same first id: the collision this guards against");

        var first = await _cli.RunAsync("download", mine.Id, "--vendor", "elumenta", "--base-url", SandboxJobs.BaseUrl(_first, "elumenta"), "--out", _cli.OutDirectory);
        first.ShouldExitWith(0);
        var firstFile = Directory.GetFiles(_cli.OutDirectory, "elumenta-*.mp4").ShouldHaveSingleItem();
        var firstBytes = await File.ReadAllBytesAsync(firstFile);

        var second = await _cli.RunAsync("download", theirs.Id, "--vendor", "elumenta", "--base-url", SandboxJobs.BaseUrl(_second, "elumenta"), "--out", _cli.OutDirectory);

        second.ShouldExitWith(0);
        var files = Directory.GetFiles(_cli.OutDirectory, "elumenta-*.mp4");
        files.Length.ShouldBe(2, "the second host's job gets its own file: " + second.All);
        var secondFile = files.Single(f => f != firstFile);
        second.Out.ShouldContain(secondFile);
        (await File.ReadAllBytesAsync(secondFile)).ShouldNotBe(firstBytes, "the second sandbox's job (9:16) is another video than the first's (16:9)");
        (await File.ReadAllBytesAsync(firstFile)).ShouldBe(firstBytes, "the first job's file is left as it was");
    }

    [Fact]
    public async Task Download_SameJobFromTheSameHostAgain_ReusesItsProvenFile()
    {
        var job = await SubmitAsync(_first, "16:9");
        var url = SandboxJobs.BaseUrl(_first, "elumenta");
        (await _cli.RunAsync("download", job.Id, "--vendor", "elumenta", "--base-url", url, "--out", _cli.OutDirectory)).ShouldExitWith(0);

        var again = await _cli.RunAsync("download", job.Id, "--vendor", "elumenta", "--base-url", url, "--out", _cli.OutDirectory);

        again.ShouldExitWith(0);
        Directory.GetFiles(_cli.OutDirectory, "elumenta-*.mp4").ShouldHaveSingleItem();
        again.All.ShouldContain("already there");
    }

    [Fact]
    public async Task Download_FileOfTheJobsNameEditedAfterItsDownload_IsNotReused()
    {
        var job = await SubmitAsync(_first, "16:9");
        var url = SandboxJobs.BaseUrl(_first, "elumenta");
        (await _cli.RunAsync("download", job.Id, "--vendor", "elumenta", "--base-url", url, "--out", _cli.OutDirectory)).ShouldExitWith(0);
        var file = Directory.GetFiles(_cli.OutDirectory, "elumenta-*.mp4").ShouldHaveSingleItem();

        // Still a whole video, but not the bytes that were downloaded (its SHA-256 no longer matches).
        await File.WriteAllBytesAsync(file, TestVideo.Mp4(4096));

        var again = await _cli.RunAsync("download", job.Id, "--vendor", "elumenta", "--base-url", url, "--out", _cli.OutDirectory);

        again.ShouldExitWith(0);
        Directory.GetFiles(_cli.OutDirectory, "elumenta-*.mp4").Length.ShouldBe(2);
    }

    private static async Task<VideoJob> SubmitAsync(SandboxServer sandbox, string aspectRatio)
    {
        using var http = new HttpClient();
        var configuration = new VendorClientConfiguration("elumenta") { ApiKey = SandboxJobs.ApiKey, BaseUrl = sandbox.GetVendorBaseUrl("elumenta") };
        using var generator = VendorDescriptors.Get("elumenta").CreateGenerator(configuration, http);
        return await generator.SubmitAsync(new VideoGenerationRequest("A lighthouse in fog") { AspectRatio = aspectRatio });
    }
}
