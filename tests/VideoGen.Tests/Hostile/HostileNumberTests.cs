using System.Text;
using VideoGen.AimlApi;
using VideoGen.Apiframe;
using VideoGen.Elumenta;
using VideoGen.Http;
using VideoGen.Testing;

namespace VideoGen.Tests.Hostile;

/// <summary>
/// Cost fields a vendor fills with numbers no price can be (found by the attack branch): a credit count past what a
/// <see cref="decimal"/> holds made every read of the job throw <see cref="OverflowException"/> (not a VideoGen
/// exception, so no waiter, retry or Hangfire step treated it as a failed read), and a negative token count was reported
/// as a negative cost. The job itself must still be read: its status and result are what matter.
/// </summary>
public sealed class HostileNumberTests
{
    [Theory]
    [InlineData("1e30")]
    [InlineData("123456789012345678901234567890")]
    [InlineData("1.7976931348623157e308")]
    public async Task Apiframe_GetJobAsync_CreditCostPastWhatADecimalHolds_ReadsTheJobWithoutACost(string creditCost)
    {
        await using var server = Json($$"""{"id":"a1","status":"COMPLETED","result":{"videoUrl":"https://cdn.example/a1.mp4"},"creditCost":{{creditCost}}}""");
        var generator = new ApiframeClient(Configuration("Apiframe", server.BaseUrl), new HttpClient()).AsVideoGenerator();

        var job = await generator.GetJobAsync("a1");

        job.Status.ShouldBe(VideoJobStatus.Succeeded);
        job.ResultUri.ShouldBe(new Uri("https://cdn.example/a1.mp4"));
        job.Cost.ShouldBeNull();
    }

    [Fact]
    public async Task AimlApi_GetJobAsync_CreditsUsedPastWhatADecimalHolds_ReadsTheJobWithoutACost()
    {
        const string id = "2f6a7e37-1c3b-4f9e-9a4e-6a3c1e8d2b10:luma/ray-2";
        await using var server = Json("""{"id":"2f6a7e37-1c3b-4f9e-9a4e-6a3c1e8d2b10:luma/ray-2","status":"completed","video":{"url":"https://cdn.example/v.mp4"},"meta":{"usage":{"credits_used":1e30}}}""");
        var generator = new AimlApiClient(Configuration("AIML API", server.BaseUrl), new HttpClient()).AsVideoGenerator();

        var job = await generator.GetJobAsync(id);

        job.Status.ShouldBe(VideoJobStatus.Succeeded);
        job.Cost.ShouldBeNull();
    }

    [Fact]
    public async Task Elumenta_GetJobAsync_NegativeTokensSpent_ReportsNoCost()
    {
        await using var server = Json("""{"id":18500,"status":"completed","model_slug":"kling-v2.1","result_url":"https://storage.example/18500.mp4","tokens_spent":-26}""");
        var generator = new ElumentaClient(Configuration("Elumenta", new Uri(server.BaseUrl, "api/")), new HttpClient()).AsVideoGenerator();

        var job = await generator.GetJobAsync("18500");

        job.Status.ShouldBe(VideoJobStatus.Succeeded);
        job.Cost.ShouldBeNull();
    }

    [Fact]
    public void ApiframeWebhooks_ToVideoJob_CreditCostPastWhatADecimalHolds_GivesNoCost()
    {
        var payload = ApiframeWebhooks.Parse("""{"event":"completed","jobId":"a1","status":"COMPLETED","result":{"videoUrl":"https://cdn.example/a1.mp4"},"creditCost":1e30}""");

        var job = ApiframeWebhooks.ToVideoJob(payload);

        job.Cost.ShouldBeNull();
        job.ResultUri.ShouldBe(new Uri("https://cdn.example/a1.mp4"));
    }

    private static VendorClientConfiguration Configuration(string vendor, Uri baseUrl) => new(vendor) { ApiKey = "sk-test", BaseUrl = baseUrl };

    /// <summary>A loopback server answering every request with <paramref name="json"/> (200).</summary>
    private static RawHttpStub Json(string json)
    {
        RawHttpStub? stub = null;
        stub = new RawHttpStub(async (_, stream, ct) =>
        {
            var body = Encoding.UTF8.GetBytes(json);
            await stub!.WriteAsync(stream, Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n"), ct);
            await stub.WriteAsync(stream, body, ct);
        });
        return stub;
    }
}
