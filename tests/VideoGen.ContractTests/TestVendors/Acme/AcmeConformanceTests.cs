using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VideoGen.ContractTests.Conformance;
using VideoGen.Vendors;

namespace VideoGen.Acme;

/// <summary>The shared conformance tests, run for the test-only vendor against a Prism mock of Acme.yaml.</summary>
public sealed class AcmeConformanceTests(PrismFixture prism) : VideoGeneratorConformanceTests(prism)
{
    protected override VendorDescriptor Descriptor => AcmeVendor.Descriptor;
}

/// <summary>The test-only vendor through dependency injection: registered from its descriptor, found by id and alias, configured from its own section.</summary>
public sealed class AcmeRegistrationTests
{
    [Fact]
    public void AddVideoGenVendor_TestVendor_IsKeyedByIdAndAliasAndReadsItsSection()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["VideoGen:Acme:BaseUrl"] = "http://127.0.0.1:9/", ["VideoGen:DefaultVendor"] = "acme-video" })
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddVideoGenVendor(AcmeVendor.Descriptor);
        services.AddVideoGeneration();
        using var provider = services.BuildServiceProvider();

        var byId = provider.GetRequiredKeyedService<IVideoGenerator>("acme");

        provider.GetRequiredKeyedService<IVideoGenerator>("acme-video").ShouldBeSameAs(byId);
        provider.GetRequiredService<IVideoGenerator>().ShouldBeSameAs(byId);
        byId.GetService(typeof(Catalog.VendorInfo)).ShouldBeSameAs(AcmeVendor.Descriptor.Capabilities);
        byId.GetService(typeof(IAcmeClient)).ShouldBeOfType<AcmeClient>().BaseUrl.ShouldBe("http://127.0.0.1:9/");
        var options = provider.GetRequiredService<IOptions<DependencyInjection.VideoGenOptions>>().Value;
        options.GetVendor("acme").BaseUrl.ShouldBe(new Uri("http://127.0.0.1:9/"));
        options.GetVendor("elumenta").ShouldNotBeNull();
    }
}
