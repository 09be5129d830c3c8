using Microsoft.Extensions.Logging;
using VideoGen.Catalog;

namespace VideoGen.AimlApi;

/// <summary>Turns an <see cref="IAimlApiClient"/> into the vendor-neutral <see cref="IVideoGenerator"/>.</summary>
public static class AimlApiClientExtensions
{
    /// <summary>
    /// Wraps <paramref name="client"/> as an <see cref="IVideoGenerator"/> for AIML API's Luma Dream Machine.
    /// Requests are validated against AIML API's catalog entry before anything is sent.
    /// </summary>
    /// <param name="client">The typed client. The generator does not dispose it.</param>
    /// <param name="loggerFactory">
    /// Where the generator logs (submissions, reads, failures; see <c>VideoGen.Logging</c> for the levels); the
    /// <see cref="Waiting.VideoJobOperation"/>s and <see cref="Waiting.VideoJobMonitor"/>s waiting on its jobs log
    /// through it too. API keys are never logged; prompts only at Debug, cut short. Default: no logging.
    /// </param>
    /// <returns>The generator.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is null.</exception>
    public static IVideoGenerator AsVideoGenerator(this IAimlApiClient client, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        return Vendors.VendorPipeline.Around(new AimlApiVideoGenerator(client, VideoModelCatalog.Default.GetVendor(VendorIds.AimlApi), loggerFactory), loggerFactory);
    }
}
