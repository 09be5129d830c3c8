using VideoGen.Catalog;
using VideoGen.Vendors;

namespace VideoGen.AimlApi;

/// <summary>AIML API's Luma Dream Machine (<c>specs/aimlapi.yaml</c>).</summary>
internal static class AimlApiVendor
{
    /// <summary>The descriptor.</summary>
    public static VendorDescriptor Descriptor { get; } = VendorDescriptor.Create<IAimlApiClient>(
        VideoModelCatalog.Default.GetVendor(VendorIds.AimlApi),
        nameof(DependencyInjection.VideoGenOptions.AimlApi),
        (configuration, http) => new AimlApiClient(configuration, http),
        (client, vendor, logs) => new AimlApiVideoGenerator(client, vendor, logs));
}
