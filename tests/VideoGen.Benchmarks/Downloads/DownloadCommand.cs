using System.Diagnostics;
using System.Globalization;
using VideoGen.Benchmarks.Infrastructure;
using VideoGen.Downloads;
using static VideoGen.Benchmarks.Infrastructure.Format;

namespace VideoGen.Benchmarks.Downloads;

/// <summary>
/// <c>download</c>: a 1 GiB result from a loopback server (a child process generating the bytes on the
/// fly, with Content-Length) written to a temporary file, by <see cref="VideoDownloader"/> and by a raw
/// <c>HttpClient.GetStreamAsync</c> + <c>CopyToAsync</c>, alternating over several rounds in one run.
/// Measured in this process only: managed allocation (GC.GetTotalAllocatedBytes delta), the kernel's
/// peak resident set during the download (VmHWM, reset before each), and throughput.
/// </summary>
internal static class DownloadCommand
{
    private const long AllocationTarget = 1024 * 1024;
    private const long PeakTarget = 100L * 1024 * 1024;
    private const double ThroughputTarget = 0.8;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = ServeCommand.Options(args);
        var size = long.Parse(options.GetValueOrDefault("size", (1L << 30).ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        var rounds = int.Parse(options.GetValueOrDefault("rounds", "6"), CultureInfo.InvariantCulture);
        if (size < 1 || rounds < 1)
        {
            throw new ArgumentException($"--size ({size}) and --rounds ({rounds}) must be at least 1.");
        }

        await using var server = await ChildServer.StartAsync("bytes", "--size", size.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
        var directory = Directory.CreateTempSubdirectory("videogen-download-bench-");
        var url = new Uri(server.Url, "result.mp4");
        Console.WriteLine($"# Downloads: {size:N0} bytes from {url} to {directory.FullName}, {rounds} rounds, {Environment.ProcessorCount} cores");
        Console.WriteLine();
        Console.WriteLine("VideoDownloader runs with DownloadOptions.BlockPrivateNetworks = false (the server is on loopback) and otherwise its defaults (80 KiB buffer, idle timeout, temp file + move).");
        try
        {
            // Both clients exist before anything is measured; each is warmed up (JIT, connection) with a small download.
            using var raw = new HttpClient(new SocketsHttpHandler()) { Timeout = Timeout.InfiniteTimeSpan };
            using var downloader = new VideoDownloader(new DownloadOptions { BlockPrivateNetworks = false });
            var variants = new (string Name, Func<Uri, string, Task> Run)[]
            {
                ("raw GetStreamAsync + CopyToAsync", async (source, path) =>
                {
                    await using var body = await raw.GetStreamAsync(source).ConfigureAwait(false);
                    await using var file = File.Create(path);
                    await body.CopyToAsync(file).ConfigureAwait(false);
                }),
                ("VideoDownloader.DownloadAsync", async (source, path) => await downloader.DownloadAsync(source, path).ConfigureAwait(false)),

                // Diagnostic: the raw download written like VideoDownloader writes (one 80 KiB buffer, an
                // asynchronous unbuffered FileStream), to tell the library's cost from the copy strategy's.
                ("raw, 80 KiB read/write loop", async (source, path) =>
                {
                    await using var body = await raw.GetStreamAsync(source).ConfigureAwait(false);
                    await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.Asynchronous);
                    var buffer = new byte[DownloadOptions.DefaultBufferSize];
                    int read;
                    while ((read = await body.ReadAsync(buffer).ConfigureAwait(false)) > 0)
                    {
                        await file.WriteAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
                    }
                }),
            };

            foreach (var (_, run) in variants)
            {
                var warm = Path.Combine(directory.FullName, "warm-up.mp4");
                await run(new Uri(server.Url, "warm-up.mp4?size=8388608"), warm).ConfigureAwait(false);
                File.Delete(warm);
            }

            var measurements = new List<Measurement>();
            Console.WriteLine();
            Console.WriteLine("| round | variant | seconds | MiB/s | managed allocation | peak resident (VmHWM) | resident before |");
            Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|");
            for (var round = 1; round <= rounds; round++)
            {
                // Rotate the order so no variant always runs first (or on a warmer page cache).
                var order = variants.Skip((round - 1) % variants.Length).Concat(variants.Take((round - 1) % variants.Length)).ToArray();
                foreach (var (name, run) in order)
                {
                    var path = Path.Combine(directory.FullName, $"round-{round}.mp4");
                    var m = await MeasureAsync(name, round, () => run(url, path)).ConfigureAwait(false);
                    var written = new FileInfo(path).Length;
                    File.Delete(path);
                    if (written != size)
                    {
                        throw new InvalidOperationException($"{name} wrote {written} bytes, not {size}.");
                    }

                    measurements.Add(m);
                    Console.WriteLine($"| {round} | {name} | {F(m.Seconds, "0.000")} | {F(size / 1024.0 / 1024.0 / m.Seconds, "0")} | {m.Allocated:N0} B | {MiB(m.PeakResident)} | {MiB(m.ResidentBefore)} |");
                }
            }

            var rawMedian = Median(measurements.Where(m => m.Name == variants[0].Name).Select(m => size / m.Seconds));
            var vgMedian = Median(measurements.Where(m => m.Name == variants[1].Name).Select(m => size / m.Seconds));
            var vg = measurements.Where(m => m.Name == variants[1].Name).ToList();
            var rawRuns = measurements.Where(m => m.Name == variants[0].Name).ToList();
            var ratio = vgMedian / rawMedian;
            var loopMedian = Median(measurements.Where(m => m.Name == variants[2].Name).Select(m => size / m.Seconds));
            Console.WriteLine();
            Console.WriteLine("| | raw | VideoDownloader | target | met |");
            Console.WriteLine("|---|---:|---:|---|---|");
            Console.WriteLine($"| median throughput | {F(rawMedian / 1024 / 1024, "0")} MiB/s | {F(vgMedian / 1024 / 1024, "0")} MiB/s (ratio {F(ratio)}x) | ≥ {ThroughputTarget}x raw | {Yes(ratio >= ThroughputTarget)} |");
            Console.WriteLine($"| (diagnostic) median throughput of the raw 80 KiB loop | {F(loopMedian / 1024 / 1024, "0")} MiB/s | VideoDownloader ÷ loop {F(vgMedian / loopMedian)}x | | |");
            Console.WriteLine($"| max managed allocation | {rawRuns.Max(m => m.Allocated):N0} B | {vg.Max(m => m.Allocated):N0} B | ≤ 1 MiB | {Yes(vg.Max(m => m.Allocated) <= AllocationTarget)} |");
            Console.WriteLine($"| max peak resident | {MiB(rawRuns.Max(m => m.PeakResident))} | {MiB(vg.Max(m => m.PeakResident))} | ≤ 100 MiB | {Yes(vg.Max(m => m.PeakResident) <= PeakTarget)} |");
            return 0;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<Measurement> MeasureAsync(string name, int round, Func<Task> run)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var residentBefore = ProcStats.ResidentBytes();
        if (!ProcStats.ResetPeakResident())
        {
            throw new InvalidOperationException("Cannot reset the peak resident set (/proc/self/clear_refs); this benchmark needs Linux.");
        }

        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        await run().ConfigureAwait(false);
        watch.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        return new Measurement(name, round, watch.Elapsed.TotalSeconds, allocated, ProcStats.PeakResidentBytes(), residentBefore);
    }

    private static double Median(IEnumerable<double> values) => new Stats(values).P50;

    private static string Yes(bool ok) => ok ? "yes" : "**no**";

    private sealed record Measurement(string Name, int Round, double Seconds, long Allocated, long PeakResident, long ResidentBefore);
}
