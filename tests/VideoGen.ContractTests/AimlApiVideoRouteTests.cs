using System.Net;
using VideoGen.AimlApi;
using VideoGen.Http;
using VideoGen.Sandbox;

namespace VideoGen.ContractTests;

/// <summary>
/// AIML API's documented video route (specs/aimlapi.yaml CreateVideoGeneration, GetVideoGeneration;
/// https://docs.aimlapi.com/api-references/video-models/luma-ai/luma-ray-2) end to end: the real adapter over the
/// generated client against the sandbox, which refuses what the route's schema does not take (a string duration,
/// callback_url, a model of the seed's route).
/// </summary>
public sealed class AimlApiVideoRouteTests
{
    [Fact]
    public async Task SubmitReadExtend_LumaRay2_GoesThroughTheVideoRoute()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 0 });
        using var http = new HttpClient();
        var client = new AimlApiClient(new VendorClientConfiguration("AIML API") { ApiKey = "video_route_key", BaseUrl = sandbox.GetVendorBaseUrl(SandboxVendors.AimlApi) }, http);
        using var generator = client.AsVideoGenerator();

        var submitted = await generator.SubmitAsync(new VideoGenerationRequest("A dragon over the tallest mountain")
        {
            Model = "luma/ray-2",
            DurationSeconds = 9,
            AspectRatio = "9:16",
            StartImage = new Uri("https://example.com/landscape.jpg"),
        });

        submitted.Id.ShouldEndWith(":luma/ray-2");
        submitted.Status.ShouldBe(VideoJobStatus.Queued);
        var job = sandbox.GetJob(SandboxVendors.AimlApi, submitted.Id).ShouldNotBeNull();
        job.Model.ShouldBe("luma/ray-2");

        var done = await generator.GetJobAsync(submitted.Id);
        done.Status.ShouldBe(VideoJobStatus.Succeeded);
        done.Model.ShouldBe("luma/ray-2");
        var video = done.ResultUri.ShouldNotBeNull();
        using (var download = await http.GetAsync(video))
        {
            download.StatusCode.ShouldBe(HttpStatusCode.OK, $"the result URL {video} serves the video");
        }

        var extended = await generator.SubmitAsync(new VideoGenerationRequest("The dragon lands") { Model = "luma/ray-flash-2", Extend = new VideoExtension(submitted.Id) });
        extended.Id.ShouldEndWith(":luma/ray-flash-2");
        (await generator.GetJobAsync(extended.Id)).Status.ShouldBe(VideoJobStatus.Succeeded);

        // The seed's route still serves the seed's models, with UUID ids.
        var seedRoute = await generator.SubmitAsync(new VideoGenerationRequest("A jellyfish") { Model = "ray-2" });
        Guid.TryParse(seedRoute.Id, out _).ShouldBeTrue(seedRoute.Id);
    }

    [Fact]
    public async Task Submit_WebhookOnTheVideoRoute_IsRefusedBeforeSending()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 0 });
        var client = new AimlApiClient(new VendorClientConfiguration("AIML API") { ApiKey = "video_route_key", BaseUrl = sandbox.GetVendorBaseUrl(SandboxVendors.AimlApi) }, new HttpClient());
        using var generator = client.AsVideoGenerator();

        // The route's schema is closed and has no callback_url (https://raw.githubusercontent.com/aimlapi/api-docs/main/docs/api-references/video-models/luma-ai/ray-2.json).
        await Should.ThrowAsync<VideoGenValidationException>(() => generator.SubmitAsync(
            new VideoGenerationRequest("A dragon") { Model = "luma/ray-2" },
            new VideoGenerationOptions { WebhookUrl = new Uri("https://example.com/hook") }));

        sandbox.Counters.Requests(SandboxVendors.AimlApi).ShouldBe(0);
    }

    [Theory]
    [InlineData("18500")]
    [InlineData("luma/ray-2")]
    [InlineData("not-a-uuid:luma/ray-2")]
    public async Task GetJob_IdOfNeitherRoute_ThrowsNamingBothForms(string id)
    {
        var client = new AimlApiClient(new VendorClientConfiguration("AIML API") { ApiKey = "k", BaseUrl = new Uri("http://127.0.0.1:9/") }, new HttpClient());
        using var generator = client.AsVideoGenerator();

        var e = await Should.ThrowAsync<ArgumentException>(() => generator.GetJobAsync(id));

        e.Message.ShouldContain("UUID");
        e.Message.ShouldContain(":luma/ray-2");
    }
}
