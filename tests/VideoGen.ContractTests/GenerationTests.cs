using Newtonsoft.Json.Linq;
using VideoGen.ContractTests.Infrastructure;
using Xunit.Abstractions;

namespace VideoGen.ContractTests;

/// <summary>
/// The committed clients in generated/ are exactly what the build makes from specs/ + nswag.json +
/// build/templates, and the build only runs the generator when one of those changed.
/// </summary>
public sealed class GenerationTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("videogen-gen-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public async Task RegenerateFromScratch_EveryClient_IsByteIdenticalToCommitted()
    {
        var fresh = Path.Combine(_temp, "generated");
        var result = await GenerateAsync(fresh, force: true);
        result.ExitCode.ShouldBe(0, result.All);
        result.StandardOutput.ShouldContain(NSwagCommand, Case.Sensitive, "the clients come from NSwag.MSBuild's tools/Net100 generator");
        result.StandardOutput.ShouldContain("nswag.msbuild", Case.Insensitive);

        var committed = Directory.GetFiles(Repo.Path("generated"), "*.g.cs").Select(Path.GetFileName).Order().ToList();
        var regenerated = Directory.GetFiles(fresh, "*.g.cs").Select(Path.GetFileName).Order().ToList();
        regenerated.ShouldBe(committed, "generated/ should hold exactly one client per spec");
        regenerated.Count.ShouldBe(Repo.SpecNames.Count());

        foreach (var file in committed)
        {
            var expected = await File.ReadAllBytesAsync(Repo.Path("generated", file!));
            var actual = await File.ReadAllBytesAsync(Path.Combine(fresh, file!));
            actual.SequenceEqual(expected).ShouldBeTrue(
                $"generated/{file} differs from a fresh generation: it was edited by hand or not regenerated after a change. Build locally and commit generated/.");
        }
    }

    [Fact]
    public async Task Build_NothingChanged_LaunchesNoGenerator()
    {
        var copy = CopyCommittedClients();
        var before = Directory.GetFiles(copy).ToDictionary(f => f, File.GetLastWriteTimeUtc);

        var result = await GenerateAsync(copy, force: false);

        result.ExitCode.ShouldBe(0, result.All);
        result.StandardOutput.ShouldNotContain("VideoGen: generating");
        result.StandardOutput.ShouldNotContain("NSwag command line tool");
        result.StandardOutput.ShouldNotContain(NSwagCommand);
        foreach (var (file, time) in before)
        {
            File.GetLastWriteTimeUtc(file).ShouldBe(time, $"{file} was rewritten by a no-op build");
        }
    }

    [Fact]
    public async Task Build_SpecFieldChanged_RegeneratesOnlyThatClientWithTheChange()
    {
        var copy = CopyCommittedClients();
        var specs = CopyChangedElumentaSpec();

        var result = await GenerateAsync(copy, force: false, specs);

        result.ExitCode.ShouldBe(0, result.All);
        output.WriteLine(result.StandardOutput);
        result.StandardOutput.ShouldContain("VideoGen: generating Elumenta client");
        result.StandardOutput.ShouldNotContain("VideoGen: generating Oxen client");
        var client = await File.ReadAllTextAsync(Path.Combine(copy, "ElumentaClient.g.cs"));
        client.ShouldContain("public int? SeedValue { get; set; }");
        client.ShouldContain("[Newtonsoft.Json.JsonProperty(\"seed_value\"");
    }

    [Fact]
    public async Task Build_OnCiWithStaleCommittedClientNewerThanItsSpec_FailsAndRewritesNothing()
    {
        // The changed spec is written first and the clients copied after it, so by timestamps every
        // client looks up to date: on CI the content stamp must still catch the drift.
        var specs = CopyChangedElumentaSpec();
        var copy = CopyCommittedClients();
        var before = await File.ReadAllBytesAsync(Path.Combine(copy, "ElumentaClient.g.cs"));

        var result = await GenerateAsync(copy, force: false, specs, failOnStale: null, environment: new Dictionary<string, string?> { ["CI"] = "true" });

        result.ExitCode.ShouldNotBe(0, result.All);
        result.StandardOutput.ShouldContain("generated/ElumentaClient.g.cs is out of date");
        result.StandardOutput.ShouldNotContain(NSwagCommand);
        (await File.ReadAllBytesAsync(Path.Combine(copy, "ElumentaClient.g.cs"))).SequenceEqual(before).ShouldBeTrue("CI must not fix a stale client silently");
    }

    private const string NSwagCommand = "dotnet-nswag.dll";

    private string CopyChangedElumentaSpec()
    {
        var specs = Path.Combine(_temp, "specs");
        Directory.CreateDirectory(specs);
        foreach (var file in Directory.GetFiles(Repo.SpecsDir, "*.yaml"))
        {
            File.Copy(file, Path.Combine(specs, Path.GetFileName(file)));
        }

        // Add a field to the Elumenta request body schema: the client must gain a property for it.
        // JSON is YAML, so the changed spec is written back as JSON under the same name.
        var spec = SpecDocument.Load("elumenta.yaml");
        var document = (JObject)spec.Json.DeepClone();
        var body = spec.Operation("CreateGeneration")["requestBody"]!["content"]!["application/json"]!["schema"]!;
        var schemaName = ((string)body["$ref"]!).Split('/').Last();
        ((JObject)document["components"]!["schemas"]![schemaName]!["properties"]!)["seed_value"] =
            new JObject { ["type"] = "integer", ["x-source"] = "test" };
        File.WriteAllText(Path.Combine(specs, "elumenta.yaml"), document.ToString());
        return specs;
    }

    private string CopyCommittedClients()
    {
        var copy = Path.Combine(_temp, "committed");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(Repo.Path("generated"), "*.g.cs"))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        return copy;
    }

    private async Task<ProcessRunner.Result> GenerateAsync(
        string generatedDir, bool force, string? specsDir = null, bool? failOnStale = false, IDictionary<string, string?>? environment = null)
    {
        string[] arguments =
        [
            // The library's own generation target (NSwag.MSBuild), without compiling.
            "msbuild", Repo.Path("src", "VideoGen.Clients", "VideoGen.Clients.csproj"), "-t:VideoGenGenerateClients",
            "-nologo", "-v:n", "-nodeReuse:false",
            $"-p:VideoGenGeneratedDir={generatedDir}/",
            $"-p:VideoGenGenerationTempDir={Path.Combine(_temp, "obj")}/",
            $"-p:VideoGenForceGenerate={force.ToString().ToLowerInvariant()}",
            .. failOnStale is null ? Array.Empty<string>() : [$"-p:VideoGenFailOnStale={failOnStale.Value.ToString().ToLowerInvariant()}"],
            .. specsDir is null ? Array.Empty<string>() : [$"-p:VideoGenSpecsDir={specsDir}/"],
        ];
        // CI is set in CI's own environment: each test says whether it runs "on CI".
        var env = new Dictionary<string, string?> { ["CI"] = null };
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            env[key] = value;
        }

        var result = await ProcessRunner.RunAsync("dotnet", arguments, Repo.Root, TimeSpan.FromMinutes(5), env);
        output.WriteLine(result.All.Length > 4000 ? result.All[^4000..] : result.All);
        return result;
    }
}

