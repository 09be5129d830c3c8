using Newtonsoft.Json.Linq;
using VideoGen.ContractTests.Infrastructure;
using Xunit.Abstractions;

namespace VideoGen.ContractTests;

/// <summary>Spectral lints every spec with build/spectral.yaml (the OpenAPI rules plus VideoGen's provenance and naming rules).</summary>
public sealed class SpectralLintTests(ITestOutputHelper output)
{
    public static TheoryData<string> Specs => new(Repo.SpecNames);

    [Theory]
    [MemberData(nameof(Specs))]
    public async Task Spec_LintedWithProjectRuleset_HasNoErrors(string spec)
    {
        var result = await ProcessRunner.RunAsync(
            "node",
            [NodeTools.Spectral, "lint", Repo.Path("specs", spec), "--ruleset", Repo.Path("build", "spectral.yaml"), "--format", "json", "--quiet"],
            Repo.Root,
            TimeSpan.FromMinutes(2));

        var start = result.StandardOutput.IndexOf('[');
        start.ShouldBeGreaterThanOrEqualTo(0, $"Spectral printed no JSON report:\n{result.All}");
        var problems = JArray.Parse(result.StandardOutput[start..]);
        foreach (var problem in problems)
        {
            output.WriteLine($"{Severity(problem)} {problem["code"]} {string.Join('.', problem["path"]!)}: {problem["message"]}");
        }

        var errors = problems.Where(p => (int)p["severity"]! == 0)
            .Select(p => $"{p["code"]} at {string.Join('.', p["path"]!)}: {p["message"]}")
            .ToList();
        errors.ShouldBeEmpty($"Spectral errors in specs/{spec}:\n{string.Join('\n', errors)}");
    }

    private static string Severity(JToken problem) => (int)problem["severity"]! switch
    {
        0 => "error",
        1 => "warning",
        2 => "info",
        _ => "hint",
    };
}
