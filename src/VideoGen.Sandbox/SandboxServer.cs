using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging.Abstractions;
using VideoGen.Sandbox.AimlApi;
using VideoGen.Sandbox.Core;
using VideoGen.Sandbox.Elumenta;
using VideoGen.Sandbox.Apiframe;
using VideoGen.Sandbox.Oxen;

namespace VideoGen.Sandbox;

/// <summary>
/// A local HTTP server that serves every vendor contract VideoGen knows, at the vendors' own paths, on one
/// loopback port: Elumenta/NeuralBox (<c>/api/v2/generate</c>), the jobs gateway (<c>/v2/videos/generate</c>,
/// <c>/v2/jobs/{jobId}</c>), AIML API (<c>/v2/generate/video/luma-ai/...</c>) and Oxen.ai (<c>/api/ai/...</c>).
/// Jobs run a real lifecycle in each vendor's own words on the sandbox clock, are charged against per-key
/// credits, and end with a playable MP4 served by the sandbox; faults can be injected.
/// </summary>
/// <example>
/// <code>
/// await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 0.01 });
/// var client = new ElumentaClient(
///     new VendorClientConfiguration("Elumenta") { ApiKey = "nb_test", BaseUrl = sandbox.GetVendorBaseUrl(SandboxVendors.Elumenta) },
///     new HttpClient());
/// </code>
/// </example>
public sealed class SandboxServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SandboxRuntime _runtime;
    private int _disposed;

    private SandboxServer(WebApplication app, SandboxRuntime runtime, Uri baseUrl)
    {
        _app = app;
        _runtime = runtime;
        BaseUrl = baseUrl;
    }

    /// <summary>The sandbox's root URL, for example <c>http://127.0.0.1:53124/</c> (always ending with '/').</summary>
    public Uri BaseUrl { get; }

    /// <summary>The port the sandbox listens on (the real one when <see cref="SandboxOptions.Port"/> was 0).</summary>
    public int Port => BaseUrl.Port;

    /// <summary>
    /// The options the sandbox runs with: a copy taken at start, so changing them has no effect, except the fault
    /// rates in <see cref="SandboxOptions.Faults"/>, which are read at every request.
    /// </summary>
    public SandboxOptions Options => _runtime.Options;

    /// <summary>The credit balances of every key at every vendor; read or change them at any time.</summary>
    public SandboxLedger Ledger => _runtime.Ledger;

    /// <summary>Jobs created, requests, faults injected and webhook deliveries so far.</summary>
    public SandboxCounters Counters => _runtime.Counters;

    /// <summary>Starts a sandbox and returns once it accepts connections.</summary>
    /// <param name="options">The options; null for the defaults (127.0.0.1, a free port, the vendors' own timing).</param>
    /// <param name="cancellationToken">A token to cancel the start.</param>
    /// <returns>The running sandbox; dispose it to stop it.</returns>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    /// <exception cref="IOException">The port is in use.</exception>
    public static Task<SandboxServer> StartAsync(SandboxOptions? options = null, CancellationToken cancellationToken = default) =>
        StartAsync(options ?? new SandboxOptions(), console: false, cancellationToken);

    /// <summary>
    /// Runs a sandbox from command-line arguments and environment variables until Ctrl+C or SIGTERM, printing its
    /// URL; what <c>dotnet run --project src/VideoGen.Sandbox -- --urls http://127.0.0.1:5080 --time-scale 0.1</c> does.
    /// </summary>
    /// <param name="args">The arguments; <c>--help</c> lists them.</param>
    /// <param name="cancellationToken">A token that stops the sandbox.</param>
    /// <returns>The process exit code: 0 after a clean stop, 2 for invalid arguments.</returns>
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var parsed = SandboxCommandLine.Parse(args, Environment.GetEnvironmentVariable);
        if (parsed.ShowHelp)
        {
            await Console.Out.WriteLineAsync(SandboxCommandLine.Usage).ConfigureAwait(false);
            return 0;
        }

        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync("error: " + error).ConfigureAwait(false);
            }

            await Console.Error.WriteLineAsync("Run with --help for the options.").ConfigureAwait(false);
            return 2;
        }

        SandboxServer server;
        try
        {
            server = await StartAsync(parsed.Options, console: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ArgumentException or IOException)
        {
            await Console.Error.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
            return 2;
        }

        await using (server.ConfigureAwait(false))
        {
            var o = server.Options;
            await Console.Out.WriteLineAsync($"VideoGen sandbox listening on {server.BaseUrl} (time scale {o.TimeScale}, seed {o.Seed}{(o.Faults.Any ? ", faults on" : string.Empty)})").ConfigureAwait(false);
            foreach (var vendor in SandboxVendors.All)
            {
                await Console.Out.WriteLineAsync($"  {vendor,-9} base URL {server.GetVendorBaseUrl(vendor)}").ConfigureAwait(false);
            }

            await Console.Out.WriteLineAsync("Press Ctrl+C to stop.").ConfigureAwait(false);
            try
            {
                await server._app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped by the caller.
            }
        }

        return 0;
    }

    /// <summary>
    /// The base URL a generated client of <paramref name="vendor"/> should use (its spec's server, moved to the
    /// sandbox): <c>{BaseUrl}api/</c> for Elumenta (its server is <c>https://elumenta.ru/api</c>), <see cref="BaseUrl"/> for the others.
    /// </summary>
    /// <param name="vendor">The vendor id (<see cref="SandboxVendors"/>; <c>neuralbox</c> is read as <c>elumenta</c>).</param>
    /// <returns>The URL, ending with '/'.</returns>
    /// <exception cref="ArgumentException">The vendor is unknown.</exception>
    public Uri GetVendorBaseUrl(string vendor)
    {
        // The path of the vendor's documented server (the catalog's base URL: Elumenta's /api, none for the others) is kept.
        var path = VideoGen.Catalog.VideoModelCatalog.Default.GetVendor(SandboxVendors.Normalize(vendor)).BaseUrl.AbsolutePath.Trim('/');
        return path.Length == 0 ? BaseUrl : new Uri(BaseUrl, path + "/");
    }

    /// <summary>A job as it stands now.</summary>
    /// <param name="vendor">The vendor id.</param>
    /// <param name="id">The id the vendor's API returned.</param>
    /// <returns>The job, or null when there is none.</returns>
    /// <exception cref="ArgumentException">The vendor is unknown.</exception>
    public SandboxJobSnapshot? GetJob(string vendor, string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _runtime.Jobs.Find(SandboxVendors.Normalize(vendor), id)?.Snapshot(_runtime.Time.GetUtcNow());
    }

    /// <summary>Every job (of one vendor, or of all), oldest first, as they stand now.</summary>
    /// <param name="vendor">The vendor id, or null for every vendor.</param>
    /// <returns>The jobs.</returns>
    /// <exception cref="ArgumentException">The vendor is unknown.</exception>
    public IReadOnlyList<SandboxJobSnapshot> GetJobs(string? vendor = null)
    {
        var id = vendor is null ? null : SandboxVendors.Normalize(vendor);
        var now = _runtime.Time.GetUtcNow();
        return _runtime.Jobs.All().Where(j => id is null || j.Vendor == id).Select(j => j.Snapshot(now)).ToList();
    }

    /// <summary>
    /// Cancels an active job: Oxen reports it <c>cancelled</c>, the other vendors (which have no such state)
    /// <c>failed</c>; the charge is refunded and waiting requests return.
    /// </summary>
    /// <param name="vendor">The vendor id.</param>
    /// <param name="id">The job id.</param>
    /// <returns>Whether the job was active and is now cancelled (false for a finished or unknown job).</returns>
    /// <exception cref="ArgumentException">The vendor is unknown.</exception>
    public bool CancelJob(string vendor, string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _runtime.Jobs.Find(SandboxVendors.Normalize(vendor), id) is { } job && _runtime.Jobs.Cancel(job, "Cancelled through the sandbox");
    }

    /// <summary>Stops accepting requests, ends pending waits and webhook deliveries, and releases the port.</summary>
    /// <returns>A task that completes when the sandbox has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            // End waiting requests (AIML's wait-for-state, Oxen's synchronous generate) first, so stopping is quick.
            await _runtime.StopWaitsAsync().ConfigureAwait(false);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        finally
        {
            await _runtime.DisposeAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"VideoGen sandbox {BaseUrl}";

    private static async Task<SandboxServer> StartAsync(SandboxOptions options, bool console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid sandbox options:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "- " + e)), nameof(options));
        }

        options = options.Snapshot();

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(SandboxServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
            Args = [],
        });
        builder.Logging.ClearProviders();
        if (console)
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        }
        else
        {
            // In-process (tests, the CLI): the host must not take over Ctrl+C from the process that embeds it.
            builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        }

        var address = options.ResolveAddress()!;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, options.Port));
        var app = builder.Build();
        var logger = app.Services.GetService<ILoggerFactory>()?.CreateLogger("VideoGen.Sandbox") ?? NullLogger.Instance;
        var runtime = new SandboxRuntime(options, logger);

        // Every response says the sandbox's clock, so a client waits at its pace (a 3 s job is not waited on for 44 s).
        var timeScale = options.TimeScale.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        app.Use((context, next) =>
        {
            context.Response.Headers[SandboxOptions.TimeScaleHeader] = timeScale;
            return next(context);
        });

        ElumentaEndpoints.Map(app, runtime);
        ApiframeEndpoints.Map(app, runtime);
        AimlApiEndpoints.Map(app, runtime);
        OxenEndpoints.Map(app, runtime);
        MediaEndpoints.Map(app, runtime);
        AdminEndpoints.Map(app, runtime);

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await runtime.DisposeAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The sandbox started but reported no address.");
        var port = new Uri(bound).Port;
        var host = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        return new SandboxServer(app, runtime, new Uri($"http://{host}:{port}/"));
    }

    /// <summary>A host lifetime that leaves console signals to the embedding process.</summary>
    private sealed class EmbeddedHostLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
