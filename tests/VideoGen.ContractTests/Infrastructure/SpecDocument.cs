using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;
using YamlDotNet.RepresentationModel;

namespace VideoGen.ContractTests.Infrastructure;

/// <summary>
/// One OpenAPI 3.0 spec from specs/, read as JSON, with helpers to find operations and to validate
/// values against its schemas with NJsonSchema.
/// </summary>
internal sealed partial class SpecDocument
{
    private static readonly ConcurrentDictionary<string, SpecDocument> Cache = new();
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new();

    private SpecDocument(string name, JObject json)
    {
        Name = name;
        Json = json;
    }

    public string Name { get; }

    public JObject Json { get; }

    public static SpecDocument Load(string specName) =>
        Cache.GetOrAdd(specName, name => new SpecDocument(name, (JObject)YamlToJson(File.ReadAllText(Repo.Path("specs", name)))));

    /// <summary>Every operation: path, HTTP method, operationId and the operation object.</summary>
    public IEnumerable<(string Path, string Method, string OperationId, JObject Operation)> Operations()
    {
        foreach (var path in ((JObject)Json["paths"]!).Properties())
        {
            foreach (var method in ((JObject)path.Value).Properties().Where(p => p.Name is "get" or "post" or "put" or "patch" or "delete"))
            {
                var operation = (JObject)method.Value;
                yield return (path.Name, method.Name, (string)operation["operationId"]!, operation);
            }
        }
    }

    public JObject Operation(string operationId) =>
        Operations().SingleOrDefault(o => o.OperationId == operationId).Operation
        ?? throw new InvalidOperationException($"{Name} has no operation '{operationId}'.");

    /// <summary>Follows a local $ref (#/components/...) to its target; returns other nodes as they are.</summary>
    public JToken Resolve(JToken node)
    {
        while (node is JObject obj && obj["$ref"] is JValue reference)
        {
            node = Json.SelectToken(ToJsonPath((string)reference!))
                ?? throw new InvalidOperationException($"{Name}: unresolved $ref {reference}");
        }

        return node;
    }

    /// <summary>Validates <paramref name="value"/> against the schema at <paramref name="schemaNode"/>.</summary>
    public ICollection<ValidationError> Validate(JToken schemaNode, JToken value)
    {
        var key = schemaNode.Path;
        var schema = _schemas.GetOrAdd(key, _ => BuildSchema(schemaNode));
        return schema.Validate(value);
    }

    /// <summary>The parameters of an operation (path-level ones included), resolved.</summary>
    public IReadOnlyList<JObject> Parameters(JObject operation)
    {
        var own = operation["parameters"] as JArray ?? [];
        var pathLevel = operation.Parent?.Parent?["parameters"] as JArray ?? [];
        return own.Concat(pathLevel).Select(p => (JObject)Resolve(p)).ToList();
    }

    private JsonSchema BuildSchema(JToken schemaNode)
    {
        // NJsonSchema reads JSON Schema: OpenAPI 3.0's `nullable: true` becomes anyOf [null, schema],
        // and the spec's component schemas move to `definitions` so every reference resolves.
        var root = OpenApiToJsonSchema(RewriteReferences(schemaNode.DeepClone()));
        var definitions = OpenApiToJsonSchema(RewriteReferences(Json["components"]?["schemas"]?.DeepClone() ?? new JObject()));
        var wrapper = new JObject { ["allOf"] = new JArray(root), ["definitions"] = definitions };
        return JsonSchema.FromJsonAsync(wrapper.ToString()).GetAwaiter().GetResult();
    }

    private static JToken RewriteReferences(JToken token)
    {
        var references = token is JContainer container
            ? container.DescendantsAndSelf().OfType<JProperty>().Where(p => p.Name == "$ref" && p.Value.Type == JTokenType.String).ToList()
            : [];
        foreach (var reference in references)
        {
            reference.Value = ((string)reference.Value!).Replace("#/components/schemas/", "#/definitions/", StringComparison.Ordinal);
        }

        return token;
    }

    private static JToken OpenApiToJsonSchema(JToken token)
    {
        switch (token)
        {
            case JObject obj:
                foreach (var property in obj.Properties().ToList())
                {
                    if (property.Name is "example" or "examples" && obj.Parent?.Path.EndsWith("properties", StringComparison.Ordinal) != true)
                    {
                        // Examples are data, not schema: keep them out of the validator.
                        property.Remove();
                        continue;
                    }

                    property.Value = OpenApiToJsonSchema(property.Value);
                }

                // Open strings with documented values (tolerant readers in the client) are held to those values here.
                if (obj["x-known-values"] is JArray known && obj["enum"] is null)
                {
                    obj["enum"] = known.DeepClone();
                }

                if (obj["nullable"] is JValue { Value: true })
                {
                    obj.Remove("nullable");
                    return new JObject { ["anyOf"] = new JArray(new JObject { ["type"] = "null" }, obj) };
                }

                return obj;
            case JArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    array[i] = OpenApiToJsonSchema(array[i]);
                }

                return array;
            default:
                return token;
        }
    }

    private static string ToJsonPath(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            throw new NotSupportedException("Only local references are supported: " + reference);
        }

        return "$" + string.Concat(reference[2..].Split('/').Select(p => $"['{p.Replace("~1", "/").Replace("~0", "~")}']"));
    }

    /// <summary>YAML to JSON with YAML 1.2 core-schema scalars: plain true/false/null/numbers are typed, quoted ones are strings.</summary>
    internal static JToken YamlToJson(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return Convert(stream.Documents[0].RootNode);
    }

    private static JToken Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JObject(map.Children.Select(c => new JProperty(((YamlScalarNode)c.Key).Value!, Convert(c.Value)))),
        YamlSequenceNode seq => new JArray(seq.Children.Select(Convert)),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new NotSupportedException(node.GetType().Name),
    };

    private static JToken Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style is not YamlDotNet.Core.ScalarStyle.Plain)
        {
            return new JValue(text);
        }

        return text switch
        {
            "null" or "Null" or "NULL" or "~" or "" => JValue.CreateNull(),
            "true" or "True" or "TRUE" => new JValue(true),
            "false" or "False" or "FALSE" => new JValue(false),
            _ when IntPattern().IsMatch(text) => new JValue(long.Parse(text, CultureInfo.InvariantCulture)),
            _ when FloatPattern().IsMatch(text) => new JValue(double.Parse(text, CultureInfo.InvariantCulture)),
            _ => new JValue(text),
        };
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
