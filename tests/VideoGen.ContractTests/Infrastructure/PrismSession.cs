using System.Text.RegularExpressions;
using VideoGen.Http;

namespace VideoGen.ContractTests.Infrastructure;

/// <summary>A Prism mock of one spec, an HttpClient that records every call, and a coverage check over the spec's operations.</summary>
internal sealed class PrismSession : IAsyncDisposable
{
    public const string ApiKey = "test-key-not-secret";

    private readonly PrismServer _server;

    private PrismSession(string spec, PrismServer server)
    {
        Spec = spec;
        _server = server;
        Http = new HttpClient(Recorder) { Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Spec { get; }

    public ViolationRecorder Recorder { get; } = new();

    public HttpClient Http { get; }

    /// <summary>Prism serves the spec's paths at its root (it ignores the servers' base paths), so the client's base URL is Prism's root.</summary>
    public VendorClientConfiguration Configuration(string vendor) => new(vendor) { ApiKey = ApiKey, BaseUrl = _server.BaseUrl };

    public static async Task<PrismSession> StartAsync(string spec) => new(spec, await PrismServer.StartAsync(spec));

    /// <summary>Every operation of the spec was called at least once, and Prism saw no contract violation.</summary>
    public void ShouldHaveCoveredEveryOperationWithoutViolations()
    {
        Recorder.Violations.ShouldBeEmpty($"Prism reported violations for {Spec}:\n{string.Join('\n', Recorder.Violations)}\n{_server.Log}");
        foreach (var (path, method, operationId, _) in SpecDocument.Load(Spec).Operations())
        {
            var pattern = new Regex("^" + Regex.Replace(Regex.Escape(path), @"\\\{[^}]+}", "[^/]+") + "$");
            Recorder.Calls.ShouldContain(
                c => c.Method.Method.Equals(method, StringComparison.OrdinalIgnoreCase) && pattern.IsMatch(c.Path),
                $"{Spec}: operation {operationId} ({method.ToUpperInvariant()} {path}) was never called");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _server.DisposeAsync();
    }
}
