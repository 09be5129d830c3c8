using Newtonsoft.Json.Linq;
using VideoGen.Catalog;
using VideoGen.ContractTests.Infrastructure;
using VideoGen.Http;
using VideoGen.Vendors;

namespace VideoGen.ContractTests.Conformance;

/// <summary>
/// What every <see cref="IVideoGenerator"/> adapter must do, run against a Prism mock of its vendor's spec
/// (Prism answers with the spec's examples and, with <c>--errors</c>, refuses any request that breaks the
/// contract). A vendor subclasses this in three lines: its <see cref="VendorDescriptor"/>, which names the
/// vendor, its capabilities (catalog entry and spec), its client type and how to create its adapter.
/// </summary>
public abstract class VideoGeneratorConformanceTests(PrismFixture prism) : IClassFixture<PrismFixture>
{
    private const string UnknownStatus = "teleporting";

    /// <summary>The vendor: id, catalog entry (with its spec), client type and adapter factory.</summary>
    protected abstract VendorDescriptor Descriptor { get; }

    /// <summary>A request the vendor accepts.</summary>
    protected virtual VideoGenerationRequest CreateValidRequest() => new("A red balloon floating upward through a clear blue sky");

    private VendorInfo Vendor => Descriptor.Capabilities;

    private Type ClientType => Descriptor.ClientType;

    [Fact]
    public async Task SubmitAsync_ValidRequest_ReturnsJobWithIdVendorAndKnownStatus()
    {
        await using var run = await StartAsync();

        var job = await run.Generator.SubmitAsync(CreateValidRequest());

        job.Id.ShouldNotBeNullOrWhiteSpace();
        job.Vendor.ShouldBe(Vendor.DisplayName);
        ShouldHaveTheStatusOfTheVendorsWord(job, read: false);
        job.RawRepresentation.ShouldNotBeNull();
        run.Handler.Requests.ShouldBe(1);
        run.ShouldHaveNoViolations();
    }

    [Fact]
    public async Task GetJobAsync_IdOfASubmittedJob_ReadsTheJob()
    {
        await using var run = await StartAsync();
        var submitted = await run.Generator.SubmitAsync(CreateValidRequest());

        var job = await run.Generator.GetJobAsync(submitted.Id);

        job.Id.ShouldNotBeNullOrWhiteSpace();
        job.Vendor.ShouldBe(Vendor.DisplayName);
        job.VendorStatus.ShouldNotBeNullOrWhiteSpace();
        ShouldHaveTheStatusOfTheVendorsWord(job);
        run.Handler.Requests.ShouldBe(2);
        run.ShouldHaveNoViolations();
    }

    [Fact]
    public async Task SubmitAsync_InvalidRequest_ThrowsValidationAndSendsNothing()
    {
        await using var run = await StartAsync();

        var e = await Should.ThrowAsync<VideoGenValidationException>(() =>
            run.Generator.SubmitAsync(new VideoGenerationRequest(string.Empty) { Model = "no-such-model" }));

        e.Vendor.ShouldBe(Vendor.DisplayName);
        e.Failures.Select(f => f.Field).ShouldContain("Prompt");
        if (Vendor.Has(VideoGen.Catalog.VendorFeatures.OpenModels))
        {
            // The vendor's model field is a free string: an unknown slug is a warning, never a refusal.
            e.Failures.Select(f => f.Field).ShouldNotContain("Model");
        }
        else
        {
            e.Failures.Select(f => f.Field).ShouldContain("Model");
        }

        run.Handler.Requests.ShouldBe(0);
    }

    [Fact]
    public async Task GetJobAsync_StatusNoVendorUses_IsUnknownWithTheVendorsWord()
    {
        string id;
        await using (var submit = await StartAsync())
        {
            id = (await submit.Generator.SubmitAsync(CreateValidRequest())).Id;
        }

        await using var run = await StartAsync(rewriteStatusTo: UnknownStatus);

        var job = await run.Generator.GetJobAsync(id);

        job.VendorStatus.ShouldBe(UnknownStatus);
        ShouldHaveTheStatusOfTheVendorsWord(job);
    }

