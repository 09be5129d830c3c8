using VideoGen.Apiframe;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VideoGen.AspNetCore;
using VideoGen.Waiting;
using VideoGen.Webhooks;

namespace VideoGen.Tests.AspNetCore;

public sealed class VideoGenWebhookEndpointTests : IAsyncLifetime
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string Completed = """{"event":"completed","jobId":"b2c3d4e5-f6a7-8901-bcde-f23456789012","status":"COMPLETED","progress":100,"result":{"videoUrl":"https://cdn.example/v.mp4"},"model":"kling-2.1","creditCost":5,"completedAt":"2026-03-15T10:00:32.000Z"}""";
    private const string ApiframeKey = "afk_test_7f3a9c";
    private WebApplication _app = null!;
    private HttpClient _http = null!;
    private readonly WebhookSignatureVerifier _signer = new(Secret);

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddVideoGenWebhooks();
        _app = builder.Build();
        _app.MapVideoGenWebhooks("/hooks/video", o => o.SigningSecret = Secret);
        _app.MapVideoGenWebhooks("/hooks/unsigned", o => o.AllowUnsignedDeliveries = true);
        _app.MapVideoGenWebhooks("/hooks/apiframe", o => o.ApiframeApiKey = ApiframeKey);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
    }

    private WebhookJobUpdates Hub => _app.Services.GetRequiredService<WebhookJobUpdates>();

    [Fact]
    public async Task Post_ValidSignature_PublishesTheJobUpdateForWaiters()
    {
        using var response = await Deliver("/hooks/video", "msg_1", Now(), Completed);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var job = await new VideoJobOperation(new NoPolling(), "b2c3d4e5-f6a7-8901-bcde-f23456789012")
            .WaitForCompletionAsync(new WaitOptions { Webhooks = Hub, WebhookGracePeriod = TimeSpan.FromSeconds(5) });
        job.Status.ShouldBe(VideoJobStatus.Succeeded);
        job.ResultUri.ShouldBe(new Uri("https://cdn.example/v.mp4"));
    }

    [Fact]
    public async Task Post_BadSignature_IsRefusedWith401AndNothingPublished()
    {
        using var response = await Deliver("/hooks/video", "msg_2", Now(), Completed, signature: "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        Hub.Publish("probe", new VideoJob { Id = "probe", Vendor = "Gateway", Status = VideoJobStatus.Queued }).ShouldBeTrue();
        Hub.Publish("msg_2", new VideoJob { Id = "x", Vendor = "Gateway", Status = VideoJobStatus.Queued }).ShouldBeTrue("a refused delivery must not count as seen");
    }

    [Fact]
    public async Task Post_StaleTimestamp_IsRefusedWith401()
    {
        var stale = (DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 600).ToString(CultureInfo.InvariantCulture);

        using var response = await Deliver("/hooks/video", "msg_3", stale, Completed);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).ShouldContain("tolerance");
    }

    [Fact]
    public async Task Post_ReplayedDeliveryId_IsAcknowledgedAsDuplicateAndNotPublishedTwice()
    {
        var stamp = Now();
        using var first = await Deliver("/hooks/video", "msg_4", stamp, Completed);
        using var replay = await Deliver("/hooks/video", "msg_4", stamp, Completed);

        (await first.Content.ReadAsStringAsync()).ShouldContain("\"duplicate\":false");
        replay.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await replay.Content.ReadAsStringAsync()).ShouldContain("\"duplicate\":true");
    }

    [Fact]
    public async Task Post_UnsignedEndpointSameBodyTwice_SecondIsDuplicate()
    {
        using var first = await _http.PostAsync("/hooks/unsigned", new StringContent(Completed, Encoding.UTF8, "application/json"));
        using var second = await _http.PostAsync("/hooks/unsigned", new StringContent(Completed, Encoding.UTF8, "application/json"));

        (await second.Content.ReadAsStringAsync()).ShouldContain("\"duplicate\":true");
    }

    [Fact]
    public async Task Post_ApiframeSignatureOfTheRawBody_IsAcceptedAndPublished()
    {
        using var response = await DeliverApiframe(Completed, new ApiframeWebhookSignature(ApiframeKey).Sign(Encoding.UTF8.GetBytes(Completed)));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var job = await new VideoJobOperation(new NoPolling(), "b2c3d4e5-f6a7-8901-bcde-f23456789012")
            .WaitForCompletionAsync(new WaitOptions { Webhooks = Hub, WebhookGracePeriod = TimeSpan.FromSeconds(5) });
        job.ResultUri.ShouldBe(new Uri("https://cdn.example/v.mp4"));
        job.Cost!.Amount.ShouldBe(5m);
    }

    [Theory]
    [InlineData("tampered")]
    [InlineData("wrong-key")]
    [InlineData("missing")]
    public async Task Post_ApiframeDeliveryWithoutAValidSignature_IsRefusedWith401(string kind)
    {
        var signed = new ApiframeWebhookSignature(kind == "wrong-key" ? "afk_someone_else" : ApiframeKey).Sign(Encoding.UTF8.GetBytes(Completed));
        var body = kind == "tampered" ? Completed.Replace("cdn.example", "evil.example", StringComparison.Ordinal) : Completed;

        using var response = await DeliverApiframe(body, kind == "missing" ? null : signed);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).ShouldNotContain(ApiframeKey);
    }

    [Fact]
    public async Task Post_NotAPayload_Is400()
    {
        using var response = await _http.PostAsync("/hooks/unsigned", new StringContent("""{"hello":"world"}""", Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    private Task<HttpResponseMessage> Deliver(string path, string id, string timestamp, string body, string? signature = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp);
        request.Headers.Add("webhook-signature", signature ?? _signer.CreateSignatureHeader(id, timestamp, Encoding.UTF8.GetBytes(body)));
        return _http.SendAsync(request);
    }

    private Task<HttpResponseMessage> DeliverApiframe(string body, string? signature)
    {
        // https://docs-v2.apiframe.ai/docs/webhooks: X-Webhook-Signature and X-Webhook-Event.
        var request = new HttpRequestMessage(HttpMethod.Post, "/hooks/apiframe") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Webhook-Event", "completed");
        if (signature is not null)
        {
            request.Headers.Add("X-Webhook-Signature", signature);
        }

        return _http.SendAsync(request);
    }

    private static string Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private sealed class NoPolling : IVideoGenerator
    {
        public Task<VideoJob> SubmitAsync(VideoGenerationRequest request, VideoGenerationOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<VideoJob> GetJobAsync(string jobId, CancellationToken cancellationToken = default) => throw new InvalidOperationException("the webhook should have delivered the result");

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
