using System.Net;
using Spectre.Console;
using VideoGen.Catalog;
using VideoGen.Downloads;
using VideoGen.Http;
using VideoGen.Journal;
using VideoGen.Waiting;
using VideoGen.Resilience;
using VideoGen.Sandbox;
using VideoGen.Vendors;

namespace VideoGen.Cli;

/// <summary>
/// One command's connection to a vendor: the real API when its key is set, a given --base-url, or
/// the embedded local sandbox when neither is (the sandbox lives as long as the command).
/// </summary>
internal sealed class VendorSession : IAsyncDisposable
{
    /// <summary>The sandbox's time scale when the CLI starts it: fast enough for a demo, slow enough to show progress.</summary>
    public const double EmbeddedTimeScale = 0.05;

    /// <summary>The bearer sent to a sandbox or proxy when no key is set (the sandbox accepts any key; a real vendor refuses it).</summary>
    private const string PlaceholderKey = "videogen-local-sandbox";

    private readonly HttpClient _http;

    private readonly bool _ownsSandbox;

    private VendorSession(VendorInfo vendor, IVideoGenerator generator, HttpClient http, Uri apiBaseUrl, string apiKey, SandboxServer? sandbox, bool ownsSandbox, bool local)
    {
        _ownsSandbox = ownsSandbox;
        Vendor = vendor;
        Generator = generator;
        _http = http;
        ApiBaseUrl = apiBaseUrl;
        Sandbox = sandbox;
        IsLocal = local;
        Credential = new VendorCredential(apiBaseUrl, apiKey);
    }

    public VendorInfo Vendor { get; }

    public IVideoGenerator Generator { get; }

    public Uri ApiBaseUrl { get; }

    public SandboxServer? Sandbox { get; }

    /// <summary>Whether the API is on this machine (sandbox or loopback base URL): result URLs on loopback are then allowed.</summary>
    public bool IsLocal { get; }

    public VendorCredential Credential { get; }

