using Microsoft.AspNetCore.Http;
using VideoGen.Cli.Tests.Infrastructure;
using VideoGen.Tests.Infrastructure;

namespace VideoGen.Cli.Tests;

/// <summary>
/// Issue 11's cases through <c>videogen</c> (in-process), each against a loopback stub given as --base-url that
/// replays the vendor's deviation. (Case 4, the batch monitor, is not reachable from the CLI: no command uses
/// VideoJobMonitor; it is covered in VideoGen.Tests/Deviations.)
/// </summary>
public sealed class ToleranceCliTests : IDisposable
{
    private const string A = "755f9bbb-d99b-4880-992b-f05244ddba61";
    // 27 bytes of a whole MP4 (ftyp, moov, mdat box headers), so the download's container walk accepts them.
    private static readonly byte[] Video = TestVideo.Stamp(Enumerable.Range(0, 27).Select(i => (byte)(i * 7 % 251)).ToArray());
    private readonly CliHarness _cli = new();

    public ToleranceCliTests()
    {
        _cli.Environment["AIMLAPI_API_KEY"] = "sk-cli-tolerant";
        _cli.Environment["ELUMENTA_API_KEY"] = "sk-cli-tolerant";
    }

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Status_UnknownGenerationType_ReadsTheFinishedJob()
    {
        await using var stub = await LoopbackServer.StartAsync(ctx => Json(ctx, 200, $$"""
            {"id":"{{A}}","state":"completed","generation_type":"add_audio","assets":{"video":"https://cdn.example/a.mp4"},"model":"ray-2"}
            """));

        var run = await _cli.RunAsync("status", A, "--vendor", "aimlapi", "--base-url", stub.BaseUrl.ToString(), "--json");

        run.ShouldExitWith(0);
        ((string?)run.Json["status"]).ShouldBe("succeeded");
        ((string?)run.Json["result"]).ShouldBe("https://cdn.example/a.mp4");
    }

    [Fact]
    public async Task Generate_Elumenta201OnCreate_KeepsTheIdWaitsAndDownloads()
    {
        await using var stub = await ElumentaAsync(18502, createStatus: 201);

        var run = await _cli.RunAsync("generate", "A red balloon", "--vendor", "elumenta", "--base-url", stub.BaseUrl + "api/", "--out", _cli.OutDirectory, "--json");

        run.ShouldExitWith(0);
        ((string?)run.Json["jobId"]).ShouldBe("18502");
        stub.Requests.Count(r => r is { Method: "POST", PathAndQuery: "/api/v2/generate" }).ShouldBe(1);
    }

    [Fact]
    public async Task Wait_Five502sWhileWaiting_RidesThemOutAndExits0()
    {
        var reads = 0;
        await using var stub = await LoopbackServer.StartAsync(ctx => Interlocked.Increment(ref reads) switch
        {
            1 => Json(ctx, 200, """{"id":18500,"status":"pending"}"""),
            <= 6 => Text(ctx, 502, "<html><body><h1>502 Bad Gateway</h1></body></html>"),
            _ => Json(ctx, 200, """{"id":18500,"status":"completed","result_url":"https://cdn.example/18500.mp4","tokens_spent":26}"""),
        });

        var run = await _cli.RunAsync("wait", "18500", "--vendor", "elumenta", "--base-url", stub.BaseUrl + "api/", "--no-download", "--json");

        run.ShouldExitWith(0);
        ((string?)run.Json["status"]).ShouldBe("succeeded");
        reads.ShouldBe(7);
    }

    [Fact]
    public async Task Status_UnknownStatusWithAnError_IsAFailureWithTheVendorsWordsExit4()
    {
        await using var stub = await LoopbackServer.StartAsync(ctx => Json(ctx, 200, """{"id":18500,"status":"moderated","error":{"code":"policy","message":"Blocked by the safety filter"}}"""));

        var run = await _cli.RunAsync("wait", "18500", "--vendor", "elumenta", "--base-url", stub.BaseUrl + "api/", "--no-download");

        run.ShouldExitWith(4);
        run.All.ShouldContain("Blocked by the safety filter");
        run.All.ShouldContain("18500");
    }

