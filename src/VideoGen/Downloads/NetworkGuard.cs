using System.Net;
using System.Net.Sockets;

namespace VideoGen.Downloads;

/// <summary>Recognizes addresses a result URL must not lead to when private networks are blocked.</summary>
internal static class NetworkGuard
{
    /// <summary>Whether <paramref name="address"/> is loopback, private, link-local, shared (CGNAT) or unspecified.</summary>
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6None))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] == 10
                || b[0] == 0
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127);
        }

        var v6 = address.GetAddressBytes();
        return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || (v6[0] & 0xFE) == 0xFC;
    }

    /// <summary>A connect callback that resolves the host, refuses private addresses, and connects to the address it checked.</summary>
    public static async ValueTask<Stream> ConnectPublicOnlyAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        var blocked = addresses.FirstOrDefault(IsPrivate);
        if (blocked is not null || addresses.Length == 0)
        {
            throw new PrivateNetworkBlockedException(host, blocked);
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>Thrown inside the connect callback; surfaced as a <see cref="VideoDownloadException"/>.</summary>
internal sealed class PrivateNetworkBlockedException(string host, IPAddress? address)
    : IOException($"Refused to download from {host}: it resolves to {(address is null ? "no address" : $"the private address {address}")}. Result URLs must point to the public internet; turn DownloadOptions.BlockPrivateNetworks off for a local sandbox.");
