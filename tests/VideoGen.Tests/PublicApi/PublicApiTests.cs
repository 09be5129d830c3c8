namespace VideoGen.Tests.PublicApi;

/// <summary>
/// The library's public surface is checked in (VideoGen.api.txt beside this file). A change to it fails
/// here until the listing is regenerated, so every public change shows up in review.
/// </summary>
/// <remarks>
/// Regenerate the listing (after an intended change, or after merging branches that add public types):
/// <code>VIDEOGEN_UPDATE_API_BASELINE=1 dotnet test tests/VideoGen.Tests --filter FullyQualifiedName~PublicApi</code>
/// </remarks>
public sealed class PublicApiTests
{
    private const string UpdateVariable = "VIDEOGEN_UPDATE_API_BASELINE";
    private const string UpdateCommand = UpdateVariable + "=1 dotnet test tests/VideoGen.Tests --filter FullyQualifiedName~PublicApi";

    private static string BaselinePath => Path.Combine(RepoRoot(), "tests", "VideoGen.Tests", "PublicApi", "VideoGen.api.txt");

    [Fact]
    public void PublicApi_VideoGenAssembly_MatchesTheCheckedInListing()
    {
        var actual = PublicApiListing.Of(typeof(IVideoGenerator).Assembly);

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
            $"The public API of VideoGen changed ({added.Count} added, {removed.Count} removed):\n" +
            string.Join("\n", removed.Select(l => "- " + l).Concat(added.Select(l => "+ " + l))) +
            $"\nIf the change is intended, regenerate the listing and commit it with the change:\n  {UpdateCommand}\n");
    }

    [Fact]
    public void PublicApi_Listing_IsSortedWithoutDuplicates()
    {
        var lines = PublicApiListing.Of(typeof(IVideoGenerator).Assembly);

        lines.ShouldBe(lines.Distinct().Order(StringComparer.Ordinal).ToList());
        lines.ShouldContain("VideoGen.IVideoGenerator | public System.Threading.Tasks.Task<VideoGen.VideoJob> GetJobAsync(string jobId, System.Threading.CancellationToken cancellationToken = default)");
        lines.ShouldContain("VideoGen.VideoJob | public string? Model { get; init; }");
        lines.ShouldContain("VideoGen.VideoGenException | public const int ResponseExcerptLimit = 512");
        lines.ShouldContain("VideoGen.VideoGenerationRequest | public ctor(string prompt)");
        lines.ShouldContain("VideoGen.Http.VendorClientBase | protected ctor(VideoGen.Http.VendorClientConfiguration configuration)");
        lines.ShouldContain("VideoGen.Elumenta.ElumentaClientExtensions | public static VideoGen.IVideoGenerator AsVideoGenerator(this VideoGen.Elumenta.IElumentaClient client, string? vendorId = null, Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null)");
        lines.ShouldNotContain(l => l.Contains("ElumentaVideoGenerator", StringComparison.Ordinal), "adapters are internal");
    }

    private static string RepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Contracts.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Contracts.sln was not found above " + AppContext.BaseDirectory);
    }
}
