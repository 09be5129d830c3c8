using VideoGen.Vendors;

namespace VideoGen.ContractTests.Conformance;

public sealed class ElumentaConformanceTests(PrismFixture prism) : VideoGeneratorConformanceTests(prism)
{
    protected override VendorDescriptor Descriptor => VendorDescriptors.Get(VendorIds.Elumenta);
}

public sealed class NeuralBoxConformanceTests(PrismFixture prism) : VideoGeneratorConformanceTests(prism)
{
    protected override VendorDescriptor Descriptor => VendorDescriptors.Get(VendorIds.NeuralBox);
}

public sealed class GatewayConformanceTests(PrismFixture prism) : VideoGeneratorConformanceTests(prism)
{
    protected override VendorDescriptor Descriptor => VendorDescriptors.Get(VendorIds.Apiframe);
}

public sealed class AimlApiConformanceTests(PrismFixture prism) : VideoGeneratorConformanceTests(prism)
{
    protected override VendorDescriptor Descriptor => VendorDescriptors.Get(VendorIds.AimlApi);
}

public sealed class OxenConformanceTests(PrismFixture prism) : VideoGeneratorConformanceTests(prism)
{
    protected override VendorDescriptor Descriptor => VendorDescriptors.Get(VendorIds.Oxen);
}
