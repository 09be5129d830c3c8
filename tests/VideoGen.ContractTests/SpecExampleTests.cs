using Newtonsoft.Json.Linq;
using VideoGen.ContractTests.Infrastructure;

namespace VideoGen.ContractTests;

/// <summary>Every example written into a spec (media types, parameters, schemas) validates against its schema (NJsonSchema).</summary>
public sealed class SpecExampleTests
{
    public static TheoryData<string, string> Examples()
    {
        var data = new TheoryData<string, string>();
        foreach (var spec in Repo.SpecNames)
        {
            foreach (var (path, _) in Collect(SpecDocument.Load(spec)))
            {
                data.Add(spec, path);
            }
        }

        return data;
    }

    [Fact]
    public void EverySpec_HasExamples()
    {
        foreach (var spec in Repo.SpecNames)
        {
            Collect(SpecDocument.Load(spec)).ShouldNotBeEmpty($"specs/{spec} carries no examples");
        }
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_ValidatesAgainstItsSchema(string spec, string examplePath)
    {
        var document = SpecDocument.Load(spec);
        var (schema, value) = Collect(document).Single(e => e.Path == examplePath).Pair;

        var errors = document.Validate(schema, value);

        errors.ShouldBeEmpty($"{spec} {examplePath}: {string.Join("; ", errors.Select(e => $"{e.Kind} at {e.Path}"))}\n{value}");
    }

    /// <summary>(example path, (schema node, example value)) for every example in the spec.</summary>
    private static IEnumerable<(string Path, (JToken Schema, JToken Value) Pair)> Collect(SpecDocument document)
    {
        // Media types: request bodies and responses, in operations and in components.
        foreach (var mediaType in document.Json.SelectTokens("$..content.*").OfType<JObject>())
        {
            if (mediaType["schema"] is not { } schema)
            {
                continue;
            }

            foreach (var example in ExamplesOf(document, mediaType))
            {
                yield return (example.Path, (schema, example.Value));
            }
        }

        // Parameters (in operations and in components).
        foreach (var parameter in document.Json.SelectTokens("$..parameters[*]").OfType<JObject>()
                     .Concat(document.Json.SelectTokens("$.components.parameters.*").OfType<JObject>()))
        {
            if (parameter["schema"] is not { } schema)
            {
                continue;
            }

            foreach (var example in ExamplesOf(document, parameter))
            {
                yield return (example.Path, (schema, example.Value));
            }
        }

        // Schema-level `example` on named schemas and their properties.
        if (document.Json["components"]?["schemas"] is JObject schemas)
        {
            foreach (var named in schemas.Properties())
            {
                if (named.Value["example"] is { } example)
                {
                    yield return (example.Path, (named.Value, example));
                }

                if (named.Value["properties"] is JObject properties)
                {
                    foreach (var property in properties.Properties().Where(p => p.Value["example"] is not null))
                    {
                        yield return (property.Value["example"]!.Path, (property.Value, property.Value["example"]!));
                    }
                }
            }
        }
    }

    private static IEnumerable<(string Path, JToken Value)> ExamplesOf(SpecDocument document, JObject holder)
    {
        if (holder["example"] is { } single)
        {
            yield return (single.Path, single);
        }

        if (holder["examples"] is JObject named)
        {
            foreach (var example in named.Properties())
            {
                var resolved = document.Resolve(example.Value);
                if (resolved["value"] is { } value)
                {
                    yield return (example.Value.Path, value);
                }
            }
        }
    }
}
