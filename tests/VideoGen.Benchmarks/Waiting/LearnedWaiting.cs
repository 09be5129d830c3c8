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
        PrintHeader(jobs, seed);

        // One window at a time, its four cases in parallel, its table printed as soon as it is done: a long run on a
        // loaded machine shows what it has (the first version printed everything at the end and was stopped before).
        var all = new List<Run>();
        foreach (var (vendor, model) in models)
        {
            var runs = await Task.WhenAll(Enum.GetValues<Case>().Select(c => Task.Run(() => SimulateAsync(vendor, model, c, jobs, seed)))).ConfigureAwait(false);
            PrintWindow([.. runs]);
            all.AddRange(runs);
        }

        PrintSummary(all);
        return all;
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

        // What AddVideoGeneration and the CLI give every generator: one shared history, found by the wait through GetService.
        var history = new InMemoryProcessingTimeHistory();
        var outcomes = StrategyNames.ToDictionary(n => n, _ => new List<WaitingCommand.Outcome>());
        var runway = new Random(seed);
        for (var i = 0; i < durations.Length; i++)
        {
            var duration = TimeSpan.FromSeconds(durations[i]);
            outcomes["learned"].Add(await WaitAsync(vendor.DisplayName, model.Id, duration, seed + i, history).ConfigureAwait(false));
            outcomes["static"].Add(await WaitAsync(vendor.DisplayName, model.Id, duration, seed + i, history: null).ConfigureAwait(false));
            outcomes["fixed 1 s"].Add(Loop(durations[i], () => 1));
            outcomes["fixed 5 s"].Add(Loop(durations[i], () => 5));
            outcomes["Runway 6 ± 1.5 s"].Add(Loop(durations[i], () => 6 + (1.5 * ((runway.NextDouble() * 2) - 1))));
        }

        return new Run(vendor, model, kind, durations, outcomes);
    }

    /// <summary>VideoGen's wait (the real <see cref="VideoJobOperation"/>) on a virtual clock; with a history, as dependency injection sets it up.</summary>
    private static async Task<WaitingCommand.Outcome> WaitAsync(string vendor, string model, TimeSpan duration, int seed, IProcessingTimeHistory? history)
    {
        var clock = new VirtualTimeProvider();
        var simulated = new SimulatedJobGenerator(clock, vendor, model, duration);
        var generator = history is null ? simulated : new VideoGeneratorBuilder(simulated).UseProcessingTimes(history).Build();
        var operation = new VideoJobOperation(generator, simulated.Submitted);
        var options = new WaitOptions { TimeProvider = clock, Random = new Random(seed), Timeout = TimeSpan.FromHours(1) };
        await operation.WaitForCompletionAsync(options).ConfigureAwait(false);
        return new WaitingCommand.Outcome((simulated.Elapsed - duration).TotalSeconds, simulated.Polls, double.NaN, TimedOut: false);
    }

    /// <summary>The peers' loops: read at once, then sleep the interval given and read again, until done (closed form, no clock needed).</summary>
    private static WaitingCommand.Outcome Loop(double duration, Func<double> interval)
    {
        double t = 0;
        var polls = 1;
        while (t < duration)
        {
            t += interval();
            polls++;
        }

        return new WaitingCommand.Outcome(t - duration, polls, double.NaN, TimedOut: false);
    }

    private static string CaseName(Case kind) => kind switch
    {
        Case.AsDocumented => "(a) as documented",
        Case.TwiceAsSlow => "(b) twice as slow",
        Case.LogNormal => $"(c) log-normal, median at the midpoint, σ = {LogNormalSigma}",
        _ => "(d) as documented, then twice as slow from the middle",
    };

    private static void PrintHeader(int jobs, int seed)
    {
        Console.WriteLine();
        Console.WriteLine($"## Learned schedule vs static and fixed loops ({jobs} jobs per case, one after another, seed {seed})");
        Console.WriteLine();
        Console.WriteLine($"Learned = VideoJobOperation with default WaitOptions over a generator given one shared InMemoryProcessingTimeHistory (capacity {InMemoryProcessingTimeHistory.DefaultCapacity}) per run by UseProcessingTimes, as AddVideoGeneration and the CLI set it up; it uses the documented window (widened to every time seen) until the model has {WaitOptions.DefaultMinimumHistory} jobs. " +
            $"The simulated vendor reports its completion time (as Elumenta, the gateway and Oxen do). Lag and polls are over jobs {JudgedAfter + 1}–{jobs} (after {JudgedAfter} jobs of history). " +
            $"\"History needed\": the first job from which every later {Window}-job window has mean lag ≤ 1 s and polls ≤ ⅓ of the fixed 1 s loop's on the same jobs (\"never\" if none).");
    }

    private static void PrintWindow(List<Run> runs)
    {
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

        Console.Out.Flush();
    }

    private static void PrintSummary(List<Run> runs)
    {
        Console.WriteLine();
        Console.WriteLine("### Learned schedule against the targets (after 50 jobs of history)");
        Console.WriteLine();
        Console.WriteLine("Floor = the fewest polls any fixed schedule can spend per job at a mean lag of 1 s on the case's true distribution of the judged jobs, 1 + ½(∫√(f·S) dt)², as a share of the fixed 1 s loop's (RESULTS.md § 2b): where it is above ⅓, the target is out of reach for every schedule.");
        Console.WriteLine();
        Console.WriteLine("| window | case | learned lag mean / p95 (s) | learned ÷ fixed 1 s polls | static lag mean / p95 (s) | static ÷ fixed 1 s polls | floor at 1 s lag (÷ fixed 1 s) | mean lag ≤ 1 s | polls ≤ ⅓ | strictly better than static (lower lag, no more polls) |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---|---|---|");
        foreach (var run in runs)
        {
            var learned = run.Judged("learned");
            var stat = run.Judged("static");
            var fixed1 = run.Judged("fixed 1 s").Polls.Mean;
            Console.WriteLine($"| {run.Model.ProcessingTime.Min.TotalSeconds:0}–{run.Model.ProcessingTime.Max.TotalSeconds:0}{(run.Model.ProcessingTime.Inferred ? " inferred" : string.Empty)} | {CaseName(run.Case)} " +
                $"| {F(learned.Lag.Mean)} / {F(learned.Lag.P95)} | {F(learned.Polls.Mean / fixed1)} | {F(stat.Lag.Mean)} / {F(stat.Lag.P95)} | {F(stat.Polls.Mean / fixed1)} | {F(Floor(run) / fixed1)} " +
                $"| {Yes(learned.Lag.Mean <= 1)} | {Yes(learned.Polls.Mean / fixed1 <= 1.0 / 3)} | {(run.Case == Case.AsDocumented ? "(not required) " : string.Empty)}{Yes(learned.Lag.Mean < stat.Lag.Mean && learned.Polls.Mean <= stat.Polls.Mean)} |");
        }
    }

    /// <summary>
    /// The fewest polls per job any fixed schedule spends at a mean lag of 1 s: lag × (polls − 1) ≥ ½(∫√(f·S))² (Cauchy–Schwarz
    /// on lag ≈ ∫ f·h/2 and polls − 1 ≈ ∫ S/h for a spacing h), on the true distribution of the judged jobs, integrated numerically.
    /// </summary>
    internal static double Floor(Run run)
    {
        var min = run.Model.ProcessingTime.Min.TotalSeconds;
        var max = run.Model.ProcessingTime.Max.TotalSeconds;
        var n = run.Durations.Length;
        var firstHalf = Math.Max(0, (n / 2) - JudgedAfter);
        var secondHalf = n - Math.Max(n / 2, JudgedAfter);
        double Uniform(double x, double a, double b) => x >= a && x < b ? 1 / (b - a) : 0;
        double Pdf(double x) => run.Case switch
        {
            Case.AsDocumented => Uniform(x, min, max),
            Case.TwiceAsSlow => Uniform(x, 2 * min, 2 * max),
            Case.LogNormal => x <= 0 ? 0 : Math.Exp(-Math.Pow(Math.Log(x / ((min + max) / 2)), 2) / (2 * LogNormalSigma * LogNormalSigma)) / (x * LogNormalSigma * Math.Sqrt(2 * Math.PI)),
            _ => ((firstHalf * Uniform(x, min, max)) + (secondHalf * Uniform(x, 2 * min, 2 * max))) / (firstHalf + secondHalf),
        };

        const double step = 0.01;
        var end = Math.Max(2 * max, (min + max) / 2 * Math.Exp(8 * LogNormalSigma));
        double survival = 1, integral = 0;
        for (var x = step / 2; x < end; x += step)
        {
            var f = Pdf(x);
            integral += Math.Sqrt(f * Math.Max(0, survival - (f * step / 2))) * step;
            survival -= f * step;
        }

        return 1 + (integral * integral / 2);
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
