using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using VideoGen.Downloads;
using VideoGen.Tests.Infrastructure;

namespace VideoGen.Tests.Downloads;

/// <summary>
/// Issue 12 item 9: the private-network guard, address by address (the IANA special-purpose registries, multicast,
/// and the IPv6 forms that carry an IPv4 address), and as a downloader a loopback API's origin is trusted alone.
/// </summary>
public sealed class NetworkGuardTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("videogen-guard-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public static TheoryData<string, string> NotPublic => new()
    {
        { "0.0.0.0", "this network" },
        { "0.1.2.3", "0/8" },
        { "10.1.2.3", "private" },
        { "100.64.0.1", "CGNAT 100.64/10" },
        { "100.127.255.254", "CGNAT 100.64/10" },
        { "127.0.0.1", "loopback" },
        { "127.8.8.8", "loopback /8" },
        { "169.254.169.254", "link-local (cloud metadata)" },
        { "172.16.0.1", "private" },
        { "172.31.255.255", "private" },
        { "192.0.0.8", "IETF protocol assignments" },
        { "192.0.2.1", "TEST-NET-1" },
        { "192.168.1.1", "private" },
        { "198.18.0.1", "benchmarking 198.18/15" },
        { "198.19.255.254", "benchmarking 198.18/15" },
        { "198.51.100.7", "TEST-NET-2" },
        { "203.0.113.9", "TEST-NET-3" },
        { "224.0.0.1", "multicast" },
        { "239.255.255.250", "multicast (SSDP)" },
        { "240.0.0.1", "reserved 240/4" },
        { "255.255.255.255", "broadcast" },
        { "::", "unspecified" },
        { "::1", "loopback" },
        { "::127.0.0.1", "IPv4-compatible" },
        { "::8.8.8.8", "IPv4-compatible (deprecated, refused outright)" },
        { "::ffff:127.0.0.1", "IPv4-mapped loopback" },
        { "::ffff:10.0.0.1", "IPv4-mapped private" },
        { "::ffff:169.254.169.254", "IPv4-mapped metadata" },
        { "64:ff9b::7f00:1", "NAT64 of 127.0.0.1" },
        { "64:ff9b::a9fe:a9fe", "NAT64 of 169.254.169.254" },
        { "64:ff9b::c0a8:101", "NAT64 of 192.168.1.1" },
        { "64:ff9b:1::808:808", "local-use NAT64 64:ff9b:1::/48" },
        { "2002:7f00:1::1", "6to4 of 127.0.0.1" },
        { "2002:a00:1::", "6to4 of 10.0.0.1" },
        { "2002:c0a8:101::1", "6to4 of 192.168.1.1" },
        { "2001:0:4136:e378:8000:63bf:80ff:fffe", "Teredo, client 127.0.0.1 (inverted)" },
        { "2001:0:a00:1::1", "Teredo, server 10.0.0.1" },
        { "fe80::1", "link-local" },
        { "febf::1", "link-local /10" },
        { "fec0::1", "site-local" },
        { "fc00::1", "unique-local" },
        { "fd12:3456::1", "unique-local" },
        { "ff02::1", "multicast" },
        { "ff0e::1", "multicast global scope" },
        { "100::1", "discard-only" },
        { "2001:db8::1", "documentation" },
        { "2001:2::1", "benchmarking" },
        { "2001:10::1", "ORCHID" },
    };

    public static TheoryData<string> Public => new()
    {
        "8.8.8.8",
        "1.1.1.1",
        "93.184.216.34",
        "100.63.255.255",  // just below CGNAT
        "100.128.0.0",     // just above CGNAT
        "172.15.255.255",
        "172.32.0.0",
        "198.17.255.255",
        "198.20.0.0",
        "223.255.255.255",
        "2606:4700:4700::1111",
        "2a00:1450:4001:82b::200e",
        "::ffff:8.8.8.8",
        "64:ff9b::808:808",          // NAT64 of a public address
        "2002:808:808::1",           // 6to4 of a public address
    };

    [Theory]
    [MemberData(nameof(NotPublic))]
    public void IsPrivate_NonPublicAddress_IsBlocked(string address, string why) =>
        NetworkGuard.IsPrivate(IPAddress.Parse(address)).ShouldBeTrue($"{address} ({why})");

    [Theory]
    [MemberData(nameof(Public))]
    public void IsPrivate_PublicAddress_IsAllowed(string address) =>
        NetworkGuard.IsPrivate(IPAddress.Parse(address)).ShouldBeFalse(address);

    [Fact]
    public async Task DownloadAsync_TrustedLoopbackOrigin_AllowsThatOriginOnly()
    {
        var mp4 = TestVideo.Mp4(64);
        await using var trusted = await LoopbackServer.StartAsync(async ctx => { ctx.Response.ContentType = "video/mp4"; await ctx.Response.Body.WriteAsync(mp4); });
        await using var other = await LoopbackServer.StartAsync(async ctx => { ctx.Response.ContentType = "video/mp4"; await ctx.Response.Body.WriteAsync(mp4); });
        var options = new DownloadOptions();
        options.TrustedOrigins.Add(trusted.BaseUrl);
        using var downloader = new VideoDownloader(options);

        var ok = await downloader.DownloadAsync(trusted.Url("v.mp4"), Path.Combine(_directory, "ok.mp4"));
        var refused = await Should.ThrowAsync<VideoDownloadException>(() => downloader.DownloadAsync(other.Url("v.mp4"), Path.Combine(_directory, "no.mp4")));

        ok.Bytes.ShouldBe(mp4.Length);
        refused.Message.ShouldContain("private address 127.0.0.1");
        other.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task DownloadAsync_RedirectFromTrustedOriginToAnotherLoopbackPort_IsRefused()
    {
        await using var inside = await LoopbackServer.StartAsync(ctx => ctx.Response.WriteAsync("secret"));
        await using var api = await LoopbackServer.StartAsync(ctx =>
        {
            ctx.Response.StatusCode = StatusCodes.Status302Found;
            ctx.Response.Headers.Location = inside.Url("admin").ToString();
            return Task.CompletedTask;
        });
        var options = new DownloadOptions();
        options.TrustedOrigins.Add(api.BaseUrl);
        using var downloader = new VideoDownloader(options);

        await Should.ThrowAsync<VideoDownloadException>(() => downloader.DownloadAsync(api.Url("v.mp4"), Path.Combine(_directory, "r.mp4")));

        inside.Requests.ShouldBeEmpty();
    }

    [Fact]
    public void CreateHandler_GuardOn_UsesNoProxySoTheTargetAddressIsChecked()
    {
        using var guarded = VideoDownloader.CreateHandler(new DownloadOptions());
        using var open = VideoDownloader.CreateHandler(new DownloadOptions { BlockPrivateNetworks = false });

        guarded.UseProxy.ShouldBeFalse();
        guarded.ConnectCallback.ShouldNotBeNull();
        open.UseProxy.ShouldBeTrue();
    }
}
