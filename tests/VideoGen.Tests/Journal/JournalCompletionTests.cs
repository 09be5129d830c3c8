using VideoGen.Downloads;
using VideoGen.Journal;
using VideoGen.Tests.Deviations;
using VideoGen.Tests.Infrastructure;
using VideoGen.Tests.Waiting;
using VideoGen.Waiting;

namespace VideoGen.Tests.Journal;

/// <summary>
/// The journal middleware records a job's end itself: no caller reaches into it after waiting. A job read in a final
/// state without a video is recorded failed at once; a succeeded one only once its file is on disk.
/// </summary>
public sealed class JournalCompletionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("videogen-completion-").FullName;
    private readonly VirtualTimeProvider _clock = new();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Theory]
    [InlineData(VideoJobStatus.Failed)]
    [InlineData(VideoJobStatus.Cancelled)]
    public async Task WaitForCompletion_JobEndsWithoutVideo_TheMiddlewareRecordsItFailed(VideoJobStatus end)
    {
        var journal = new SqliteJobJournal(Path.Combine(_dir, "j.db"));
        using var generator = new JournalingVideoGenerator(new ScriptedVideoGenerator(_clock, TimeSpan.FromSeconds(90), end), journal, "elumenta", _clock);
        var job = await generator.SubmitAsync(new VideoGenerationRequest("p"));

        await Should.ThrowAsync<JobFailedException>(() => generator.GetOperation(job.Id).WaitForCompletionAsync(new WaitOptions { TimeProvider = _clock }));

        (await journal.FindByJobIdAsync("elumenta", job.Id))!.State.ShouldBe(JournalState.Failed);
    }

    [Fact]
    public async Task SucceededJob_IsRecordedCompletedOnlyOnceTheDownloaderWroteItsFile()
    {
        var file = Respond.File(27);
        await using var server = await LoopbackServer.StartAsync(ctx => Respond.Whole(ctx, file));
        var journal = new SqliteJobJournal(Path.Combine(_dir, "j.db"));
        using var generator = new JournalingVideoGenerator(new ScriptedVideoGenerator(_clock, TimeSpan.FromSeconds(90)), journal, "elumenta", _clock);
        var submitted = await generator.SubmitAsync(new VideoGenerationRequest("p"));

        var done = await generator.GetOperation(submitted.Id).WaitForCompletionAsync(new WaitOptions { TimeProvider = _clock });
        (await journal.FindByJobIdAsync("elumenta", done.Id))!.State.ShouldBe(JournalState.Submitted, "read as succeeded, not yet on disk");

        using var downloader = new VideoDownloader(new DownloadOptions { BlockPrivateNetworks = false, TimeProvider = _clock });
        await downloader.DownloadJobAsync(generator, done with { ResultUri = server.Url("v.mp4") }, Path.Combine(_dir, "v.mp4"));

        (await journal.FindByJobIdAsync("elumenta", done.Id))!.State.ShouldBe(JournalState.Completed);
    }

    [Fact]
    public async Task SucceededJob_DownloadFails_StaysUnfinishedForResume()
    {
        await using var server = await LoopbackServer.StartAsync(ctx => Respond.Text(ctx, 404, "gone"));
        var journal = new SqliteJobJournal(Path.Combine(_dir, "j.db"));
        using var generator = new JournalingVideoGenerator(new ScriptedVideoGenerator(_clock, TimeSpan.Zero), journal, "elumenta", _clock);
        var submitted = await generator.SubmitAsync(new VideoGenerationRequest("p"));
        var done = await generator.GetOperation(submitted.Id).WaitForCompletionAsync(new WaitOptions { TimeProvider = _clock });

        using var downloader = new VideoDownloader(new DownloadOptions { BlockPrivateNetworks = false, TimeProvider = _clock });
        await Should.ThrowAsync<VideoDownloadException>(() => downloader.DownloadJobAsync(generator, done with { ResultUri = server.Url("v.mp4") }, Path.Combine(_dir, "v.mp4")));

        (await journal.FindByJobIdAsync("elumenta", done.Id))!.State.ShouldBe(JournalState.Submitted);
    }
}
