using System.Reflection;
using System.Text.RegularExpressions;

namespace VideoGen.Cli.Tests.Infrastructure;

/// <summary>
/// What a person must not see in videogen's output (issue: .NET names reach users): C# type and property names of
/// VideoGen and videogen, exception type names, library settings (<c>DownloadOptions.TrustedOrigins</c>) and
/// stack-trace lines. <see cref="CliHarness"/> checks every run's standard output and error with it, so every CLI
/// test is a sweep of the messages it provokes.
/// </summary>
internal static partial class DotNetNames
{
    /// <summary>The CLI's own words that look like PascalCase names: the batch line kinds README.md documents, and names of the product and vendors.</summary>
    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal)
    {
        "VideoGen", "NeuralBox", "AimlApi", "OutcomeUnknown", "NotStarted", "InProgress", "TimedOut", "OverBudget",
    };

    private static readonly Lazy<Regex> Names = new(() =>
    {
        var assemblies = new[] { typeof(VideoGenerationRequest).Assembly, typeof(Cli.CliApp).Assembly };
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in assemblies.SelectMany(a => a.GetTypes()).Where(t => !t.Name.Contains('<', StringComparison.Ordinal)))
        {
            names.Add(type.Name.Split('`')[0]);
            if (type.IsPublic || type.IsNestedPublic)
            {
                foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
                {
                    names.Add(property.Name);
                }
            }
        }

        // Compound PascalCase only (DurationSeconds, ResponseTooLargeException): one-word names are ordinary words.
        var compound = names.Where(n => CompoundPascal().IsMatch(n) && !Allowed.Contains(n)).OrderByDescending(n => n.Length);
        return new Regex(@"\b(?:" + string.Join("|", compound.Select(Regex.Escape)) + @")\b", RegexOptions.CultureInvariant);
    });

    /// <summary>Every .NET name or stack-trace fragment in <paramref name="text"/>.</summary>
    public static IReadOnlyList<string> In(string text) =>
    [
        .. Names.Value.Matches(text).Select(m => m.Value),
        .. Fragments().Matches(text).Select(m => m.Value.Trim()),
    ];

    /// <summary>Fails when <paramref name="run"/> printed any .NET name.</summary>
    public static void ShouldNotBeIn(CliRun run)
    {
        var found = In(run.Console + "\n" + run.Out + "\n" + run.Error).Distinct().ToList();
        found.ShouldBeEmpty($"videogen printed .NET names a person should not see ({string.Join(", ", found)}):{Environment.NewLine}{run.All}");
    }

    [GeneratedRegex(@"^[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+$")]
    private static partial Regex CompoundPascal();

    [GeneratedRegex(@"\w*Exception\b|\b[A-Z]\w*(?:Options|Configuration)\.[A-Z]\w*|(?m:^\s+at \S+\(.*\)|:line \d+|--- End of)|\(Parameter '|System\.[A-Z]\w*\.[A-Z]")]
    private static partial Regex Fragments();
}
