using System.Net;
using System.Text;

namespace VideoGen.Tests.Hostile;

/// <summary>One malformed or mutated HTTP response: what was done to it, its status, headers and body.</summary>
/// <param name="Kind">The mutation, for the outcome table and for reproducing a failure.</param>
/// <param name="Status">The HTTP status code.</param>
/// <param name="ContentType">The Content-Type header as sent (not validated), or null for none.</param>
/// <param name="Body">The body bytes.</param>
/// <param name="Headers">Extra response headers (added without validation).</param>
/// <param name="DropAfterBytes">When set, the connection "drops" after this many body bytes (the read throws <see cref="HttpIOException"/>).</param>
internal sealed record HostileResponse(string Kind, int Status, string? ContentType, byte[] Body, IReadOnlyList<KeyValuePair<string, string>> Headers, int? DropAfterBytes = null)
{
    public HttpResponseMessage ToMessage(HttpRequestMessage request)
    {
        HttpContent content = DropAfterBytes is { } drop ? new DroppingContent(Body, drop) : new ByteArrayContent(Body);
        if (ContentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        }

        var response = new HttpResponseMessage((HttpStatusCode)Status) { Content = content, RequestMessage = request };
        foreach (var (name, value) in Headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    /// <summary>Enough to reproduce by eye: the kind, the status and the first bytes of the body.</summary>
    public override string ToString()
    {
        var preview = Encoding.UTF8.GetString(Body, 0, Math.Min(Body.Length, 160)).ReplaceLineEndings(" ");
        return $"[{Kind}] HTTP {Status} ({ContentType ?? "no content type"}, {Body.Length} bytes{(DropAfterBytes is { } d ? $", dropped after {d}" : "")}): {preview}";
    }

    /// <summary>A body whose connection breaks part-way, as a real socket does when the server goes away.</summary>
    private sealed class DroppingContent(byte[] body, int dropAfter) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            CreateContentReadStreamAsync().ContinueWith(t => t.Result.CopyToAsync(stream)).Unwrap();

        protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult<Stream>(new DroppingStream(body, dropAfter));

        protected override bool TryComputeLength(out long length)
        {
            // The server announced the whole body; fewer bytes arrive.
            length = body.Length;
            return true;
        }
    }

    private sealed class DroppingStream(byte[] body, int dropAfter) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var available = Math.Min(dropAfter, body.Length) - _position;
            if (available <= 0)
            {
                throw new HttpIOException(HttpRequestError.ResponseEnded, "The response ended prematurely.");
            }

            var n = Math.Min(available, count);
            Array.Copy(body, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>Answers every request with the response a test sets, and remembers the last request.</summary>
internal sealed class HostileHandler : HttpMessageHandler
{
    public HostileResponse? Next { get; set; }

    public int Requests { get; private set; }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests++;
        var next = Next ?? throw new InvalidOperationException("No response set for " + request.RequestUri);
        return Task.FromResult(next.ToMessage(request));
    }
}
