using ArchUnitNET.Domain;
using ArchUnitNET.Fluent.Slices;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnit;

namespace VideoGen.Tests.Architecture;

/// <summary>
/// No namespace of the VideoGen packages depends, through any chain, on itself (issue 13: the cycle
/// Vendors → Waiting → Webhooks → Vendors, and any other). Checked with ArchUnitNET's slice rule
/// (https://archunitnet.readthedocs.io/en/latest/guide/, "Slices"): each namespace under <c>VideoGen.</c>
/// is a slice, and the slices must form no cycle. The generated clients (namespace <c>VideoGen.&lt;Vendor&gt;</c>,
/// VideoGen.Clients) share their slice with the vendor's adapter in the VideoGen package.
/// </summary>
public sealed class NamespaceCycleTests
{
    private static readonly System.Reflection.Assembly[] Packages =
    [
        typeof(IVideoGenerator).Assembly,                 // VideoGen.Abstractions
        typeof(VideoGen.Http.VendorClientBase).Assembly,  // VideoGen.Clients
        typeof(VideoGen.Catalog.VideoModelCatalog).Assembly, // VideoGen
    ];

    private static readonly Lazy<ArchUnitNET.Domain.Architecture> Architecture = new(() => new ArchLoader().LoadAssemblies(Packages).Build());

    [Fact]
    public void Namespaces_OfTheVideoGenPackages_AreFreeOfCycles()
    {
        Packages.Select(a => a.GetName().Name).Distinct().Count().ShouldBe(3, "the three packages are three assemblies");

        SliceRuleDefinition.Slices().Matching("VideoGen.(*)").Should().BeFreeOfCycles().Check(Architecture.Value);
    }
}
