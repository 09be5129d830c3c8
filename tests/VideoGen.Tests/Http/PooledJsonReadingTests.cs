using System.Net;
using System.Text;
using Newtonsoft.Json;
using VideoGen.Elumenta;
using VideoGen.Http;

namespace VideoGen.Tests.Http;

/// <summary>
/// Issue 17 item 4: the generated clients read response bodies through <see cref="PooledJsonReading"/> (a pooled byte
/// buffer instead of a StreamReader, JSON.NET's buffer from the shared pool) and one JsonSerializer per client. The text
/// they read must be exactly what StreamReader's defaults read: byte order marks, characters split across buffer
/// refills and reads, invalid or truncated UTF-8.
/// </summary>
public sealed class PooledJsonReadingTests
{
    // Non-ASCII of every UTF-8 length (2, 3 and 4 bytes; the last a surrogate pair in UTF-16).
    private static readonly string Mixed = string.Concat(Enumerable.Repeat("a é € 😀 ж ", 900));

    public static TheoryData<string> Encodings => ["utf-8", "utf-8-bom", "utf-16le-bom", "utf-16be-bom", "utf-32le-bom", "utf-32be-bom"];

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Reads_the_same_text_as_StreamReader_for_every_byte_order_mark(string name)
    {
        var bytes = Encode(name, Mixed);

        // Streams that hand out few bytes per read and readers that ask for few characters (JSON.NET asks for one when
        // its buffer is nearly full), so multi-byte characters and surrogate pairs straddle every kind of boundary.
        foreach (var chunk in new[] { 1, 7, 4096, int.MaxValue })
        {
            foreach (var chars in new[] { 1, 2, 3, 1023 })
            {
                Assert.Equal(ViaStreamReader(bytes), ViaPooled(bytes, chunk, chars));
            }
        }
    }

    [Fact]
    public void Invalid_and_truncated_UTF8_read_as_replacement_characters_like_StreamReader()
    {
        // An invalid lead byte, a lone continuation byte and an incomplete 4-byte sequence at the very end.
        var bytes = Encoding.UTF8.GetBytes("{\"a\":\"x").Concat(new byte[] { 0xC3, 0x28, 0x80 }).Concat(Encoding.UTF8.GetBytes("y\"} ")).Concat(new byte[] { 0xF0, 0x9F, 0x98 }).ToArray();

        Assert.Equal(ViaStreamReader(bytes), ViaPooled(bytes, chunk: 3, charsPerRead: 2));
        Assert.Contains('\uFFFD', ViaPooled(bytes, chunk: 3, charsPerRead: 2));
    }

    [Fact]
    public void An_empty_body_or_one_that_is_only_a_byte_order_mark_reads_as_no_text()
    {
        Assert.Equal(string.Empty, ViaPooled([], chunk: 4, charsPerRead: 16));
        Assert.Equal(string.Empty, ViaPooled([0xEF, 0xBB, 0xBF], chunk: 1, charsPerRead: 16));
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task The_generated_client_reads_a_long_non_ASCII_body_in_any_encoding_and_reuses_one_serializer(string name)
    {
        var body = "{\"id\": 18500, \"status\": \"completed\", \"model_slug\": " + JsonConvert.ToString(Mixed) + ", \"tokens_spent\": 12}";
        using var http = new HttpClient(new FixedBody(Encode(name, body)));
        var client = new ElumentaClient(new VendorClientConfiguration("Elumenta") { BaseUrl = new Uri("http://in-memory.invalid/api/") }, http);

        var calls = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.GetGenerationAsync(18500)));

        Assert.All(calls, g =>
        {
            Assert.Equal(18500, g.Id);
            Assert.Equal(Mixed, g.ModelSlug);
            Assert.Equal(12, g.TokensSpent);
        });
        var field = typeof(ElumentaClient).GetField("_responseSerializer", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic);
        Assert.NotNull(field);
        var first = field.GetValue(client);
        Assert.NotNull(first);
        await client.GetGenerationAsync(18500);
        Assert.Same(first, field.GetValue(client));
    }

    private static byte[] Encode(string name, string text) => name switch
    {
        "utf-8" => new UTF8Encoding(false).GetBytes(text),
        "utf-8-bom" => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)],
        "utf-16le-bom" => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)],
        "utf-16be-bom" => [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes(text)],
        "utf-32le-bom" => [.. Encoding.UTF32.GetPreamble(), .. Encoding.UTF32.GetBytes(text)],
        "utf-32be-bom" => [.. new UTF32Encoding(true, true).GetPreamble(), .. new UTF32Encoding(true, true).GetBytes(text)],
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static string ViaStreamReader(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes));
        return reader.ReadToEnd();
    }

    private static string ViaPooled(byte[] bytes, int chunk, int charsPerRead)
    {
        var text = new StringBuilder();
        var buffer = new char[charsPerRead];
        using var reader = PooledJsonReading.CreateReader(new ChunkedStream(bytes, chunk));
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            text.Append(buffer, 0, read);
        }

        return text.ToString();
    }

    private sealed class ChunkedStream(byte[] bytes, int chunk) : MemoryStream(bytes, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);
    }

    private sealed class FixedBody(byte[] body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
        }
    }
}
