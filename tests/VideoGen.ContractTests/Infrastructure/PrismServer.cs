using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace VideoGen.ContractTests.Infrastructure;

/// <summary>
/// A Prism mock server for one spec on a free loopback port, started with <c>--errors</c> so any
/// request that breaks the contract is answered with an error instead of a mock response.
/// Disposing it kills the whole process tree: no process is left behind.
/// </summary>
internal sealed class PrismServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private PrismServer(Process process, Uri baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public string Log
    {
        get { lock (_log) { return _log.ToString(); } }
    }

    public static Task<PrismServer> StartAsync(string spec, TimeSpan? startTimeout = null) => StartAsync(spec, upstream: null, startTimeout);

    /// <summary>
    /// A Prism validating proxy of <paramref name="spec"/> in front of <paramref name="upstream"/>
    /// (<c>prism proxy --errors</c>): a request that breaks the spec is refused by Prism itself (422 for the body,
    /// parameters and content type, 401 for missing credentials) and never reaches the upstream; a valid one is forwarded,
    /// and the upstream's answer is validated too (a violation becomes Prism's 500 and an <c>sl-violations</c> header).
    /// </summary>
    public static Task<PrismServer> StartProxyAsync(string spec, Uri upstream, TimeSpan? startTimeout = null) =>
        StartAsync(spec, upstream ?? throw new ArgumentNullException(nameof(upstream)), startTimeout);

    private static async Task<PrismServer> StartAsync(string spec, Uri? upstream, TimeSpan? startTimeout)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = Repo.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] mode = upstream is null ? ["mock", Repo.Path("specs", spec)] : ["proxy", Repo.Path("specs", spec), upstream.AbsoluteUri];
        string[] arguments = [NodeTools.Prism, .. mode, "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--errors"];
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("node did not start");
        var server = new PrismServer(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        var timeout = startTimeout ?? TimeSpan.FromSeconds(60);
        while (!server.Log.Contains("Prism is listening", StringComparison.Ordinal))
        {
            if (process.HasExited || deadline.Elapsed > timeout)
            {
                var log = server.Log;
                await server.DisposeAsync();
                throw new InvalidOperationException($"Prism did not start for {spec} (exited: {process.HasExited}):\n{log}");
            }

            await Task.Delay(100);
        }

        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Records every request and fails loudly on any Prism contract violation (the sl-violations header).</summary>
internal sealed class ViolationRecorder : DelegatingHandler
{
    public ViolationRecorder() : base(new HttpClientHandler()) { }

    public List<string> Violations { get; } = [];

    public List<(HttpMethod Method, string Path, HttpStatusCode Status)> Calls { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        lock (Calls)
        {
            Calls.Add((request.Method, request.RequestUri!.AbsolutePath, response.StatusCode));
            if (response.Headers.TryGetValues("sl-violations", out var values))
            {
                Violations.Add($"{request.Method} {request.RequestUri}: {string.Join(' ', values)}");
            }
        }

        return response;
    }
}
