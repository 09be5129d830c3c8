using System.Diagnostics;
using System.Globalization;
using VideoGen.Benchmarks.Infrastructure;
using static VideoGen.Benchmarks.Infrastructure.Format;

namespace VideoGen.Benchmarks.Build;

/// <summary>
/// <c>build</c>: wall time of regenerating every client from scratch
/// (<c>dotnet msbuild src/VideoGen.Clients/VideoGen.Clients.csproj -t:VideoGenGenerateClients -p:VideoGenForceGenerate=true -p:VideoGenGeneratedDir=&lt;tmp&gt;/</c>)
/// against a no-op run of the same target over the same directory, in the same run; the no-op's log
/// (detailed verbosity) must show no generator launch: no "VideoGen: generating" line and no NSwag command.
/// </summary>
internal static class BuildCommand
{
    private const string GeneratingMarker = "VideoGen: generating";
    private const string CurrentMarker = "no generator launched";
    private const string NSwagMarker = "dotnet-nswag.dll";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = ServeCommand.Options(args);
        var rounds = int.Parse(options.GetValueOrDefault("rounds", "3"), CultureInfo.InvariantCulture);
        var root = options.GetValueOrDefault("repo") ?? FindRepoRoot()
            ?? throw new ArgumentException("Cannot find the repository (Contracts.sln) above the current directory; pass --repo PATH.");
        var project = Path.Combine(root, "src", "VideoGen.Clients", "VideoGen.Clients.csproj");
        var temp = Directory.CreateTempSubdirectory("videogen-build-bench-");
        Console.WriteLine($"# Build: regenerate every client from scratch vs a no-op generation build ({rounds} rounds, {Environment.ProcessorCount} cores)");
        Console.WriteLine();
        try
        {
            var generated = temp.FullName + Path.DirectorySeparatorChar;

            // Not timed as a round: the first forced run warms the NuGet cache and the file system.
            var first = await MsBuildAsync(root, project, generated, force: true).ConfigureAwait(false);
            Console.WriteLine($"first forced run (not timed): {F(first.Seconds, "0.0")} s, exit {first.ExitCode}");
            if (first.ExitCode != 0)
            {
                Console.WriteLine(first.Log);
                return 1;
            }

            var forced = new List<Run>();
            var noOps = new List<Run>();
            Console.WriteLine();
            Console.WriteLine("| round | build | wall seconds (dotnet msbuild process) | VideoGenGenerateClients target (ms) | of which VideoGenComputeStamp task (ms) | inline task compiled in this process | exit | 'VideoGen: generating' lines | NSwag command lines | 'no generator launched' lines |");
            Console.WriteLine("|---:|---|---:|---:|---:|---|---:|---:|---:|---:|");
            for (var round = 1; round <= rounds; round++)
            {
                foreach (var file in temp.GetFiles())
                {
                    file.Delete();
                }

                var f = await MsBuildAsync(root, project, generated, force: true).ConfigureAwait(false);
                var n = await MsBuildAsync(root, project, generated, force: false).ConfigureAwait(false);
                forced.Add(f);
                noOps.Add(n);
                Print(round, "forced, from scratch", f);
                Print(round, "no-op", n);
            }

            // The committed clients must be current too: a no-op over generated/ itself.
            var committed = await MsBuildAsync(root, project, generatedDir: null, force: false).ConfigureAwait(false);
            Print(0, "no-op over the committed generated/", committed);

            var forcedMedian = new Stats(forced.Select(r => r.Seconds)).P50;
            var noOpMedian = new Stats(noOps.Select(r => r.Seconds)).P50;
            var forcedTarget = new Stats(forced.Select(r => r.TargetMs)).P50;
            var noOpTarget = new Stats(noOps.Select(r => r.TargetMs)).P50;
            var identical = Directory.GetFiles(temp.FullName, "*.g.cs").All(f => File.ReadAllBytes(f).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(root, "generated", Path.GetFileName(f)))));
            var clean = noOps.Append(committed).All(r => r.ExitCode == 0 && r.Generating == 0 && r.NSwag == 0 && r.Current > 0);
            Console.WriteLine();
            Console.WriteLine($"median forced regeneration {F(forcedMedian, "0.00")} s; median no-op {F(noOpMedian, "0.00")} s; no-op / forced = {F(noOpMedian / forcedMedian, "0.000")} (forced is {F(forcedMedian / noOpMedian, "0.0")}x the no-op)");
            Console.WriteLine($"the target alone: forced {F(forcedTarget, "0")} ms, no-op {F(noOpTarget, "0")} ms (the rest of each wall time is starting dotnet msbuild and evaluating the project); the stamp task itself: no-op {F(new Stats(noOps.Select(r => r.StampTaskMs)).P50, "0")} ms. The rest of the no-op target is mostly RoslynCodeTaskFactory compiling the inline stamp task in each fresh MSBuild process (log: 'Compiling task source code').");
            Console.WriteLine($"regenerated clients byte-identical to the committed generated/: {(identical ? "yes" : "**no**")}");
            Console.WriteLine($"no-op launched no generator (no '{GeneratingMarker}', no '{NSwagMarker}' in any no-op log, '{CurrentMarker}' present): {(clean ? "yes" : "**no**")}");
            Console.WriteLine();
            Console.WriteLine("VideoGen lines of the last no-op log:");
            Console.WriteLine("```");
            foreach (var line in noOps[^1].Log.Split('\n').Where(l => l.Contains("VideoGen:", StringComparison.Ordinal)).Select(l => l.Trim()).Distinct())
            {
                Console.WriteLine(line);
            }

            Console.WriteLine("```");
            Console.WriteLine("VideoGen lines of the last forced log:");
            Console.WriteLine("```");
            foreach (var line in forced[^1].Log.Split('\n').Where(l => l.Contains("VideoGen:", StringComparison.Ordinal)).Select(l => l.Trim()).Distinct())
            {
                Console.WriteLine(line);
            }

            Console.WriteLine("```");
            return clean && forced.All(r => r.ExitCode == 0 && r.Generating == 4) ? 0 : 1;
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    private static void Print(int round, string name, Run r) =>
        Console.WriteLine($"| {(round == 0 ? "–" : round.ToString(CultureInfo.InvariantCulture))} | {name} | {F(r.Seconds, "0.00")} | {F(r.TargetMs, "0")} | {F(r.StampTaskMs, "0")} | {(r.CompiledInlineTask ? "yes" : "no")} | {r.ExitCode} | {r.Generating} | {r.NSwag} | {r.Current} |");

    private static async Task<Run> MsBuildAsync(string root, string project, string? generatedDir, bool force)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "msbuild", project, "-t:VideoGenGenerateClients", "-nologo", "-v:detailed", "-nodeReuse:false", "-clp:PerformanceSummary" })
        {
            info.ArgumentList.Add(arg);
        }

        if (force)
        {
            info.ArgumentList.Add("-p:VideoGenForceGenerate=true");
        }

        if (generatedDir is not null)
        {
            info.ArgumentList.Add("-p:VideoGenGeneratedDir=" + generatedDir);
        }

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start dotnet msbuild.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        watch.Stop();
        var log = await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false);
        var lines = log.Split('\n');
        return new Run(
            watch.Elapsed.TotalSeconds,
            process.ExitCode,
            lines.Count(l => l.Contains(GeneratingMarker, StringComparison.Ordinal)),
            lines.Count(l => l.Contains(NSwagMarker, StringComparison.Ordinal)),
            lines.Count(l => l.Contains(CurrentMarker, StringComparison.Ordinal)),
            Milliseconds(lines, "VideoGenGenerateClients"),
            Milliseconds(lines, "VideoGenComputeStamp"),
            lines.Any(l => l.Contains("Compiling task source code", StringComparison.Ordinal)),
            log);
    }

    private static string? FindRepoRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Contracts.sln")) && File.Exists(Path.Combine(dir.FullName, "build", "VideoGen.Generation.targets")))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }

    /// <summary>A target's or task's time from MSBuild's performance summary ("  123 ms  VideoGenGenerateClients  4 calls").</summary>
    private static double Milliseconds(string[] lines, string name)
    {
        foreach (var line in lines)
        {
            var match = System.Text.RegularExpressions.Regex.Match(line, @"^\s*(\d+) ms\s+" + name + @"\s");
            if (match.Success)
            {
                return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            }
        }

        return double.NaN;
    }

    private sealed record Run(double Seconds, int ExitCode, int Generating, int NSwag, int Current, double TargetMs, double StampTaskMs, bool CompiledInlineTask, string Log);
}
