using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;
using VideoGen.AspNetCore;
using VideoGen.Journal;
using VideoGen.Webhooks;

namespace VideoGen.Tests.AspNetCore;

/// <summary>
/// Issue 12 item 12, "persist delivery ids with the journal": <see cref="VideoGenWebhookEndpoints.AddVideoGenWebhooks"/>
/// keeps delivery ids in the configured SQLite journal's file, so a delivery replayed to a new host over the same
/// journal is a duplicate; with no journal they are kept in memory.
/// </summary>
public sealed class WebhookDeliveryPersistenceTests : IAsyncLifetime
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    // The Apiframe completed-event shape the other receiver tests deliver.
    private const string Completed = """{"event":"completed","jobId":"b2c3d4e5-f6a7-8901-bcde-f23456789012","status":"COMPLETED","progress":100,"result":{"videoUrls":["https://cdn.example/v.mp4"]}}""";
    private readonly WebhookSignatureVerifier _signer = new(Secret);
    private readonly string _directory = Directory.CreateTempSubdirectory("videogen-webhook-journal-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task AddVideoGenWebhooks_JournalConfigured_DeliveryReplayedAfterARestartIsADuplicateAndNotPublished()
    {
        var journal = Path.Combine(_directory, "journal.db");
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

        await using (var first = await Receiver.StartAsync(services => services.AddSingleton<IJobJournal>(new SqliteJobJournal(journal))))
        {
            var (status, duplicate) = await first.DeliverAsync(_signer, "msg_restart", timestamp, Completed);
            status.ShouldBe(HttpStatusCode.OK);
            duplicate.ShouldBeFalse();
            first.Hub.TrackedJobs.ShouldBe(1);
        }

        await using var restarted = await Receiver.StartAsync(services => services.AddSingleton<IJobJournal>(new SqliteJobJournal(journal)));
        var (again, replayed) = await restarted.DeliverAsync(_signer, "msg_restart", timestamp, Completed);

        again.ShouldBe(HttpStatusCode.OK, "a duplicate is acknowledged so the vendor stops redelivering it");
        replayed.ShouldBeTrue("the delivery id was kept in the journal's file");
        restarted.Hub.TrackedJobs.ShouldBe(0, "a replayed delivery is not published again");
        File.Exists(journal).ShouldBeTrue();
    }

    [Fact]
    public async Task AddVideoGenWebhooks_NoJournal_DeliveryIdsAreKeptInMemoryOnly()
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using (var first = await Receiver.StartAsync(_ => { }))
        {
            (await first.DeliverAsync(_signer, "msg_memory", timestamp, Completed)).Duplicate.ShouldBeFalse();
            (await first.DeliverAsync(_signer, "msg_memory", timestamp, Completed)).Duplicate.ShouldBeTrue();
        }

        await using var restarted = await Receiver.StartAsync(_ => { });
        (await restarted.DeliverAsync(_signer, "msg_memory", timestamp, Completed)).Duplicate.ShouldBeFalse("no journal: nothing outlives the process");
    }

    [Fact]
    public async Task AddVideoGenWebhooks_StoreRegisteredByTheUser_WinsOverTheJournal()
    {
        var journal = Path.Combine(_directory, "journal.db");
        var own = new InMemoryWebhookDeliveryStore();
        await using var host = await Receiver.StartAsync(services => services.AddSingleton<IJobJournal>(new SqliteJobJournal(journal)).AddSingleton<IWebhookDeliveryStore>(own));
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

        (await host.DeliverAsync(_signer, "msg_own", timestamp, Completed)).Duplicate.ShouldBeFalse();

        (await own.TryRecordAsync("msg_own")).ShouldBeFalse("the user's store recorded the delivery");
    }

    /// <summary>A Kestrel host on loopback with the receiver mapped at /hooks.</summary>
    private sealed class Receiver(WebApplication app, HttpClient http) : IAsyncDisposable
    {
        public WebhookJobUpdates Hub => app.Services.GetRequiredService<WebhookJobUpdates>();

        public static async Task<Receiver> StartAsync(Action<IServiceCollection> configure)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            configure(builder.Services);
            builder.Services.AddVideoGenWebhooks();
            var app = builder.Build();
            app.MapVideoGenWebhooks("/hooks", o => o.SigningSecret = Secret);
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new Receiver(app, new HttpClient { BaseAddress = new Uri(address) });
        }

        public async Task<(HttpStatusCode Status, bool Duplicate)> DeliverAsync(WebhookSignatureVerifier signer, string id, string timestamp, string body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/hooks") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("webhook-id", id);
            request.Headers.Add("webhook-timestamp", timestamp);
            request.Headers.Add("webhook-signature", signer.CreateSignatureHeader(id, timestamp, Encoding.UTF8.GetBytes(body)));
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, response.IsSuccessStatusCode && (bool)JObject.Parse(text)["duplicate"]!);
        }

        public async ValueTask DisposeAsync()
        {
            http.Dispose();
            await app.DisposeAsync();
        }
    }
}
