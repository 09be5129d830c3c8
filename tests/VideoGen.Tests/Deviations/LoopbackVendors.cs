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

    /// <summary>
    /// A server that answers the first request 429 (Retry-After: 4 s) and every later one with <paramref name="accepted"/>,
    /// the vendor's answer to an accepted create; every request body is kept in <paramref name="bodies"/>, in order.
    /// </summary>
    public static Task<LoopbackServer> ThrottledOnceAsync((int Status, string Body) accepted, System.Collections.Concurrent.ConcurrentQueue<string> bodies) =>
        LoopbackServer.StartAsync(async ctx =>
        {
            bodies.Enqueue(await new StreamReader(ctx.Request.Body).ReadToEndAsync());
            if (bodies.Count == 1)
            {
                await Respond.Text(ctx, 429, "{\"error\":\"slow down\"}", "application/json", ("Retry-After", "4"));
                return;
            }

            await Respond.Json(ctx, accepted.Body, accepted.Status);
        });

    public static HttpClient Http(TimeProvider clock) =>
        new(new ResilienceHandler(new ResilienceOptions { TimeProvider = clock, UseJitter = false }) { InnerHandler = new SocketsHttpHandler { AllowAutoRedirect = false } })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };

    private static VendorClientConfiguration Configuration(string vendor, Uri baseUrl) => new(vendor) { ApiKey = Key, BaseUrl = baseUrl };
}
