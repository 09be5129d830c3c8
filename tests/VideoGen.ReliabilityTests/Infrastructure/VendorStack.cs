using VideoGen.AimlApi;
using VideoGen.Elumenta;
using VideoGen.Apiframe;
using VideoGen.Http;
using VideoGen.Journal;
using VideoGen.Oxen;
using VideoGen.Resilience;
using VideoGen.Sandbox;

namespace VideoGen.ReliabilityTests.Infrastructure;

/// <summary>
/// The client stack a user builds for one vendor, pointed at a sandbox: an HttpClient over
/// <see cref="ResilienceHandler"/> (with a <see cref="WireTap"/> under it that sees every attempt),
/// the generated client, its adapter (<c>AsVideoGenerator()</c>) and a <see cref="JournalingVideoGenerator"/>.
/// </summary>
internal sealed class VendorStack : IDisposable
{
    public const string ApiKey = "reliability_test_key";

    private readonly HttpClient _http;

    private VendorStack(string vendor, HttpClient http, ResilienceHandler resilience, WireTap wire, IVideoGenerator adapter, JournalingVideoGenerator generator)
    {
        Vendor = vendor;
        _http = http;
        Resilience = resilience;
        Wire = wire;
        Adapter = adapter;
        Generator = generator;
    }

    public string Vendor { get; }

    public ResilienceHandler Resilience { get; }

    /// <summary>Every attempt that reached the socket handler (under the retry handler).</summary>
    public WireTap Wire { get; }

    /// <summary>The vendor adapter, without the journal.</summary>
    public IVideoGenerator Adapter { get; }

    /// <summary>The adapter behind the journal: what submissions go through.</summary>
    public JournalingVideoGenerator Generator { get; }

    public static VendorStack Create(SandboxServer sandbox, string vendor, IJobJournal journal, ResilienceOptions resilienceOptions)
    {
        var wire = new WireTap { InnerHandler = new SocketsHttpHandler { AllowAutoRedirect = false } };
        var resilience = new ResilienceHandler(resilienceOptions) { InnerHandler = wire };
        var http = new HttpClient(resilience) { Timeout = TimeSpan.FromSeconds(30) };
        var info = Catalog.VideoModelCatalog.Default.GetVendor(vendor);
        var configuration = new VendorClientConfiguration(info.DisplayName) { ApiKey = ApiKey, BaseUrl = sandbox.GetVendorBaseUrl(vendor) };
        var adapter = VendorDescriptors.Get(vendor).CreateGenerator(configuration, http);
        return new VendorStack(vendor, http, resilience, wire, adapter, new JournalingVideoGenerator(adapter, journal, vendor));
    }

    public void Dispose() => _http.Dispose();
}