/// <summary>
/// The generator reads a spec's API key header from its root extension <c>x-videogen-api-key-header</c>
/// (build/templates/Client.Class.Body.liquid), because NSwag's template model has no security schemes; the extension
/// must repeat the spec's own statement, the <c>name</c> of its <c>apiKey</c> security scheme, and the client must carry it.
/// </summary>
public sealed class ApiKeyHeaderTests
{
    public static TheoryData<string> Specs() => new(Directory.GetFiles(Repo.SpecsDir, "*.yaml").Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(Specs))]
    public void Spec_ApiKeyHeaderExtension_MatchesItsApiKeySecurityScheme(string spec)
    {
        var document = (JObject)SpecDocument.YamlToJson(File.ReadAllText(Path.Combine(Repo.SpecsDir, spec)));
        var headerSchemes = (((JObject?)document["components"]?["securitySchemes"])?.Properties() ?? [])
            .Select(p => p.Value)
            .Where(s => (string?)s["type"] == "apiKey" && (string?)s["in"] == "header")
            .Select(s => (string)s["name"]!)
            .ToList();

        var declared = (string?)document["x-videogen-api-key-header"];

        if (headerSchemes.Count == 0)
        {
            declared.ShouldBeNull($"{spec} has no apiKey header scheme, so its client sends Authorization: Bearer");
            return;
        }

        declared.ShouldBe(headerSchemes.ShouldHaveSingleItem(), $"{spec}: x-videogen-api-key-header must name the header of its apiKey security scheme");
    }

    [Fact]
    public void ApiframeClient_SendsTheKeyInItsSpecsHeader()
    {
        VideoGen.Apiframe.ApiframeClient.ApiKeyHeader.ShouldBe("X-API-Key");
    }
}
