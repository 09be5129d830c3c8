using System.Collections.Concurrent;
using VideoGen.Benchmarks.Infrastructure;
using VideoGen.Catalog;
using VideoGen.Waiting;
using static VideoGen.Benchmarks.Infrastructure.Format;

namespace VideoGen.Benchmarks.Waiting;

/// <summary>
/// The learned schedule (<see cref="WaitOptions.ProcessingTimes"/>) against the static one and fixed loops, on
/// simulated vendors whose true durations are (a) as documented, (b) twice as slow, (c) log-normal around the
/// documented midpoint, (d) as documented for the first half of the run and twice as slow for the second. Jobs
/// run one after another, each on a fresh virtual clock; the learned strategy records each finished job into one
/// <see cref="InMemoryProcessingTimeHistory"/> per run, as a process waiting on one model would.
/// </summary>
internal static class LearnedWaiting
{
    /// <summary>Jobs of history after which the targets are judged.</summary>
    public const int JudgedAfter = 50;

    /// <summary>The spread (σ of the logarithm) of case (c)'s durations.</summary>
    public const double LogNormalSigma = 0.3;

    /// <summary>The window of jobs over which "history needed" is judged.</summary>
    private const int Window = 100;

    private static readonly string[] StrategyNames = ["learned", "static", "fixed 1 s", "fixed 5 s", "Runway 6 ± 1.5 s"];

    public enum Case
    {
        AsDocumented,
        TwiceAsSlow,
        LogNormal,
        Shifting,
    }

    public static async Task<List<Run>> RunAsync(int jobs, int seed)
    {
        // One representative model per distinct catalog window (every strategy depends only on the window).
        var models = VideoModelCatalog.Default.Vendors.SelectMany(v => v.Models.Select(m => (Vendor: v, Model: m)))
            .GroupBy(m => (m.Model.ProcessingTime.Min, m.Model.ProcessingTime.Max)).Select(g => g.First())
            .OrderBy(m => m.Model.ProcessingTime.Min).ThenBy(m => m.Model.ProcessingTime.Max).ToList();
        var runs = new ConcurrentBag<Run>();
        var work = models.SelectMany(m => Enum.GetValues<Case>().Select(c => (m.Vendor, m.Model, Case: c))).ToList();
        await Parallel.ForEachAsync(
            work,
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            async (w, _) => runs.Add(await SimulateAsync(w.Vendor, w.Model, w.Case, jobs, seed).ConfigureAwait(false))).ConfigureAwait(false);
        var ordered = runs.OrderBy(r => r.Model.ProcessingTime.Min).ThenBy(r => r.Model.ProcessingTime.Max).ThenBy(r => r.Case).ToList();
        Print(ordered, jobs, seed);
        return ordered;
    }

    public static double[] Durations(ProcessingTime window, Case kind, int count, int seed)
    {
        var random = new Random(seed);
        var min = window.Min.TotalSeconds;
        var max = window.Max.TotalSeconds;
        double Uniform(double scale) => scale * (min + ((max - min) * random.NextDouble()));
        double LogNormal()
        {
            // Box–Muller; median at the documented midpoint.
            var u1 = 1 - random.NextDouble();
            var u2 = random.NextDouble();
            var z = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            return (min + max) / 2 * Math.Exp(LogNormalSigma * z);
        }

        return Enumerable.Range(0, count).Select(i => kind switch
        {
            Case.AsDocumented => Uniform(1),
            Case.TwiceAsSlow => Uniform(2),
            Case.LogNormal => LogNormal(),
            _ => Uniform(i < count / 2 ? 1 : 2),
        }).ToArray();
    }

