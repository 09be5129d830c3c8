using System.Globalization;
using Newtonsoft.Json.Linq;
using VideoGen.Catalog;
using VideoGen.ContractTests.Infrastructure;

namespace VideoGen.ContractTests;

/// <summary>
/// The model catalog (src/VideoGen/Catalog/catalog.json), which validation and pricing read, says
/// the same as the specs the clients are generated from: the same model ids, only durations, aspect
/// ratios and resolutions the request schema allows, the same prompt limits, and only request
/// features the request schema has. Adding a model to one and not the other fails here.
/// </summary>
public sealed class CatalogSpecAgreementTests
{
    /// <summary>
    /// The operations whose request body carries a vendor's generation request, per spec. AIML has two routes: the seed's
    /// (its models ray-1-6, ray-2, ray-flash-2) and the documented video route (luma/ray-2, luma/ray-flash-2); each catalog
    /// model is held to the route whose model enum lists it.
    /// </summary>
    private static readonly Dictionary<string, string[]> CreateOperations = new(StringComparer.Ordinal)
    {
        ["elumenta.yaml"] = ["CreateGeneration"],
        ["apiframe.yaml"] = ["CreateVideo"],
        ["aimlapi.yaml"] = ["CreateGeneration", "CreateVideoGeneration"],
        ["oxen.yaml"] = ["GenerateVideo"],
    };

    /// <summary>Catalog features carried by one request property: the feature is listed exactly when the property exists.</summary>
    private static readonly Dictionary<string, string> FeatureProperties = new(StringComparer.Ordinal)
    {
        [VendorFeatures.NegativePrompt] = "negative_prompt",
        [VendorFeatures.Loop] = "loop",
        [VendorFeatures.Keyframes] = "keyframes",
        [VendorFeatures.Parameters] = "parameters",
    };

    public static TheoryData<string> VendorIds() => new(VideoModelCatalog.Default.Vendors.Select(v => v.Id));

    [Fact]
    public void Catalog_EverySpec_HasAVendorAndEveryVendorASpec()
    {
        var used = VideoModelCatalog.Default.Vendors.Select(v => v.Spec).ToHashSet(StringComparer.Ordinal);

        used.Order(StringComparer.Ordinal).ShouldBe(Repo.SpecNames, "catalog vendors' specs vs specs/*.yaml");
        CreateOperations.Keys.Order(StringComparer.Ordinal).ShouldBe(Repo.SpecNames, "this test knows each spec's create operation");
    }

    [Theory]
    [MemberData(nameof(VendorIds))]
    public void Vendor_AgreesWithItsSpec(string vendorId)
    {
        var vendor = VideoModelCatalog.Default.GetVendor(vendorId);

        var disagreements = Disagreements(vendor, SpecDocument.Load(vendor.Spec).Json);

        disagreements.ShouldBeEmpty($"catalog.json vendor '{vendorId}' vs specs/{vendor.Spec}:\n{string.Join('\n', disagreements)}");
    }

    [Theory]
    [InlineData("gateway", "VideoModel")]
    [InlineData("aimlapi", "LumaModel,LumaVideoModel")]
    public void Vendor_ModelIds_AreTheSpecsModelEnum(string vendorId, string enumSchemas)
    {
        // The named enums, read directly: guards the request-schema walk of Vendor_AgreesWithItsSpec.
        var vendor = VideoModelCatalog.Default.GetVendor(vendorId);
        var spec = SpecDocument.Load(vendor.Spec).Json;

        var specIds = enumSchemas.Split(',').SelectMany(e => spec["components"]!["schemas"]![e]!["enum"]!.Values<string>());

        vendor.Models.Select(m => m.Id).ShouldBe(specIds, ignoreOrder: true);
    }

    [Theory]
    [InlineData("oxen", "GenerateVideoRequest")]
    [InlineData("elumenta", "GenerateRequest")]
    [InlineData("neuralbox", "GenerateRequest")]
    public void Vendor_ModelIds_AreTheKnownValuesOfTheRequestModel(string vendorId, string requestSchema)
    {
        var vendor = VideoModelCatalog.Default.GetVendor(vendorId);
        var spec = SpecDocument.Load(vendor.Spec).Json;

        var model = spec["components"]!["schemas"]![requestSchema]!["properties"]!["model"]!;

        model["enum"].ShouldBeNull("the request's model is an open string (issue 10: the vendor documents more slugs than any list)");
        vendor.Models.Select(m => m.Id).ShouldBe(model["x-known-values"]!.Values<string>(), ignoreOrder: true);
    }

