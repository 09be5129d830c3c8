using Newtonsoft.Json.Linq;

namespace VideoGen.Tests.PublicApi;

/// <summary>
/// The package split (issue 15): a user who wants only the typed clients and <see cref="IVideoGenerator"/> references
/// VideoGen.Clients and VideoGen.Abstractions and pulls no SQLite, Polly or FluentValidation. The SQLite journal is the
/// VideoGen.Journal.Sqlite package; resilience and validation are in VideoGen.
/// </summary>
/// <remarks>
/// The dependency closure is read from each project's restore output (obj/project.assets.json), which is what
/// <c>dotnet pack</c> turns into the package's dependencies: the project's own package and project references that flow
/// to a consumer (not <c>PrivateAssets="all"</c> build tools such as the analyzers, SourceLink and NSwag.MSBuild),
/// followed through every transitive dependency the restore resolved.
/// </remarks>
public sealed class PackageDependencyTests
{
    private static readonly string[] Forbidden = ["FluentValidation", "Polly", "Microsoft.Extensions.Http.Resilience", "Microsoft.Data.Sqlite", "SQLitePCL"];

    [Fact]
    public void CoreAssembly_References_NoSqlite()
    {
        var references = typeof(VideoGen.Catalog.VideoModelCatalog).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();

        references.ShouldNotContain(name => name!.Contains("Sqlite", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void SqliteJournal_LivesInItsOwnAssembly()
    {
        typeof(VideoGen.Journal.SqliteJobJournal).Assembly.GetName().Name.ShouldBe("VideoGen.Journal.Sqlite");
        typeof(VideoGen.Webhooks.SqliteWebhookDeliveryStore).Assembly.ShouldBe(typeof(VideoGen.Journal.SqliteJobJournal).Assembly);
    }

    [Fact]
    public void SplitTypes_LiveInTheirPackages()
    {
        typeof(IVideoGenerator).Assembly.GetName().Name.ShouldBe("VideoGen.Abstractions");
        typeof(VideoGenException).Assembly.GetName().Name.ShouldBe("VideoGen.Abstractions");
        typeof(DelegatingVideoGenerator).Assembly.GetName().Name.ShouldBe("VideoGen.Abstractions");
        typeof(VideoGen.Http.VendorClientBase).Assembly.GetName().Name.ShouldBe("VideoGen.Clients");
        typeof(VideoGen.Elumenta.ElumentaClient).Assembly.GetName().Name.ShouldBe("VideoGen.Clients");
        typeof(VideoGen.Catalog.VideoModelCatalog).Assembly.GetName().Name.ShouldBe("VideoGen");
    }

    [Fact]
    public void Abstractions_DependencyClosure_IsEmpty()
    {
        // No third-party dependency at all: Microsoft.Extensions.AI.Abstractions' layering.
        PackageClosure("VideoGen.Abstractions").ShouldBeEmpty();
        typeof(IVideoGenerator).Assembly.GetReferencedAssemblies().Select(a => a.Name!)
            .Where(n => !n.StartsWith("System", StringComparison.Ordinal) && n != "netstandard")
            .ShouldBeEmpty();
    }

    [Fact]
    public void Clients_DependencyClosure_IsAbstractionsAndNewtonsoftJsonOnly()
    {
        var closure = PackageClosure("VideoGen.Clients");

        closure.ShouldBe(["Newtonsoft.Json", "VideoGen.Abstractions"], ignoreOrder: true);
        closure.ShouldNotContain(name => Forbidden.Any(f => name.StartsWith(f, StringComparison.OrdinalIgnoreCase)));
        typeof(VideoGen.Http.VendorClientBase).Assembly.GetReferencedAssemblies().Select(a => a.Name!)
            .Where(n => !n.StartsWith("System", StringComparison.Ordinal) && n != "netstandard")
            .ShouldBe(["Newtonsoft.Json", "VideoGen.Abstractions"], ignoreOrder: true);
    }

    [Fact]
    public void Core_DependencyClosure_HasResilienceAndValidationButNoSqlite()
    {
        // The same reader sees the heavy dependencies where they are: it would see them in the two packages above.
        var closure = PackageClosure("VideoGen");

        closure.ShouldContain("VideoGen.Abstractions");
        closure.ShouldContain("VideoGen.Clients");
        closure.ShouldContain("FluentValidation");
        closure.ShouldContain("Polly.Core");
        closure.ShouldContain("Microsoft.Extensions.Http.Resilience");
        closure.ShouldNotContain(name => name.StartsWith("Microsoft.Data.Sqlite", StringComparison.OrdinalIgnoreCase) || name.StartsWith("SQLitePCL", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The packages and projects a consumer of <paramref name="project"/> gets, transitively, by name.</summary>
    private static IReadOnlyCollection<string> PackageClosure(string project)
    {
        var assetsPath = Path.Combine(Repo.Root, "src", project, "obj", "project.assets.json");
        File.Exists(assetsPath).ShouldBeTrue($"{assetsPath} is written by restore");
        var assets = JObject.Parse(File.ReadAllText(assetsPath));

        var framework = (JObject)((JObject)assets["project"]!["frameworks"]!).Properties().Single().Value;
        var direct = ((JObject?)framework["dependencies"] ?? [])
            .Properties()
            .Where(p => !string.Equals((string?)p.Value["suppressParent"], "All", StringComparison.OrdinalIgnoreCase))
            .Select(p => p.Name)
            .ToList();
        var restoreProjects = ((JObject)((JObject)assets["project"]!["restore"]!["frameworks"]!).Properties().Single().Value)["projectReferences"] as JObject;
        direct.AddRange(restoreProjects?.Properties().Select(p => Path.GetFileNameWithoutExtension(p.Name)) ?? []);

        var target = (JObject)((JObject)assets["targets"]!).Properties().First().Value;
        var byName = target.Properties().ToDictionary(p => p.Name.Split('/')[0], p => (JObject)p.Value, StringComparer.OrdinalIgnoreCase);

        var closure = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Stack<string>(direct);
        while (pending.TryPop(out var name))
        {
            if (!closure.Add(name) || !byName.TryGetValue(name, out var entry))
            {
                continue;
            }

            foreach (var dependency in ((JObject?)entry["dependencies"] ?? []).Properties())
            {
                pending.Push(dependency.Name);
            }
        }

        return closure;
    }

}
