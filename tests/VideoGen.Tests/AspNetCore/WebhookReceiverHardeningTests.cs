using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VideoGen.AspNetCore;
using VideoGen.Webhooks;

namespace VideoGen.Tests.AspNetCore;

/// <summary>
/// Issue 12 item 12: the webhook receiver before authentication. A chunked body is cut at the limit while it is read,
/// an impossible timestamp is a 401, unsigned deliveries are refused unless the user opts out, delivery ids survive
/// a restart, and the per-job buffers stay bounded.
/// </summary>
public sealed class WebhookReceiverHardeningTests : IAsyncLifetime
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string Completed = """{"event":"completed","jobId":"b2c3d4e5-f6a7-8901-bcde-f23456789012","status":"COMPLETED","progress":100,"result":{"videoUrls":["https://cdn.example/v.mp4"]}}""";
    private readonly WebhookSignatureVerifier _signer = new(Secret);
    private readonly string _directory = Directory.CreateTempSubdirectory("videogen-webhooks-").FullName;
    private WebApplication _app = null!;
    private HttpClient _http = null!;
    private long _bodyBytesRead;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        builder.Services.AddVideoGenWebhooks();
        _app = builder.Build();

        // Counts what the endpoint reads of each request body: what it could have buffered.
        _app.Use(async (context, next) =>
        {
            context.Request.Body = new CountingStream(context.Request.Body, n => Interlocked.Add(ref _bodyBytesRead, n));
            await next();
        });
        _app.MapVideoGenWebhooks("/hooks/signed", o => o.SigningSecret = Secret);
        _app.MapVideoGenWebhooks("/hooks/default");
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private WebhookJobUpdates Hub => _app.Services.GetRequiredService<WebhookJobUpdates>();

    [Theory]
    [InlineData("/hooks/signed")]
    [InlineData("/hooks/default")]
    public async Task Post_ChunkedBodyOfTwentyFiveMegabytes_Is413AfterReadingAtMostTheLimit(string path)
    {
        var content = new EndlessContent(25 * 1024 * 1024);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.TransferEncodingChunked = true;

        HttpStatusCode status;
        try
        {
            using var response = await _http.SendAsync(request);
            status = response.StatusCode;
        }
        catch (HttpRequestException)
        {
            // The server may close the connection while the client is still sending; what it read is what counts.
            status = HttpStatusCode.RequestEntityTooLarge;
        }

        status.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        Interlocked.Read(ref _bodyBytesRead).ShouldBeLessThanOrEqualTo(VideoGen.Apiframe.ApiframeWebhooks.MaxBodyBytes + 64 * 1024);
    }

    [Theory]
    [InlineData("99999999999999")]
    [InlineData("9223372036854775807")]
    [InlineData("99999999999999999999")]
    public async Task Post_ImpossibleTimestamp_Is401Not500(string timestamp)
    {
        using var response = await Deliver("/hooks/signed", "msg_ts", timestamp, Completed);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Post_NoSecretAndNoOptOut_RefusesUnsignedDeliveriesWith401()
    {
        using var response = await _http.PostAsync("/hooks/default", new StringContent(Completed, Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).ShouldContain("AllowUnsignedDeliveries");
        Hub.TrackedJobs.ShouldBe(0);
    }

    [Fact]
    public async Task SqliteStore_DeliveryReplayedAfterARestart_IsADuplicate()
    {
        var path = Path.Combine(_directory, "journal.db");
        var job = new VideoJob { Id = "job-1", Vendor = "Gateway", Status = VideoJobStatus.Succeeded };
        var before = new WebhookJobUpdates(new SqliteWebhookDeliveryStore(path));
        (await before.PublishAsync("msg_restart", job)).ShouldBeTrue();

        // A new process: a new hub over a new store on the same file.
        var after = new WebhookJobUpdates(new SqliteWebhookDeliveryStore(path));

        (await after.PublishAsync("msg_restart", job)).ShouldBeFalse();
        (await after.PublishAsync("msg_other", job)).ShouldBeTrue();
    }

    [Fact]
    public async Task SqliteStore_IdsOlderThanTheRetention_AreForgotten()
    {
        var clock = new VideoGen.Testing.VirtualTimeProvider();
        var store = new SqliteWebhookDeliveryStore(Path.Combine(_directory, "d.db"), TimeSpan.FromHours(1), clock);
        (await store.TryRecordAsync("old")).ShouldBeTrue();
        clock.Advance(TimeSpan.FromHours(2));

        // The first insert after a restart trims (every 100th insert trims in a long-running store).
        var restarted = new SqliteWebhookDeliveryStore(Path.Combine(_directory, "d.db"), TimeSpan.FromHours(1), clock);
        (await restarted.TryRecordAsync("new")).ShouldBeTrue();

        (await restarted.TryRecordAsync("old")).ShouldBeTrue("an id past the retention is forgotten");
    }

    [Fact]
    public async Task InMemoryStore_IsBounded()
    {
        var store = new InMemoryWebhookDeliveryStore(capacity: 3);
        foreach (var id in new[] { "a", "b", "c", "d" })
        {
            (await store.TryRecordAsync(id)).ShouldBeTrue();
        }

        (await store.TryRecordAsync("d")).ShouldBeFalse();
        (await store.TryRecordAsync("a")).ShouldBeTrue("the oldest id was forgotten past the capacity");
    }

    [Fact]
    public async Task Publish_ManyFinishedJobs_KeepsThePerJobMapBoundedAndLiveJobsBuffered()
    {
        var hub = new WebhookJobUpdates(deliveries: null, maxTrackedJobs: 50);
        await hub.PublishAsync("live-1", new VideoJob { Id = "live", Vendor = "Gateway", Status = VideoJobStatus.Running });
        for (var i = 0; i < 1000; i++)
        {
            await hub.PublishAsync($"d{i}", new VideoJob { Id = $"done-{i}", Vendor = "Gateway", Status = VideoJobStatus.Succeeded });
        }

        hub.TrackedJobs.ShouldBeLessThanOrEqualTo(50);
        var live = await hub.NextAsync("live", TimeSpan.FromSeconds(1), TimeProvider.System, CancellationToken.None);
        live.ShouldNotBeNull().Status.ShouldBe(VideoJobStatus.Running);
    }

    private Task<HttpResponseMessage> Deliver(string path, string id, string timestamp, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp);
        request.Headers.Add("webhook-signature", _signer.CreateSignatureHeader(id, timestamp, Encoding.UTF8.GetBytes(body)));
        return _http.SendAsync(request);
    }

    /// <summary>A body of <c>length</c> bytes of JSON-ish padding, produced as it is sent (no Content-Length).</summary>
    private sealed class EndlessContent(long length) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var chunk = Encoding.ASCII.GetBytes(new string(' ', 64 * 1024));
            for (long sent = 0; sent < length; sent += chunk.Length)
            {
                await stream.WriteAsync(chunk);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    private sealed class CountingStream(Stream inner, Action<long> count) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count1)
        {
            var n = inner.Read(buffer, offset, count1);
            count(n);
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken);
            count(n);
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count1, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count1), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count1) => throw new NotSupportedException();
    }
}
