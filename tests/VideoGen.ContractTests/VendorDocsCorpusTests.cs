using System.Net;
using System.Text;
using Newtonsoft.Json.Linq;
using VideoGen.AimlApi;
using VideoGen.Apiframe;
using VideoGen.Catalog;
using VideoGen.ContractTests.Infrastructure;
using VideoGen.Elumenta;
using VideoGen.Http;
using VideoGen.Oxen;
using Xunit.Abstractions;

namespace VideoGen.ContractTests;

/// <summary>
/// Evidence from outside: every request and response example of the Apiframe, Elumenta, NeuralBox, AIML API and Oxen.ai public
/// docs we could find (VendorDocs/&lt;vendor&gt;/*.json, each with its URL), not only the seeds. Each body validates
/// against our spec (an example recorded as contradicting the vendor's own text must fail, and says why), and each
/// response is read by the real adapter, over the generated client and in-memory HTTP, into the expected job.
/// A file may name a component <c>schema</c> instead of an operation's body (Apiframe's webhook payloads and the
/// result objects its model pages show); those are read by the adapter's webhook and result readers.
/// </summary>
public sealed class VendorDocsCorpusTests(ITestOutputHelper output)
{
    private static readonly string[] Vendors = VendorDocsCorpus.Vendors;

    private static readonly Lazy<IReadOnlyList<DocExample>> All = new(() => VendorDocsCorpus.All);

    public static TheoryData<string> Names() => new(All.Value.Select(e => e.Name));

    public static TheoryData<string> ResponseNames() => new(All.Value.Where(e => e.Kind == "response").Select(e => e.Name));

    [Fact]
    public void EveryVendor_HasDocExamples_EachCitingAUrl()
    {
        foreach (var vendor in Vendors)
        {
            All.Value.Where(e => e.Vendor == vendor).ShouldNotBeEmpty($"no doc examples for {vendor}");
        }

        All.Value.ShouldAllBe(e => e.Source.StartsWith("https://", StringComparison.Ordinal));
        All.Value.Where(e => e.Kind == "response").ShouldAllBe(e => e.Expect != null);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void DocExample_AgainstSpec_ValidatesExactlyWhenValid(string name)
    {
        var example = All.Value.Single(e => e.Name == name);
        var document = SpecDocument.Load(VideoModelCatalog.Default.GetVendor(example.Vendor).Spec);
        var schema = example.Schema is not null
            ? document.Json["components"]?["schemas"]?[example.Schema] ?? throw new InvalidOperationException($"{name}: no schema {example.Schema}")
            : SchemaOfOperation(document, example);

        var errors = document.Validate(schema ?? throw new InvalidOperationException($"{name}: no JSON schema"), example.Body).Select(e => $"{e.Kind} at {e.Path}").ToList();

        output.WriteLine($"{example.Source} → {example.Schema ?? example.Operation} {example.Kind}");
        if (example.Valid)
        {
            errors.ShouldBeEmpty($"{name} should hold to the spec:\n{string.Join('\n', errors)}\n{example.Body}");
        }
        else
        {
            output.WriteLine($"Contradicts the vendor's own text; we follow the text: {example.Note}");
            errors.ShouldNotBeEmpty($"{name} was recorded as contradicting the vendor's own text ({example.Note}) but the spec accepts it");
        }
    }

    private static JToken? SchemaOfOperation(SpecDocument document, DocExample example)
    {
        var operation = document.Operation(example.Operation);
        return example.Kind == "request"
            ? operation["requestBody"]?["content"]?["application/json"]?["schema"]
            : document.Resolve(operation["responses"]?[example.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)]
                ?? throw new InvalidOperationException($"{example.Operation} documents no {example.Status} response"))["content"]?["application/json"]?["schema"];
    }

