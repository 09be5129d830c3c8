using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using VideoGen.Benchmarks.Infrastructure;
using VideoGen.Elumenta;
using VideoGen.Http;
using VideoGen.Resilience;

namespace VideoGen.Benchmarks.Calls;

/// <summary>Where the status call goes.</summary>
public enum Transport
{
    /// <summary>An in-memory handler answering the fixed body: no socket, no server; the client's cost alone.</summary>
    InMemory,

    /// <summary>A minimal Kestrel server in a child process answering the fixed body: client cost plus a real loopback round trip.</summary>
    Loopback,

    /// <summary>The VideoGen sandbox (<c>SandboxServer</c>) in a child process, reading a real job: the full round trip.</summary>
    Sandbox,
}

/// <summary>
/// One Elumenta status call (GET /v2/generate/{id}) four ways, against the same server in the same
/// run: a hand-written HttpClient + System.Text.Json call (the baseline), the generated client, the
/// adapter (<see cref="IVideoGenerator.GetJobAsync"/>), and the adapter behind VideoGen's resilience handler.
/// </summary>
[MemoryDiagnoser]
public class StatusCallBenchmarks
{
    private const string ApiKey = "sk-benchmark-not-a-secret";

    private ChildServer? _server;
    private HttpClient _rawHttp = null!;
    private HttpClient _generatedHttp = null!;
    private HttpClient _adapterHttp = null!;
    private HttpClient _resilientHttp = null!;
    private ElumentaClient _generated = null!;
    private IVideoGenerator _adapter = null!;
    private IVideoGenerator _resilientAdapter = null!;
    private long _id;
    private string _idText = null!;

    /// <summary>The server side of the call.</summary>
    [Params(Transport.InMemory, Transport.Loopback, Transport.Sandbox)]
    public Transport Transport { get; set; }

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup()
    {
        _rawHttp.Dispose();
        _generatedHttp.Dispose();
        _adapterHttp.Dispose();
        _resilientHttp.Dispose();
        _server?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>The baseline: what a developer writes by hand with HttpClient and System.Text.Json.</summary>
    [Benchmark(Baseline = true, Description = "raw HttpClient + STJ")]
    public async Task<RawGeneration> RawHttpClient()
    {
        using var response = await _rawHttp.GetAsync("v2/generate/" + _idText, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        return (await JsonSerializer.DeserializeAsync(body, RawJson.Default.RawGeneration).ConfigureAwait(false))!;
    }

    /// <summary>The NSwag-generated client (Newtonsoft.Json, VendorClientBase hooks).</summary>
    [Benchmark(Description = "generated client")]
    public Task<Generation> GeneratedClient() => _generated.GetGenerationAsync(_id);

    /// <summary>The vendor-neutral adapter over the generated client.</summary>
    [Benchmark(Description = "adapter GetJobAsync")]
    public Task<VideoJob> Adapter() => _adapter.GetJobAsync(_idText);

    /// <summary>The adapter with VideoGen's resilience handler in the HttpClient pipeline (as AddStandardResilienceHandler adds it).</summary>
    [Benchmark(Description = "adapter + resilience")]
    public Task<VideoJob> AdapterWithResilience() => _resilientAdapter.GetJobAsync(_idText);

    private async Task SetupAsync()
    {
        Uri baseUrl;
        switch (Transport)
        {
            case Transport.InMemory:
                baseUrl = new Uri("http://in-memory.invalid/api/");
                _id = 18500;
                break;
            case Transport.Loopback:
                _server = await ChildServer.StartAsync("fixed").ConfigureAwait(false);
                baseUrl = new Uri(_server.Url, "api/");
                _id = 18500;
                break;
            default:
                _server = await ChildServer.StartAsync("sandbox", "--time-scale", "0").ConfigureAwait(false);
                baseUrl = new Uri(_server.Url, "api/");
                break;
        }

        _rawHttp = new HttpClient(CreateHandler()) { BaseAddress = baseUrl };
        _rawHttp.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        _rawHttp.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        var configuration = new VendorClientConfiguration("Elumenta") { ApiKey = ApiKey, BaseUrl = baseUrl };
        _generatedHttp = new HttpClient(CreateHandler());
        _generated = new ElumentaClient(configuration, _generatedHttp);
        _adapterHttp = new HttpClient(CreateHandler());
        _adapter = new ElumentaClient(configuration, _adapterHttp).AsVideoGenerator();
        _resilientHttp = new HttpClient(new ResilienceHandler { InnerHandler = CreateHandler() });
        _resilientAdapter = new ElumentaClient(configuration, _resilientHttp).AsVideoGenerator();

        if (Transport == Transport.Sandbox)
        {
            // A real job, finished at once (time scale 0): every call reads a completed generation.
            var created = await _generated.CreateGenerationAsync(new GenerateRequest { Model = "kling-v2.1", Prompt = "A lighthouse at dusk, waves breaking" }).ConfigureAwait(false);
            _id = created.Id;
        }

        _idText = _id.ToString(System.Globalization.CultureInfo.InvariantCulture);

        // Every path must read the same completed generation before anything is timed.
        var raw = await RawHttpClient().ConfigureAwait(false);
        var job = await Adapter().ConfigureAwait(false);
        if (raw.Status != "completed" || job.Status != VideoJobStatus.Succeeded || (await GeneratedClient().ConfigureAwait(false)).Id != raw.Id || (await AdapterWithResilience().ConfigureAwait(false)).Id != job.Id)
        {
            throw new InvalidOperationException($"The {Transport} server did not answer a completed generation on every path (raw: {raw.Status}, adapter: {job.Status}).");
        }
    }

    private HttpMessageHandler CreateHandler() => Transport == Transport.InMemory
        ? new FixedResponseHandler()
        : new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) };
}

/// <summary>Answers every request with the fixed completed generation, without a socket.</summary>
internal sealed class FixedResponseHandler : HttpMessageHandler
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes(ServeCommand.CompletedGenerationJson);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        => Task.FromResult(Send(request, cancellationToken));

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(Body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request };
    }
}
