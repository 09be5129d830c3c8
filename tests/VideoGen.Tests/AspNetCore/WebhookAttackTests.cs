using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VideoGen.Apiframe;
using VideoGen.AspNetCore;
using VideoGen.Waiting;
using VideoGen.Webhooks;

namespace VideoGen.Tests.AspNetCore;

/// <summary>
/// Findings of the attack branch against the webhook receiver, on a real Kestrel on loopback: deliveries an attacker
/// can replay, and deliveries a vendor can get wrong, must never report a job done with a wrong (or no) file.
/// </summary>
public sealed class WebhookAttackTests : IAsyncLifetime
{
    private const string ApiframeKey = "afk_attack_5d1e0c";
    private const string JobId = "c3d4e5f6-a7b8-9012-cdef-345678901234";
    private const string Completed = $$"""{"event":"completed","jobId":"{{JobId}}","status":"COMPLETED","progress":100,"result":{"videoUrl":"https://cdn.example/v.mp4"},"creditCost":5}""";
    private WebApplication _app = null!;
    private HttpClient _http = null!;
    private int _published;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddVideoGenWebhooks();
        _app = builder.Build();
        _app.MapVideoGenWebhooks("/hooks/apiframe", o => o.ApiframeApiKey = ApiframeKey);
        await _app.StartAsync();
        Hub.Published += _ => Interlocked.Increment(ref _published);
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
    public async Task Post_ApiframeSignedDeliveryReplayedWithFreshWebhookIdHeaders_IsADuplicate()
    {
        // Apiframe's signature covers the body only. A webhook-id header is not signed under that scheme, so anyone who
        // saw one delivery could replay it as "new" forever by changing that header; each replay moved a Hangfire
        // generation's poll to now (a read at the vendor per replay).
        var signature = new ApiframeWebhookSignature(ApiframeKey).Sign(Encoding.UTF8.GetBytes(Completed));

        using var first = await DeliverApiframe(Completed, signature, webhookId: "replay-1");
        using var second = await DeliverApiframe(Completed, signature, webhookId: "replay-2");
        using var third = await DeliverApiframe(Completed, signature, webhookId: null);

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await second.Content.ReadAsStringAsync()).ShouldContain("\"duplicate\":true");
        (await third.Content.ReadAsStringAsync()).ShouldContain("\"duplicate\":true");
        Volatile.Read(ref _published).ShouldBe(1);
    }

    [Fact]
    public async Task Post_CreditCostNoDecimalHolds_IsAcceptedNot500()
    {
        // Was an OverflowException inside the endpoint: 500, so the vendor redelivered a valid delivery forever.
        var body = Completed.Replace("\"creditCost\":5", "\"creditCost\":1e30", StringComparison.Ordinal);

        using var response = await DeliverApiframe(body, new ApiframeWebhookSignature(ApiframeKey).Sign(Encoding.UTF8.GetBytes(body)), webhookId: null);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        Volatile.Read(ref _published).ShouldBe(1);
    }

    [Fact]
    public async Task Wait_CompletedDeliveryWithoutAResultUrl_ReadsTheJobInsteadOfReportingSuccessWithNoFile()
    {
        // A "completed" delivery without a usable video URL (an image result, a URL that is not http(s)) ended the wait
        // as Succeeded with no ResultUri: the poll path reads such a job again, the webhook path must not skip that.
        var body = $$$"""{"event":"completed","jobId":"{{{JobId}}}","status":"COMPLETED","progress":100,"result":{"videoUrl":"not a url"}}""";
        using var response = await DeliverApiframe(body, new ApiframeWebhookSignature(ApiframeKey).Sign(Encoding.UTF8.GetBytes(body)), webhookId: null);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var vendor = new ReadsDone(JobId, new Uri("https://cdn.example/from-the-api.mp4"));

        var job = await new VideoJobOperation(vendor, JobId).WaitForCompletionAsync(new WaitOptions
        {
            Webhooks = Hub,
            WebhookGracePeriod = TimeSpan.FromSeconds(5),
            PollInterval = TimeSpan.FromMilliseconds(10),
            Timeout = TimeSpan.FromSeconds(30),
        });

        job.ResultUri.ShouldBe(new Uri("https://cdn.example/from-the-api.mp4"));
        vendor.Reads.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Wait_DeliveryAboutAnotherVendorsJobWithTheSameId_IsNotThisJobsResult()
    {
        // Found by the fresh-eyes attack: the hub is keyed by job id only, so a wait on an Elumenta job took an Apiframe
        // delivery for a job of the same id as its own result (another job's video).
        var foreign = new Uri("https://cdn.example/another-vendors-job.mp4");
        await Hub.PublishAsync(null, new VideoJob
        {
            Id = JobId, Vendor = "Apiframe", VendorId = VendorIds.Apiframe, Status = VideoJobStatus.Succeeded, ResultUri = foreign, ResultUris = [foreign],
        });
        var vendor = new ReadsDone(JobId, new Uri("https://cdn.example/from-the-api.mp4"));
        var submitted = new VideoJob { Id = JobId, Vendor = "Elumenta", VendorId = VendorIds.Elumenta, Status = VideoJobStatus.Running };

        var job = await new VideoJobOperation(vendor, submitted).WaitForCompletionAsync(new WaitOptions
        {
            Webhooks = Hub,
            WebhookGracePeriod = TimeSpan.FromMilliseconds(200),
            PollInterval = TimeSpan.FromMilliseconds(10),
            Timeout = TimeSpan.FromSeconds(30),
        });

        job.ResultUri.ShouldBe(new Uri("https://cdn.example/from-the-api.mp4"));
        vendor.Reads.ShouldBeGreaterThan(0);
    }

    private Task<HttpResponseMessage> DeliverApiframe(string body, string signature, string? webhookId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/hooks/apiframe") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Webhook-Event", "completed");
        request.Headers.Add(ApiframeWebhooks.SignatureHeader, signature);
        if (webhookId is not null)
        {
            request.Headers.Add("webhook-id", webhookId);
        }

        return _http.SendAsync(request);
    }

    /// <summary>A vendor whose API says the job is done with <paramref name="result"/>.</summary>
    private sealed class ReadsDone(string id, Uri result) : IVideoGenerator
    {
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        public Task<VideoJob> SubmitAsync(VideoGenerationRequest request, VideoGenerationOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<VideoJob> GetJobAsync(string jobId, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _reads);
            jobId.ShouldBe(id);
            return Task.FromResult(new VideoJob { Id = id, Vendor = "Apiframe", Status = VideoJobStatus.Succeeded, ResultUri = result, ResultUris = [result] });
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
