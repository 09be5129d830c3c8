using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using VideoGen.Catalog;
using VideoGen.ContractTests.Infrastructure;
using VideoGen.Sandbox;
using Xunit.Abstractions;

namespace VideoGen.ContractTests;

/// <summary>
/// Evidence that does not come from our own code: every documented example request of the corpus
/// (VendorDocs/&lt;vendor&gt;/*.json, each with the vendor page it was read from) is sent, as the vendor's page shows it
/// and with the vendor's auth header, through a real Prism validating proxy of our spec (<c>prism proxy --errors</c>)
/// in front of the real local sandbox. An example that holds to the vendor's text must pass Prism's request validation,
/// reach the sandbox, be accepted there (2xx) and come back with a response that also holds to the spec (Prism validates
/// it); an example recorded as contradicting the vendor's own text must be refused by Prism (422) and never reach the
/// sandbox. So Prism cannot be silently not validating, each spec also gets one deliberately broken request (the first
/// valid example without its required <c>prompt</c>), which Prism must refuse.
/// </summary>
public sealed class VendorDocsPrismProxyTests(ITestOutputHelper output)
{
    private const string Key = "prism_proxy_key";

    public static TheoryData<string> Specs() => new(VendorDocsCorpus.All.Where(e => e.Kind == "request").Select(e => SpecOf(e.Vendor)).Distinct().Order(StringComparer.Ordinal));

