using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace VideoGen.Tests.Architecture;

/// <summary>
/// Every hand-written source file under src/ is in the namespace its folder names, relative to its project's
/// RootNamespace (issue 13): a reader finds a type by its namespace. Generated code (generated/, obj/) is not
/// looked at. The one exception is Microsoft's documented convention for IServiceCollection extension classes
/// (namespace Microsoft.Extensions.DependencyInjection), allowed only in a file that says so in a CUSTOM note.
/// </summary>
public sealed partial class NamespaceFolderTests
{
    private const string DependencyInjectionNamespace = "Microsoft.Extensions.DependencyInjection";

    [Fact]
    public void SourceFiles_UnderSrc_NamespaceMatchesFolder()
    {
        var mismatches = new List<string>();
        var checkedFiles = 0;
        foreach (var project in Directory.GetFiles(Path.Combine(Repo.Root, "src"), "*.csproj", SearchOption.AllDirectories))
        {
            var projectDir = Path.GetDirectoryName(project)!;
            var root = RootNamespaceOf(project);
            foreach (var file in SourceFiles(projectDir))
            {
                checkedFiles++;
                var relative = Path.GetRelativePath(projectDir, Path.GetDirectoryName(file)!);
                var expected = relative == "." ? root : root + "." + relative.Replace(Path.DirectorySeparatorChar, '.');
                mismatches.AddRange(Mismatches(File.ReadAllText(file), expected)
                    .Select(found => $"{Path.GetRelativePath(Repo.Root, file).Replace('\\', '/')}: namespace {found}, folder says {expected}"));
            }
        }

        checkedFiles.ShouldBeGreaterThan(100, "the walk found the sources");
        mismatches.ShouldBeEmpty();
    }

    [Fact]
    public void Mismatches_FileInTheWrongNamespace_IsReported()
    {
        Mismatches("namespace VideoGen;\npublic class A { }", "VideoGen.Budget").ShouldBe(["VideoGen"]);
        Mismatches("namespace VideoGen.Budget\n{\n}", "VideoGen.Budget").ShouldBeEmpty();
        Mismatches("// no namespace: top-level statements\nConsole.WriteLine();", "VideoGen.Cli").ShouldBeEmpty();
    }

    [Fact]
    public void Mismatches_ServiceCollectionExtensions_AllowedOnlyWithTheCustomNote()
    {
        const string Extensions = "namespace Microsoft.Extensions.DependencyInjection;\npublic static class X { public static IServiceCollection AddX(this IServiceCollection services) => services; }";

        Mismatches(Extensions, "VideoGen.DependencyInjection").ShouldBe([DependencyInjectionNamespace]);
        Mismatches("// CUSTOM: https://learn.microsoft.com/dotnet/core/extensions/dependency-injection-usage\n" + Extensions, "VideoGen.DependencyInjection").ShouldBeEmpty();
        Mismatches("// CUSTOM: Microsoft's convention\n// (https://learn.microsoft.com/dotnet/core/extensions/dependency-injection-usage).\n" + Extensions, "VideoGen.DependencyInjection").ShouldBeEmpty();
        Mismatches("// CUSTOM: something else\n\n// https://learn.microsoft.com/dotnet/core/extensions/dependency-injection-usage\n" + Extensions, "VideoGen.DependencyInjection").ShouldBe([DependencyInjectionNamespace]);
    }

    /// <summary>The namespaces declared in <paramref name="source"/> that differ from <paramref name="expected"/>.</summary>
    internal static IEnumerable<string> Mismatches(string source, string expected)
    {
        foreach (Match match in NamespaceDeclaration().Matches(source))
        {
            var found = match.Groups[1].Value;
            if (found == expected || IsDocumentedDependencyInjectionException(source, found))
            {
                continue;
            }

            yield return found;
        }
    }

    // Microsoft's guidance puts IServiceCollection extension methods in Microsoft.Extensions.DependencyInjection so they
    // are found without a using (https://learn.microsoft.com/dotnet/core/extensions/dependency-injection-usage,
    // https://learn.microsoft.com/dotnet/core/extensions/options-library-authors); the file must say why.
    private static bool IsDocumentedDependencyInjectionException(string source, string found) =>
        found == DependencyInjectionNamespace
        && source.Contains("this IServiceCollection", StringComparison.Ordinal)
        && CustomNoteCitingGuidance().IsMatch(source);

    private static IEnumerable<string> SourceFiles(string projectDir) =>
        Directory.GetFiles(projectDir, "*.cs", SearchOption.AllDirectories)
            .Where(f =>
            {
                var parts = Path.GetRelativePath(projectDir, f).Split(Path.DirectorySeparatorChar);
                return !parts.Any(p => p is "obj" or "bin" or "generated" or "Generated");
            });

    private static string RootNamespaceOf(string project)
    {
        var declared = XDocument.Load(project).Descendants("RootNamespace").Select(e => e.Value.Trim()).FirstOrDefault();
        return string.IsNullOrEmpty(declared) ? Path.GetFileNameWithoutExtension(project) : declared;
    }


    [GeneratedRegex(@"^\s*namespace\s+([A-Za-z_][\w.]*)\s*[;{]?", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    // A CUSTOM comment whose lines (one or more // lines) cite the guidance.
    [GeneratedRegex(@"//\s*CUSTOM:[^\n]*(\n[ \t]*//[^\n]*)*?https://learn\.microsoft\.com/dotnet/core/extensions/(dependency-injection-usage|options-library-authors|options)")]
    private static partial Regex CustomNoteCitingGuidance();
}
