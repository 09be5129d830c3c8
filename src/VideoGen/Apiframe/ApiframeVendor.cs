using VideoGen.Catalog;
using VideoGen.Vendors;

namespace VideoGen.Apiframe;

/// <summary>Apiframe v2 (<c>specs/apiframe.yaml</c>); its former id <c>gateway</c> is a catalog alias.</summary>
internal static class ApiframeVendor
{
    /// <summary>The descriptor.</summary>
    public static VendorDescriptor Descriptor { get; } = VendorDescriptor.Create<IApiframeClient>(
        VideoModelCatalog.Default.GetVendor(VendorIds.Apiframe),
        nameof(DependencyInjection.VideoGenOptions.Apiframe),
        (configuration, http) => new ApiframeClient(configuration, http),
        (client, vendor, logs) => new ApiframeVideoGenerator(client, vendor, logs),

        // CUSTOM: HttpClient drops Authorization on a redirect but forwards a custom header: with the key in X-API-Key,
        // following a redirect would hand the key to whatever host the redirect names.
        followsRedirects: false);
}