    public static async Task<VendorSession> OpenAsync(CliContext context, VendorInfo vendor, string? baseUrl, Output output, bool allowEmbeddedSandbox, CancellationToken cancellationToken, SandboxServer? sharedSandbox = null, bool assumeUnrecordedHost = false)
    {
        var key = context.ApiKey(vendor);
        var baseUrlOption = baseUrl;
        baseUrl = VendorBaseUrl(vendor, baseUrl);
        SandboxServer? sandbox = null;
        Uri apiBase;
        if (baseUrl is not null)
        {
            apiBase = RequestOptions.ParseUrl("--base-url", baseUrl)!;
            if (apiBase.Scheme is not ("http" or "https"))
            {
                throw new CliUsageException($"--base-url: '{baseUrl}' is not an http(s) URL.");
            }
        }
        else if (string.IsNullOrEmpty(key))
        {
            if (!allowEmbeddedSandbox)
            {
                throw new CliUsageException(
                    $"No {vendor.ApiKeyEnvironmentVariable} is set and no --base-url given. This command reads an existing job, which the embedded sandbox (started per command) cannot have: " +
                    "set the key, or point --base-url at a standalone sandbox (dotnet run --project src/VideoGen.Sandbox -- --urls http://127.0.0.1:5080).");
            }

            sandbox = sharedSandbox ?? await context.StartSandboxAsync(cancellationToken).ConfigureAwait(false);
            apiBase = sandbox.GetVendorBaseUrl(vendor.Id);
            output.Info($"[yellow]No {vendor.ApiKeyEnvironmentVariable} set:[/] using the embedded local sandbox at {Markup.Escape(sandbox.BaseUrl.ToString())} (time scale {sandbox.Options.TimeScale}; nothing is charged).");
        }
        else
        {
            if (vendor.BaseUrlInferred)
            {
                throw new CliUsageException($"{vendor.DisplayName}'s documents name no host: give --base-url.");
            }

            apiBase = vendor.BaseUrl;
        }

        key = string.IsNullOrEmpty(key) ? PlaceholderKey : key;
        // Behind a --base-url may be a standalone sandbox: its responses say its clock, and waiting follows it.
        var transport = new SocketsHttpHandler { AllowAutoRedirect = false };
        var pace = baseUrl is not null ? new SandboxPaceHandler { InnerHandler = transport } : null;
        var http = new HttpClient(new ResilienceHandler { InnerHandler = pace ?? (HttpMessageHandler)transport }) { Timeout = TimeSpan.FromSeconds(100) };
        VendorClientConfiguration configuration;
        try
        {
            configuration = new VendorClientConfiguration(vendor.DisplayName) { ApiKey = key, BaseUrl = apiBase };
        }
        catch (ArgumentException e) when (e.ParamName == nameof(VendorClientConfiguration.ApiKey))
        {
            // Before anything is journaled or sent: a key no request can carry is the user's input to fix.
            http.Dispose();
            throw new CliUsageException($"{context.ApiKeyVariable(vendor)}: {e.Message.Split(" (Parameter", 2)[0]} Set the variable to the key alone.");
        }

        var generator = CreateGenerator(vendor, configuration, http);

        // Paid submissions outside the embedded sandbox are journaled, so a crash loses no job (videogen resume).
        if (sandbox is null)
        {
            // Each entry records the host it went to (the API base URL, never the key), so it is only ever read there again.
            generator = new JournalingVideoGenerator(generator, new SqliteJobJournal(context.JournalPath), vendor.Id)
            {
                Endpoint = JournalEndpoint.Describe(apiBase),
                AssumeUnrecordedHostIsThis = assumeUnrecordedHost,
            };
        }

        var local = sandbox is not null || IsLoopback(apiBase);

        // Every wait of the session learns from the processing times seen (issue 17): a vendor's from the journal and this
        // process; a local sandbox's (scaled time) apart, so neither teaches the other's schedule.
        generator = new ProcessingTimesVideoGenerator(generator, local ? context.LocalProcessingTimes : await context.ProcessingTimesAsync(cancellationToken).ConfigureAwait(false));
        return new VendorSession(vendor, generator, http, apiBase, key, sandbox, ownsSandbox: sharedSandbox is null, local)
        {
            _pace = pace,
            _localTimeScale = local ? LocalSandboxTimeScale(context) : null,
            BaseUrlOption = baseUrlOption,
        };
    }

    /// <summary>The vendor's generated client behind its adapter (no journal): what the worker (videogen worker) journals itself.</summary>
    internal static IVideoGenerator CreateGenerator(VendorInfo vendor, VendorClientConfiguration configuration, HttpClient http) =>
        (VendorDescriptors.Find(vendor.Id) ?? throw new CliUsageException($"--vendor: '{vendor.Id}' has no client.")).CreateGenerator(configuration, http);

    /// <summary>
    /// A downloader with the private-network guard on. A loopback API (the sandbox, a tunnel or a local proxy to a
    /// vendor) is trusted for its own origin only: a result URL elsewhere on a private network is still refused.
    /// </summary>
    public VideoDownloader CreateDownloader()
    {
        var options = new DownloadOptions();
        if (IsLocal)
        {
            options.TrustedOrigins.Add(new Uri(ApiBaseUrl.GetLeftPart(UriPartial.Authority)));
        }

        return new(options);
    }

    public async ValueTask DisposeAsync()
    {
        Generator.Dispose();
        _http.Dispose();
        if (Sandbox is not null && _ownsSandbox)
        {
            await Sandbox.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The time scale of the sandbox behind this session, so waiting follows its clock: the embedded sandbox's; for a
    /// --base-url, what its responses said (<see cref="Sandbox.SandboxOptions.TimeScaleHeader"/>), else
    /// VIDEOGEN_SANDBOX_TIME_SCALE (the variable the standalone sandbox reads too) for a loopback one.
    /// Null for a real vendor (no sandbox said anything).
    /// </summary>
    public double? SandboxTimeScale => Sandbox?.Options.TimeScale ?? _pace?.TimeScale ?? _localTimeScale;

    /// <summary>The --base-url as the user gave it (for the commands printed to pick a job up), or null.</summary>
    public string? BaseUrlOption { get; private init; }

    private SandboxPaceHandler? _pace;

    private double? _localTimeScale;

    /// <summary>
    /// The base URL for one vendor's requests: --base-url names a host that stands for every vendor's, so a URL with
    /// no path keeps the vendor's own path (Elumenta's API lives under /api, as on the sandbox); a URL with a path
    /// is used as given.
    /// </summary>
    internal static string? VendorBaseUrl(VendorInfo vendor, string? baseUrl)
    {
        if (baseUrl is null || !Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || uri.AbsolutePath is not ("/" or "") || vendor.BaseUrlInferred)
        {
            return baseUrl;
        }

        var vendorPath = vendor.BaseUrl.AbsolutePath.Trim('/');
        return vendorPath.Length == 0 ? baseUrl : new Uri(uri, vendorPath + "/").ToString();
    }

    private static double? LocalSandboxTimeScale(CliContext context) =>
        context.Variable(SandboxOptions.TimeScaleEnvironmentVariable) is { } text
        && double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var scale)
        && double.IsFinite(scale) && scale >= 0
            ? scale
            : null;

    /// <summary>Reads the sandbox's time scale from every response that carries it (a real vendor's never does).</summary>
    private sealed class SandboxPaceHandler : DelegatingHandler
    {
        private double _timeScale = double.NaN;

        public double? TimeScale => Volatile.Read(ref _timeScale) is var scale && double.IsNaN(scale) ? null : scale;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.Headers.TryGetValues(SandboxOptions.TimeScaleHeader, out var values)
                && double.TryParse(values.FirstOrDefault(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var scale)
                && double.IsFinite(scale) && scale is >= 0 and <= 100)
            {
                Volatile.Write(ref _timeScale, scale);
            }

            return response;
        }
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var address) && IPAddress.IsLoopback(address));
}
