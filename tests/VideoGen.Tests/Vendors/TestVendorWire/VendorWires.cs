using VideoGen.Vendors;

namespace VideoGen.Tests.Vendors.TestVendorWire;

/// <summary>Every contract's <see cref="VendorWire"/>, found by a vendor's descriptor (vendors on one contract share it).</summary>
internal static class VendorWires
{
    private static readonly VendorWire[] Wires = [new ElumentaWire(), new ApiframeWire(), new AimlApiWire(), new OxenWire()];

    /// <summary>One vendor id per contract, in catalog order (the first vendor on each client).</summary>
    public static IReadOnlyList<string> OnePerContract { get; } =
        VendorDescriptors.All.DistinctBy(d => d.ClientType).Select(d => d.Id).ToArray();

    /// <summary>The wire of the vendor named by <paramref name="idOrAlias"/>.</summary>
    public static VendorWire Of(string idOrAlias) => Of(VendorDescriptors.Get(idOrAlias));

    /// <summary>The wire of <paramref name="vendor"/>'s contract.</summary>
    public static VendorWire Of(VendorDescriptor vendor) =>
        Wires.SingleOrDefault(w => w.ClientType == vendor.ClientType)
        ?? throw new InvalidOperationException($"No test wire for {vendor.Id} ({vendor.ClientType.Name}): add one in tests/VideoGen.Tests/Vendors/TestVendorWire/.");
}