    [Fact]
    public void Gateway_PromptLimits_Are1To4000()
    {
        var gateway = VideoModelCatalog.Default.GetVendor("gateway");

        gateway.PromptMinLength.ShouldBe(1);
        gateway.PromptMaxLength.ShouldBe(4000);
    }

    [Fact]
    public void Disagreements_ModelOnlyInTheCatalog_IsReported()
    {
        var catalog = CatalogJson();
        var elumenta = VendorIn(catalog, "elumenta");
        var extra = elumenta["models"]![0]!.DeepClone();
        extra["id"] = "kling-v9";
        ((JArray)elumenta["models"]!).Add(extra);

        var vendor = VideoModelCatalog.Parse(catalog.ToString()).GetVendor("elumenta");

        Disagreements(vendor, SpecDocument.Load("elumenta.yaml").Json).ShouldContain(d => d.Contains("kling-v9") && d.Contains("catalog only"));
    }

    [Fact]
    public void Disagreements_ModelOnlyInTheSpec_IsReported()
    {
        var spec = (JObject)SpecDocument.Load("apiframe.yaml").Json.DeepClone();
        ((JArray)spec["components"]!["schemas"]!["VideoModel"]!["enum"]!).Add("veo-4");

        Disagreements(VideoModelCatalog.Default.GetVendor("gateway"), spec).ShouldContain(d => d.Contains("veo-4") && d.Contains("spec only"));
    }

    [Fact]
    public void Disagreements_ValuesTheSpecDoesNotAllow_AreReported()
    {
        var catalog = CatalogJson();
        var ray2 = VendorIn(catalog, "aimlapi")["models"]!.Single(m => (string?)m["id"] == "ray-2");
        ray2["durations"] = new JArray(5, 7);
        ray2["aspectRatios"] = new JArray("16:9", "19:9");
        ray2["resolutions"] = new JArray("720p", "8k");

        var disagreements = Disagreements(VideoModelCatalog.Parse(catalog.ToString()).GetVendor("aimlapi"), SpecDocument.Load("aimlapi.yaml").Json);

        disagreements.ShouldContain(d => d.StartsWith("ray-2 durations", StringComparison.Ordinal) && d.Contains('7'));
        disagreements.ShouldContain(d => d.StartsWith("ray-2 aspect ratios", StringComparison.Ordinal) && d.Contains("19:9"));
        disagreements.ShouldContain(d => d.StartsWith("ray-2 resolutions", StringComparison.Ordinal) && d.Contains("8k"));
    }

    [Fact]
    public void Disagreements_PromptLimitOrFeatureNotInTheSpec_AreReported()
    {
        var catalog = CatalogJson();
        var gateway = VendorIn(catalog, "apiframe");
        gateway["promptMaxLength"] = 5000;
        // Apiframe has loop (lumaParams) but no keyframes; listing keyframes, or dropping its parameters objects, disagrees.
        ((JArray)gateway["features"]!).Add(VendorFeatures.Keyframes);
        ((JArray)gateway["features"]!).Remove(((JArray)gateway["features"]!).Single(f => (string?)f == VendorFeatures.Parameters));

        var disagreements = Disagreements(VideoModelCatalog.Parse(catalog.ToString()).GetVendor("gateway"), SpecDocument.Load("apiframe.yaml").Json);

        disagreements.ShouldContain(d => d.StartsWith("prompt maxLength", StringComparison.Ordinal));
        disagreements.ShouldContain(d => d.StartsWith("feature 'keyframes'", StringComparison.Ordinal));
        disagreements.ShouldContain(d => d.StartsWith("feature 'parameters'", StringComparison.Ordinal));
    }

    [Fact]
    public void Disagreements_FeatureOnlyInAParametersObject_IsReportedWhenTheObjectLosesIt()
    {
        // loop lives only in lumaParams: without it there, the catalog's 'loop' has no property behind it.
        var spec = (JObject)SpecDocument.Load("apiframe.yaml").Json.DeepClone();
        ((JObject)spec["components"]!["schemas"]!["LumaParams"]!["properties"]!).Remove("loop");

        Disagreements(VideoModelCatalog.Default.GetVendor("apiframe"), spec).ShouldContain(d => d.StartsWith("feature 'loop'", StringComparison.Ordinal));
    }

