using System.Collections;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VideoGen.Elumenta;
using VideoGen.Http;

namespace VideoGen.Tests.Security;

/// <summary>
/// A vendor or proxy echoes the key back encoded (<see cref="KeyEncodings"/>: part or all of it percent-encoded, JSON
/// or HTML escapes, a wrapped line, Base64 of user:key) in an error body, a header and a failed job's reason, on a real
/// loopback server. No exception, job or log record (Trace, HttpClientFactory's header logging included) shows it.
/// </summary>
public sealed class EncodedKeyEchoTests
{
    // The characters proxies encode differently: '-', '/', '+', '=', '~'.
    private const string Sentinel = "sk-SENTINEL/7f3a9c+do=not~leak-4e1d";

    public static IEnumerable<object[]> Encodings => KeyEncodings.Names;

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Redact_KeyInAnyEncoding_IsRemoved(string encoding)
    {
        var echoed = KeyEncodings.All[encoding](Sentinel);
        var text = $"error: the key {echoed} is not valid";

        var redacted = Excerpt.Redact(text, Sentinel);

        redacted.ShouldNotContain(echoed);
        redacted.ShouldStartWith("error: the key ");
        redacted.ShouldEndWith(" is not valid");
        redacted.ShouldContain("***");
        Excerpt.Shows(text, Sentinel).ShouldBeTrue();
        Excerpt.Shows(redacted, Sentinel).ShouldBeFalse(redacted);
    }

    [Fact]
    public void Redact_OrdinaryTextWithTheKeysCharactersApart_IsLeftAlone()
    {
        // Only the key's characters in order, each in some encoding, are redacted: not the same characters spaced out.
        const string text = "sk - SENTINEL / 7f3a9c + do = not ~ leak - 4e1d; sk%2";

        Excerpt.Redact(text, Sentinel).ShouldBe(text);
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task VendorEchoesTheKeyEncoded_NoExceptionJobOrLogShowsIt(string encoding)
    {
        var echoed = KeyEncodings.All[encoding](Sentinel);
        var header = KeyEncodings.FitsAHeader(encoding) ? $"X-Request-Id: req-{echoed}\r\nX-Debug: Bearer {echoed}\r\n" : string.Empty;
        await using var vendor = new RawHttpStub(async (head, stream, ct) =>
        {
            // Submits are refused (401, the body quoting the key); a read is a failed job whose reason quotes it.
            var (status, body) = head.StartsWith("POST", StringComparison.Ordinal)
                ? ("401 Unauthorized", $$"""{"error": {"code": "invalid_api_key", "message": "invalid key {{echoed}}"}, "request": "Authorization: Bearer {{echoed}}"}""")
                : ("200 OK", $$"""{"id": 18500, "status": "failed", "model_slug": "kling-v2.1", "error": "provider rejected key {{echoed}}"}""");
            var bytes = Encoding.UTF8.GetBytes(body);
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n{header}Content-Length: {bytes.Length}\r\nConnection: close\r\n\r\n"), ct);
            await stream.WriteAsync(bytes, ct);
        });
        using var logs = new RecordingLoggerProvider();

        // Both ways a generator is made: by AddVideoGeneration (the key written at the transport) and by hand.
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs))
            .AddVideoGeneration(o =>
            {
                o.Elumenta.ApiKey = Sentinel;
                o.Elumenta.BaseUrl = vendor.BaseUrl;
            });
        await using var provider = services.BuildServiceProvider();
        using var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        var generators = new[]
        {
            provider.GetRequiredKeyedService<IVideoGenerator>("elumenta"),
            new ElumentaClient(new VendorClientConfiguration("Elumenta") { ApiKey = Sentinel, BaseUrl = vendor.BaseUrl }, new HttpClient()).AsVideoGenerator(loggerFactory: factory),
        };

        var texts = new List<string>();
        foreach (var generator in generators)
        {
            var refused = await Should.ThrowAsync<VideoGenAuthenticationException>(() => generator.SubmitAsync(new VideoGenerationRequest("a red balloon") { Model = "kling-v2.1" }));
            refused.ResponseExcerpt.ShouldNotBeNull().ShouldContain("***", customMessage: "the echo reached the excerpt, redacted");
            texts.AddRange(Chain(refused));

            var job = await generator.GetJobAsync("18500");
            job.Status.ShouldBe(VideoJobStatus.Failed);
            job.Error.ShouldNotBeNull().ShouldContain("***");
            texts.Add(string.Join("|", job.Error, job.VendorStatus, job.Id));
        }

