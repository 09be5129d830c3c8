using System.Diagnostics;
using System.Reflection;
using VideoGen.Benchmarks.Build;
using VideoGen.Benchmarks.Calls;
using VideoGen.Benchmarks.Downloads;
using VideoGen.Benchmarks.Infrastructure;
using VideoGen.Benchmarks.Scale;
using VideoGen.Benchmarks.ScaleOut;
using VideoGen.Benchmarks.Waiting;

namespace VideoGen.Benchmarks;

/// <summary>
/// The benchmark executable: <c>dotnet run -c Release --project tests/VideoGen.Benchmarks -- COMMAND</c>.
/// Every command prints VideoGen next to its baseline of the same run. See RESULTS.md.
/// </summary>
internal static class Program
{
    private const string Usage = """
        usage: dotnet run -c Release --project tests/VideoGen.Benchmarks -- COMMAND [options]

          calls     [BenchmarkDotNet args]   per-call overhead: status call via VideoGen vs raw HttpClient + System.Text.Json
          calls-interleaved [--rounds N]     the same calls in interleaved blocks, paired ratios (robust to background load)
          waiting   [--jobs N] [--seed S] [--learned-jobs N] [--section all|learned]    detection lag and polls per job, simulated on a virtual clock, per catalog model; learned vs static schedule
          scale     [--jobs N] [--vendor aimlapi|elumenta|both] [--max-concurrent N] [--time-scale F]
                                             N jobs tracked by one VideoJobMonitor against the sandbox (child process)
          download  [--size BYTES] [--rounds N (6)]
                                             VideoDownloader vs HttpClient.GetStreamAsync + CopyToAsync, 1 GiB from loopback
          build     [--rounds N]             regenerating every client from scratch vs a no-op generation build
          scaleout  [--jobs N (120)] [--time-scale F (0.01)] [--workers-per-process N (8)]
                                             in-process vs 1 and 3 `videogen worker` processes on Hangfire over PostgreSQL
        """;

    public static async Task<int> Main(string[] args)
    {
        var command = args.FirstOrDefault();
        var rest = args.Skip(1).ToArray();
        if (command is not ("serve" or "calls" or null) && !IsOptimized())
        {
            await Console.Error.WriteLineAsync("warning: this is not an optimized (Release) build; run with -c Release for numbers worth recording.").ConfigureAwait(false);
        }

        var measured = command is "calls" or "calls-interleaved" or "waiting" or "scale" or "download" or "build" or "scaleout";
        if (measured)
        {
            // The machine may be shared: the load around a run is part of its result.
            Console.WriteLine($"(load average before: {LoadAverage()})");
        }

        try
        {
            return command switch
            {
                "calls" => CallsCommand.Run(rest),
                "calls-interleaved" => await InterleavedCallsCommand.RunAsync(rest).ConfigureAwait(false),
                "waiting" => await WaitingCommand.RunAsync(rest).ConfigureAwait(false),
                "scale" => await ScaleCommand.RunAsync(rest).ConfigureAwait(false),
                "download" => await DownloadCommand.RunAsync(rest).ConfigureAwait(false),
                "build" => await BuildCommand.RunAsync(rest).ConfigureAwait(false),
                "scaleout" => await ScaleOutCommand.RunAsync(rest).ConfigureAwait(false),
                "serve" => await ServeCommand.RunAsync(rest).ConfigureAwait(false),
                _ => PrintUsage(),
            };
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
            return 2;
        }
        finally
        {
            if (measured)
            {
                Console.WriteLine($"(load average after: {LoadAverage()})");
            }
        }
    }

    private static string LoadAverage()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"{parts[0]} {parts[1]} {parts[2]} (1/5/15 min) on {Environment.ProcessorCount} cores";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static int PrintUsage()
    {
        Console.WriteLine(Usage);
        return 2;
    }

    private static bool IsOptimized() =>
        typeof(Program).Assembly.GetCustomAttribute<DebuggableAttribute>() is not { IsJITOptimizerDisabled: true };
}
