using VideoGen.Tests.Infrastructure;
using VideoGen.Tests.Vendors.TestVendorWire;
using VideoGen.Waiting;

namespace VideoGen.Tests.Deviations;

/// <summary>
/// A status answer is about the job asked for, or it is an error: a vendor, proxy or cache that answers a read of one
/// job with another job's id must never make VideoGen report that other job's video as this job's. An answer with no
/// id is read as the job asked for (tolerant reader). Every adapter, through the real client stack over loopback.
/// </summary>
public sealed class AnswerIdTests
{
    private static readonly string OtherAimlId = VendorWires.Of("aimlapi").OtherJobId;
    private const string VideoRouteId = "7c880e75-9892-4238-8464-49cb0c6deabd:luma/ray-2";
    private readonly VirtualTimeProvider _clock = new();

    public static TheoryData<string> Vendors => new(VendorDeviationTests.Vendor.All);

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task GetJobAsync_AnswerNamesAnotherJob_IsAnErrorNamingBothIds(string vendorId)
    {
        var vendor = VendorDeviationTests.Vendor.Of(vendorId);
        var other = OtherId(vendorId);
        var body = vendor.Completed("documented", "https://cdn.example/someone-else.mp4").Body.Replace(vendor.Id, other, StringComparison.Ordinal);
        await using var server = await LoopbackServer.StartAsync(ctx => Respond.Json(ctx, body));
        var generator = LoopbackVendors.Create(vendorId, server, _clock);

        var error = await Should.ThrowAsync<VideoGenException>(() => generator.GetJobAsync(vendor.Id));

        error.Message.ShouldContain(vendor.Id);
        error.Message.ShouldContain(other);
        error.JobId.ShouldBe(vendor.Id, "the job asked for keeps its id, to be read again");
    }

    [Fact]
    public async Task GetJobAsync_ApiframeAnswerWithoutId_IsReadAsTheJobAskedFor()
    {
        // Apiframe's id is a string the reader tolerates empty; the other specs mark it required, so there an answer
        // without one is an unreadable answer (an error too, never a completion).
        await using var server = await LoopbackServer.StartAsync(ctx => Respond.Json(ctx, """{"id":"","status":"COMPLETED","result":{"videoUrl":"https://cdn.example/v.mp4"}}"""));
        var generator = LoopbackVendors.Create("apiframe", server, _clock);

        var job = await generator.GetJobAsync("job-7f3a");

        job.Id.ShouldBe("job-7f3a");
        job.Status.ShouldBe(VideoJobStatus.Succeeded);
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task GetJobAsync_AnswerWithTheSameJob_IsRead(string vendorId)
    {
        var vendor = VendorDeviationTests.Vendor.Of(vendorId);
        await using var server = await LoopbackServer.StartAsync(ctx => Respond.Json(ctx, vendor.Completed("documented", "https://cdn.example/v.mp4").Body));
        var generator = LoopbackVendors.Create(vendorId, server, _clock);

        var job = await generator.GetJobAsync(vendor.Id);

        job.Id.ShouldBe(vendor.Id);
        job.ResultUri.ShouldBe(new Uri("https://cdn.example/v.mp4"));
    }

    [Fact]
    public async Task GetJobAsync_AimlVideoRouteAnswerNamesAnotherJob_IsAnError()
    {
        await using var server = await LoopbackServer.StartAsync(ctx => Respond.Json(ctx, $$$"""{"id":"{{{OtherAimlId}}}:luma/ray-2","status":"completed","video":{"url":"https://cdn.example/x.mp4"}}"""));
        var generator = LoopbackVendors.Create("aimlapi", server, _clock);

        var error = await Should.ThrowAsync<VideoGenException>(() => generator.GetJobAsync(VideoRouteId));

        error.Message.ShouldContain(VideoRouteId);
        error.Message.ShouldContain(OtherAimlId);
    }

    [Fact]
    public async Task WaitForCompletionOnServerAsync_AimlAnswerNamesAnotherJob_IsAnError()
    {
        var vendor = VendorDeviationTests.Vendor.Of("aimlapi");
        var body = vendor.Completed("documented", "https://cdn.example/x.mp4").Body.Replace(vendor.Id, OtherAimlId, StringComparison.Ordinal);
        await using var server = await LoopbackServer.StartAsync(ctx => Respond.Json(ctx, body));
        var reader = (ILongPollingJobReader)LoopbackVendors.Create("aimlapi", server, _clock).GetService(typeof(ILongPollingJobReader))!;

        var error = await Should.ThrowAsync<VideoGenException>(() => reader.WaitForCompletionOnServerAsync(vendor.Id, CancellationToken.None));

        error.Message.ShouldContain(OtherAimlId);
    }

    [Fact]
    public async Task GetJobsAsync_AimlBatchAnswerNamesAJobNotAskedFor_IsAnError()
    {
        var vendor = VendorDeviationTests.Vendor.Of("aimlapi");
        var mine = vendor.Completed("documented", "https://cdn.example/mine.mp4").Body;
        var stranger = mine.Replace(vendor.Id, OtherAimlId, StringComparison.Ordinal).Replace("mine.mp4", "stranger.mp4", StringComparison.Ordinal);
        await using var server = await LoopbackServer.StartAsync(ctx => Respond.Json(ctx, $$"""{"generations":[{{mine}},{{stranger}}]}"""));
        var reader = (IBatchJobReader)LoopbackVendors.Create("aimlapi", server, _clock).GetService(typeof(IBatchJobReader))!;

        var error = await Should.ThrowAsync<VideoGenException>(() => reader.GetJobsAsync([vendor.Id], CancellationToken.None));

        error.Message.ShouldContain(OtherAimlId);
    }

    [Fact]
    public async Task GetJobsAsync_AimlBatchAnswerOfTheJobsAsked_IsRead()
    {
        var vendor = VendorDeviationTests.Vendor.Of("aimlapi");
        var mine = vendor.Completed("documented", "https://cdn.example/mine.mp4").Body;
        await using var server = await LoopbackServer.StartAsync(ctx => Respond.Json(ctx, $$"""{"generations":[{{mine}}]}"""));
        var reader = (IBatchJobReader)LoopbackVendors.Create("aimlapi", server, _clock).GetService(typeof(IBatchJobReader))!;

        var jobs = await reader.GetJobsAsync([vendor.Id], CancellationToken.None);

        jobs.ShouldHaveSingleItem().Id.ShouldBe(vendor.Id);
    }

    private static string OtherId(string vendorId) => VendorWires.Of(vendorId).OtherJobId;
}
