using VideoGen.Catalog;

namespace VideoGen.Gateway;

/// <summary>Turns an <see cref="IGatewayClient"/> into the vendor-neutral <see cref="IVideoGenerator"/>.</summary>
public static class GatewayClientExtensions
{
    /// <summary>
    /// Wraps <paramref name="client"/> as an <see cref="IVideoGenerator"/> for the <c>/v2/videos/generate</c> jobs gateway.
    /// Requests are validated against the gateway's catalog entry before anything is sent.
    /// </summary>
    /// <param name="client">The typed client. The generator does not dispose it.</param>
    /// <returns>The generator.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is null.</exception>
    public static IVideoGenerator AsVideoGenerator(this IGatewayClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return new GatewayVideoGenerator(client, VideoModelCatalog.Default.GetVendor(VendorIds.Gateway));
    }
}