        logs.Records.ShouldNotBeEmpty();
        texts.AddRange(logs.Records.Select(r => $"log {r.Level} {r.Category}: {r.AllText}"));
        texts.Where(t => t.Contains(echoed, StringComparison.Ordinal) || t.Contains(Sentinel, StringComparison.Ordinal)).ShouldBeEmpty($"the key echoed as '{echoed}' came through");
        texts.Where(t => Excerpt.Shows(t, Sentinel)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("elumenta", true)]
    [InlineData("apiframe", false)]
    public async Task VendorRedirectsToAnotherOrigin_TheKeyIsNotSentThere(string vendorId, bool alsoByHandOnADefaultHttpClient)
    {
        var heads = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var other = new RawHttpStub(async (head, stream, ct) =>
        {
            heads.Enqueue(head);
            await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"), ct);
        });
        await using var api = new RawHttpStub(async (head, stream, ct) =>
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 302 Found\r\nLocation: {new Uri(other.BaseUrl, "moved")}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), ct));

        // AddVideoGeneration's clients (Apiframe's follows no redirect: its key travels in X-API-Key, which HttpClient
        // would forward), and a bearer client made by hand on a default HttpClient (which follows redirects and drops
        // Authorization). Apiframe's client made by hand on a redirect-following HttpClient: see the next test.
        var services = new ServiceCollection().AddVideoGeneration(o =>
        {
            var vendor = o.GetVendor(vendorId);
            vendor.ApiKey = Sentinel;
            vendor.BaseUrl = api.BaseUrl;
        });
        await using var provider = services.BuildServiceProvider();
        var generators = new List<IVideoGenerator> { provider.GetRequiredKeyedService<IVideoGenerator>(vendorId) };
        if (alsoByHandOnADefaultHttpClient)
        {
            var descriptor = VendorDescriptors.Get(vendorId);
            generators.Add(descriptor.CreateGenerator(new VendorClientConfiguration(descriptor.DisplayName) { ApiKey = Sentinel, BaseUrl = api.BaseUrl }, new HttpClient()));
        }

        foreach (var generator in generators)
        {
            await Should.ThrowAsync<VideoGenException>(() => generator.GetJobAsync("18500"));
        }

        heads.Where(h => Excerpt.Shows(h, Sentinel)).ShouldBeEmpty("a request to another origin carried the key");
        heads.ShouldAllBe(h => !h.Contains("Authorization", StringComparison.OrdinalIgnoreCase) && !h.Contains("X-API-Key", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task HandMadeApiframeClientFollowsARedirectToAnotherOrigin_TheErrorSaysTheKeyWasSentThere()
    {
        const string body = """{"id": "job-1", "status": "PROCESSING", "progress": 1}""";
        await using var other = new RawHttpStub(async (head, stream, ct) =>
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}"), ct));
        await using var api = new RawHttpStub(async (head, stream, ct) =>
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 302 Found\r\nLocation: {new Uri(other.BaseUrl, "moved")}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), ct));

        // HttpClient forwards X-API-Key on a redirect (it drops only Authorization), and no hook runs before it does:
        // the key is gone. The caller must hear it, and the other origin's answer is not taken as Apiframe's.
        var generator = new Apiframe.ApiframeClient(new VendorClientConfiguration("Apiframe") { ApiKey = Sentinel, BaseUrl = api.BaseUrl }, new HttpClient());
        var error = await Should.ThrowAsync<VideoGenException>(() => Apiframe.ApiframeClientExtensions.AsVideoGenerator(generator).GetJobAsync("job-1"));

        error.Message.ShouldContain($"the API key reached {other.BaseUrl.Host}. Rotate the key");
        error.Message.ShouldContain("AllowAutoRedirect = false");
        Excerpt.Shows(error.ToString(), Sentinel).ShouldBeFalse();
    }

    private static IEnumerable<string> Chain(Exception exception)
    {
        yield return exception.ToString();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            yield return e.Message;
            foreach (DictionaryEntry entry in e.Data)
            {
                yield return $"{entry.Key}={entry.Value}";
            }

            if (e is VideoGenException v)
            {
                yield return string.Join("|", v.ResponseExcerpt, v.ErrorCode, v.RequestId, v.JobId, v.Vendor);
            }
        }
    }
}
