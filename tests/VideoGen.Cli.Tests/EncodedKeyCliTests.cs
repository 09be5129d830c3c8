using System.Text;
using VideoGen.Cli.Tests.Infrastructure;
using VideoGen.Testing;

namespace VideoGen.Cli.Tests;

/// <summary>
/// A vendor echoes the configured key back encoded (<see cref="KeyEncodings"/>) in a 401 body and headers and in a
/// failed job's reason: neither the command line's output (for people and <c>--json</c>, stdout and stderr) nor the
/// journal's files show it.
/// </summary>
public sealed class EncodedKeyCliTests : IDisposable
{
    private const string Key = "sk-SENTINEL/cli+5e1f=never~print-9a";

    private readonly CliHarness _cli = new();

    public EncodedKeyCliTests() => _cli.Environment["ELUMENTA_API_KEY"] = Key;

    public void Dispose() => _cli.Dispose();

    public static IEnumerable<object[]> Encodings => KeyEncodings.Names;

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task GenerateAndStatus_VendorEchoesTheKeyEncoded_OutputAndJournalDoNotShowIt(string encoding)
    {
        var echoed = KeyEncodings.All[encoding](Key);
        var header = KeyEncodings.FitsAHeader(encoding) ? $"X-Request-Id: req-{echoed}\r\nX-Debug: Bearer {echoed}\r\n" : string.Empty;
        await using var vendor = new RawHttpStub(async (head, stream, ct) =>
        {
            var (status, body) = head.StartsWith("POST", StringComparison.Ordinal)
                ? ("401 Unauthorized", $$"""{"error": {"code": "invalid_api_key", "message": "invalid key {{echoed}}"}, "request": "Authorization: Bearer {{echoed}}"}""")
                : ("200 OK", $$"""{"id": 18500, "status": "failed", "model_slug": "kling-v2.1", "error": "provider rejected key {{echoed}}"}""");
            var bytes = Encoding.UTF8.GetBytes(body);
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n{header}Content-Length: {bytes.Length}\r\nConnection: close\r\n\r\n"), ct);
            await stream.WriteAsync(bytes, ct);
        });
        var url = vendor.BaseUrl.ToString();

        var runs = new List<CliRun>();
        foreach (var json in new[] { false, true })
        {
            string[] extra = json ? ["--json"] : [];
            runs.Add(await _cli.RunAsync(["generate", "a red balloon", "--vendor", "elumenta", "--base-url", url, "--out", _cli.OutDirectory, .. extra]));
            runs.Add(await _cli.RunAsync(["status", "18500", "--vendor", "elumenta", "--base-url", url, .. extra]));
        }

        var exits = string.Join(" ", runs.Select(r => r.ExitCode));
        exits.ShouldBe("3 0 3 0", "generate: the vendor refused the key (401); status: reports the failed job\n" + string.Join("\n", runs.Select(r => r.All)));
        runs.Count(r => r.All.Contains("***", StringComparison.Ordinal)).ShouldBeGreaterThan(0, "the echo reached the output, redacted");
        foreach (var run in runs)
        {
            run.All.ShouldNotContain(echoed, Case.Sensitive, run.All);
            run.All.ShouldNotContain(Key, Case.Sensitive, run.All);
            Decoded(run.All).ShouldNotContain(Key, Case.Sensitive, run.All);
        }

        // The journal (SQLite in VIDEOGEN_HOME): its database and write-ahead files hold text as UTF-8.
        foreach (var file in Directory.EnumerateFiles(_cli.Home, "*", SearchOption.AllDirectories))
        {
            var text = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file));
            text.ShouldNotContain(echoed, Case.Sensitive, file);
            Decoded(text).ShouldNotContain(Key, Case.Sensitive, file);
        }
    }

    /// <summary>The text with percent-encoding (twice), HTML references and JSON escapes undone: a second, independent look for the key.</summary>
    private static string Decoded(string text)
    {
        var json = System.Text.RegularExpressions.Regex.Replace(text, @"\\u([0-9a-fA-F]{4})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 16)).ToString()).Replace("\\/", "/", StringComparison.Ordinal);
        return Uri.UnescapeDataString(Uri.UnescapeDataString(System.Net.WebUtility.HtmlDecode(json)));
    }
}
