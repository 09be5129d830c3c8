using VideoGen.AimlApi;
using VideoGen.Catalog;
using VideoGen.Elumenta;
using VideoGen.Apiframe;
using VideoGen.Http;
using VideoGen.Oxen;
using VideoGen.Resilience;
using VideoGen.Sandbox;

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
        return info.Id switch
        {
            VendorIds.Elumenta => new ElumentaClient(configuration, http).AsVideoGenerator(),
            VendorIds.Apiframe => new ApiframeClient(configuration, http).AsVideoGenerator(),
            VendorIds.AimlApi => new AimlApiClient(configuration, http).AsVideoGenerator(),
            VendorIds.Oxen => new OxenClient(configuration, http).AsVideoGenerator(),
            _ => throw new ArgumentException($"No client for vendor '{vendor}'.", nameof(vendor)),
        };
    }
}
