using System.IO.Compression;
using System.Net;
using System.Text;
using VideoGen.Elumenta;
using VideoGen.Http;
using VideoGen.Journal;
using VideoGen.Resilience;
using VideoGen.Testing;

namespace VideoGen.Tests.Hostile;

/// <summary>
/// What the attack branch tried at the transport level that held, kept as tests: a compressed status body that inflates
/// far past the cap, and a create answered with headers too large to read (the job may exist: never resent).
/// </summary>
public sealed class HostileTransportTests
{
    [Fact]
    public async Task GetJobAsync_GzipBombWithDecompressionOnInTheCallersHandler_StopsAtTheResponseCap()
    {
        // 64 MiB of JSON padding in about 64 KiB of gzip; a caller's handler that decompresses (a common setting) hands
        // the inflated stream to the client, which must stop at MaxResponseBytes (4 MiB), not buffer it all.
        var bomb = Gzip(64 * 1024 * 1024);
        RawHttpStub? stub = null;
        stub = new RawHttpStub(async (_, stream, ct) =>
        {
            await stub!.WriteAsync(stream, Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: {bomb.Length}\r\nConnection: close\r\n\r\n"), ct);
            await stub.WriteAsync(stream, bomb, ct);
        });
        await using var server = stub;
        var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.All });
        var generator = new ElumentaClient(new VendorClientConfiguration("Elumenta") { ApiKey = "sk-test", BaseUrl = new Uri(server.BaseUrl, "api/") }, http).AsVideoGenerator();

        var e = await Should.ThrowAsync<ResponseTooLargeException>(() => generator.GetJobAsync("18500"));

        e.JobId.ShouldBe("18500");
    }

    [Fact]
    public async Task SubmitAsync_CreateAnsweredWithHeadersTooLargeToRead_IsOutcomeUnknownAndNeverResent()
    {
        // The create reached the server; the answer's 200 KiB header is past what the handler reads (64 KiB). The job may
        // exist: the submission is held as unknown, not resent by the retry handler, and not resent by a second call.
        var posts = 0;
        RawHttpStub? stub = null;
        stub = new RawHttpStub(async (head, stream, ct) =>
        {
            if (head.StartsWith("POST", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref posts);
            }

            var header = new string('a', 200 * 1024);
            await stub!.WriteAsync(stream, Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Padding: {header}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}"), ct);
        });
        await using var server = stub;
        var directory = Directory.CreateTempSubdirectory("videogen-hostile-").FullName;
        try
        {
            var http = new HttpClient(new ResilienceHandler { InnerHandler = new SocketsHttpHandler { AllowAutoRedirect = false } });
            var adapter = new ElumentaClient(new VendorClientConfiguration("Elumenta") { ApiKey = "sk-test", BaseUrl = new Uri(server.BaseUrl, "api/") }, http).AsVideoGenerator();
            var journal = new SqliteJobJournal(Path.Combine(directory, "journal.db"));
            var generator = new JournalingVideoGenerator(adapter, journal, VendorIds.Elumenta);
            var request = new VideoGenerationRequest("A cat") { Model = "kling-v2.1", DurationSeconds = 5, AspectRatio = "16:9" };
            var options = new VideoGenerationOptions { ClientKey = "order-1" };

            await Should.ThrowAsync<SubmissionOutcomeUnknownException>(() => generator.SubmitAsync(request, options));
            await Should.ThrowAsync<SubmissionOutcomeUnknownException>(() => generator.SubmitAsync(request, options));

            Volatile.Read(ref posts).ShouldBe(1);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static byte[] Gzip(int inflatedBytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write("{\"id\":18500,\"status\":\"processing\",\"pad\":\""u8);
            var zeros = new byte[1024 * 1024];
            Array.Fill(zeros, (byte)'0');
            for (var written = 0; written < inflatedBytes; written += zeros.Length)
            {
                gzip.Write(zeros);
            }

            gzip.Write("\"}"u8);
        }

        return output.ToArray();
    }
}
