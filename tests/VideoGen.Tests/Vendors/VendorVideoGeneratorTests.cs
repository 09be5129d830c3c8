using System.Net;
using System.Text;
using VideoGen.AimlApi;
using VideoGen.Elumenta;
using VideoGen.Apiframe;
using VideoGen.Http;
using VideoGen.Oxen;
using VideoGen.Tests.Vendors.TestVendorWire;

namespace VideoGen.Tests.Vendors;

/// <summary>What every adapter does alike with failures: it wraps what generated code throws, with the vendor, never the key.</summary>
public sealed class VendorVideoGeneratorTests
{
    public static TheoryData<string> VendorIdsOfEveryAdapter => new(VideoGen.VendorDescriptors.All.Select(d => d.Id));

    /// <summary>The vendor's generator and the display name its errors carry, both from its descriptor.</summary>
    private static (IVideoGenerator Generator, string DisplayName) Create(string vendorId, StubHttpHandler handler)
    {
        var vendor = VideoGen.VendorDescriptors.Get(vendorId);
        return (TestClients.Generator(vendor, handler), vendor.DisplayName);
    }

    private static StubHttpHandler AnswerEverything(Func<HttpResponseMessage> respond) => new StubHttpHandler()
        .On(HttpMethod.Post, ".*", _ => respond())
        .On(HttpMethod.Get, ".*", _ => respond());

    [Theory]
    [MemberData(nameof(VendorIdsOfEveryAdapter))]
    public async Task SubmitAsync_UnreadableSuccessBody_ThrowsVideoGenExceptionNamingTheVendor(string vendorId)
    {
        var handler = AnswerEverything(() => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<html>maintenance</html>", Encoding.UTF8, "text/html") });
        var (generator, displayName) = Create(vendorId, handler);

        var e = await Should.ThrowAsync<VideoGenException>(() => generator.SubmitAsync("A red balloon"));

        e.ShouldNotBeAssignableTo<ApiException>();
        e.Vendor.ShouldBe(displayName);
        e.StatusCode.ShouldBe(HttpStatusCode.OK);
        e.InnerException.ShouldBeAssignableTo<ApiException>();
        e.Message.ShouldStartWith($"{displayName} sent a response VideoGen could not read while submitting a job");
    }

    [Theory]
    [MemberData(nameof(VendorIdsOfEveryAdapter))]
    public async Task SubmitAsync_UndocumentedStatusEchoingTheKey_IsWrappedAndRedacted(string vendorId)
    {
        var body = "Moved; your key " + TestClients.ApiKey + " was logged";
        var handler = AnswerEverything(() => new HttpResponseMessage(HttpStatusCode.NonAuthoritativeInformation) { Content = new StringContent(body) });
        var (generator, displayName) = Create(vendorId, handler);

        var e = await Should.ThrowAsync<VideoGenException>(() => generator.SubmitAsync("A red balloon"));

        e.Vendor.ShouldBe(displayName);
        // Since issue 11 a 2xx is read as the documented one; the error keeps the status the vendor really sent.
        e.StatusCode.ShouldBe(HttpStatusCode.NonAuthoritativeInformation);
        (e.ResponseExcerpt ?? string.Empty).ShouldNotContain(TestClients.ApiKey);
        e.Message.ShouldNotContain(TestClients.ApiKey);
        e.ToString().ShouldNotContain(TestClients.ApiKey);
    }

    [Theory]
    [MemberData(nameof(VendorIdsOfEveryAdapter))]
    public async Task SubmitAsync_VendorUnreachable_ThrowsVideoGenExceptionNamingTheVendor(string vendorId)
    {
        var handler = AnswerEverything(() => throw new HttpRequestException("Connection refused (elumenta.test:443)"));
        var (generator, displayName) = Create(vendorId, handler);

        var e = await Should.ThrowAsync<VideoGenException>(() => generator.SubmitAsync("A red balloon"));

        e.Vendor.ShouldBe(displayName);
        e.StatusCode.ShouldBeNull();
        e.InnerException.ShouldBeOfType<HttpRequestException>();
        e.Message.ShouldBe($"{displayName} could not be reached while submitting a job: Connection refused (elumenta.test:443)");
    }

    [Fact]
    public async Task GetJobAsync_UnreadableBody_KeepsTheJobId()
    {
        var handler = AnswerEverything(() => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{not json") });
        var generator = TestClients.Elumenta(handler).AsVideoGenerator();

        var e = await Should.ThrowAsync<VideoGenException>(() => generator.GetJobAsync("18500"));

        e.JobId.ShouldBe("18500");
        e.Message.ShouldContain("while reading job 18500");
    }

    [Theory]
    [MemberData(nameof(VendorIdsOfEveryAdapter))]
    public async Task SubmitAsync_Cancelled_ThrowsOperationCanceledAndIsNotWrapped(string vendorId)
    {
        var handler = AnswerEverything(() => throw new InvalidOperationException("must not be reached"));
        var (generator, _) = Create(vendorId, handler);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => generator.SubmitAsync(new VideoGenerationRequest("A red balloon"), null, cancelled.Token));
        await Should.ThrowAsync<OperationCanceledException>(() => generator.GetJobAsync(VendorWires.Of(vendorId).JobId, cancelled.Token));
        handler.Requests.ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(VendorIdsOfEveryAdapter))]
    public void Dispose_Generator_LeavesTheClientUsable(string vendorId)
    {
        var handler = new StubHttpHandler();
        var (generator, _) = Create(vendorId, handler);
        var client = generator.GetService<VendorClientBase>();

        generator.Dispose();

        client.ShouldNotBeNull();
        generator.GetService<VendorClientBase>().ShouldBeSameAs(client);
    }

    [Fact]
    public void AsVideoGenerator_NullClient_ThrowsArgumentNullException()
    {
        Should.Throw<ArgumentNullException>(() => ((IElumentaClient)null!).AsVideoGenerator());
        Should.Throw<ArgumentNullException>(() => ((IApiframeClient)null!).AsVideoGenerator());
        Should.Throw<ArgumentNullException>(() => ((IAimlApiClient)null!).AsVideoGenerator());
        Should.Throw<ArgumentNullException>(() => ((IOxenClient)null!).AsVideoGenerator());
    }
}