    private static async Task<Run> SimulateAsync(VendorInfo vendor, VideoModelInfo model, Case kind, int jobs, int seed)
    {
        var durations = Durations(model.ProcessingTime, kind, jobs, seed + (int)kind);
        var history = new InMemoryProcessingTimeHistory();
        var outcomes = StrategyNames.ToDictionary(n => n, _ => new List<WaitingCommand.Outcome>());
        var runway = new Random(seed);
        for (var i = 0; i < durations.Length; i++)
        {
            var duration = TimeSpan.FromSeconds(durations[i]);
            outcomes["learned"].Add(await WaitAsync(vendor.DisplayName, model.Id, duration, seed + i, history).ConfigureAwait(false));
            outcomes["static"].Add(await WaitAsync(vendor.DisplayName, model.Id, duration, seed + i, history: null).ConfigureAwait(false));
            outcomes["fixed 1 s"].Add(await LoopAsync(duration, () => 1).ConfigureAwait(false));
            outcomes["fixed 5 s"].Add(await LoopAsync(duration, () => 5).ConfigureAwait(false));
            outcomes["Runway 6 ± 1.5 s"].Add(await LoopAsync(duration, () => 6 + (1.5 * ((runway.NextDouble() * 2) - 1))).ConfigureAwait(false));
        }

        return new Run(vendor, model, kind, durations, outcomes);
    }

    private static async Task<WaitingCommand.Outcome> WaitAsync(string vendor, string model, TimeSpan duration, int seed, IProcessingTimeHistory? history)
    {
        var clock = new VirtualTimeProvider();
        var generator = new SimulatedJobGenerator(clock, vendor, model, duration);
        var operation = new VideoJobOperation(generator, generator.Submitted);
        var options = new WaitOptions { TimeProvider = clock, Random = new Random(seed), ProcessingTimes = history, Timeout = TimeSpan.FromHours(1) };
        await operation.WaitForCompletionAsync(options).ConfigureAwait(false);
        return new WaitingCommand.Outcome((generator.Elapsed - duration).TotalSeconds, generator.Polls, double.NaN, TimedOut: false);
    }

    /// <summary>Read at once, then sleep the interval given and read again (the peers' loops).</summary>
    private static async Task<WaitingCommand.Outcome> LoopAsync(TimeSpan duration, Func<double> interval)
    {
        var clock = new VirtualTimeProvider();
        var generator = new SimulatedJobGenerator(clock, "sim", "sim", duration);
        while (!(await generator.GetJobAsync("sim-1").ConfigureAwait(false)).HasCompleted)
        {
            await Task.Delay(TimeSpan.FromSeconds(interval()), clock).ConfigureAwait(false);
        }

        return new WaitingCommand.Outcome((generator.Elapsed - duration).TotalSeconds, generator.Polls, double.NaN, TimedOut: false);
    }

    private static string CaseName(Case kind) => kind switch
    {
        Case.AsDocumented => "(a) as documented",
        Case.TwiceAsSlow => "(b) twice as slow",
        Case.LogNormal => $"(c) log-normal, median at the midpoint, σ = {LogNormalSigma}",
        _ => "(d) as documented, then twice as slow from the middle",
    };

