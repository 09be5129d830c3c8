using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using VideoGen.Downloads;
using VideoGen.Tests.Infrastructure;

namespace VideoGen.Tests.Downloads;

public sealed class VideoDownloaderTests : IDisposable
{
    private const string Key = "sk-sentinel-0f9c2d-never-leak";
    private static readonly byte[] Video = MakeVideo(3 * 1024 * 1024 + 123);
    private readonly string _dir = Directory.CreateTempSubdirectory("videogen-dl-").FullName;
    private readonly DownloadOptions _sandboxOptions = new() { BlockPrivateNetworks = false, IdleTimeout = TimeSpan.FromSeconds(10) };

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task DownloadAsync_WholeFile_WritesIdenticalBytesAndLeavesNoTempFile()
    {
        await using var server = await LoopbackServer.StartAsync(ctx => Serve(ctx, Video));
        using var downloader = new VideoDownloader(_sandboxOptions);
        var target = Path.Combine(_dir, "out", "video.mp4");

        var result = await downloader.DownloadAsync(server.Url("video.mp4"), target);

        (await File.ReadAllBytesAsync(target)).ShouldBe(Video);
        result.Bytes.ShouldBe(Video.Length);
        result.Resumes.ShouldBe(0);
        result.ContentType.ShouldBe("video/mp4");
        Directory.GetFiles(Path.Combine(_dir, "out")).ShouldBe([target]);
    }

    [Fact]
    public async Task DownloadAsync_ConnectionCutMidway_ResumesWithRangeToAnIdenticalFile()
    {
        var attempts = 0;
        await using var server = await LoopbackServer.StartAsync(ctx =>
            Serve(ctx, Video, abortAfter: Interlocked.Increment(ref attempts) == 1 ? Video.Length / 3 : null));
        using var downloader = new VideoDownloader(_sandboxOptions);
        var target = Path.Combine(_dir, "video.mp4");

        var result = await downloader.DownloadAsync(server.Url("video.mp4"), target);

        (await File.ReadAllBytesAsync(target)).ShouldBe(Video);
        result.Resumes.ShouldBe(1);
        var requests = server.Requests.ToList();
        requests.Count.ShouldBe(2);
        requests[0].Headers.ContainsKey("Range").ShouldBeFalse();
        requests[1].Headers["Range"].ShouldStartWith("bytes=");
        requests[1].Headers["If-Range"].ShouldBe("\"v1\"");
    }

    [Fact]
    public async Task DownloadAsync_ContentLengthOverCap_RefusesAndKeepsNothing()
    {
        await using var server = await LoopbackServer.StartAsync(ctx => Serve(ctx, Video));
        using var downloader = new VideoDownloader(new DownloadOptions { BlockPrivateNetworks = false, MaxBytes = 1024 * 1024 });
        var target = Path.Combine(_dir, "big.mp4");

        var error = await Should.ThrowAsync<VideoDownloadException>(() => downloader.DownloadAsync(server.Url("big.mp4"), target));

        error.Message.ShouldContain("1048576-byte cap");
        Directory.GetFiles(_dir).ShouldBeEmpty();
    }

    [Fact]
    public async Task DownloadAsync_UnsizedStreamPastCap_StopsAtTheCapAndKeepsNothing()
    {
        await using var server = await LoopbackServer.StartAsync(async ctx =>
        {
            var chunk = new byte[64 * 1024];
            for (var i = 0; i < 1000 && !ctx.RequestAborted.IsCancellationRequested; i++)
            {
                await ctx.Response.Body.WriteAsync(chunk, ctx.RequestAborted);
            }
        });
        using var downloader = new VideoDownloader(new DownloadOptions { BlockPrivateNetworks = false, MaxBytes = 1024 * 1024 });

        await Should.ThrowAsync<VideoDownloadException>(() => downloader.DownloadAsync(server.Url("endless"), Path.Combine(_dir, "x.mp4")));

        Directory.GetFiles(_dir).ShouldBeEmpty();
    }

