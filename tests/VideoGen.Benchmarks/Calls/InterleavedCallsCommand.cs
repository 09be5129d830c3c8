using System.Diagnostics;
using System.Globalization;
using VideoGen.Benchmarks.Infrastructure;
using static VideoGen.Benchmarks.Infrastructure.Format;

namespace VideoGen.Benchmarks.Calls;

/// <summary>
/// <c>calls-interleaved [--rounds N]</c>: a cross-check of <c>calls</c> for a shared, noisy machine. The
/// same four status-call variants of <see cref="StatusCallBenchmarks"/> run in blocks, round-robin
/// (the order rotating every round), so every variant sees the same background load; each round gives
/// a paired ratio (variant block ÷ raw block of the same round), and the median of those is reported
/// next to the ratio of the medians. BenchmarkDotNet runs each variant to the end before the next, so
/// a load change between them moves its ratio; this harness does not have that weakness.
/// </summary>
internal static class InterleavedCallsCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = ServeCommand.Options(args);
        var rounds = int.Parse(options.GetValueOrDefault("rounds", "100"), CultureInfo.InvariantCulture);
        if (rounds < 3)
        {
            throw new ArgumentException($"--rounds must be at least 3 (was {rounds}).");
        }

        Console.WriteLine($"# Status call, interleaved: {rounds} rounds, each variant one block per round, order rotating; {Environment.ProcessorCount} cores");
        Console.WriteLine();
        Console.WriteLine("| transport | variant | median per call | paired ratio to raw: median [p10–p90] | ratio of medians | allocated per call | alloc ratio | median ≤ 1.3x | alloc ≤ 2x |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---|---|");
        foreach (var transport in Enum.GetValues<Transport>())
        {
            var bench = new StatusCallBenchmarks { Transport = transport };
            bench.Setup();
            try
            {
                var variants = new (string Name, Func<Task> Call)[]
                {
                    ("raw HttpClient + STJ", bench.RawHttpClient),
                    ("generated client", bench.GeneratedClient),
                    ("adapter GetJobAsync", bench.Adapter),
                    ("adapter + resilience", bench.AdapterWithResilience),
                };
                var block = transport == Transport.InMemory ? 5000 : 400;
                foreach (var (_, call) in variants)
                {
                    for (var i = 0; i < 3; i++)
                    {
                        await RunBlockAsync(call, block).ConfigureAwait(false);
                    }
                }

                var perCall = variants.Select(_ => new List<double>()).ToArray();
                var bytes = variants.Select(_ => new List<double>()).ToArray();
                for (var round = 0; round < rounds; round++)
                {
                    for (var k = 0; k < variants.Length; k++)
                    {
                        var v = (k + round) % variants.Length;
                        var (nanoseconds, allocated) = await RunBlockAsync(variants[v].Call, block).ConfigureAwait(false);
                        perCall[v].Add(nanoseconds);
                        bytes[v].Add(allocated);
                    }
                }

                var rawMedian = new Stats(perCall[0]).P50;
                var rawBytes = new Stats(bytes[0]).P50;
                for (var v = 0; v < variants.Length; v++)
                {
                    var paired = new Stats(perCall[v].Zip(perCall[0], (a, b) => a / b));
                    var median = new Stats(perCall[v]).P50;
                    var allocated = new Stats(bytes[v]).P50;
                    var baseline = v == 0;
                    Console.WriteLine(
                        $"| {transport} | {variants[v].Name} | {Time(median)} | {F(paired.P50)}x [{F(paired.Percentile(0.1))}–{F(paired.Percentile(0.9))}] | {F(median / rawMedian)}x " +
                        $"| {F(allocated, "N0")} B | {F(allocated / rawBytes)}x | {(baseline ? "baseline" : paired.P50 <= CallsCommand.MedianRatioTarget ? "met" : "**MISSED**")} | {(baseline ? "baseline" : allocated / rawBytes <= CallsCommand.AllocationRatioTarget ? "met" : "**MISSED**")} |");
                }
            }
            finally
            {
                bench.Cleanup();
            }
        }

        await PrintAllocationBreakdownAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>
    /// Where a status call's bytes go, on the in-memory transport: the whole calls, then the pieces the
    /// generated client does that the raw call does not, re-enacted here line for line (the generated code
    /// cannot be called piecewise). Bytes per call, GC.GetTotalAllocatedBytes(precise) over 5,000 calls.
    /// </summary>
    private static async Task PrintAllocationBreakdownAsync()
    {
        var bench = new StatusCallBenchmarks { Transport = Transport.InMemory };
        bench.Setup();
        try
        {
            var body = System.Text.Encoding.UTF8.GetBytes(ServeCommand.CompletedGenerationJson);
            using var http = new HttpClient(new FixedResponseHandler());
            var settings = new Newtonsoft.Json.JsonSerializerSettings();
            var uri = new Uri("http://in-memory.invalid/api/v2/generate/18500");
            var rows = new (string Name, Func<Task> Work)[]
            {
                ("whole call: raw HttpClient + STJ", bench.RawHttpClient),
                ("whole call: generated client", bench.GeneratedClient),
                ("whole call: adapter GetJobAsync", bench.Adapter),
                ("whole call: adapter + resilience", bench.AdapterWithResilience),
                ("part: HttpClient.SendAsync to the in-memory handler, response disposed", async () =>
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                    (await http.SendAsync(request).ConfigureAwait(false)).Dispose();
                }),
                ("part: request preparation as generated code + VendorClientBase do it", () =>
                {
                    using var request = new HttpRequestMessage();
                    request.Method = new HttpMethod("GET");
                    request.Headers.Accept.Add(System.Net.Http.Headers.MediaTypeWithQualityHeaderValue.Parse("application/json"));
                    var url = new System.Text.StringBuilder();
                    url.Append("http://in-memory.invalid/api/").Append("v2/generate/").Append(Uri.EscapeDataString(18500L.ToString(CultureInfo.InvariantCulture)));
                    request.RequestUri = new Uri(url.ToString(), UriKind.RelativeOrAbsolute);
                    request.Headers.UserAgent.ParseAdd(Http.VendorClientConfiguration.DefaultUserAgent);
                    request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "sk-benchmark-not-a-secret");
                    return Task.CompletedTask;
                }),
                ("part: SendAsync (the row above) + the response-header dictionary generated code builds", async () =>
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                    using var response = await http.SendAsync(request).ConfigureAwait(false);
                    var headers = new Dictionary<string, IEnumerable<string>>();
                    foreach (var item in response.Headers)
                    {
                        headers[item.Key] = item.Value;
                    }

                    foreach (var item in response.Content.Headers)
                    {
                        headers[item.Key] = item.Value;
                    }
                }),
                ("part: Newtonsoft read as generated (StreamReader + JsonTextReader + JsonSerializer.Create)", () =>
                {
                    using var stream = new MemoryStream(body, writable: false);
                    using var text = new StreamReader(stream);
                    using var json = new Newtonsoft.Json.JsonTextReader(text);
                    Newtonsoft.Json.JsonSerializer.Create(settings).Deserialize<VideoGen.Elumenta.Generation>(json);
                    return Task.CompletedTask;
                }),
                ("  of which: StreamReader, first read", () =>
                {
                    using var stream = new MemoryStream(body, writable: false);
                    using var text = new StreamReader(stream);
                    text.Peek();
                    return Task.CompletedTask;
                }),
                ("  of which: StreamReader + JsonTextReader reading every token", () =>
                {
                    using var stream = new MemoryStream(body, writable: false);
                    using var text = new StreamReader(stream);
                    using var json = new Newtonsoft.Json.JsonTextReader(text);
                    while (json.Read())
                    {
                    }

                    return Task.CompletedTask;
                }),
                ("part: System.Text.Json read (the baseline's)", () =>
                {
                    using var stream = new MemoryStream(body, writable: false);
                    System.Text.Json.JsonSerializer.Deserialize(stream, RawJson.Default.RawGeneration);
                    return Task.CompletedTask;
                }),
            };

            Console.WriteLine();
            Console.WriteLine("## Where the bytes go (in-memory transport, bytes per call)");
            Console.WriteLine();
            Console.WriteLine("| what | bytes per call |");
            Console.WriteLine("|---|---:|");
            foreach (var (name, work) in rows)
            {
                for (var i = 0; i < 2000; i++)
                {
                    await work().ConfigureAwait(false);
                }

                var before = GC.GetTotalAllocatedBytes(precise: true);
                for (var i = 0; i < 5000; i++)
                {
                    await work().ConfigureAwait(false);
                }

                Console.WriteLine($"| {name} | {(GC.GetTotalAllocatedBytes(precise: true) - before) / 5000:N0} |");
            }
        }
        finally
        {
            bench.Cleanup();
        }
    }

    /// <summary>Runs <paramref name="count"/> calls one after another; returns nanoseconds and bytes allocated (this process) per call.</summary>
    private static async Task<(double Nanoseconds, double Bytes)> RunBlockAsync(Func<Task> call, int count)
    {
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await call().ConfigureAwait(false);
        }

        watch.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        return (watch.Elapsed.TotalNanoseconds / count, (double)allocated / count);
    }

    private static string Time(double nanoseconds) => nanoseconds >= 1_000
        ? string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1_000:0.0} µs")
        : string.Create(CultureInfo.InvariantCulture, $"{nanoseconds:0} ns");
}
