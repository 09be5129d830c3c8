using System.Text.RegularExpressions;
using VideoGen.Vendors;

namespace VideoGen.Tests.Vendors;

/// <summary>
/// What is vendor-specific lives with the vendor (<c>src/VideoGen/&lt;Name&gt;/</c>: its folder, and its descriptor). A switch,
/// a pattern or an if-chain on a vendor's id elsewhere in <c>src/</c> is a place the next vendor would be missed in, and
/// shows only at run time: this test finds them at build time. The tests hold themselves to the same rule: a vendor's
/// expected answers live in its test wire (<c>tests/VideoGen.Tests/Vendors/TestVendorWire/</c>), in data rows, or in a
/// project's one table of vendor expectations (<c>tests/VideoGen.ReliabilityTests/Infrastructure/VendorExpectations.cs</c>).
/// </summary>
public sealed class VendorLocalityTests
{
    [Fact]
    public void Src_OutsideTheVendorsFolders_HasNoBranchOnAVendorId()
    {
        var src = Path.Combine(Repo.Root, "src");
        // A vendor's home: the folder of its namespace (VideoGen.<Name>, its generated client's), and the two registries
        // that hold every vendor's data (VendorDescriptors.cs, VendorIds.cs).
        var vendorFolders = VendorDescriptors.All
            .Select(d => Path.Combine(src, "VideoGen", d.ClientType.Namespace!["VideoGen.".Length..]) + Path.DirectorySeparatorChar)
            .Distinct()
            .ToList();
        vendorFolders.ShouldAllBe(f => Directory.Exists(f), "each vendor has a folder named after its namespace");
        var registries = new[] { "VendorDescriptors.cs", "VendorIds.cs" }.Select(f => Path.Combine(src, "VideoGen", f)).ToList();
        var files = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !vendorFolders.Any(v => f.StartsWith(v, StringComparison.Ordinal)) && !registries.Contains(f) && !IsBuildOutput(f))
            .ToList();
        files.Count.ShouldBeGreaterThan(50, "the scan reads the library's sources");

        var found = files
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetRelativePath(src, f), Line: i + 1, Text: Code(line))))
            .Where(l => VendorBranch.IsMatch(l.Text))
            .Select(l => $"src/{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();

        found.ShouldBeEmpty("branch on a vendor id outside the vendors' folders: make it data on the vendor's descriptor or catalog entry");
    }

    [Fact]
    public void Tests_OutsideTheTestVendorWires_HaveNoBranchOnAVendorId()
    {
        var root = Repo.Root;
        var tests = Path.Combine(root, "tests");
        // The tests' vendor home: each contract's wire (TestVendorWire/), and this file, whose rows are examples of branches.
        var wires = Path.Combine(tests, "VideoGen.Tests", "Vendors", "TestVendorWire") + Path.DirectorySeparatorChar;
        var self = Path.Combine(tests, "VideoGen.Tests", "Vendors", nameof(VendorLocalityTests) + ".cs");
        var files = Directory.EnumerateFiles(tests, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(wires, StringComparison.Ordinal) && f != self && !IsBuildOutput(f))
            .ToList();
        files.Count.ShouldBeGreaterThan(50, "the scan reads the tests' sources");

        var found = files
            .Select(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .SelectMany(f => File.ReadLines(Path.Combine(root, f)).Select((line, i) => (File: f, Line: i + 1, Text: Code(line))))
            .Where(l => VendorBranch.IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();

        found.ShouldBeEmpty("branch on a vendor id in a test: put the vendor's expected values in its wire (tests/VideoGen.Tests/Vendors/TestVendorWire/), the test's data rows, or its project's VendorExpectations");
    }

    [Fact]
    public void TestVendorWires_EveryVendor_HasOne() =>
        VendorDescriptors.All.ShouldAllBe(d => TestVendorWire.VendorWires.Of(d).ClientType == d.ClientType, "a vendor's test wire (tests/VideoGen.Tests/Vendors/TestVendorWire/) is where the tests read its answers");

    [Theory]
    [InlineData("""        "oxen" => new OxenClient(configuration, http),""")]
    [InlineData("""            case "elumenta":""")]
    [InlineData("""        if (vendor.Id == VendorIds.Oxen)""")]
    [InlineData("""        var url = SandboxVendors.Normalize(vendor) == SandboxVendors.Elumenta ? a : b;""")]
    [InlineData("""        return id is VendorIds.AimlApi or VendorIds.Apiframe;""")]
    [InlineData("""        if (string.Equals(vendor, "AIML API", StringComparison.OrdinalIgnoreCase))""")]
    [InlineData("""        VendorIds.Elumenta => 1,""")]
    public void VendorBranch_BranchesOnAVendor_AreFound(string line) => VendorBranch.IsMatch(Code(line)).ShouldBeTrue();

    [Theory]
    [InlineData("""    public const string Oxen = "oxen";""")]
    [InlineData("""        var vendor = VideoModelCatalog.Default.GetVendor(VendorIds.Oxen);""")]
    [InlineData("""        // a comment may say: if the vendor == "oxen" then ...""")]
    [InlineData("""        services.AddKeyedSingleton(VendorIds.AimlApi, generator);""")]
    public void VendorBranch_NamesWithoutBranching_AreNotFound(string line) => VendorBranch.IsMatch(Code(line)).ShouldBeFalse();

    /// <summary>Every id, alias and display name of a built-in vendor, as a string literal; every constant naming one.</summary>
    private static readonly Regex VendorBranch = Build();

    private static Regex Build()
    {
        var names = VendorDescriptors.All.SelectMany(d => d.Aliases.Append(d.Id).Append(d.DisplayName)).Distinct(StringComparer.OrdinalIgnoreCase);
        var literal = "\"(?:" + string.Join("|", names.Select(Regex.Escape)) + ")\"";
        var constant = @"\b(?:VendorIds|SandboxVendors)\.[A-Z]\w*\b(?!\s*\()";
        var vendor = $"(?:{literal}|{constant})";
        return new Regex(
            $@"\bcase\s+{vendor}|{vendor}\s*(?:=>|==|!=|\bor\b|\band\b)|(?:==|!=|\bis|\bor|\band)\s+{vendor}|(?:==|!=)\s*{vendor}|\bEquals\([^;]*{vendor}",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    /// <summary>The line without its comment (a <c>//</c> outside a string literal).</summary>
    private static string Code(string line)
    {
        var inString = false;
        for (var i = 0; i < line.Length - 1; i++)
        {
            if (line[i] == '"')
            {
                inString = !inString;
            }
            else if (!inString && line[i] == '/' && line[i + 1] == '/')
            {
                return line[..i];
            }
        }

        return line;
    }

    private static bool IsBuildOutput(string path) =>
        path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
        || path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal);

}
