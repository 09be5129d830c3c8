using VideoGen.Http;
using VideoGen.Resilience;
using VideoGen.Tests.Infrastructure;
using VideoGen.Vendors;

namespace VideoGen.Tests.Deviations;

/// <summary>
/// The real client stack over a loopback server: generated client, the retry handler (on the test's clock),
/// sockets, the vendor adapter. Only the server is the test's.
/// </summary>
internal static class LoopbackVendors
{
    public const string Key = "sk-deviation-0123456789-SECRET";

    /// <summary>The vendor's adapter over <paramref name="server"/>, keeping the path of the vendor's base URL (Elumenta's <c>/api/</c>).</summary>
    public static IVideoGenerator Create(string vendor, LoopbackServer server, TimeProvider clock)
    {
        var descriptor = VendorDescriptors.Get(vendor);
        var path = descriptor.Capabilities.BaseUrl.AbsolutePath.Trim('/');
        var baseUrl = path.Length == 0 ? server.BaseUrl : server.Url(path + "/");
        return descriptor.CreateGenerator(Configuration(descriptor.DisplayName, baseUrl), Http(clock));
    }

    public static HttpClient Http(TimeProvider clock) =>
        new(new ResilienceHandler(new ResilienceOptions { TimeProvider = clock, UseJitter = false }) { InnerHandler = new SocketsHttpHandler { AllowAutoRedirect = false } })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };

    private static VendorClientConfiguration Configuration(string vendor, Uri baseUrl) => new(vendor) { ApiKey = Key, BaseUrl = baseUrl };
}
