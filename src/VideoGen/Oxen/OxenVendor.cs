using VideoGen.Catalog;
using VideoGen.Vendors;

namespace VideoGen.Oxen;

/// <summary>Oxen.ai's asynchronous generation queue (<c>specs/oxen.yaml</c>).</summary>
internal static class OxenVendor
{
    /// <summary>The descriptor.</summary>
    public static VendorDescriptor Descriptor { get; } = VendorDescriptor.Create<IOxenClient>(
        VideoModelCatalog.Default.GetVendor(VendorIds.Oxen),
        nameof(DependencyInjection.VideoGenOptions.Oxen),
        (configuration, http) => new OxenClient(configuration, http),
        (client, vendor, logs) => new OxenVideoGenerator(client, vendor, logs));
}
