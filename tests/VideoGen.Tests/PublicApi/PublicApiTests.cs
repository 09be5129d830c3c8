namespace VideoGen.Tests.PublicApi;

/// <summary>
/// The library's public members are recorded in src/VideoGen/PublicAPI.*.txt and checked by
/// Microsoft.CodeAnalysis.PublicApiAnalyzers at build time (RS0016/RS0017 are errors). What those files do not
/// record, each public type's kind, modifiers, base type and interfaces, is checked in here (VideoGen.types.txt
/// beside this file); a change to it fails until the listing is regenerated, so it shows up in review.
/// </summary>
/// <remarks>
/// Regenerate the listing (after an intended change, or after merging branches that add public types):
/// <code>VIDEOGEN_UPDATE_API_BASELINE=1 dotnet test tests/VideoGen.Tests --filter FullyQualifiedName~PublicApi</code>
/// or run build/update-public-api.sh, which also rewrites the PublicAPI.*.txt files.
/// </remarks>
public sealed class PublicApiTests
{
    private const string UpdateVariable = "VIDEOGEN_UPDATE_API_BASELINE";
    private const string UpdateCommand = UpdateVariable + "=1 dotnet test tests/VideoGen.Tests --filter FullyQualifiedName~PublicApi";

    private static string BaselinePath => Path.Combine(Repo.Root, "tests", "VideoGen.Tests", "PublicApi", "VideoGen.types.txt");

    [Fact]
    public void PublicTypes_VideoGenAssembly_MatchesTheCheckedInListing()
    {
        var actual = Listing();

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(BaselinePath, string.Join("\n", actual) + "\n");
            return;
        }

        File.Exists(BaselinePath).ShouldBeTrue($"{BaselinePath} is missing; create it with: {UpdateCommand}");
        var expected = File.ReadAllText(BaselinePath).ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var added = actual.Except(expected, StringComparer.Ordinal).ToList();
        var removed = expected.Except(actual, StringComparer.Ordinal).ToList();

        (added.Count + removed.Count).ShouldBe(0,
            $"The public type declarations of VideoGen, VideoGen.Abstractions and VideoGen.Clients changed ({added.Count} added, {removed.Count} removed):\n" +
            string.Join("\n", removed.Select(l => "- " + l).Concat(added.Select(l => "+ " + l))) +
            $"\nIf the change is intended, regenerate the listing and commit it with the change:\n  {UpdateCommand}\n");
    }

    [Fact]
    public void PublicTypes_Listing_IsSortedWithoutDuplicates()
    {
        var lines = Listing();

        lines.ShouldBe(lines.Distinct().Order(StringComparer.Ordinal).ToList());
        lines.ShouldContain("VideoGen.IVideoGenerator public interface : System.IDisposable");
        lines.ShouldContain(l => l.StartsWith("VideoGen.Http.VendorClientBase public abstract class", StringComparison.Ordinal));
        lines.ShouldContain(l => l.StartsWith("VideoGen.Resilience.ResilienceHandler public sealed class : Microsoft.Extensions.Http.Resilience.ResilienceHandler", StringComparison.Ordinal));
        lines.ShouldNotContain(l => l.Contains(" | ", StringComparison.Ordinal), "members are the analyzer's");
        lines.ShouldNotContain(l => l.Contains("ElumentaVideoGenerator", StringComparison.Ordinal), "adapters are internal");
    }

    // The three packages the library was split into (issue 15) are listed together: a type that moves between them
    // keeps its line, a type that changes namespace shows as one line removed and one added.
    private static List<string> Listing() =>
        new[] { typeof(IVideoGenerator).Assembly, typeof(VideoGen.Http.VendorClientBase).Assembly, typeof(VideoGen.Catalog.VideoModelCatalog).Assembly }
            .SelectMany(PublicApiListing.Of)
            .Order(StringComparer.Ordinal)
            .ToList();

}
