using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using VideoGen.Downloads;
using VideoGen.Elumenta;
using VideoGen.Http;
using VideoGen.Testing;

namespace VideoGen.Tests.Security;

/// <summary>
/// Issue 12 item 8: strings from outside — a storage server's reason phrase, the transport's exception words, a
/// vendor's header line — reach messages and logs. The sentinel key must not come through in any form a server or
/// proxy may carry it in: as is, URL-encoded, or Base64 (a Basic authorization, a token).
/// </summary>
public sealed class OutsideTextRedactionTests : IDisposable
{
    // No white space: a key that holds any is refused before it is sent (VendorClientConfiguration.ApiKey).
    private const string Sentinel = "sk-SENTINEL/7f3a9c+do=not~leak";
    private readonly string _directory = Directory.CreateTempSubdirectory("videogen-redaction-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Every form of the sentinel a test looks for: as is, URL-encoded, Base64 of the key and of "user:key".</summary>
    private static IEnumerable<string> Forms()
    {
        yield return Sentinel;
        yield return Uri.EscapeDataString(Sentinel);
        yield return Convert.ToBase64String(Encoding.UTF8.GetBytes(Sentinel)).TrimEnd('=')[..20];
        foreach (var user in new[] { "u", "us", "use" })
        {
            // The key's own characters inside Base64("user:key"), past the user's alignment.
            var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{Sentinel}"));
            yield return encoded.Substring(8, 16);
        }
    }

    private static void ShouldNotShowTheKey(string? text, string where)
    {
        foreach (var form in Forms())
        {
            (text ?? string.Empty).ShouldNotContain(form, Case.Sensitive, $"{where} shows the key as '{form}'");
        }
    }

    /// <summary>The message, type names and stack of the exception and its whole inner chain.</summary>
    private static string Chain(Exception e) => e.ToString();

    [Theory]
    [InlineData("Bearer {0}")]
    [InlineData("Basic {b64}")]
    [InlineData("token={url}")]
    public async Task DownloadAsync_StorageReasonPhraseQuotesTheKey_ErrorDoesNotShowIt(string reason)
    {
        var phrase = reason.Replace("{0}", Sentinel, StringComparison.Ordinal)
            .Replace("{b64}", Convert.ToBase64String(Encoding.UTF8.GetBytes("user:" + Sentinel)), StringComparison.Ordinal)
            .Replace("{url}", Uri.EscapeDataString(Sentinel), StringComparison.Ordinal);
        await using var storage = new RawHttpStub(async (_, stream, ct) =>
            await stream.WriteAsync(Encoding.UTF8.GetBytes($"HTTP/1.1 500 {phrase}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), ct));
        using var downloader = new VideoDownloader(new DownloadOptions { BlockPrivateNetworks = false });

        var error = await Should.ThrowAsync<VideoDownloadException>(() => downloader.DownloadAsync(
            new Uri(storage.BaseUrl, "v.mp4"), Path.Combine(_directory, "v.mp4"), new VendorCredential(new Uri("https://api.example.com/"), Sentinel)));

        error.Message.ShouldContain("HTTP 500");
        ShouldNotShowTheKey(Chain(error), "the download error");
    }

    [Fact]
    public async Task DownloadAsync_InvalidHeaderLineQuotesTheKey_ErrorAndInnerExceptionDoNotShowIt()
    {
        await using var storage = new RawHttpStub(async (_, stream, ct) =>
            await stream.WriteAsync(Encoding.UTF8.GetBytes($"HTTP/1.1 200 OK\r\nX-Debug Bearer {Sentinel}\r\nContent-Length: 0\r\n\r\n"), ct));
        using var downloader = new VideoDownloader(new DownloadOptions { BlockPrivateNetworks = false, MaxResumes = 0 });

        var error = await Should.ThrowAsync<VideoDownloadException>(() => downloader.DownloadAsync(
            new Uri(storage.BaseUrl, "v.mp4"), Path.Combine(_directory, "v.mp4"), new VendorCredential(new Uri("https://api.example.com/"), Sentinel)));

        ShouldNotShowTheKey(Chain(error), "the download error");
    }

    [Fact]
    public async Task GetJobAsync_InvalidHeaderLineQuotesTheKey_NoLogRecordAtTraceShowsIt()
    {
        await using var vendor = new RawHttpStub(async (_, stream, ct) =>
            await stream.WriteAsync(Encoding.UTF8.GetBytes($"HTTP/1.1 200 OK\r\nX-Debug Bearer {Sentinel}\r\nContent-Length: 2\r\n\r\n{{}}"), ct));
        using var logs = new RecordingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        var generator = new ElumentaClient(new VendorClientConfiguration("Elumenta") { ApiKey = Sentinel, BaseUrl = vendor.BaseUrl }, new HttpClient())
            .AsVideoGenerator(loggerFactory: factory);

        var error = await Should.ThrowAsync<VideoGenException>(() => generator.GetJobAsync("18500"));

        error.JobId.ShouldBe("18500");
        ShouldNotShowTheKey(Chain(error), "the status error");
        logs.Records.ShouldNotBeEmpty();
        logs.Records.ShouldContain(r => r.EventId.Name == "FailureDetail" && r.Exception != null);
        foreach (var record in logs.Records)
        {
            ShouldNotShowTheKey(record.AllText, $"log record {record.EventId.Name}");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    public void Redact_KeyInsideBase64AtAnyAlignment_IsRemoved(int prefixBytes)
    {
        var prefix = new string('p', prefixBytes);
        var standard = Convert.ToBase64String(Encoding.UTF8.GetBytes(prefix + ":" + Sentinel + ":suffix"));
        var urlSafe = standard.Replace('+', '-').Replace('/', '_');

        foreach (var text in new[] { standard, urlSafe, $"Authorization: Basic {standard}" })
        {
            var redacted = Excerpt.Redact(text, Sentinel);
            redacted.ShouldContain("***");
            Excerpt.Shows(redacted, Sentinel).ShouldBeFalse(redacted);
        }
    }

    [Fact]
    public void Redact_UrlEncodedKeyInUpperOrLowerCaseHex_IsRemoved()
    {
        var upper = "https://cdn.example.com/v.mp4?token=" + Uri.EscapeDataString(Sentinel);
        var lower = System.Text.RegularExpressions.Regex.Replace(upper, "%[0-9A-F]{2}", m => m.Value.ToLowerInvariant());
        var plus = "q=" + Uri.EscapeDataString(Sentinel).Replace("%20", "+", StringComparison.Ordinal);

        foreach (var text in new[] { upper, lower, plus })
        {
            Excerpt.Redact(text, Sentinel).ShouldNotContain("7f3a9c");
        }
    }

    [Fact]
    public void Redact_ShortKey_DoesNotEatOrdinaryText()
    {
        // Encodings shorter than 8 characters are not redacted: they would match ordinary words.
        Excerpt.Redact("the job abc finished", "abc").ShouldBe("the job *** finished");
        Excerpt.Redact("YWJj is base64 of abc", "abc").ShouldBe("YWJj is base64 of ***");
    }
}