    /// <summary>Every way <paramref name="vendor"/>'s catalog entry and its <paramref name="spec"/> disagree, in words.</summary>
    private static List<string> Disagreements(VendorInfo vendor, JObject spec)
    {
        var problems = new List<string>();
        var routes = CreateOperations[vendor.Spec].Select(o => RequestProperties(spec, o)).ToList();
        var request = routes.SelectMany(r => r).GroupBy(p => p.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal);
        var routeModels = routes.Select(r => AllowedValues(spec, r.GetValueOrDefault("model")) ?? []).ToList();

        // Models: the same ids on both sides.
        var specModels = routeModels.SelectMany(m => m).ToList();
        var catalogModels = vendor.Models.Select(m => m.Id).ToList();
        if (routeModels.Any(m => m.Count == 0))
        {
            problems.Add("the request's model lists no ids (no enum and no x-known-values)");
        }

        var catalogOnly = catalogModels.Except(specModels, StringComparer.Ordinal).ToList();
        var specOnly = specModels.Except(catalogModels, StringComparer.Ordinal).ToList();
        if (catalogOnly.Count > 0)
        {
            problems.Add($"models in the catalog only: {string.Join(", ", catalogOnly)}");
        }

        if (specOnly.Count > 0)
        {
            problems.Add($"models in the spec only: {string.Join(", ", specOnly)}");
        }

        if (!specModels.Contains(vendor.DefaultModel, StringComparer.Ordinal))
        {
            problems.Add($"default model {vendor.DefaultModel} is not a model of the spec");
        }

        // Durations, aspect ratios, resolutions: where the spec closes the set, the catalog documents a non-empty subset
        // (of the route that takes the model).
        foreach (var model in vendor.Models)
        {
            var index = routeModels.FindIndex(m => m.Contains(model.Id, StringComparer.Ordinal));
            var route = routes[index < 0 ? 0 : index];
            var durations = AllowedValues(spec, route.GetValueOrDefault("duration"))?.Select(Seconds).ToList();
            var aspectRatios = AllowedValues(spec, route.GetValueOrDefault("aspect_ratio"));
            var resolutions = AllowedValues(spec, route.GetValueOrDefault("resolution"));
            problems.AddRange(Subset($"{model.Id} durations", model.Durations.Select(d => d.ToString(CultureInfo.InvariantCulture)).ToList(), durations?.Select(d => d.ToString(CultureInfo.InvariantCulture)).ToList()));
            problems.AddRange(Subset($"{model.Id} aspect ratios", model.AspectRatios, aspectRatios));
            problems.AddRange(Subset($"{model.Id} resolutions", model.Resolutions, resolutions));
            if (model.Durations.Any(d => d <= 0) || model.MaxDurationSeconds <= 0)
            {
                problems.Add($"{model.Id} durations: not all positive");
            }
        }

        foreach (var route in routes.Skip(1))
        {
            // Every route takes the same prompt limits as the first (the catalog has one per vendor).
            if ((string?)(route.GetValueOrDefault("prompt") as JObject)?["maxLength"] != (string?)(routes[0].GetValueOrDefault("prompt") as JObject)?["maxLength"])
            {
                problems.Add("prompt maxLength differs between the vendor's create routes");
            }
        }

        // Prompt limits: the catalog's are the request schema's (minLength defaults to 1: a prompt is never empty).
        var prompt = request.GetValueOrDefault("prompt") as JObject;
        if (prompt is null)
        {
            problems.Add("the request has no prompt");
        }
        else
        {
            var specMax = (int?)prompt["maxLength"];
            var specMin = (int?)prompt["minLength"] ?? 1;
            if (vendor.PromptMaxLength != specMax)
            {
                problems.Add($"prompt maxLength: catalog {Show(vendor.PromptMaxLength)}, spec {Show(specMax)}");
            }

            if (vendor.PromptMinLength != specMin)
            {
                problems.Add($"prompt minLength: catalog {vendor.PromptMinLength}, spec {specMin}");
            }
        }

        // Features carried by a request property: listed exactly when the property exists, on the request or in one of
        // its per-model parameters objects (Apiframe's klingParams, lumaParams, ...: https://docs-v2.apiframe.ai/docs/videos,
        // "Each model also accepts its own parameters object"); such objects are the 'parameters' feature too.
        var modelParameters = ModelParameterObjects(spec, request);
        foreach (var (feature, property) in FeatureProperties)
        {
            var has = request.ContainsKey(property)
                || (property == "parameters" ? modelParameters.Count > 0 : modelParameters.Values.Any(p => p.ContainsKey(property)));
            if (vendor.Has(feature) != has)
            {
                problems.Add($"feature '{feature}': catalog {(vendor.Has(feature) ? "lists it" : "does not list it")}, the request {(has ? "has" : "has no")} '{property}'");
            }
        }

        if (vendor.Has(VendorFeatures.Webhooks) && !request.ContainsKey("webhookUrl") && !request.ContainsKey("callback_url"))
        {
            problems.Add($"feature '{VendorFeatures.Webhooks}': the request has no webhook URL property");
        }

        // The host, unless the catalog marks it a placeholder.
        var servers = (spec["servers"] as JArray ?? []).Select(s => ((string)s["url"]!).TrimEnd('/')).ToList();
        if (!vendor.BaseUrlInferred && !servers.Contains(vendor.BaseUrl.AbsoluteUri.TrimEnd('/'), StringComparer.Ordinal))
        {
            problems.Add($"base URL {vendor.BaseUrl} is not a server of the spec ({string.Join(", ", servers)})");
        }

        return problems;
    }