    private static void Print(List<Run> runs, int jobs, int seed)
    {
        Console.WriteLine();
        Console.WriteLine($"## Learned schedule vs static and fixed loops ({jobs} jobs per case, one after another, seed {seed})");
        Console.WriteLine();
        Console.WriteLine($"Learned = WaitOptions.ProcessingTimes set to one InMemoryProcessingTimeHistory (capacity {InMemoryProcessingTimeHistory.DefaultCapacity}) per run; it uses the documented window until the model has {WaitOptions.DefaultMinimumHistory} jobs. " +
            $"The simulated vendor reports its completion time (as Elumenta, the gateway and Oxen do). Lag and polls are over jobs {JudgedAfter + 1}–{jobs} (after {JudgedAfter} jobs of history). " +
            $"\"History needed\": the first job from which every later {Window}-job window has mean lag ≤ 1 s and polls ≤ ⅓ of the fixed 1 s loop's on the same jobs (\"never\" if none).");
        foreach (var model in runs.GroupBy(r => r.Model))
        {
            var m = model.Key;
            Console.WriteLine();
            Console.WriteLine($"### window {m.ProcessingTime.Min.TotalSeconds:0}–{m.ProcessingTime.Max.TotalSeconds:0} s{(m.ProcessingTime.Inferred ? " (inferred)" : string.Empty)}: {model.First().Vendor.Id}/{m.Id}");
            Console.WriteLine();
            Console.WriteLine("| case | strategy | lag mean / p95 (s) | polls/job | ÷ fixed 1 s polls | history needed (jobs) | mean lag ≤ 1 s | polls ≤ ⅓ | better than static |");
            Console.WriteLine("|---|---|---:|---:|---:|---:|---|---|---|");
            foreach (var run in model)
            {
                var fixed1 = run.Judged("fixed 1 s");
                var stat = run.Judged("static");
                foreach (var name in StrategyNames)
                {
                    var s = run.Judged(name);
                    var share = s.Polls.Mean / fixed1.Polls.Mean;
                    var better = name == "static" ? "–" : Yes(s.Lag.Mean < stat.Lag.Mean && s.Polls.Mean <= stat.Polls.Mean, s.Lag.Mean <= stat.Lag.Mean || s.Polls.Mean <= stat.Polls.Mean);
                    Console.WriteLine($"| {(name == "learned" ? CaseName(run.Case) : string.Empty)} | {name} | {F(s.Lag.Mean)} / {F(s.Lag.P95)} | {F(s.Polls.Mean, "0.0")} | {F(share)} | {run.HistoryNeeded(name)} | {Yes(s.Lag.Mean <= 1)} | {Yes(share <= 1.0 / 3)} | {better} |");
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine("### Learned schedule against the targets (after 50 jobs of history)");
        Console.WriteLine();
        Console.WriteLine("| window | case | learned lag mean (s) | learned ÷ fixed 1 s polls | static lag mean (s) | static ÷ fixed 1 s polls | mean lag ≤ 1 s | polls ≤ ⅓ | strictly better than static (lower lag, no more polls) |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---|---|---|");
        foreach (var run in runs)
        {
            var learned = run.Judged("learned");
            var stat = run.Judged("static");
            var fixed1 = run.Judged("fixed 1 s").Polls.Mean;
            Console.WriteLine($"| {run.Model.ProcessingTime.Min.TotalSeconds:0}–{run.Model.ProcessingTime.Max.TotalSeconds:0}{(run.Model.ProcessingTime.Inferred ? " inferred" : string.Empty)} | {CaseName(run.Case)} " +
                $"| {F(learned.Lag.Mean)} | {F(learned.Polls.Mean / fixed1)} | {F(stat.Lag.Mean)} | {F(stat.Polls.Mean / fixed1)} " +
                $"| {Yes(learned.Lag.Mean <= 1)} | {Yes(learned.Polls.Mean / fixed1 <= 1.0 / 3)} | {(run.Case == Case.AsDocumented ? "(not required) " : string.Empty)}{Yes(learned.Lag.Mean < stat.Lag.Mean && learned.Polls.Mean <= stat.Polls.Mean)} |");
        }
    }

    private static string Yes(bool ok, bool partly = false) => ok ? "yes" : partly ? "partly" : "**no**";

    internal sealed record Run(VendorInfo Vendor, VideoModelInfo Model, Case Case, double[] Durations, Dictionary<string, List<WaitingCommand.Outcome>> Outcomes)
    {
        public Stats2 Judged(string strategy) => new(Outcomes[strategy].Skip(JudgedAfter).ToList());

        public string HistoryNeeded(string strategy)
        {
            var outcomes = Outcomes[strategy];
            var fixed1 = Outcomes["fixed 1 s"];
            var n = outcomes.Count;
            if (n < Window)
            {
                return "–";
            }

            // Scan back from the last window: the earliest start after which every window meets both targets.
            var earliest = -1;
            for (var start = n - Window; start >= 0; start--)
            {
                var lag = outcomes.Skip(start).Take(Window).Average(o => o.Lag);
                var polls = outcomes.Skip(start).Take(Window).Average(o => o.Requests);
                var fixedPolls = fixed1.Skip(start).Take(Window).Average(o => o.Requests);
                if (lag <= 1 && polls <= fixedPolls / 3)
                {
                    earliest = start;
                }
                else
                {
                    break;
                }
            }

            return earliest < 0 ? "never" : earliest.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    internal sealed class Stats2(List<WaitingCommand.Outcome> outcomes)
    {
        public Stats Lag { get; } = new(outcomes.Select(o => o.Lag));

        public Stats Polls { get; } = new(outcomes.Select(o => (double)o.Requests));
    }
}
