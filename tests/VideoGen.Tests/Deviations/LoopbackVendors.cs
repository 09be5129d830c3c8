using VideoGen.AimlApi;
using VideoGen.Elumenta;
using VideoGen.Apiframe;
using VideoGen.Http;
using VideoGen.Oxen;
using VideoGen.Resilience;
using VideoGen.Tests.Infrastructure;

namespace VideoGen.Tests.Deviations;

/// <summary>
/// The real client stack over a loopback server: generated client, the retry handler (on the test's clock),
/// sockets, the vendor adapter. Only the server is the test's.
/// </summary>
internal static class LoopbackVendors
{
    public const string Key = "sk-deviation-0123456789-SECRET";

    public static IVideoGenerator Create(string vendor, LoopbackServer server, TimeProvider clock) => vendor switch
    {
        "elumenta" => new ElumentaClient(Configuration("Elumenta", server.Url("api/")), Http(clock)).AsVideoGenerator(),
        "apiframe" => new ApiframeClient(Configuration("Apiframe", server.BaseUrl), Http(clock)).AsVideoGenerator(),
        "aimlapi" => new AimlApiClient(Configuration("AIML API", server.BaseUrl), Http(clock)).AsVideoGenerator(),
        "oxen" => new OxenClient(Configuration("Oxen.ai", server.BaseUrl), Http(clock)).AsVideoGenerator(),
        _ => throw new ArgumentOutOfRangeException(nameof(vendor), vendor, null),
    };

    public static HttpClient Http(TimeProvider clock) =>
        new(new ResilienceHandler(new ResilienceOptions { TimeProvider = clock, UseJitter = false }) { InnerHandler = new SocketsHttpHandler { AllowAutoRedirect = false } })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };

    private static VendorClientConfiguration Configuration(string vendor, Uri baseUrl) => new(vendor) { ApiKey = Key, BaseUrl = baseUrl };
}