    [Fact]
    public async Task StatusAndWait_EscapeSequencesInTheVendorsWords_NeverReachTheTerminal()
    {
        // A status and an error carrying OSC (window title), CSI (clear screen, colour) sequences and a bell.
        await using var stub = await LoopbackServer.StartAsync(ctx => Json(ctx, 200, """{"id":18500,"status":"\u001b]0;pwned\u0007\u001b[2J\u001b[31mRED\u001b[0m","error":"\u001b[31mbad\u001b[0m"}"""));

        var status = await _cli.RunAsync("status", "18500", "--vendor", "elumenta", "--base-url", stub.BaseUrl + "api/");
        var wait = await _cli.RunAsync("wait", "18500", "--vendor", "elumenta", "--base-url", stub.BaseUrl + "api/", "--no-download");

        foreach (var run in new[] { status, wait })
        {
            (run.Out + run.Console).ShouldNotContain("\u001b");
            (run.Out + run.Console).ShouldNotContain("\u0007");
        }

        (status.Out + wait.Console).ShouldContain("RED");
    }

    [Fact]
    public async Task Download_ResumeAnswered206StartingBeforeTheOffset_WritesTheExactFile()
    {
        LoopbackServer? self = null;
        var files = 0;
        await using var stub = self = await LoopbackServer.StartAsync(async ctx =>
        {
            if (!ctx.Request.Path.Value!.EndsWith(".mp4", StringComparison.Ordinal))
            {
                await Json(ctx, 200, $$"""{"id":18500,"status":"completed","result_url":"{{self!.BaseUrl}}files/18500.mp4","tokens_spent":26}""");
            }
            else if (Interlocked.Increment(ref files) == 1)
            {
                ctx.Response.ContentLength = Video.Length;
                ctx.Response.ContentType = "video/mp4";
                await ctx.Response.Body.WriteAsync(Video.AsMemory(0, 10));
                await ctx.Response.Body.FlushAsync();
                await Task.Delay(200);
                ctx.Abort();
            }
            else if (ctx.Request.Headers.Range.Count > 0)
            {
                ctx.Response.StatusCode = 206;
                ctx.Response.ContentType = "video/mp4";
                ctx.Response.Headers.ContentRange = "bytes 5-26/27";
                ctx.Response.ContentLength = 22;
                await ctx.Response.Body.WriteAsync(Video.AsMemory(5, 22));
            }
            else
            {
                await File(ctx, Video);
            }
        });

        var run = await _cli.RunAsync("download", "18500", "--vendor", "elumenta", "--base-url", stub.BaseUrl + "api/", "--out", _cli.OutDirectory, "--json");

        run.ShouldExitWith(0);
        var written = Directory.GetFiles(_cli.OutDirectory, "*.mp4").ShouldHaveSingleItem();
        (await System.IO.File.ReadAllBytesAsync(written)).ShouldBe(Video);
    }

    [Fact]
    public async Task Generate_DownloadFails_JournalKeepsTheJobUnfinishedAndResumeDownloadsIt()
    {
        // The storage host refuses the result URL until it is "back" (403 every time: expired and not refreshed).
        var storageUp = false;
        await using var stub = await ElumentaAsync(18503, storage: (() => Volatile.Read(ref storageUp), 403, "<html>AccessDenied</html>"));

        var failed = await _cli.RunAsync("generate", "A red balloon", "--vendor", "elumenta", "--base-url", stub.BaseUrl + "api/", "--out", _cli.OutDirectory, "--json");

        failed.ExitCode.ShouldNotBe(0, failed.All);
        ((string?)failed.Json["error"]!["jobId"]).ShouldBe("18503", failed.All);
        var message = ((string?)failed.Json["error"]!["message"]).ShouldNotBeNull(failed.All);
        message.ShouldContain("videogen download 18503", Case.Sensitive, failed.All);
        message.ShouldContain("videogen resume", Case.Sensitive, failed.All);
        Directory.Exists(_cli.OutDirectory).ShouldBeTrue();
        Directory.GetFiles(_cli.OutDirectory, "*.mp4").ShouldBeEmpty();

        // Paid and finished at the vendor, but not on disk: unfinished in the journal, with its job id.
        var journal = new Journal.SqliteJobJournal(Path.Combine(_cli.Home, "journal.db"));
        var entry = (await journal.GetUnfinishedAsync()).ShouldHaveSingleItem();
        entry.State.ShouldBe(Journal.JournalState.Submitted);
        entry.JobId.ShouldBe("18503");
        entry.Detail.ShouldNotBeNull().ShouldContain("download failed");

        Volatile.Write(ref storageUp, true);
        var resumed = await _cli.RunAsync("resume", "--base-url", stub.BaseUrl + "api/", "--out", _cli.OutDirectory, "--json");

        resumed.ShouldExitWith(0);
        var written = Directory.GetFiles(_cli.OutDirectory, "*.mp4").ShouldHaveSingleItem();
        (await System.IO.File.ReadAllBytesAsync(written)).ShouldBe(Video);
        (await journal.GetUnfinishedAsync()).ShouldBeEmpty();
        var done = (await journal.FindAsync(entry.CorrelationId)).ShouldNotBeNull();
        done.State.ShouldBe(Journal.JournalState.Completed);
        done.JobId.ShouldBe("18503");
        stub.Requests.Count(r => r is { Method: "POST", PathAndQuery: "/api/v2/generate" }).ShouldBe(1, "the paid job is never submitted again");
    }