    [Fact]
    public void EverySpec_HasDocumentedRequests_ThatHoldToIt()
    {
        // Vacuity guard: every spec of specs/ is exercised, each by at least one example that must be accepted.
        Specs().Cast<object[]>().Select(row => (string)row[0]).ShouldBe(Repo.SpecNames.ToList(), ignoreOrder: true);
        foreach (var spec in Repo.SpecNames)
        {
            VendorDocsCorpus.All.Where(e => e.Kind == "request" && e.Valid && SpecOf(e.Vendor) == spec).ShouldNotBeEmpty($"{spec}: no documented request that holds to the spec");
        }
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public async Task DocumentedRequests_ThroughPrismProxyToSandbox_AcceptedExactlyWhenValid(string spec)
    {
        var examples = VendorDocsCorpus.All.Where(e => e.Kind == "request" && SpecOf(e.Vendor) == spec).ToList();
        examples.Where(e => e.Valid).ShouldNotBeEmpty();
        var document = SpecDocument.Load(spec);

        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 0 });
        var sandboxVendor = SandboxVendors.Normalize(examples[0].Vendor);
        await using var prism = await PrismServer.StartProxyAsync(spec, sandbox.GetVendorBaseUrl(sandboxVendor));
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(60) };

        var failures = new List<string>();
        string? createdId = null;
        foreach (var example in examples)
        {
            var (path, method) = Route(document, example);
            var body = example.Body.DeepClone();
            foreach (var placeholder in example.Placeholders)
            {
                // An id of the page author's own resources: this run's earlier generation stands in for it.
                var token = body.SelectToken(placeholder) ?? throw new InvalidOperationException($"{example.Name}: no {placeholder}");
                token.Replace(createdId ?? throw new InvalidOperationException($"{example.Name}: no earlier accepted request created a generation for {placeholder}"));
            }

            var before = sandbox.Counters.Requests(sandboxVendor);
            var answer = await SendAsync(http, prism.BaseUrl, document, method, path, body);
            if ((int)answer.Status is >= 200 and <= 299 && TryParse(answer.Body)?["id"] is JValue { Type: JTokenType.String } id)
            {
                createdId = (string)id!;
            }

            var reached = sandbox.Counters.Requests(sandboxVendor) - before;
            output.WriteLine($"{example.Name} ({example.Source})\n  {method} {path} → {(int)answer.Status}, reached sandbox: {reached}, sl-violations: {answer.Violations ?? "none"}");

            if (example.Valid)
            {
                var expected = example.SandboxStatus;
                if (answer.Violations is not null)
                {
                    failures.Add($"{example.Name}: Prism reported violations: {answer.Violations}\n    {answer.Body}");
                }
                else if (reached != 1)
                {
                    failures.Add($"{example.Name}: reached the sandbox {reached} times (expected once); {(int)answer.Status} {answer.Body}");
                }
                else if (expected is null ? (int)answer.Status is < 200 or > 299 : (int)answer.Status != expected)
                {
                    failures.Add($"{example.Name}: the sandbox answered {(int)answer.Status} (expected {(expected?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "2xx")}): {answer.Body}");
                }

                if (expected is not null)
                {
                    output.WriteLine($"  recorded: the sandbox answers {expected}: {example.SandboxNote}");
                }
            }
            else
            {
                output.WriteLine($"  contradicts the vendor's own text, so Prism must refuse it: {example.Note}");
                ShouldBeRefusedByPrism(example.Name, answer, reached, failures);
            }
        }

        // The control: Prism is really validating requests against this spec. The first accepted example loses a
        // property its schema requires; Prism must refuse it before the sandbox sees it.
        var (control, missing) = examples.Where(e => e.Valid && e.Placeholders.Count == 0)
            .Select(e => (Example: e, Required: RequiredOf(document, e).FirstOrDefault(r => e.Body[r] is not null)))
            .First(c => c.Required is not null);
        var broken = (JObject)control.Body.DeepClone();
        broken.Remove(missing!);
        var (controlPath, controlMethod) = Route(document, control);
        var beforeControl = sandbox.Counters.Requests(sandboxVendor);
        var refused = await SendAsync(http, prism.BaseUrl, document, controlMethod, controlPath, broken);
        output.WriteLine($"control: {control.Name} without its required '{missing}' → {(int)refused.Status}: {refused.Body}");
        ShouldBeRefusedByPrism($"control ({control.Name} without '{missing}')", refused, sandbox.Counters.Requests(sandboxVendor) - beforeControl, failures);

        failures.ShouldBeEmpty($"{spec} through Prism's validating proxy:\n{string.Join('\n', failures)}\n--- Prism log ---\n{prism.Log}");
    }

    /// <summary>Prism's own refusal: 422, problem type UNPROCESSABLE_ENTITY, listing at least one validation error; nothing forwarded.</summary>
    private static void ShouldBeRefusedByPrism(string name, Answer answer, int reached, List<string> failures)
    {
        var problem = TryParse(answer.Body);
        if (answer.Status != HttpStatusCode.UnprocessableEntity
            || (string?)problem?["type"] != "https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY"
            || problem["validation"] is not JArray { Count: > 0 })
        {
            failures.Add($"{name}: Prism should refuse it (422 UNPROCESSABLE_ENTITY with its validation errors), answered {(int)answer.Status}: {answer.Body}");
        }

        if (reached != 0)
        {
            failures.Add($"{name}: an invalid request reached the sandbox {reached} times");
        }
    }

    private static JObject? TryParse(string text)
    {
        try
        {
            return JToken.Parse(text) as JObject;
        }
        catch (Newtonsoft.Json.JsonReaderException)
        {
            return null;
        }
    }

    /// <summary>The required properties of the example's request body schema.</summary>
    private static IEnumerable<string> RequiredOf(SpecDocument document, DocExample example)
    {
        var schema = document.Resolve(document.Operation(example.Operation)["requestBody"]!["content"]!["application/json"]!["schema"]!);
        return (schema["required"] as JArray ?? []).Select(r => (string)r!);
    }

    /// <summary>The spec the example belongs to (NeuralBox is Elumenta's contract on another host).</summary>
    private static string SpecOf(string vendor) => VideoModelCatalog.Default.GetVendor(vendor).Spec;

    /// <summary>The example's path (its own, when the operation's path has parameters) and the operation's method.</summary>
    private static (string Path, HttpMethod Method) Route(SpecDocument document, DocExample example)
    {
        var (template, method, _, _) = document.Operations().Single(o => o.OperationId == example.Operation);
        var path = example.Path ?? template;
        path.ShouldNotContain("{", customMessage: $"{example.Name}: {template} has parameters; give the documented path in the corpus file's `path`");
        new Regex("^" + Regex.Replace(Regex.Escape(template), @"\\\{[^}]+}", "[^/]+") + "$").IsMatch(path).ShouldBeTrue($"{example.Name}: {path} is not {template}");
        return (path, new HttpMethod(method.ToUpperInvariant()));
    }

    private static async Task<Answer> SendAsync(HttpClient http, Uri prism, SpecDocument document, HttpMethod method, string path, JToken body)
    {
        using var request = new HttpRequestMessage(method, new Uri(prism, path.TrimStart('/')))
        {
            Content = new StringContent(body.ToString(Newtonsoft.Json.Formatting.None), Encoding.UTF8, "application/json"),
        };
        Authorize(request, document);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var violations = response.Headers.TryGetValues("sl-violations", out var values) ? string.Join(' ', values) : null;
        return new Answer(response.StatusCode, violations, text);
    }

    /// <summary>The credentials the way the spec's security scheme says: a bearer token or a named header.</summary>
    private static void Authorize(HttpRequestMessage request, SpecDocument document)
    {
        var scheme = ((JObject)document.Json["components"]!["securitySchemes"]!).Properties().Single().Value;
        switch ((string?)scheme["type"], (string?)scheme["scheme"])
        {
            case ("http", "bearer"):
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Key);
                break;
            case ("apiKey", _) when (string?)scheme["in"] == "header":
                request.Headers.Add((string)scheme["name"]!, Key);
                break;
            default:
                throw new NotSupportedException($"{document.Name}: security scheme {scheme}");
        }
    }

    private sealed record Answer(HttpStatusCode Status, string? Violations, string Body);
}
