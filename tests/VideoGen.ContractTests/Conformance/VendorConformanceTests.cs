using VideoGen.AimlApi;
using VideoGen.Elumenta;
using VideoGen.Apiframe;
using VideoGen.Http;
using VideoGen.Oxen;

namespace VideoGen.ContractTests.Conformance;

public sealed class ElumentaConformanceTests(PrismFixture prism) : VideoGeneratorConformanceTests(prism)
{
    protected override string VendorId => VendorIds.Elumenta;

    protected override Type ClientType => typeof(IElumentaClient);

    protected override IVideoGenerator CreateGenerator(VendorClientConfiguration configuration, HttpClient httpClient) =>
        new ElumentaClient(configuration, httpClient).AsVideoGenerator();
}

public sealed class NeuralBoxConformanceTests(PrismFixture prism) : VideoGeneratorConformanceTests(prism)
{
    protected override string VendorId => VendorIds.NeuralBox;

    protected override Type ClientType => typeof(IElumentaClient);

    protected override IVideoGenerator CreateGenerator(VendorClientConfiguration configuration, HttpClient httpClient) =>
        new ElumentaClient(configuration, httpClient).AsVideoGenerator(VendorIds.NeuralBox);
}

public sealed class GatewayConformanceTests(PrismFixture prism) : VideoGeneratorConformanceTests(prism)
{
    protected override string VendorId => VendorIds.Apiframe;

    protected override Type ClientType => typeof(IApiframeClient);

    protected override IVideoGenerator CreateGenerator(VendorClientConfiguration configuration, HttpClient httpClient) =>
        new ApiframeClient(configuration, httpClient).AsVideoGenerator();
}

public sealed class AimlApiConformanceTests(PrismFixture prism) : VideoGeneratorConformanceTests(prism)
{
    protected override string VendorId => VendorIds.AimlApi;

    protected override Type ClientType => typeof(IAimlApiClient);

    protected override IVideoGenerator CreateGenerator(VendorClientConfiguration configuration, HttpClient httpClient) =>
        new AimlApiClient(configuration, httpClient).AsVideoGenerator();
}

public sealed class OxenConformanceTests(PrismFixture prism) : VideoGeneratorConformanceTests(prism)
{
    protected override string VendorId => VendorIds.Oxen;

    protected override Type ClientType => typeof(IOxenClient);

    protected override IVideoGenerator CreateGenerator(VendorClientConfiguration configuration, HttpClient httpClient) =>
        new OxenClient(configuration, httpClient).AsVideoGenerator();
}
