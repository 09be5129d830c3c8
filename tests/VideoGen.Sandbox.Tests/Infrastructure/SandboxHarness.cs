using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace VideoGen.Sandbox.Tests.Infrastructure;

/// <summary>One HTTP answer: status, headers, body as text and (when it is JSON) parsed.</summary>
internal sealed record Reply(HttpStatusCode Status, string Text, HttpResponseHeaders Headers, HttpContentHeaders? ContentHeaders)
{
    public JToken Json => JsonConvert.DeserializeObject<JToken>(Text, new JsonSerializerSettings { DateParseHandling = DateParseHandling.None })!;

    public JObject Object => (JObject)Json;

    public int Code => (int)Status;

    public override string ToString() => $"{Code} {Text}";
}

/// <summary>A sandbox started for one test, with a fake clock by default and a plain HTTP client (no proxy).</summary>
internal sealed class SandboxHarness : IAsyncDisposable
{
    public const string Key = "sk_sandbox_test_key";

    private SandboxHarness(SandboxServer server, FakeTimeProvider? clock)
    {
        Server = server;
        Clock = clock;
        Http = CreateClient(server.BaseUrl);
    }

    public SandboxServer Server { get; }

    /// <summary>The fake clock, when the harness was started with one.</summary>
    public FakeTimeProvider? Clock { get; }

    public FakeTimeProvider FakeClock => Clock ?? throw new InvalidOperationException("This harness runs on the real clock.");

    public HttpClient Http { get; }

    public string Url => Server.BaseUrl.ToString().TrimEnd('/');

    public static async Task<SandboxHarness> StartAsync(Action<SandboxOptions>? configure = null, bool fakeClock = true)
    {
        var clock = fakeClock ? new FakeTimeProvider() : null;
        var options = new SandboxOptions();
        if (clock is not null)
        {
            options.TimeProvider = clock;
        }

        configure?.Invoke(options);
        return new SandboxHarness(await SandboxServer.StartAsync(options), clock);
    }

    public static HttpClient CreateClient(Uri? baseAddress = null) =>
        new(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };

    public Task<Reply> PostAsync(string path, object body, string? key = Key, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, path, body is string text ? text : JsonConvert.SerializeObject(body), key, cancellationToken);

    public Task<Reply> GetAsync(string path, string? key = Key, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, path, null, key, cancellationToken);

    public async Task<Reply> SendAsync(HttpMethod method, string path, string? json, string? key = Key, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);

            // Apiframe reads the key from X-API-Key (https://docs-v2.apiframe.ai/docs/getting-started/authentication); the others ignore it.
            request.Headers.Add("X-API-Key", key);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await Http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return new Reply(response.StatusCode, text, response.Headers, response.Content.Headers);
    }

    /// <summary>Moves the fake clock to when the job leaves the queue.</summary>
    public SandboxJobSnapshot AdvanceToStart(string vendor, string id)
    {
        var job = Job(vendor, id);
        FakeClock.AdvanceTo(job.StartsAt + TimeSpan.FromMilliseconds(1));
        return job;
    }

    /// <summary>Moves the fake clock to when the job ends.</summary>
    public SandboxJobSnapshot AdvanceToEnd(string vendor, string id)
    {
        var job = Job(vendor, id);
        FakeClock.AdvanceTo(job.FinishesAt);
        return job;
    }

    /// <summary>Waits (in real time) until <paramref name="condition"/> holds, for effects that land just after a response.</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string because)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Timed out waiting until " + because);
            }

            await Task.Delay(10);
        }
    }

    public SandboxJobSnapshot Job(string vendor, string id) => Server.GetJob(vendor, id) ?? throw new InvalidOperationException($"no {vendor} job {id}");

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
