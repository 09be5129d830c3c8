using System.Net;
using System.Net.Sockets;
using System.Text;

namespace VideoGen.Testing;

/// <summary>
/// A raw HTTP/1.1 server on 127.0.0.1 built on <see cref="TcpListener"/>, for what a well-behaved server (Kestrel)
/// will not do: accept and never answer, send a body a byte at a time, or send a chunked body that never ends.
/// Each connection's request head is read, then <c>respond</c> writes whatever it likes to the socket's stream.
/// Every connection ends when the stub is disposed, so a test never leaves a server behind.
/// </summary>
public sealed class RawHttpStub : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private long _bytesSent;
    private int _requests;

    public RawHttpStub(Func<string, Stream, CancellationToken, Task> respond)
    {
        _listener.Start();
        BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync(respond);
    }

    public Uri BaseUrl { get; }

    /// <summary>Body bytes written through <see cref="WriteAsync"/> so far (what the client was made to receive).</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>Requests whose head was read.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Writes <paramref name="bytes"/> and counts them.</summary>
    public async Task WriteAsync(Stream stream, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(bytes, cancellationToken);
        await stream.FlushAsync(cancellationToken);
        Interlocked.Add(ref _bytesSent, bytes.Length);
    }

    /// <summary>A stub that accepts each request and never answers.</summary>
    public static RawHttpStub Silent() => new(async (_, _, ct) => await Task.Delay(Timeout.Infinite, ct));

    /// <summary>A stub that sends a 200 JSON head with Content-Length, then the body one byte per <paramref name="interval"/>.</summary>
    public static RawHttpStub Trickle(string json, TimeSpan interval)
    {
        RawHttpStub? stub = null;
        stub = new RawHttpStub(async (_, stream, ct) =>
        {
            var body = Encoding.UTF8.GetBytes(json);
            await stub!.WriteAsync(stream, Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n"), ct);
            foreach (var b in body)
            {
                await stub.WriteAsync(stream, new[] { b }, ct);
                await Task.Delay(interval, ct);
            }
        });
        return stub;
    }

    /// <summary>A stub that sends a 200 chunked JSON body that never ends: <c>{"pad":"xxxx…</c>, <paramref name="chunkBytes"/> at a time.</summary>
    public static RawHttpStub EndlessJson(int chunkBytes = 16 * 1024, TimeSpan? pause = null)
    {
        RawHttpStub? stub = null;
        stub = new RawHttpStub(async (_, stream, ct) =>
        {
            await stub!.WriteAsync(stream, Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"), ct);
            await stub.WriteAsync(stream, Chunk("{\"status\":\"processing\",\"pad\":\""u8.ToArray()), ct);
            var pad = Chunk(Enumerable.Repeat((byte)'x', chunkBytes).ToArray());
            while (!ct.IsCancellationRequested)
            {
                await stub.WriteAsync(stream, pad, ct);
                if (pause is { } p)
                {
                    await Task.Delay(p, ct);
                }
            }
        });
        return stub;
    }

    private static byte[] Chunk(byte[] data) =>
        [.. Encoding.ASCII.GetBytes($"{data.Length:X}\r\n"), .. data, .. "\r\n"u8.ToArray()];

    private async Task AcceptAsync(Func<string, Stream, CancellationToken, Task> respond)
    {
        var connections = new List<Task>();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                connections.Add(ServeAsync(client, respond));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        await Task.WhenAll(connections);
    }

    private async Task ServeAsync(TcpClient client, Func<string, Stream, CancellationToken, Task> respond)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = new StringBuilder();
                var one = new byte[1];
                while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
                {
                    if (await stream.ReadAsync(one, _stop.Token) == 0)
                    {
                        return;
                    }

                    head.Append((char)one[0]);
                }

                Interlocked.Increment(ref _requests);
                await respond(head.ToString(), stream, _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
            {
                // The client gave up (as it should) or the stub stopped.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
