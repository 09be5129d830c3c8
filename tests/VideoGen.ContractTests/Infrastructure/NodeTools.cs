namespace VideoGen.ContractTests.Infrastructure;

/// <summary>The pinned npm tools in build/node_modules (installed by the build, see build/VideoGen.Tools.targets).</summary>
internal static class NodeTools
{
    public static string Spectral => Script("@stoplight", "spectral-cli", "dist", "index.js");

    public static string Prism => Script("@stoplight", "prism-cli", "dist", "index.js");

    private static string Script(params string[] parts)
    {
        var path = Path.Combine([Repo.NodeModules, .. parts]);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} is missing: build the solution (it runs npm ci in build/) before the tests.");
        }

        return path;
    }
}
