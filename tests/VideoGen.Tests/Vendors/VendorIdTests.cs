using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json;
using VideoGen.AimlApi;
using VideoGen.Vendors;
using VideoGen.Waiting;

namespace VideoGen.Tests.Vendors;

/// <summary>
/// A job carries its vendor's stable id (<see cref="VideoJob.VendorId"/>), which lookups use; its display name
/// (<see cref="VideoJob.Vendor"/>) is for people. Jobs stored with a display name only still find their vendor.
/// </summary>
public sealed class VendorIdTests
{
    public static TheoryData<string, string> DisplayNames()
    {
        var data = new TheoryData<string, string>();
        foreach (var descriptor in VendorDescriptors.All)
        {
            data.Add(descriptor.DisplayName, descriptor.Id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DisplayNames))]
    public void VendorId_SerializedJobHoldingOnlyADisplayName_ReadsTheVendorsId(string displayName, string id)
    {
        var json = $$"""{"Id": "job-1", "Vendor": "{{displayName}}", "Status": "Queued"}""";

        var job = JsonConvert.DeserializeObject<VideoJob>(json)!;

        job.VendorId.ShouldBeNull();
        VendorIds.Of(job).ShouldBe(id);
        job.Vendor.ShouldBe(displayName);
    }

    [Theory]
    [InlineData("gateway", VendorIds.Apiframe)]
    [InlineData("  AIMLAPI ", VendorIds.AimlApi)]
    [InlineData("aiml api", VendorIds.AimlApi)]
    [InlineData("Acme Video", null)]
    public void VendorId_JobWithoutAnId_ResolvesIdsAliasesAndDisplayNamesOnly(string vendor, string? id) =>
        VendorIds.Of(new VideoJob { Id = "job-1", Vendor = vendor, Status = VideoJobStatus.Queued }).ShouldBe(id);

    [Fact]
    public void VendorId_SetExplicitly_WinsOverTheDisplayNameAndSurvivesSerialization()
    {
        var job = new VideoJob { Id = "job-1", Vendor = "Elumenta", VendorId = VendorIds.NeuralBox, Status = VideoJobStatus.Queued };

        var read = JsonConvert.DeserializeObject<VideoJob>(JsonConvert.SerializeObject(job))!;

        read.VendorId.ShouldBe(VendorIds.NeuralBox);
        read.Vendor.ShouldBe("Elumenta");
    }

    [Fact]
    public async Task GetJobAsync_BuiltInAdapter_JobCarriesTheIdAndTheDescriptorsDisplayName()
    {
        const string jobId = "755f9bbb-d99b-4880-992b-f05244ddba61";
        var handler = new StubHttpHandler().OnJson(HttpMethod.Get, "/v2/generate/video/luma-ai/generation", $$"""{"id": "{{jobId}}", "state": "dreaming"}""");

        var job = await TestClients.AimlApi(handler).AsVideoGenerator().GetJobAsync(jobId);

        job.VendorId.ShouldBe(VendorIds.AimlApi);
        job.Vendor.ShouldBe(VendorDescriptors.Get(VendorIds.AimlApi).DisplayName);
    }

    [Fact]
    public void JobPollerSchedule_JobWhoseDisplayNameNamesNoVendor_UsesItsIdsProcessingWindow()
    {
        var job = new VideoJob { Id = "job-1", Vendor = "Luma through AIML", VendorId = VendorIds.AimlApi, Model = "luma/ray-2", Status = VideoJobStatus.Queued };

        var poller = new JobPoller(job.Id, job, new WaitOptions());

        poller.Schedule.Window.ShouldBe(PollSchedule.WindowFor(VendorIds.AimlApi, "luma/ray-2"));
        poller.Schedule.Window.ShouldNotBe(PollSchedule.WindowFor("Luma through AIML", "luma/ray-2"), "the display name alone names no vendor");
    }

    [Fact]
    public void JobFinished_ProcessingTime_IsLearnedUnderTheVendorsId()
    {
        var history = new InMemoryProcessingTimeHistory();
        var created = DateTimeOffset.UtcNow.AddMinutes(-2);
        var job = new VideoJob
        {
            Id = "job-1", Vendor = "Luma through AIML", VendorId = VendorIds.AimlApi, Model = "luma/ray-2", Status = VideoJobStatus.Succeeded,
            ResultUri = new Uri("https://cdn.example/a.mp4"), CreatedAt = created, CompletedAt = created.AddSeconds(90),
        };

        JobTelemetry.Finished(job, NullLogger.Instance, new WaitOptions { ProcessingTimes = history });

        history.GetSnapshot(VendorIds.AimlApi, "luma/ray-2").Recent.ShouldBe([TimeSpan.FromSeconds(90)]);
    }
}
