using VideoGen.Catalog;
using VideoGen.Vendors;

namespace VideoGen.Acme;

/// <summary>The test-only vendor's descriptor: its catalog entry (Acme.catalog.json), its generated client (from Acme.yaml) and its adapter.</summary>
internal static class AcmeVendor
{
    public static VendorDescriptor Descriptor { get; } = VendorDescriptor.Create<IAcmeClient>(
        VideoModelCatalog.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestVendors", "Acme", "Acme.catalog.json"))).GetVendor("acme"),
        "Acme",
        (configuration, http) => new AcmeClient(configuration, http),
        (client, vendor, logs) => new AcmeVideoGenerator(client, vendor, logs));
}
