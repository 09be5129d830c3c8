using VideoGen.Catalog;
using VideoGen.Http;
using VideoGen.Resilience;
using VideoGen.Sandbox;
using VideoGen.Vendors;

namespace VideoGen.Hangfire.Tests;

/// <summary>The vendors' real generated clients and adapters, pointed at a sandbox on loopback.</summary>
internal static class SandboxGenerators
{
    public static IVideoGenerator Create(SandboxServer sandbox, string vendor)
    {
        var http = new HttpClient(new ResilienceHandler(new ResilienceOptions { BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(200) }) { InnerHandler = new SocketsHttpHandler { AllowAutoRedirect = false } })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        var info = VideoModelCatalog.Default.GetVendor(vendor);
        var configuration = new VendorClientConfiguration(info.DisplayName) { ApiKey = "hangfire_test_key", BaseUrl = sandbox.GetVendorBaseUrl(vendor) };
        return VendorDescriptors.Get(info.Id).CreateGenerator(configuration, http);
    }
}