    [Theory]
    [MemberData(nameof(ResponseNames))]
    public async Task DocResponse_ThroughTheAdapter_IsTheExpectedJob(string name)
    {
        var example = All.Value.Single(e => e.Name == name);
        var expect = example.Expect!;
        if (example.Operation == "JobResult")
        {
            // A result object alone (a model page's "Example result"): read by the adapter's result reader.
            var urls = ApiframeVideoGenerator.ResultUrls(example.Body);
            urls.FirstOrDefault()?.OriginalString.ShouldBe((string?)expect["videoUrl"]);
            urls.Count.ShouldBe((int?)expect["videoUrls"] ?? 1);
            return;
        }

        var handler = new OneAnswer((HttpStatusCode)example.Status, example.Body.ToString());
        using var generator = Generator(example.Vendor, handler);

        if (example.Status >= 400)
        {
            var error = await Should.ThrowAsync<VideoGenException>(() => Read(generator, example, handler));
            error.StatusCode.ShouldBe((HttpStatusCode)example.Status);
            error.ErrorCode.ShouldBe((string?)expect["error"]);
            return;
        }

        if (example.Operation == "CalculatePrice")
        {
            // The vendor's quote is the exact price VideoGen's price and budget use (calculate-price.md).
            var quote = await generator.GetService<VideoGen.Pricing.IVideoPriceQuoter>()!
                .QuoteAsync(new VideoGenerationRequest("A time-lapse of a blooming flower") { Model = "kling-v2.1", DurationSeconds = 5 });
            quote.IsExact.ShouldBeTrue(quote.Reason);
            quote.Min.ShouldBe((decimal?)expect["cost"]);
            return;
        }

        if (example.Operation == "GetBalance")
        {
            // VideoGen does not read the balance on the submit path; the generated client must read the documented body.
            var configuration = new VendorClientConfiguration("Elumenta") { ApiKey = "doc-corpus-key", BaseUrl = new Uri("http://127.0.0.1:9/") };
            var balance = await new ElumentaClient(configuration, new HttpClient(new OneAnswer((HttpStatusCode)example.Status, example.Body.ToString()))).GetBalanceAsync();
            balance.TokenBalance.ShouldBe((long?)expect["tokenBalance"]);
            balance.Plan.ShouldBe((string?)expect["plan"]);
            return;
        }

        var job = await Read(generator, example, handler);

        job.Status.ToString().ShouldBe((string?)expect["status"]);
        job.ResultUri?.OriginalString.ShouldBe((string?)expect["videoUrl"]);
        (job.ResultUri is null).ShouldBe((string?)expect["videoUrl"] is null, "a result URL exactly when the example has one");
        ((decimal?)job.Cost?.Amount).ShouldBe((decimal?)expect["cost"]);
        (job.Cost is null).ShouldBe(expect["cost"] is null || expect["cost"]!.Type == JTokenType.Null, "a cost exactly when the example reports one");

        job.Error.ShouldBe((string?)expect["error"]);
    }

    private static Task<VideoJob> Read(IVideoGenerator generator, DocExample example, HttpMessageHandler handler) => example.Operation switch
    {
        "CreateGeneration" => generator.SubmitAsync(new VideoGenerationRequest("A time-lapse of a blooming flower") { Model = "kling-v2.1" }),
        "GetGeneration" => generator.GetJobAsync((string)example.Body["id"]!),
        "CreateVideoGeneration" => generator.SubmitAsync(new VideoGenerationRequest("A time-lapse of a blooming flower") { Model = "luma/ray-2" }),
        "GetVideoGeneration" => generator.GetJobAsync((string)example.Body["id"]!),
        "EnqueueGeneration" => generator.SubmitAsync("A sunset timelapse over the ocean"),
        "GetQueuedGeneration" => generator.GetJobAsync((string?)example.Body["generation_id"] ?? "7cf9b23a-1234-5678-9abc-def012345678"),
        "CreateVideo" => generator.SubmitAsync(new VideoGenerationRequest("a drone flyover of a tropical island with crystal clear water") { Model = "kling-2.1" }),
        "GetJob" => generator.GetJobAsync((string)example.Body["id"]!),
        "ListJobs" => FirstListedAsync(generator.GetService<ApiframeVideoGenerator>()!, handler),
        "Webhook" => Task.FromResult(ApiframeWebhooks.ToVideoJob(ApiframeWebhooks.Parse(example.Body.ToString()))),
        _ => throw new InvalidOperationException($"{example.Name}: no adapter read for {example.Operation}"),
    };

    /// <summary>The first job of a GET /v2/jobs page, read by the adapter as the reconciler reads listing entries.</summary>
    private static async Task<VideoJob> FirstListedAsync(ApiframeVideoGenerator generator, HttpMessageHandler handler)
    {
        var configuration = new VendorClientConfiguration("Apiframe") { ApiKey = "doc-corpus-key", BaseUrl = new Uri("http://127.0.0.1:9/") };
        using var http = new HttpClient(handler, disposeHandler: false);
        var page = await new ApiframeClient(configuration, http).ListJobsAsync(limit: ApiframeVideoGenerator.ReconcilePageSize);
        return generator.ToJob(page.Jobs.First());
    }

    private static IVideoGenerator Generator(string vendor, HttpMessageHandler handler)
    {
        var info = VideoModelCatalog.Default.GetVendor(vendor);
        var configuration = new VendorClientConfiguration(info.DisplayName) { ApiKey = "doc-corpus-key", BaseUrl = new Uri("http://127.0.0.1:9/") };
        var http = new HttpClient(handler);
        return VendorDescriptors.Get(vendor).CreateGenerator(configuration, http);
    }

    /// <summary>Answers every request with the documented status and body (in memory; nothing leaves the process).</summary>
    private sealed class OneAnswer(HttpStatusCode status, string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json"), RequestMessage = request });
    }
}
