using System.Net;
using System.Net.Sockets;

namespace VideoGen.Downloads;

/// <summary>Recognizes addresses a result URL must not lead to when private networks are blocked.</summary>
/// <remarks>
/// The ranges are the IANA special-purpose address registries' entries that are not globally reachable
/// (https://www.iana.org/assignments/iana-ipv4-special-registry and iana-ipv6-special-registry), plus multicast and
/// the reserved 240/4. IPv6 forms that carry an IPv4 address (IPv4-mapped, NAT64 64:ff9b::/96, 6to4 2002::/16,
/// Teredo 2001::/32) are judged by the IPv4 address inside; the deprecated IPv4-compatible form (::a.b.c.d) and
/// local-use NAT64 (64:ff9b:1::/48, RFC 8215) are refused outright.
/// </remarks>
internal static class NetworkGuard
{
    private static readonly (IPAddress Network, int Prefix)[] BlockedV4 =
    [
        (IPAddress.Parse("0.0.0.0"), 8),        // "this network"
        (IPAddress.Parse("10.0.0.0"), 8),       // private
        (IPAddress.Parse("100.64.0.0"), 10),    // shared address space (CGNAT)
        (IPAddress.Parse("127.0.0.0"), 8),      // loopback
        (IPAddress.Parse("169.254.0.0"), 16),   // link-local (cloud metadata endpoints live here)
        (IPAddress.Parse("172.16.0.0"), 12),    // private
        (IPAddress.Parse("192.0.0.0"), 24),     // IETF protocol assignments
        (IPAddress.Parse("192.0.2.0"), 24),     // documentation (TEST-NET-1)
        (IPAddress.Parse("192.88.99.0"), 24),   // deprecated 6to4 relay anycast
        (IPAddress.Parse("192.168.0.0"), 16),   // private
        (IPAddress.Parse("198.18.0.0"), 15),    // benchmarking
        (IPAddress.Parse("198.51.100.0"), 24),  // documentation (TEST-NET-2)
        (IPAddress.Parse("203.0.113.0"), 24),   // documentation (TEST-NET-3)
        (IPAddress.Parse("224.0.0.0"), 4),      // multicast
        (IPAddress.Parse("240.0.0.0"), 4),      // reserved, and 255.255.255.255 broadcast
    ];

    private static readonly (IPAddress Network, int Prefix)[] BlockedV6 =
    [
        (IPAddress.Parse("::"), 96),            // unspecified, loopback and the deprecated IPv4-compatible form
        (IPAddress.Parse("64:ff9b:1::"), 48),   // local-use NAT64
        (IPAddress.Parse("100::"), 64),         // discard-only
        (IPAddress.Parse("2001:2::"), 48),      // benchmarking
        (IPAddress.Parse("2001:10::"), 28),     // ORCHID
        (IPAddress.Parse("2001:db8::"), 32),    // documentation
        (IPAddress.Parse("fc00::"), 7),         // unique-local
        (IPAddress.Parse("fe80::"), 10),        // link-local
        (IPAddress.Parse("fec0::"), 10),        // site-local (deprecated)
        (IPAddress.Parse("ff00::"), 8),         // multicast
    ];

    /// <summary>Whether <paramref name="address"/> is not a public unicast address (see the remarks for the ranges).</summary>
    public static bool IsPrivate(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return BlockedV4.Any(r => InRange(address, r.Network, r.Prefix));
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return true;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return IsPrivate(address.MapToIPv4());
        }

        var b = address.GetAddressBytes();

        // NAT64 well-known prefix 64:ff9b::/96: the last 32 bits are the IPv4 destination.
        if (InRange(address, Nat64, 96))
        {
            return IsPrivate(new IPAddress(b.AsSpan(12, 4)));
        }

        // 6to4 2002::/16: bits 16–47 are the IPv4 address of the site.
        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return IsPrivate(new IPAddress(b.AsSpan(2, 4)));
        }

        // Teredo 2001::/32: the server's IPv4 in bits 32–63, the client's (inverted) in the last 32.
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0)
        {
            var client = b.AsSpan(12, 4).ToArray().Select(x => (byte)~x).ToArray();
            return IsPrivate(new IPAddress(b.AsSpan(4, 4))) || IsPrivate(new IPAddress(client));
        }

        return BlockedV6.Any(r => InRange(address, r.Network, r.Prefix));
    }

    private static readonly IPAddress Nat64 = IPAddress.Parse("64:ff9b::");

    private static bool InRange(IPAddress address, IPAddress network, int prefix)
    {
        if (address.AddressFamily != network.AddressFamily)
        {
            return false;
        }

        var a = address.GetAddressBytes();
        var n = network.GetAddressBytes();
        var whole = prefix / 8;
        if (!a.AsSpan(0, whole).SequenceEqual(n.AsSpan(0, whole)))
        {
            return false;
        }

        var rest = prefix % 8;
        if (rest == 0)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - rest));
        return (a[whole] & mask) == (n[whole] & mask);
    }

    /// <summary>
    /// A connect callback that resolves the host, refuses private addresses, and connects to the address it checked.
    /// An origin in <paramref name="trusted"/> (host and port, for a loopback API such as the local sandbox) may be
    /// private: only that exact origin, not the whole private network.
    /// </summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> ConnectPublicOnly(IReadOnlyCollection<Uri> trusted) =>
        (context, cancellationToken) => ConnectAsync(context, trusted, cancellationToken);

    /// <summary>A connect callback that trusts no private origin.</summary>
    public static ValueTask<Stream> ConnectPublicOnlyAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken) =>
        ConnectAsync(context, [], cancellationToken);

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, IReadOnlyCollection<Uri> trusted, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var port = context.DnsEndPoint.Port;
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        var isTrusted = trusted.Any(o => string.Equals(o.IdnHost.Trim('[', ']'), host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase) && o.Port == port);
        var blocked = isTrusted ? null : addresses.FirstOrDefault(IsPrivate);
        if (blocked is not null || addresses.Length == 0)
        {
            throw new PrivateNetworkBlockedException(host, blocked);
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, port, cancellationToken).ConfigureAwait(false);
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
    : IOException($"Refused to download from {host}: it resolves to {(address is null ? "no address" : $"the private address {address}")}. Result URLs must point to the public internet; " +
        "a local sandbox's own origin is trusted through DownloadOptions.TrustedOrigins (or turn DownloadOptions.BlockPrivateNetworks off).");
