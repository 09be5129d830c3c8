namespace VideoGen.Testing;

/// <summary>Paths inside the repository the tests run from (found by its Contracts.sln above the test binaries).</summary>
public static class Repo
{
    private static readonly Lazy<string> LazyRoot = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Contracts.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Contracts.sln not found above " + AppContext.BaseDirectory);
    });

    public static string Root => LazyRoot.Value;

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static string SpecsDir => Path("specs");

    public static string NodeModules => Path("build", "node_modules");

    /// <summary>The spec files, as file names (elumenta.yaml, ...).</summary>
    public static IEnumerable<string> SpecNames =>
        Directory.GetFiles(SpecsDir, "*.yaml").Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal)!;
}