    [Fact]
    public async Task Download_OfAJournaledJobWhoseDownloadFailed_MarksItFinished()
    {
        var storageUp = false;
        await using var stub = await ElumentaAsync(18504, storage: (() => Volatile.Read(ref storageUp), 404, "<html>NoSuchKey</html>"));

        var failed = await _cli.RunAsync("generate", "A red balloon", "--vendor", "elumenta", "--base-url", stub.BaseUrl + "api/", "--out", _cli.OutDirectory, "--json");
        failed.ExitCode.ShouldNotBe(0, failed.All);
        var journal = new Journal.SqliteJobJournal(Path.Combine(_cli.Home, "journal.db"));
        (await journal.GetUnfinishedAsync()).ShouldHaveSingleItem().JobId.ShouldBe("18504");

        Volatile.Write(ref storageUp, true);
        var downloaded = await _cli.RunAsync("download", "18504", "--vendor", "elumenta", "--base-url", stub.BaseUrl + "api/", "--out", _cli.OutDirectory, "--json");

        downloaded.ShouldExitWith(0);
        (await journal.GetUnfinishedAsync()).ShouldBeEmpty("the file is on disk: resume has nothing left to do");
        var resumed = await _cli.RunAsync("resume", "--base-url", stub.BaseUrl + "api/", "--out", _cli.OutDirectory, "--json");
        resumed.ShouldExitWith(0);
        Directory.GetFiles(_cli.OutDirectory, "*.mp4").ShouldHaveSingleItem("resume downloads nothing twice");
    }

    /// <summary>
    /// An Elumenta stand-in for one generation: create answers it pending (<paramref name="createStatus"/>), every read
    /// answers it completed with its file on this server; the file is served while <paramref name="storage"/> is up
    /// (default: always), else refused with its status and page.
    /// </summary>
    private static async Task<LoopbackServer> ElumentaAsync(int id, int createStatus = 200, (Func<bool> Up, int Status, string Html)? storage = null)
    {
        LoopbackServer? self = null;
        return self = await LoopbackServer.StartAsync(ctx => ctx.Request.Method == "POST"
            ? Json(ctx, createStatus, $$"""{"id":{{id}},"status":"pending"}""")
            : ctx.Request.Path.Value!.EndsWith(".mp4", StringComparison.Ordinal)
                ? storage is not { } down || down.Up() ? File(ctx, Video) : Text(ctx, down.Status, down.Html)
                : Json(ctx, 200, $$"""{"id":{{id}},"status":"completed","result_url":"{{self!.BaseUrl}}files/{{id}}.mp4","tokens_spent":26}"""));
    }

    private static async Task Json(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json);
    }

    private static async Task Text(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html";
        await context.Response.WriteAsync(text);
    }

    private static async Task File(HttpContext context, byte[] bytes)
    {
        context.Response.ContentType = "video/mp4";
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes);
    }
}
