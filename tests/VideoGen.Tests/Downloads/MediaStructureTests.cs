using System.Text;
using VideoGen.Downloads;
using VideoGen.Tests.Infrastructure;

namespace VideoGen.Tests.Downloads;

/// <summary>
/// A download is a video only when its container is whole: the top-level ISO BMFF boxes (or EBML elements) end exactly
/// at the end of the file. A Content-Length shorter than the real body, a cut, or trailing bytes must never be kept.
/// </summary>
public sealed class MediaStructureTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("videogen-structure-").FullName;
    private readonly DownloadOptions _loopback = new() { BlockPrivateNetworks = false, IdleTimeout = TimeSpan.FromSeconds(10) };

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The sandbox's real MP4s (src/VideoGen.Sandbox/Media, made with ffmpeg).</summary>
    public static TheoryData<string> SandboxClips() => [.. Directory.GetFiles(Path.Combine(Repo.Root, "src", "VideoGen.Sandbox", "Media"), "*.mp4").Select(p => Path.GetFileName(p))];

    [Theory]
    [MemberData(nameof(SandboxClips))]
    public void FindStructureProblem_SandboxClip_IsWhole(string clip)
    {
        using var file = File.OpenRead(Clip(clip));

        MediaSignature.FindStructureProblem(file).ShouldBeNull();
    }

    [Theory]
    [MemberData(nameof(SandboxClips))]
    public void FindStructureProblem_SandboxClipCutAnywhere_IsNotWhole(string clip)
    {
        var bytes = File.ReadAllBytes(Clip(clip));
        foreach (var cut in new[] { 9, 40, bytes.Length / 2, bytes.Length - 1 })
        {
            using var file = new MemoryStream(bytes[..cut]);
            MediaSignature.FindStructureProblem(file).ShouldNotBeNull($"{clip} cut at {cut} of {bytes.Length}");
        }
    }

    [Fact]
    public void FindStructureProblem_TrailingJunk_IsNotWhole()
    {
        using var file = new MemoryStream([.. File.ReadAllBytes(Clip("16x9.mp4")), .. "<html>"u8.ToArray()]);

        MediaSignature.FindStructureProblem(file)!.ShouldContain("header");
    }

    [Fact]
    public void FindStructureProblem_LargeSizeAndToTheEndBoxes_AreWalked()
    {
        // ftyp, moov, an mdat with a 64-bit size (size field 1), then a final 'free' box of size 0 ("to the end").
        var ftyp = Box("ftyp", "isom\0\0\0\0isom"u8.ToArray());
        var moov = Box("moov", new byte[8]);
        byte[] mdat = [0, 0, 0, 1, .. "mdat"u8.ToArray(), 0, 0, 0, 0, 0, 0, 0, 20, 1, 2, 3, 4];
        byte[] tail = [0, 0, 0, 0, .. "free"u8.ToArray(), 9, 9, 9];
        using var whole = new MemoryStream([.. ftyp, .. moov, .. mdat, .. tail]);
        using var noMoov = new MemoryStream([.. ftyp, .. mdat]);
        using var noMdat = new MemoryStream([.. ftyp, .. moov]);
        using var notFirst = new MemoryStream([.. moov, .. ftyp, .. mdat]);

        MediaSignature.FindStructureProblem(whole).ShouldBeNull();
        MediaSignature.FindStructureProblem(noMoov)!.ShouldContain("moov");
        MediaSignature.FindStructureProblem(noMdat)!.ShouldContain("mdat");
        MediaSignature.FindStructureProblem(notFirst).ShouldBeNull("an older QuickTime file may start with moov (what the signature check already accepts)");
    }

    [Fact]
    public void FindStructureProblem_WebM_WalksTheEbmlElements()
    {
        // EBML header (id 1A45DFA3, size 4) then a Segment (id 18538067) of size 5 (1-byte vint 0x85).
        byte[] header = [0x1A, 0x45, 0xDF, 0xA3, 0x84, 1, 2, 3, 4];
        byte[] segment = [0x18, 0x53, 0x80, 0x67, 0x85, 1, 2, 3, 4, 5];
        byte[] unknownSize = [0x18, 0x53, 0x80, 0x67, 0xFF, 1, 2];

        MediaSignature.FindStructureProblem(new MemoryStream([.. header, .. segment])).ShouldBeNull();
        MediaSignature.FindStructureProblem(new MemoryStream([.. header, .. segment[..8]]))!.ShouldContain("cut short");
        MediaSignature.FindStructureProblem(new MemoryStream([.. header, .. segment, 0x42])).ShouldNotBeNull();
        MediaSignature.FindStructureProblem(new MemoryStream(header))!.ShouldContain("Segment");
        MediaSignature.FindStructureProblem(new MemoryStream([.. header, .. unknownSize])).ShouldBeNull("a Segment of unknown size runs to the end (the documented limit)");
    }

    [Fact]
    public async Task DownloadAsync_ContentLengthShorterThanTheBody_KeepsNothingAndSaysSo()
    {
        var clip = File.ReadAllBytes(Clip("9x16.mp4"));
        var announced = clip.Length - 700;

        // A server (or proxy) that announces fewer bytes than the file has: the client reads exactly what was announced.
        await using var stub = new RawHttpStub(async (_, stream, ct) =>
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nContent-Length: {announced}\r\nConnection: close\r\n\r\n"), ct);
            await stream.WriteAsync(clip, ct);
            await stream.FlushAsync(ct);
        });
        using var downloader = new VideoDownloader(_loopback);
        var target = Path.Combine(_dir, "cut.mp4");

        var error = await Should.ThrowAsync<VideoDownloadException>(() => downloader.DownloadAsync(new Uri(stub.BaseUrl, "v.mp4"), target));

        error.Message.ShouldContain("not a whole video");
        error.Message.ShouldContain("cut short");
        File.Exists(target).ShouldBeFalse();
        Directory.GetFiles(_dir).ShouldBeEmpty("the partial file is deleted");
    }

    [Fact]
    public async Task DownloadAsync_TrailingJunkAfterTheVideo_KeepsNothing()
    {
        var body = (byte[])[.. File.ReadAllBytes(Clip("1x1.mp4")), .. "<!-- cache debug -->"u8.ToArray()];
        await using var server = await LoopbackServer.StartAsync(async ctx =>
        {
            ctx.Response.ContentType = "video/mp4";
            ctx.Response.ContentLength = body.Length;
            await ctx.Response.Body.WriteAsync(body);
        });
        using var downloader = new VideoDownloader(_loopback);
        var target = Path.Combine(_dir, "junk.mp4");

        var error = await Should.ThrowAsync<VideoDownloadException>(() => downloader.DownloadAsync(server.Url("v.mp4"), target));

        error.Message.ShouldContain("not a whole video");
        Directory.GetFiles(_dir).ShouldBeEmpty();
    }

    [Fact]
    public async Task DownloadJobAsync_CutVideo_KeepsTheJobIdToDownloadAgain()
    {
        var clip = File.ReadAllBytes(Clip("4x3.mp4"));
        await using var server = await LoopbackServer.StartAsync(async ctx =>
        {
            ctx.Response.ContentType = "video/mp4";
            ctx.Response.ContentLength = clip.Length / 2;
            await ctx.Response.Body.WriteAsync(clip.AsMemory(0, clip.Length / 2));
        });
        using var downloader = new VideoDownloader(_loopback);
        var job = new VideoJob { Id = "18500", Vendor = "Elumenta", Status = VideoJobStatus.Succeeded, ResultUri = server.Url("v.mp4") };
        var generator = Deviations.LoopbackVendors.Create("elumenta", server, TimeProvider.System);
        var target = Path.Combine(_dir, "half.mp4");

        var error = await Should.ThrowAsync<VideoDownloadException>(() => downloader.DownloadJobAsync(generator, job, target));

        error.JobId.ShouldBe("18500");
        error.Message.ShouldContain("videogen download 18500");
        File.Exists(target).ShouldBeFalse();
    }

    [Fact]
    public async Task DownloadAsync_SandboxClip_IsKeptWhole()
    {
        var clip = File.ReadAllBytes(Clip("21x9.mp4"));
        await using var server = await LoopbackServer.StartAsync(async ctx =>
        {
            ctx.Response.ContentType = "video/mp4";
            ctx.Response.ContentLength = clip.Length;
            await ctx.Response.Body.WriteAsync(clip);
        });
        using var downloader = new VideoDownloader(_loopback);

        var result = await downloader.DownloadAsync(server.Url("v.mp4"), Path.Combine(_dir, "ok.mp4"));

        (await File.ReadAllBytesAsync(result.Path)).ShouldBe(clip);
    }

    private static byte[] Box(string type, byte[] payload)
    {
        var box = new byte[8 + payload.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(box, (uint)box.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(box, 4);
        payload.CopyTo(box, 8);
        return box;
    }

    private static string Clip(string name) => Path.Combine(Repo.Root, "src", "VideoGen.Sandbox", "Media", name);

}
