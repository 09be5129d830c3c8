using VideoGen.AimlApi;
using VideoGen.Elumenta;
using VideoGen.Apiframe;
using VideoGen.Http;
using VideoGen.Oxen;

namespace VideoGen.Tests.Vendors;

/// <summary>Generated clients over a <see cref="StubHttpHandler"/>, with a recognizable key so tests can look for leaks.</summary>
internal static class TestClients
{
    public const string ApiKey = "sk-test-0123456789abcdef-SECRET";

    public static ElumentaClient Elumenta(StubHttpHandler handler, string vendor = "Elumenta") =>
        new(Configuration(vendor, "https://elumenta.test/api/"), new HttpClient(handler));

    public static ApiframeClient Apiframe(StubHttpHandler handler) =>
        new(Configuration("Apiframe", "https://apiframe.test/"), new HttpClient(handler));

    public static AimlApiClient AimlApi(StubHttpHandler handler) =>
        new(Configuration("AIML API", "https://aiml.test/"), new HttpClient(handler));

    public static OxenClient Oxen(StubHttpHandler handler) =>
        new(Configuration("Oxen.ai", "https://oxen.test/"), new HttpClient(handler));

    /// <summary>
    /// The ready-made generator of any built-in vendor, through its descriptor: the vendor's documented server path (the
    /// catalog's base URL: Elumenta's <c>/api</c>) on a <c>{id}.test</c> host, so no test needs a switch on vendor ids.
    /// </summary>
    public static IVideoGenerator Generator(VideoGen.Vendors.VendorDescriptor vendor, StubHttpHandler handler) =>
        vendor.CreateGenerator(
            Configuration(vendor.DisplayName, $"https://{vendor.Id}.test{vendor.Capabilities.BaseUrl.AbsolutePath.TrimEnd('/')}/"),
            new HttpClient(handler));

    private static VendorClientConfiguration Configuration(string vendor, string baseUrl) =>
        new(vendor) { ApiKey = ApiKey, BaseUrl = new Uri(baseUrl) };
}
