using Microsoft.Extensions.Logging;
using VideoGen.Catalog;

namespace VideoGen.Oxen;

/// <summary>Turns an <see cref="IOxenClient"/> into the vendor-neutral <see cref="IVideoGenerator"/>.</summary>
public static class OxenClientExtensions
{
    /// <summary>
    /// Wraps <paramref name="client"/> as an <see cref="IVideoGenerator"/> over Oxen.ai's asynchronous queue
    /// (<c>POST /api/ai/queue</c>, <c>GET /api/ai/queue/{id}</c>), not the synchronous endpoint, which holds a
    /// connection open for minutes. Requests are validated against Oxen.ai's catalog entry before anything is sent.
    /// </summary>
    /// <param name="client">The typed client. The generator does not dispose it.</param>
    /// <param name="loggerFactory">
    /// Where the generator logs (submissions, reads, failures; see <c>VideoGen.Logging</c> for the levels); the
    /// <see cref="Waiting.VideoJobOperation"/>s and <see cref="Waiting.VideoJobMonitor"/>s waiting on its jobs log
    /// through it too. API keys are never logged; prompts only at Debug, cut short. Default: no logging.
    /// </param>
    /// <returns>The generator.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is null.</exception>
    public static IVideoGenerator AsVideoGenerator(this IOxenClient client, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        return Vendors.VendorPipeline.Around(new OxenVideoGenerator(client, VideoModelCatalog.Default.GetVendor(VendorIds.Oxen), loggerFactory), loggerFactory);
    }
}
