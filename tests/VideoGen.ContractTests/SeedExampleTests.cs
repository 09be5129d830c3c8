using Newtonsoft.Json.Linq;
using VideoGen.ContractTests.Infrastructure;
using Xunit.Abstractions;

namespace VideoGen.ContractTests;

/// <summary>
/// The vendors' own example requests and responses (SeedExamples/*.json, each citing its seed
/// document) hold to the specs; the ones recorded as errors in the vendor's document must fail,
/// and the test prints why.
/// </summary>
public sealed class SeedExampleTests(ITestOutputHelper output)
{
    private static readonly Lazy<IReadOnlyList<SeedExample>> All = new(LoadAll);

    public static TheoryData<string> Names() => new(All.Value.Select(e => e.Name));

    [Fact]
    public void EverySpec_HasSeedExamples()
    {
        foreach (var spec in Repo.SpecNames)
        {
            All.Value.Where(e => e.Spec == spec).ShouldNotBeEmpty($"no seed examples for specs/{spec}");
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void SeedExample_AgainstSpec_ValidatesExactlyWhenCuratedAsValid(string name)
    {
        var example = All.Value.Single(e => e.Name == name);
        var document = SpecDocument.Load(example.Spec);
        var operation = document.Operation(example.OperationId);

        var errors = example.Target switch
        {
            "request" => document.Validate(
                operation["requestBody"]?["content"]?["application/json"]?["schema"]
                    ?? throw new InvalidOperationException($"{example.OperationId} has no JSON request body"),
                example.Value).Select(e => $"{e.Kind} at {e.Path}").ToList(),
            "query" => ValidateParameters(document, operation, (JObject)example.Value),
            var t when t.StartsWith("response:", StringComparison.Ordinal) => document.Validate(
                document.Resolve(operation["responses"]?[t["response:".Length..]]
                    ?? throw new InvalidOperationException($"{example.OperationId} documents no {t} response"))["content"]?["application/json"]?["schema"]
                    ?? throw new InvalidOperationException($"{example.OperationId} {t} has no JSON schema"),
                example.Value).Select(e => $"{e.Kind} at {e.Path}").ToList(),
            _ => throw new InvalidOperationException($"unknown target {example.Target}"),
        };

        output.WriteLine($"{example.Seed} § {example.Section} → {example.Spec} {example.OperationId} {example.Target}");
        if (example.Valid)
        {
            errors.ShouldBeEmpty($"seed example {name} should hold to the spec:\n{string.Join('\n', errors)}\n{example.Value}");
        }
        else
        {
            output.WriteLine($"Recorded as an error in the vendor's document: {example.Reason}");
            output.WriteLine($"Validation rejects it with: {string.Join("; ", errors)}");
            errors.ShouldNotBeEmpty($"seed example {name} was curated as an error in the vendor's document ({example.Reason}) but the spec accepts it");
        }
    }

    private static List<string> ValidateParameters(SpecDocument document, JObject operation, JObject values)
    {
        var parameters = document.Parameters(operation).Where(p => (string?)p["in"] is "query" or "path").ToList();
        var errors = new List<string>();
        foreach (var (name, value) in values)
        {
            var parameter = parameters.SingleOrDefault(p => (string?)p["name"] == name);
            if (parameter is null)
            {
                errors.Add($"unknown parameter '{name}' (the operation takes: {string.Join(", ", parameters.Select(p => p["name"]))})");
                continue;
            }

            var schema = parameter["schema"]!;
            var candidate = value!;
            if ((string?)document.Resolve(schema)["type"] == "array" && candidate is not JArray)
            {
                // A single value of an exploded array parameter is an array of one.
                candidate = new JArray(candidate);
            }

            errors.AddRange(document.Validate(schema, candidate).Select(e => $"{name}: {e.Kind} at {e.Path}"));
        }

        foreach (var required in parameters.Where(p => (bool?)p["required"] == true && !values.ContainsKey((string)p["name"]!)))
        {
            errors.Add($"missing required parameter '{required["name"]}'");
        }

        return errors;
    }

    private static IReadOnlyList<SeedExample> LoadAll()
    {
        var list = new List<SeedExample>();
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "SeedExamples"), "*.json").Order())
        {
            var root = JObject.Parse(File.ReadAllText(file));
            var spec = (string)root["spec"]!;
            foreach (var e in (JArray)root["examples"]!)
            {
                list.Add(new SeedExample(
                    (string)e["name"]!, spec, (string)e["seed"]!, (string)e["section"]!, (string)e["operationId"]!,
                    (string)e["target"]!, (bool)e["valid"]!, (string?)e["reason"], e["value"]!));
            }
        }

        list.Select(e => e.Name).ShouldBeUnique();
        return list;
    }

    private sealed record SeedExample(string Name, string Spec, string Seed, string Section, string OperationId, string Target, bool Valid, string? Reason, JToken Value);
}
