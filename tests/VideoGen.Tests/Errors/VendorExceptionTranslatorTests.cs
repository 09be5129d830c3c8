using System.Net;
using System.Text;
using VideoGen.AimlApi;
using VideoGen.Tests.Vendors;

namespace VideoGen.Tests.Errors;

/// <summary>
/// Error translation has one home: an unreadable 2xx (the generated client's ApiException) and an error response
/// read by <see cref="VendorErrorMapper"/> take the request id from the same headers, bounded and redacted alike.
/// </summary>
public sealed class VendorExceptionTranslatorTests
{
    private const string GenerationPath = "/v2/generate/video/luma-ai/generation";
    private const string JobId = "2f6a7e37-1c3b-4f9e-9a4e-6a3c1e8d2b10";

    [Theory]
    [InlineData("x-request-id")]
    [InlineData("request-id")]
    [InlineData("x-correlation-id")]
    [InlineData("cf-ray")]
    public async Task GetJobAsync_UnreadableBodyWithARequestIdHeader_CarriesTheRequestId(string header)
    {
        var handler = new StubHttpHandler().On(HttpMethod.Get, GenerationPath, _ => Unreadable(header, "req-7f3a"));
        var generator = TestClients.AimlApi(handler).AsVideoGenerator();

        var error = await Should.ThrowAsync<VideoGenException>(() => generator.GetJobAsync(JobId));

        error.RequestId.ShouldBe("req-7f3a");
        error.Vendor.ShouldBe("AIML API");
        error.JobId.ShouldBe(JobId);
    }

    [Theory]
    [InlineData("x-request-id")]
    [InlineData("request-id")]
    [InlineData("x-correlation-id")]
    [InlineData("cf-ray")]
    public void RequestId_EveryHeaderTheErrorMapperReads_IsReadFromAnUnreadableResponseToo(string header)
    {
        var fromError = VendorErrorMapper.Create("AIML API", HttpStatusCode.BadRequest, "{}", Headers(header, "req-1"), apiKey: null).RequestId;
        var fromUnreadable = VendorErrorMapper.RequestId(new Dictionary<string, IEnumerable<string>> { [header.ToUpperInvariant()] = ["req-1"] }, apiKey: null);

        fromError.ShouldBe("req-1");
        fromUnreadable.ShouldBe(fromError);
    }

    [Fact]
    public async Task GetJobAsync_RequestIdEchoingTheKey_IsRedacted()
    {
        var handler = new StubHttpHandler().On(HttpMethod.Get, GenerationPath, _ => Unreadable("cf-ray", "ray-" + TestClients.ApiKey));
        var generator = TestClients.AimlApi(handler).AsVideoGenerator();

        var error = await Should.ThrowAsync<VideoGenException>(() => generator.GetJobAsync(JobId));

        error.RequestId.ShouldNotBeNull().ShouldNotContain(TestClients.ApiKey);
        error.RequestId.ShouldStartWith("ray-");
    }

    private static HttpResponseMessage Unreadable(string header, string value)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{\"id\": [not json", Encoding.UTF8, "application/json") };
        response.Headers.TryAddWithoutValidation(header, value);
        return response;
    }

    private static System.Net.Http.Headers.HttpResponseHeaders Headers(string header, string value)
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation(header, value);
        return response.Headers;
    }
}
