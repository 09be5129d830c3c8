using VideoGen.Catalog;
using VideoGen.Vendors;

namespace VideoGen.Elumenta;

/// <summary>Elumenta and NeuralBox: one contract (<c>specs/elumenta.yaml</c>) on two hosts, so two descriptors over one adapter.</summary>
internal static class ElumentaVendor
{
    /// <summary>Elumenta (<c>https://elumenta.ru/api</c>).</summary>
    public static VendorDescriptor Elumenta { get; } = Describe(VendorIds.Elumenta, nameof(DependencyInjection.VideoGenOptions.Elumenta));

    /// <summary>NeuralBox (<c>https://neuralbox.top/api</c>).</summary>
    public static VendorDescriptor NeuralBox { get; } = Describe(VendorIds.NeuralBox, nameof(DependencyInjection.VideoGenOptions.NeuralBox));

    private static VendorDescriptor Describe(string id, string section) => VendorDescriptor.Create<IElumentaClient>(
        VideoModelCatalog.Default.GetVendor(id),
        section,
        (configuration, http) => new ElumentaClient(configuration, http),
        (client, vendor, logs) => new ElumentaVideoGenerator(client, vendor, logs));
}