    [Fact]
    public async Task GetService_TypedClientAndVendor_AreReturned()
    {
        await using var run = await StartAsync();

        var client = run.Generator.GetService(ClientType);

        client.ShouldNotBeNull();
        client.ShouldBeAssignableTo(ClientType);
        run.Generator.GetService(typeof(VendorInfo)).ShouldBeSameAs(Vendor);
        run.Generator.GetService(typeof(IVideoGenerator)).ShouldBeSameAs(run.Generator);
        run.Generator.GetService(ClientType, serviceKey: "other").ShouldBeNull();
    }

    /// <summary>
    /// A word the spec lists (x-known-values of a status or state field) maps to a known status; any other
    /// word maps to Unknown. Prism answers with the spec's example where the response has one, and with the
    /// schema's placeholder ("string") where it has none, which must then read as Unknown, not throw.
    /// </summary>
    /// <param name="job">The job.</param>
    /// <param name="read">Whether it came from GetJobAsync, which reads an unknown word with an error or a completion time as failed; a create's answer is mapped as it is.</param>
    private void ShouldHaveTheStatusOfTheVendorsWord(VideoJob job, bool read = true)
    {
        var known = KnownStatusWords(Vendor.Spec);
        known.ShouldNotBeEmpty($"{Vendor.Spec} lists no x-known-values for a status field");
        if (job.VendorStatus is { } word && known.Contains(word))
        {
            job.Status.ShouldNotBe(VideoJobStatus.Unknown, $"'{word}' is a {Vendor.DisplayName} status word listed in {Vendor.Spec}");
        }
        else if (read && (job.CompletedAt is not null || job.Error is { Length: > 0 }))
        {
            // An unknown word that comes with an error or a completion time is the job ending without a video:
            // failed, in the vendor's own words (tolerant reader, issue 11), never waited on.
            job.Status.ShouldBe(VideoJobStatus.Failed, $"'{job.VendorStatus}' is not a status word of {Vendor.Spec} but came with an error or a completion time");
            job.Error.ShouldNotBeNull().ShouldContain(job.VendorStatus ?? string.Empty);
            job.HasCompleted.ShouldBeTrue();
        }
        else
        {
            job.Status.ShouldBe(VideoJobStatus.Unknown, $"'{job.VendorStatus}' is not a status word of {Vendor.Spec}");
            job.HasCompleted.ShouldBeFalse();
        }
    }

    private static HashSet<string> KnownStatusWords(string spec) =>
        SpecDocument.Load(spec).Json.Descendants().OfType<JProperty>()
            .Where(p => p.Name is "status" or "state" && p.Value is JObject)
            .SelectMany(p => p.Value["x-known-values"] as JArray ?? [])
            .Select(v => (string)v!)
            .ToHashSet(StringComparer.Ordinal);

    private async Task<Run> StartAsync(string? rewriteStatusTo = null)
    {
        var session = await prism.SessionAsync(Vendor.Spec);
        var handler = new ConformanceHandler(rewriteStatusTo) { InnerHandler = session.Recorder };
        var http = new HttpClient(handler, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(30) };
        return new Run(session, handler, http, Descriptor.CreateGenerator(session.Configuration(Vendor.DisplayName), http));
    }

    private sealed class Run(PrismSession session, ConformanceHandler handler, HttpClient http, IVideoGenerator generator) : IAsyncDisposable
    {
        private readonly int _violationsBefore = session.Recorder.Violations.Count;

        public ConformanceHandler Handler => handler;

        public IVideoGenerator Generator => generator;

        public void ShouldHaveNoViolations() =>
            session.Recorder.Violations.Skip(_violationsBefore).ShouldBeEmpty($"Prism reported violations for {session.Spec}");

        public ValueTask DisposeAsync()
        {
            generator.Dispose();
            http.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