    [Fact]
    public async Task DownloadAsync_ServerGoesIdle_FailsAfterTheIdleTimeout()
    {
        await using var server = await LoopbackServer.StartAsync(async ctx =>
        {
            ctx.Response.ContentLength = Video.Length;
            await ctx.Response.Body.WriteAsync(Video.AsMemory(0, 1000));
            await ctx.Response.Body.FlushAsync();
            await Task.Delay(Timeout.Infinite, ctx.RequestAborted);
        });
        using var downloader = new VideoDownloader(new DownloadOptions { BlockPrivateNetworks = false, IdleTimeout = TimeSpan.FromMilliseconds(300) });

        var error = await Should.ThrowAsync<VideoDownloadException>(() => downloader.DownloadAsync(server.Url("stall"), Path.Combine(_dir, "x.mp4")));

        error.Message.ShouldContain("sent no data");
        Directory.GetFiles(_dir).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://example.com/video.mp4")]
    public async Task DownloadAsync_NonHttpScheme_IsRefusedBeforeAnyRequest(string url)
    {
        using var downloader = new VideoDownloader(_sandboxOptions);

        var error = await Should.ThrowAsync<VideoDownloadException>(() => downloader.DownloadAsync(new Uri(url), Path.Combine(_dir, "x.mp4")));

        error.Message.ShouldContain("only http and https");
    }

    [Fact]
    public async Task DownloadAsync_PrivateNetworkGuardOn_RefusesLoopbackResultUrl()
    {
        await using var server = await LoopbackServer.StartAsync(ctx => Serve(ctx, Video));
        using var downloader = new VideoDownloader(new DownloadOptions());

        var error = await Should.ThrowAsync<VideoDownloadException>(() => downloader.DownloadAsync(server.Url("video.mp4"), Path.Combine(_dir, "x.mp4")));

        error.Message.ShouldContain("private address 127.0.0.1");
        server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task DownloadAsync_ResultOnAnotherHost_NeverReceivesTheVendorKey()
    {
        await using var storage = await LoopbackServer.StartAsync(ctx => Serve(ctx, Video));
        await using var api = await LoopbackServer.StartAsync(ctx =>
        {
            ctx.Response.StatusCode = 302;
            ctx.Response.Headers.Location = storage.Url("video.mp4").ToString();
            return Task.CompletedTask;
        });
        using var downloader = new VideoDownloader(_sandboxOptions);
        var credential = new VendorCredential(api.BaseUrl, Key);

        await downloader.DownloadAsync(storage.Url("direct.mp4"), Path.Combine(_dir, "a.mp4"), credential);
        await downloader.DownloadAsync(api.Url("results/1"), Path.Combine(_dir, "b.mp4"), credential);

        storage.Requests.Count.ShouldBe(2);
        storage.Requests.ShouldAllBe(r => !r.Headers.ContainsKey("Authorization"));
        storage.Requests.ShouldAllBe(r => !r.Headers.Values.Any(v => v.Contains(Key)));
        api.Requests.ShouldHaveSingleItem().Headers["Authorization"].ShouldBe("Bearer " + Key);
        (await File.ReadAllBytesAsync(Path.Combine(_dir, "b.mp4"))).ShouldBe(Video);
    }

    [Fact]
    public void CheckRedirect_HttpsToHttp_IsRefused()
    {
        var error = Should.Throw<VideoDownloadException>(() =>
            VideoDownloader.CheckRedirect(new Uri("https://storage.example.com/a.mp4"), new Uri("http://storage.example.com/a.mp4")));

        error.Message.ShouldContain("clear text");
        Should.NotThrow(() => VideoDownloader.CheckRedirect(new Uri("http://a.example/x"), new Uri("https://b.example/y")));
    }

    [Fact]
    public async Task DownloadAsync_ExpiredResultUrl_RefreshesOnceAndDownloads()
    {
        await using var server = await LoopbackServer.StartAsync(ctx =>
        {
            if (ctx.Request.Path == "/expired.mp4")
            {
                ctx.Response.StatusCode = 410;
                return Task.CompletedTask;
            }

            return Serve(ctx, Video);
        });
        using var downloader = new VideoDownloader(_sandboxOptions);
        var refreshes = 0;

        var result = await downloader.DownloadAsync(
            server.Url("expired.mp4"),
            Path.Combine(_dir, "x.mp4"),
            refreshSource: _ =>
            {
                refreshes++;
                return Task.FromResult<Uri?>(server.Url("fresh.mp4"));
            });

        refreshes.ShouldBe(1);
        result.Source.ShouldBe(server.Url("fresh.mp4"));
        result.Bytes.ShouldBe(Video.Length);
    }

    [Fact]
    public async Task DownloadAsync_NotFoundWithoutRefresh_FailsNamingStatusAndHost()
    {
        await using var server = await LoopbackServer.StartAsync(ctx =>
        {
            ctx.Response.StatusCode = 404;
            return Task.CompletedTask;
        });
        using var downloader = new VideoDownloader(_sandboxOptions);

        var error = await Should.ThrowAsync<VideoDownloadException>(() => downloader.DownloadAsync(server.Url("gone.mp4"), Path.Combine(_dir, "x.mp4")));

        error.Message.ShouldContain("127.0.0.1 answered HTTP 404");
    }

    private static async Task Serve(HttpContext ctx, byte[] data, int? abortAfter = null)
    {
        var from = 0L;
        ctx.Response.ContentType = "video/mp4";
        ctx.Response.Headers.ETag = "\"v1\"";
        ctx.Response.Headers.AcceptRanges = "bytes";
        if (RangeHeaderValue.TryParse(ctx.Request.Headers.Range.ToString(), out var range) && range.Ranges.First().From is { } start)
        {
            from = start;
            ctx.Response.StatusCode = 206;
            ctx.Response.Headers.ContentRange = $"bytes {from}-{data.Length - 1}/{data.Length}";
        }

        ctx.Response.ContentLength = data.Length - from;
        var end = abortAfter is { } cut ? (int)Math.Min(data.Length, from + cut) : data.Length;
        await ctx.Response.Body.WriteAsync(data.AsMemory((int)from, end - (int)from));
        if (abortAfter is not null)
        {
            await ctx.Response.Body.FlushAsync();
            ctx.Abort();
        }
    }

    private static byte[] MakeVideo(int length)
    {
        return TestVideo.Mp4(length);
    }
}
