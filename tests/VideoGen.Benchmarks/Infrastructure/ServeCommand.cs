using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VideoGen.Sandbox;

namespace VideoGen.Benchmarks.Infrastructure;

/// <summary>
/// <c>serve fixed|bytes|sandbox</c>: the servers the benchmarks run in a child process (see
/// <see cref="ChildServer"/>). Prints <c>listening URL</c>, then serves until standard input closes.
/// </summary>
internal static class ServeCommand
{
    /// <summary>The seed's completed Elumenta generation (seed 000 § Completed Response), byte for byte the body every status call reads.</summary>
    public const string CompletedGenerationJson = """
        {
          "id": 18500,
          "status": "completed",
          "model_slug": "kling-v2.1",
          "result_url": "https://storage.elumenta.ru/generations/18500.mp4",
          "tokens_spent": 26,
          "result_metadata": { "duration": 5, "width": 1920, "height": 1080 },
          "created_at": "2026-03-08T12:05:00Z",
          "completed_at": "2026-03-08T12:05:55Z"
        }
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var kind = args.FirstOrDefault();
        var options = Options(args.Skip(1).ToArray());
        switch (kind)
        {
            case "fixed":
                var body = System.Text.Encoding.UTF8.GetBytes(CompletedGenerationJson);
                return await ServeAsync(context =>
                {
                    context.Response.StatusCode = 200;
                    context.Response.ContentType = "application/json";
                    context.Response.ContentLength = body.Length;
                    return context.Response.Body.WriteAsync(body).AsTask();
                }).ConfigureAwait(false);

            case "bytes":
                var size = long.Parse(options.GetValueOrDefault("size", (1L << 30).ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
                // ?size=N overrides the size for one request (the warm-up downloads use it).
                return await ServeAsync(context => WriteBytesAsync(
                    context,
                    long.TryParse(context.Request.Query["size"], NumberStyles.None, CultureInfo.InvariantCulture, out var requested) ? requested : size)).ConfigureAwait(false);

            case "sandbox":
                var sandboxOptions = new SandboxOptions
                {
                    TimeScale = double.Parse(options.GetValueOrDefault("time-scale", "1"), CultureInfo.InvariantCulture),
                };
                foreach (var credit in options.Where(o => o.Key.StartsWith("credits.", StringComparison.Ordinal)))
                {
                    sandboxOptions.InitialCredits[credit.Key["credits.".Length..]] = decimal.Parse(credit.Value, CultureInfo.InvariantCulture);
                }

                await using (var sandbox = await SandboxServer.StartAsync(sandboxOptions).ConfigureAwait(false))
                {
                    await Console.Out.WriteLineAsync(ChildServer.ReadyPrefix + sandbox.BaseUrl).ConfigureAwait(false);
                    await Console.Out.FlushAsync().ConfigureAwait(false);
                    await WaitForStdinToCloseAsync().ConfigureAwait(false);
                }

                return 0;

            default:
                await Console.Error.WriteLineAsync("usage: serve fixed | bytes [--size N] | sandbox [--time-scale F] [--credits.VENDOR AMOUNT]").ConfigureAwait(false);
                return 2;
        }
    }

    /// <summary>Parses <c>--name value</c> pairs.</summary>
    public static Dictionary<string, string> Options(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Unexpected argument '{args[i]}'; options are --name value.");
            }

            var name = args[i][2..];
            options[name] = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "true";
        }

        return options;
    }

    private static async Task WriteBytesAsync(HttpContext context, long size)
    {
        // Generated on the fly from one 64 KiB block: the 1 GiB result is never held in memory.
        var block = new byte[64 * 1024];
        new Random(7).NextBytes(block);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "video/mp4";
        context.Response.ContentLength = size;
        var left = size;
        while (left > 0)
        {
            var n = (int)Math.Min(block.Length, left);
            await context.Response.Body.WriteAsync(block.AsMemory(0, n), context.RequestAborted).ConfigureAwait(false);
            left -= n;
        }
    }

    private static async Task<int> ServeAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();
        app.Run(handler);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        await Console.Out.WriteLineAsync(ChildServer.ReadyPrefix + address.TrimEnd('/') + "/").ConfigureAwait(false);
        await Console.Out.FlushAsync().ConfigureAwait(false);
        await WaitForStdinToCloseAsync().ConfigureAwait(false);
        await app.StopAsync().ConfigureAwait(false);
        return 0;
    }

    private static Task WaitForStdinToCloseAsync() => Task.Run(() =>
    {
        while (Console.In.ReadLine() is not null)
        {
        }
    });
}
