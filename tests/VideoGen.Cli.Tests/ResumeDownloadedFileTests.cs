using VideoGen.Cli.Tests.Infrastructure;
using VideoGen.Journal;

namespace VideoGen.Cli.Tests;

/// <summary>
/// A run killed after its video was moved into place but before the journal recorded the job finished: the entry
/// names the file it was downloading, and <c>videogen resume</c> takes that file instead of downloading a second copy.
/// </summary>
public sealed class ResumeDownloadedFileTests(InstantSandboxFixture fixture) : IClassFixture<InstantSandboxFixture>, IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _cli.Dispose();
    }

    [Fact]
    public async Task Resume_FileWrittenBeforeTheKill_IsTakenNotDownloadedAgain()
    {
        _cli.Environment[SandboxJobs.KeyVariable("oxen")] = SandboxJobs.ApiKey;
        var job = await SandboxJobs.SubmitAsync(fixture.Sandbox, "oxen", "A kite over dunes");
        Directory.CreateDirectory(_cli.OutDirectory);
        var written = Path.GetFullPath(Path.Combine(_cli.OutDirectory, $"{JobFlow.FileStem("oxen", job.Id)}.mp4"));
        var video = TestVideo.Mp4(64);
        await File.WriteAllBytesAsync(written, video);

        // The killed run had written the file's identity too (right after its verified download): that proves whose video it is.
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(video));
        await File.WriteAllTextAsync(written + JobFlow.IdentitySuffix, $$"""{"vendor":"oxen","endpoint":"{{JournalEndpoint.Describe(new Uri(SandboxJobs.BaseUrl(fixture.Sandbox, "oxen")))}}","jobId":"{{job.Id}}","bytes":{{video.Length}},"sha256":"{{hash}}"}""");
        var (journal, correlationId) = await DownloadingToAsync("killed-after-rename", JournalEndpoint.Describe(new Uri(SandboxJobs.BaseUrl(fixture.Sandbox, "oxen"))), job.Id, written);

        var run = await _cli.RunAsync("resume", "--base-url", SandboxJobs.BaseUrl(fixture.Sandbox, "oxen"), "--out", _cli.OutDirectory, "--json");

        run.ShouldExitWith(0);
        Directory.GetFiles(_cli.OutDirectory, "*.mp4").ShouldBe([written], "the file the killed run wrote is the video; no second copy");
        File.ReadAllBytes(written).ShouldBe(video);
        (await journal.FindAsync(correlationId))!.State.ShouldBe(JournalState.Completed);
    }

    [Fact]
    public async Task Resume_KilledAfterTheRenameBeforeTheIdentityWasWritten_TakesTheEntrysFileNotASecondCopy()
    {
        // Seen in BatchRecoveryTests (SIGKILL mid-batch): the video was in place, its identity not yet beside it, so the
        // rerun downloaded a second copy (-2.mp4). The entry itself (this vendor, this host, this job) names the file.
        _cli.Environment[SandboxJobs.KeyVariable("oxen")] = SandboxJobs.ApiKey;
        var job = await SandboxJobs.SubmitAsync(fixture.Sandbox, "oxen", "A kite over dunes");
        Directory.CreateDirectory(_cli.OutDirectory);
        var written = Path.GetFullPath(Path.Combine(_cli.OutDirectory, $"{JobFlow.FileStem("oxen", job.Id)}.mp4"));
        var video = TestVideo.Mp4(64);
        await File.WriteAllBytesAsync(written, video);
        var endpoint = JournalEndpoint.Describe(new Uri(SandboxJobs.BaseUrl(fixture.Sandbox, "oxen")));
        var (journal, correlationId) = await DownloadingToAsync("killed-before-identity", endpoint, job.Id, written);

        var run = await _cli.RunAsync("resume", "--base-url", SandboxJobs.BaseUrl(fixture.Sandbox, "oxen"), "--out", _cli.OutDirectory, "--json");

        run.ShouldExitWith(0);
        Directory.GetFiles(_cli.OutDirectory, "*.mp4").ShouldBe([written], "the file the killed run wrote is the video; no second copy");
        File.ReadAllBytes(written).ShouldBe(video);
        File.ReadAllText(written + JobFlow.IdentitySuffix).ShouldContain(job.Id, Case.Sensitive, "its identity is written now, so a later run takes it too");
        (await journal.FindAsync(correlationId))!.State.ShouldBe(JournalState.Completed);
    }

    [Fact]
    public async Task Resume_EntrysFileNowNamedAsAnotherJobs_IsNotTaken()
    {
        // The entry names the file, but the identity beside it says another job: that file is not this job's video.
        _cli.Environment[SandboxJobs.KeyVariable("oxen")] = SandboxJobs.ApiKey;
        var job = await SandboxJobs.SubmitAsync(fixture.Sandbox, "oxen", "A kite over dunes");
        Directory.CreateDirectory(_cli.OutDirectory);
        var written = Path.GetFullPath(Path.Combine(_cli.OutDirectory, $"{JobFlow.FileStem("oxen", job.Id)}.mp4"));
        var video = TestVideo.Mp4(64);
        await File.WriteAllBytesAsync(written, video);
        var endpoint = JournalEndpoint.Describe(new Uri(SandboxJobs.BaseUrl(fixture.Sandbox, "oxen")));
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(video));
        await File.WriteAllTextAsync(written + JobFlow.IdentitySuffix, $$"""{"vendor":"oxen","endpoint":"{{endpoint}}","jobId":"another-job","bytes":{{video.Length}},"sha256":"{{hash}}"}""");
        await DownloadingToAsync("file-of-another-job", endpoint, job.Id, written);

        var run = await _cli.RunAsync("resume", "--base-url", SandboxJobs.BaseUrl(fixture.Sandbox, "oxen"), "--out", _cli.OutDirectory, "--json");

        run.ShouldExitWith(0);
        Directory.GetFiles(_cli.OutDirectory, "*.mp4").Length.ShouldBe(2, "the job's own video is downloaded beside the other job's file");
        File.ReadAllBytes(written).ShouldBe(video, "the other job's file is left as it was");
    }

    /// <summary>A journal entry left by a run killed while downloading <paramref name="jobId"/> to <paramref name="written"/> (Submitted, its lease released).</summary>
    private async Task<(SqliteJobJournal Journal, string CorrelationId)> DownloadingToAsync(string clientKey, string? endpoint, string jobId, string written)
    {
        var journal = new SqliteJobJournal(Path.Combine(_cli.Home, "journal.db"));
        var now = DateTimeOffset.UtcNow;
        var correlationId = Guid.NewGuid().ToString("N");
        await journal.RecordIntentAsync(new JournalEntry(correlationId, clientKey, "oxen", null, "A kite over dunes", """{"prompt":"A kite over dunes"}""", JournalState.Intent, null, null, now, now)
        {
            Endpoint = endpoint,
        });
        await journal.UpdateAsync(correlationId, JournalState.Submitted, jobId, "downloading to " + written);
        await journal.ReleaseLeaseAsync(correlationId, (await journal.FindAsync(correlationId))!.LeaseOwner ?? string.Empty);
        return (journal, correlationId);
    }
}
