using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace VideoGen.Benchmarks.Calls;

/// <summary>
/// <c>calls [BenchmarkDotNet args]</c>: the per-call overhead benchmarks under BenchmarkDotNet, then a
/// table of median (p50) and allocation ratios against the raw baseline of the same run, with the targets.
/// </summary>
internal static class CallsCommand
{
    public const double MedianRatioTarget = 1.3;
    public const double AllocationRatioTarget = 2.0;

    public static int Run(string[] args)
    {
        // A short job: 1 launch, 6 warm-ups, 15 iterations of ~0.5 s, in-process; about 4 minutes for
        // everything on 2 cores. ShortRun's 3 iterations were tried first: on 2 shared cores with the
        // server in another process its medians moved by ±30% between runs, too much for a 1.3x target.
        // In-process because BenchmarkDotNet's generated projects would inherit this repository's build
        // settings (central package versions, warnings as errors); the servers run in child processes anyway.
        var job = Job.Default
            .WithLaunchCount(1)
            .WithWarmupCount(6)
            .WithIterationCount(15)
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithId("Short15-InProcess");
        var config = ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(StatisticColumn.Median, StatisticColumn.P95)
            .WithOptions(ConfigOptions.DisableLogFile);

        var switcherArgs = args.Length == 0 ? ["--filter", "*"] : args;
        var summaries = BenchmarkSwitcher.FromTypes([typeof(StatusCallBenchmarks), typeof(StatusBodyJsonBenchmarks)]).Run(switcherArgs, config).ToList();

        Console.WriteLine();
        Console.WriteLine($"## Ratios to the baseline of the same run (targets: median <= {MedianRatioTarget}x, allocations <= {AllocationRatioTarget}x for the status call)");
        foreach (var summary in summaries)
        {
            PrintRatios(summary);
        }

        return summaries.All(s => !s.HasCriticalValidationErrors && s.Reports.All(r => r.Success)) ? 0 : 1;
    }

    private static void PrintRatios(Summary summary)
    {
        var groups = summary.Reports.GroupBy(r => r.BenchmarkCase.Parameters.DisplayInfo);
        var type = summary.BenchmarksCases.FirstOrDefault()?.Descriptor.Type.Name ?? "?";
        Console.WriteLine();
        Console.WriteLine($"### {type}");
        Console.WriteLine();
        Console.WriteLine("| params | method | median | p95 | median ratio | allocated/op | alloc ratio | verdict |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---|");
        foreach (var group in groups)
        {
            var baseline = group.FirstOrDefault(r => r.BenchmarkCase.Descriptor.Baseline);
            if (baseline?.ResultStatistics is null)
            {
                continue;
            }

            var baseMedian = baseline.ResultStatistics.Median;
            var baseAlloc = baseline.GcStats.GetBytesAllocatedPerOperation(baseline.BenchmarkCase) ?? 0;
            foreach (var report in group)
            {
                if (report.ResultStatistics is null)
                {
                    Console.WriteLine($"| {group.Key} | {report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo} | failed | | | | | |");
                    continue;
                }

                var median = report.ResultStatistics.Median;
                var p95 = report.ResultStatistics.Percentiles.P95;
                var alloc = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? 0;
                var medianRatio = median / baseMedian;
                var allocRatio = baseAlloc > 0 ? (double)alloc / baseAlloc : double.NaN;
                var verdict = report.BenchmarkCase.Descriptor.Baseline ? "baseline"
                    : type != nameof(StatusCallBenchmarks) ? "(diagnostic)"
                    : $"median {(medianRatio <= MedianRatioTarget ? "met" : "MISSED")}, alloc {(allocRatio <= AllocationRatioTarget ? "met" : "MISSED")}";
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {group.Key} | {report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo} | {Time(median)} | {Time(p95)} | {medianRatio:0.00}x | {alloc:N0} B | {allocRatio:0.00}x | {verdict} |"));
            }
        }
    }

    private static string Time(double nanoseconds) => nanoseconds >= 1_000_000
        ? string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1_000_000:0.00} ms")
        : nanoseconds >= 1_000 ? string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1_000:0.0} µs")
        : string.Create(CultureInfo.InvariantCulture, $"{nanoseconds:0} ns");
}
