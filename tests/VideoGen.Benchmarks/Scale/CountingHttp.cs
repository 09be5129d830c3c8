using System.Net.Sockets;

namespace VideoGen.Benchmarks.Scale;

/// <summary>
/// Client-side counters for the scale run: TCP connections opened and open (through the handler's
/// ConnectCallback) and requests in flight (through a delegating handler), each with its peak.
/// </summary>
internal sealed class CountingHttp
{
    private int _open;
    private int _peakOpen;
    private int _opened;
    private int _inFlight;
    private int _peakInFlight;

    public int Opened => Volatile.Read(ref _opened);

    public int Open => Volatile.Read(ref _open);

    public int PeakOpen => Volatile.Read(ref _peakOpen);

    public int PeakInFlight => Volatile.Read(ref _peakInFlight);

    /// <summary>An HttpClient whose handler allows <paramref name="maxConnectionsPerServer"/> connections, counted.</summary>
    public HttpClient CreateClient(int maxConnectionsPerServer)
    {
        var sockets = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnectionsPerServer,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = ConnectAsync,
        };
        return new HttpClient(new InFlightHandler(this) { InnerHandler = sockets });
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        Interlocked.Increment(ref _opened);
        Peak(ref _peakOpen, Interlocked.Increment(ref _open));
        return new CountedStream(socket, this);
    }

    private static void Peak(ref int peak, int value)
    {
        var seen = Volatile.Read(ref peak);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref peak, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    private sealed class CountedStream(Socket socket, CountingHttp owner) : NetworkStream(socket, ownsSocket: true)
    {
        private int _closed;

        protected override void Dispose(bool disposing)
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                Interlocked.Decrement(ref owner._open);
            }

            base.Dispose(disposing);
        }
    }

    private sealed class InFlightHandler(CountingHttp owner) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Peak(ref owner._peakInFlight, Interlocked.Increment(ref owner._inFlight));
            try
            {
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref owner._inFlight);
            }
        }
    }
}
