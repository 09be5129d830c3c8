using VideoGen.AimlApi;
using VideoGen.Apiframe;
using VideoGen.Elumenta;
using VideoGen.Oxen;
using VideoGen.Vendors;

namespace VideoGen;

// CUSTOM: the registry over every vendor sits in the root namespace, above the vendors' namespaces, like VendorIds:
// VideoGen.Vendors holds what every vendor builds on, so listing the vendors there made VideoGen.Vendors and each
// vendor's namespace depend on each other (NamespaceCycleTests).

/// <summary>
/// The built-in vendors, one <see cref="VendorDescriptor"/> each, in catalog order. Everything that works per vendor
/// (dependency injection, options, the CLI, the sandbox's client wiring) enumerates this list; adding a vendor is
/// its folder <c>src/VideoGen/&lt;Name&gt;/</c>, its catalog entry, and one line here.
/// </summary>
public static class VendorDescriptors
{
    /// <summary>Every built-in vendor.</summary>
    public static IReadOnlyList<VendorDescriptor> All { get; } =
    [
        ElumentaVendor.Elumenta,
        ElumentaVendor.NeuralBox,
        ApiframeVendor.Descriptor,
        AimlApiVendor.Descriptor,
        OxenVendor.Descriptor,
    ];

    /// <summary>The vendor named by an id or alias (case-insensitive), or <see langword="null"/>.</summary>
    /// <param name="idOrAlias">A vendor id or alias.</param>
    /// <returns>The descriptor, or <see langword="null"/>.</returns>
    public static VendorDescriptor? Find(string? idOrAlias) => All.FirstOrDefault(d => d.IsNamed(idOrAlias?.Trim()));

    /// <summary>The vendor named by an id or alias (case-insensitive).</summary>
    /// <param name="idOrAlias">A vendor id or alias.</param>
    /// <returns>The descriptor.</returns>
    /// <exception cref="ArgumentException">No built-in vendor has that id or alias; the message lists the ids.</exception>
    public static VendorDescriptor Get(string idOrAlias) =>
        Find(idOrAlias) ?? throw new ArgumentException($"Unknown vendor '{idOrAlias}'; known vendors: {string.Join(", ", All.Select(d => d.Id))}.", nameof(idOrAlias));
}