    private static IEnumerable<string> Subset(string what, IReadOnlyList<string> catalog, IReadOnlyList<string>? spec)
    {
        if (spec is null)
        {
            yield break;
        }

        if (catalog.Count == 0)
        {
            yield return $"{what}: the catalog lists none, the spec allows {string.Join(", ", spec)}";
        }

        var extra = catalog.Except(spec, StringComparer.Ordinal).ToList();
        if (extra.Count > 0)
        {
            yield return $"{what}: {string.Join(", ", extra)} not allowed by the spec ({string.Join(", ", spec)})";
        }
    }

    /// <summary>The properties of the create operation's JSON request body, allOf parts merged, references resolved.</summary>
    private static Dictionary<string, JToken> RequestProperties(JObject spec, string operationId)
    {
        var operation = spec["paths"]!.Children<JProperty>()
            .SelectMany(p => p.Value.Children<JProperty>())
            .Select(m => m.Value)
            .Single(o => (string?)o["operationId"] == operationId);
        var properties = new Dictionary<string, JToken>(StringComparer.Ordinal);
        Collect(Resolve(spec, operation["requestBody"]!["content"]!["application/json"]!["schema"]!));
        return properties;

        void Collect(JToken schema)
        {
            foreach (var part in schema["allOf"] as JArray ?? [])
            {
                Collect(Resolve(spec, part));
            }

            foreach (var property in (schema["properties"] as JObject)?.Properties() ?? [])
            {
                properties[property.Name] = property.Value;
            }
        }
    }

    /// <summary>The request's per-model parameters objects (properties named <c>&lt;family&gt;Params</c> whose schema is an object), with their properties.</summary>
    private static Dictionary<string, Dictionary<string, JToken>> ModelParameterObjects(JObject spec, Dictionary<string, JToken> request)
    {
        var objects = new Dictionary<string, Dictionary<string, JToken>>(StringComparer.Ordinal);
        foreach (var (name, property) in request.Where(p => p.Key.EndsWith("Params", StringComparison.Ordinal)))
        {
            var properties = new Dictionary<string, JToken>(StringComparer.Ordinal);
            Collect(Resolve(spec, property));
            if (properties.Count > 0)
            {
                objects[name] = properties;
            }

            void Collect(JToken schema)
            {
                foreach (var part in schema["allOf"] as JArray ?? [])
                {
                    Collect(Resolve(spec, part));
                }

                foreach (var p in (schema["properties"] as JObject)?.Properties() ?? [])
                {
                    properties[p.Name] = p.Value;
                }
            }
        }

        return objects;
    }

    /// <summary>The closed set of values a property allows (its enum, its referenced enum, or its x-known-values), as text; null when open.</summary>
    private static List<string>? AllowedValues(JObject spec, JToken? property)
    {
        if (property is null)
        {
            return null;
        }

        var schema = Resolve(spec, property);
        var values = schema["enum"] as JArray ?? schema["x-known-values"] as JArray;
        if (values is null)
        {
            foreach (var part in schema["allOf"] as JArray ?? [])
            {
                if (AllowedValues(spec, part) is { } fromPart)
                {
                    return fromPart;
                }
            }

            return null;
        }

        return values.Select(v => Convert.ToString(((JValue)v).Value, CultureInfo.InvariantCulture)!).ToList();
    }

    private static JToken Resolve(JObject spec, JToken node)
    {
        while (node is JObject obj && (string?)obj["$ref"] is { } reference)
        {
            node = spec.SelectToken("$" + string.Concat(reference.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries).Select(p => $"['{p}']")))
                ?? throw new InvalidOperationException($"unresolved $ref {reference}");
        }

        return node;
    }

    /// <summary>A duration value as seconds: <c>5</c> and <c>5s</c> are both 5.</summary>
    private static int Seconds(string value) => int.Parse(value.TrimEnd('s'), NumberStyles.None, CultureInfo.InvariantCulture);

    private static string Show(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "none";

    private static JObject CatalogJson() => JObject.Parse(File.ReadAllText(Repo.Path("src", "VideoGen", "Catalog", "catalog.json")));

    /// <summary>The catalog entry of the vendor whose id is <paramref name="id"/>.</summary>
    private static JToken VendorIn(JObject catalog, string id) => catalog["vendors"]!.Single(v => (string?)v["id"] == id);
}
