using System.Net;
using System.Net.Http.Headers;
using VideoGen.Sandbox.Tests.Infrastructure;

namespace VideoGen.Sandbox.Tests.Core;

public sealed class MediaTests
{
    private const string Generation = "/v2/generate/video/luma-ai/generation";

    public static TheoryData<string, int, int> Ratios() => new()
    {
        { "16:9", 64, 36 }, { "9:16", 36, 64 }, { "1:1", 48, 48 }, { "4:3", 64, 48 }, { "3:4", 48, 64 }, { "21:9", 84, 36 }, { "9:21", 36, 84 },
    };

    [Theory]
    [MemberData(nameof(Ratios))]
    public async Task ResultUrl_CompletedJob_ServesAPlayableMp4OfTheRequestedAspectRatio(string ratio, int width, int height)
    {
        await using var sandbox = await SandboxHarness.StartAsync(o => o.TimeScale = 0);
        var id = (string)(await sandbox.PostAsync(Generation, new { prompt = "p", aspect_ratio = ratio })).Object["id"]!;
        var url = (string)(await sandbox.GetAsync($"{Generation}?generation_id={id}")).Object["assets"]!["video"]!;

        using var response = await sandbox.Http.GetAsync(url);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("video/mp4");
        response.Content.Headers.ContentLength.ShouldBe(bytes.Length);
        response.Headers.AcceptRanges.ShouldContain("bytes");
        System.Text.Encoding.ASCII.GetString(bytes, 4, 4).ShouldBe("ftyp", "an MP4 starts with an ftyp box at offset 4");
        var boxes = Mp4.TopLevelBoxes(bytes).Select(b => b.Type).ToList();
        boxes.ShouldContain("moov");
        boxes.ShouldContain("mdat");
        boxes.IndexOf("moov").ShouldBeLessThan(boxes.IndexOf("mdat"), "faststart: players can begin before the whole file arrives");
        Mp4.VideoSize(bytes).ShouldBe((width, height));
        bytes.Length.ShouldBeInRange(1_000, 10_000);
    }

    [Fact]
    public async Task ResultUrl_RangeRequest_Answers206WithExactlyThoseBytes()
    {
        await using var sandbox = await SandboxHarness.StartAsync(o => o.TimeScale = 0);
        var id = (string)(await sandbox.PostAsync("/api/v2/generate", new { model = "luma-flash2", prompt = "p", aspect_ratio = "9:16" })).Object["id"]!;
        var url = (string)(await sandbox.GetAsync($"/api/v2/generate/{id}")).Object["result_url"]!;
        var whole = await sandbox.Http.GetByteArrayAsync(url);

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new RangeHeaderValue(100, 299);
        using var partial = await sandbox.Http.SendAsync(request);
        var part = await partial.Content.ReadAsByteArrayAsync();

        partial.StatusCode.ShouldBe(HttpStatusCode.PartialContent);
        partial.Content.Headers.ContentLength.ShouldBe(200);
        partial.Content.Headers.ContentRange!.ToString().ShouldBe($"bytes 100-299/{whole.Length}");
        part.ShouldBe(whole[100..300]);

        using var tail = new HttpRequestMessage(HttpMethod.Get, url);
        tail.Headers.Range = new RangeHeaderValue(null, 10);
        using var tailResponse = await sandbox.Http.SendAsync(tail);
        (await tailResponse.Content.ReadAsByteArrayAsync()).ShouldBe(whole[^10..]);

        using var unsatisfiable = new HttpRequestMessage(HttpMethod.Get, url);
        unsatisfiable.Headers.Range = new RangeHeaderValue(whole.Length + 10, null);
        (await sandbox.Http.SendAsync(unsatisfiable)).StatusCode.ShouldBe(HttpStatusCode.RequestedRangeNotSatisfiable);
    }

    [Fact]
    public async Task ResultUrl_Head_AnswersLengthWithoutBody()
    {
        await using var sandbox = await SandboxHarness.StartAsync(o => o.TimeScale = 0);
        var id = (string)(await sandbox.PostAsync(Generation, new { prompt = "p" })).Object["id"]!;
        var url = $"{sandbox.Url}/media/aimlapi/{id}/1.mp4";
        var length = (await sandbox.Http.GetByteArrayAsync(url)).Length;

        using var head = await sandbox.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));

        head.StatusCode.ShouldBe(HttpStatusCode.OK);
        head.Content.Headers.ContentLength.ShouldBe(length);
        (await head.Content.ReadAsByteArrayAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task MediaUrl_JobNotDoneOrUnknownOrWrongIndex_Answers404()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var id = (string)(await sandbox.PostAsync(Generation, new { prompt = "p" })).Object["id"]!;

        (await sandbox.Http.GetAsync($"/media/aimlapi/{id}/1.mp4")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "still queued");
        sandbox.AdvanceToEnd("aimlapi", id);
        (await sandbox.Http.GetAsync($"/media/aimlapi/{id}/1.mp4")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await sandbox.Http.GetAsync($"/media/aimlapi/{id}/2.mp4")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await sandbox.Http.GetAsync($"/media/aimlapi/{Guid.NewGuid()}/1.mp4")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await sandbox.Http.GetAsync($"/media/nobody/{id}/1.mp4")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
