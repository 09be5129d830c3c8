using Microsoft.Extensions.Logging;
using VideoGen.Catalog;

namespace VideoGen.Apiframe;

/// <summary>Turns an <see cref="IApiframeClient"/> into the vendor-neutral <see cref="IVideoGenerator"/>.</summary>
public static class ApiframeClientExtensions
{
    /// <summary>
    /// Wraps <paramref name="client"/> as an <see cref="IVideoGenerator"/> for Apiframe v2 (https://docs-v2.apiframe.ai/docs/videos).
    /// Requests are validated against the model pages (per-model durations, resolutions, images) before anything is sent.
    /// </summary>
    /// <param name="client">The typed client. The generator does not dispose it.</param>
    /// <param name="loggerFactory">
    /// Where the generator logs (submissions, reads, failures; see <c>VideoGen.Logging</c> for the levels); the
    /// <see cref="Waiting.VideoJobOperation"/>s and <see cref="Waiting.VideoJobMonitor"/>s waiting on its jobs log
    /// through it too. API keys are never logged; prompts only at Debug, cut short. Default: no logging.
    /// </param>
    /// <returns>The generator.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is null.</exception>
    public static IVideoGenerator AsVideoGenerator(this IApiframeClient client, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        return Vendors.VendorPipeline.Around(new ApiframeVideoGenerator(client, VideoModelCatalog.Default.GetVendor(VendorIds.Apiframe), loggerFactory), loggerFactory);
    }
}
