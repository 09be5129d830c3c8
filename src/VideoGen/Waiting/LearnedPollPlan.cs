using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using VideoGen.Catalog;

namespace VideoGen.Waiting;

/// <summary>
/// Poll times placed from a model's observed processing times: dense where jobs finish often, none
/// where none finished.
/// </summary>
/// <remarks>
/// <para>The observed times are smoothed into a density f (a Gaussian kernel density estimate, Silverman's
/// bandwidth) with survival S (the share of jobs still running). A job still running at t finishes in the
/// next instant with probability f/S (the hazard). Spacing polls by h(t) ∝ 1/√(f/S) minimizes the expected
/// number of polls for a given mean lag (from minimizing ∫ f·h/2 + λ ∫ S/h by h): polls are dense where the
/// hazard is high, and where f is 0 there is no poll at all.</para>
/// <para>The spacing's scale is the largest whose expected mean lag (on the smoothed distribution) is at most
/// <see cref="LagShare"/> of <see cref="WaitOptions.PollInterval"/>; then, if that costs more polls per job
/// than the budget (the static schedule's polls on the same distribution, or <see cref="LoopBudgetShare"/> of a
/// fixed 1 s loop's where that is more), the scale grows until it does not. The times used are the model's recent
/// ones, or only the newest <see cref="WaitOptions.MinimumHistory"/> when those differ from the older ones
/// (<see cref="Current"/>: the vendor changed speed). Gaps are at least a quarter of the poll interval. Everything is computed from the
/// sorted history alone: the same history gives the same plan.</para>
/// </remarks>
internal static class LearnedPollPlan
{
    /// <summary>The mean lag aimed at, as a share of the poll interval: 0.45 (the static schedule's I/2, less 10% for the estimate's error).</summary>
    internal const double LagShare = 0.45;

    /// <summary>The shortest gap between planned polls, as a share of the poll interval: 0.25.</summary>
    internal const double MinGapShare = 0.25;

    /// <summary>The request budget as a share of a fixed 1 s loop's polls, where that is more than the static schedule's: ⅓.</summary>
    internal const double LoopBudgetShare = 1.0 / 3;

    private const int MaxCells = 800;

    private const int Bisections = 40;

    private static readonly ConditionalWeakTable<IProcessingTimeHistory, ConcurrentDictionary<(string, string?, long, long, int), Cached>> Cache = new();

    /// <summary>The plan for a model, or <see langword="null"/> with too little history (then <paramref name="observed"/> gives the seen range, if any).</summary>
    public static double[]? For(IProcessingTimeHistory history, string vendor, string? model, ProcessingTime documented, WaitOptions options, out (double Min, double Max)? observed)
    {
        var snapshot = history.GetSnapshot(vendor, model);
        observed = null;
        if (snapshot.Recent.Count == 0)
        {
            return null;
        }

        var cache = Cache.GetOrCreateValue(history);
        var key = (vendor.ToUpperInvariant(), model?.ToUpperInvariant(), snapshot.TotalRecorded, options.PollInterval.Ticks, options.MinimumHistory);
        if (!cache.TryGetValue(key, out var cached))
        {
            var samples = Current(snapshot.Recent.Select(t => t.TotalSeconds).ToArray(), options.MinimumHistory).Order().ToArray();
            cached = new Cached(
                samples.Length >= options.MinimumHistory ? Compute(samples, new PollSchedule(documented, options), options) : null,
                (samples[0], samples[^1]));
            if (cache.Count > 4096)
            {
                cache.Clear();
            }

            cache[key] = cached;
        }

        observed = cached.Observed;
        return cached.Plan;
    }

    /// <summary>
    /// The times that describe the vendor now: when the newest <paramref name="minimum"/> times (oldest first in
    /// <paramref name="times"/>) differ from the older ones by a two-sample Kolmogorov–Smirnov test at the 1% level, the
    /// vendor changed speed and only the newest are kept; otherwise all. Without it a vendor that became twice as slow is
    /// planned on a mix of its old and new times until the ring has turned over (100 jobs).
    /// </summary>
    internal static double[] Current(double[] times, int minimum)
    {
        if (times.Length < 2 * minimum)
        {
            return times;
        }

        var older = times[..^minimum].Order().ToArray();
        var newest = times[^minimum..].Order().ToArray();
        double d = 0;
        int i = 0, j = 0;
        while (i < older.Length && j < newest.Length)
        {
            var x = Math.Min(older[i], newest[j]);
            while (i < older.Length && older[i] <= x)
            {
                i++;
            }

            while (j < newest.Length && newest[j] <= x)
            {
                j++;
            }

            d = Math.Max(d, Math.Abs(((double)i / older.Length) - ((double)j / newest.Length)));
        }

        // c(α) = √(−ln(α/2)/2) = 1.628 at α = 0.01.
        var critical = 1.628 * Math.Sqrt((double)(older.Length + newest.Length) / (older.Length * newest.Length));
        return d > critical ? times[^minimum..] : times;
    }

    /// <summary>Poll times (seconds since submission, ascending) for sorted samples.</summary>
    internal static double[] Compute(double[] sorted, PollSchedule staticSchedule, WaitOptions options)
    {
        var interval = options.PollInterval.TotalSeconds;
        var density = Density.Of(sorted, interval);
        // The request budget: the static schedule's on the same distribution, or a third of a fixed 1 s loop's (issue 17's
        // target) where that is more, so a distribution the document gets wrong is not held to the document's thrift.
        var budget = Math.Max(Evaluate(density, StaticPolls(staticSchedule, options, density.End)).Polls, LoopBudgetShare * OneSecondLoopPolls(density));
        var target = LagShare * interval;
        var minGap = MinGapShare * interval;

        // Largest spacing scale whose lag meets the target (lag grows with the scale).
        var total = density.Lambda[^1];
        double low = total * 1e-6, high = total;
        for (var i = 0; i < Bisections; i++)
        {
            var mid = Math.Sqrt(low * high);
            if (Evaluate(density, Place(density, mid, minGap)).Lag <= target)
            {
                low = mid;
            }
            else
            {
                high = mid;
            }
        }

        var plan = Place(density, low, minGap);
        if (Evaluate(density, plan).Polls > budget)
        {
            // Over the budget: the smallest scale within it.
            double lo = low, hi = total;
            for (var i = 0; i < Bisections; i++)
            {
                var mid = Math.Sqrt(lo * hi);
                if (Evaluate(density, Place(density, mid, minGap)).Polls > budget)
                {
                    lo = mid;
                }
                else
                {
                    hi = mid;
                }
            }

            plan = Place(density, hi, minGap);
        }

        return plan;
    }

    /// <summary>Polls where the cumulative √hazard reaches each multiple of <paramref name="scale"/>, at least <paramref name="minGap"/> apart, the last at the end of the support.</summary>
    private static double[] Place(Density d, double scale, double minGap)
    {
        var polls = new List<double>();
        var cell = 0;
        for (var j = 1; ; j++)
        {
            var level = j * scale;
            if (level >= d.Lambda[^1])
            {
                break;
            }

            while (d.Lambda[cell + 1] < level)
            {
                cell++;
            }

            var within = d.Lambda[cell + 1] > d.Lambda[cell] ? (level - d.Lambda[cell]) / (d.Lambda[cell + 1] - d.Lambda[cell]) : 0;
            var t = d.Start + ((cell + within) * d.Cell);
            if (polls.Count > 0 && t - polls[^1] < minGap)
            {
                t = polls[^1] + minGap;
            }

            if (t >= d.End)
            {
                break;
            }

            polls.Add(t);
        }

        if (polls.Count == 0 || polls[^1] < d.End)
        {
            polls.Add(polls.Count > 0 && d.End - polls[^1] < minGap ? polls[^1] + minGap : d.End);
        }

        return [.. polls];
    }

    /// <summary>The expected lag and polls per job of a plan on the smoothed distribution (each cell's mass at its middle).</summary>
    private static (double Lag, double Polls) Evaluate(Density d, IReadOnlyList<double> polls)
    {
        double lag = 0, count = 0;
        var next = 0;
        for (var k = 0; k < d.Mass.Length; k++)
        {
            if (d.Mass[k] == 0)
            {
                continue;
            }

            var finish = d.Start + ((k + 0.5) * d.Cell);
            while (next < polls.Count && polls[next] < finish)
            {
                next++;
            }

            var seen = next < polls.Count ? polls[next] : finish;
            lag += d.Mass[k] * (seen - finish);
            count += d.Mass[k] * (next + 1);
        }

        return (lag, count);
    }

    /// <summary>The expected polls per job of a loop that reads at once and then every second, on the smoothed distribution.</summary>
    private static double OneSecondLoopPolls(Density d)
    {
        double count = 0;
        for (var k = 0; k < d.Mass.Length; k++)
        {
            count += d.Mass[k] * (Math.Ceiling(d.Start + ((k + 0.5) * d.Cell)) + 1);
        }

        return count;
    }

    /// <summary>The static schedule's poll times (without jitter) up to <paramref name="end"/>.</summary>
    private static List<double> StaticPolls(PollSchedule schedule, WaitOptions options, double end)
    {
        var polls = new List<double>();
        var min = schedule.Window.Min.TotalSeconds;
        var max = schedule.Window.Max.TotalSeconds;
        var interval = options.PollInterval.TotalSeconds;
        var t = min;
        var steps = 0;
        while (true)
        {
            polls.Add(t);
            if (t >= end)
            {
                return polls;
            }

            if (t < max)
            {
                t += interval;
            }
            else
            {
                steps++;
                t += Math.Min(interval * Math.Pow(options.BackoffFactor, steps), options.MaxPollInterval.TotalSeconds);
            }
        }
    }

    private sealed record Cached(double[]? Plan, (double Min, double Max) Observed);

    /// <summary>A kernel density estimate on a grid: cell masses, and the cumulative √hazard at the cell edges.</summary>
    private sealed class Density
    {
        public required double Start { get; init; }

        public required double Cell { get; init; }

        public required double[] Mass { get; init; }

        public required double[] Lambda { get; init; }

        public double End => Start + (Mass.Length * Cell);

        public static Density Of(double[] sorted, double interval)
        {
            var n = sorted.Length;
            var mean = sorted.Average();
            var sd = Math.Sqrt(sorted.Sum(x => (x - mean) * (x - mean)) / Math.Max(1, n - 1));
            var iqr = Quantile(sorted, 0.75) - Quantile(sorted, 0.25);
            var spread = iqr > 0 ? Math.Min(sd, iqr / 1.34) : sd;

            // Silverman's rule of thumb; at least a tenth of the poll interval, so identical times still make a (narrow) bump.
            var bandwidth = Math.Max(0.9 * spread * Math.Pow(n, -0.2), 0.1 * interval);
            var start = Math.Max(0, sorted[0] - (3 * bandwidth));
            var end = sorted[^1] + (3 * bandwidth);
            var cells = (int)Math.Clamp(Math.Ceiling((end - start) / 0.05), 1, MaxCells);
            var width = (end - start) / cells;

            var cdf = new double[cells + 1];
            for (var e = 0; e <= cells; e++)
            {
                var x = start + (e * width);
                double sum = 0;
                foreach (var s in sorted)
                {
                    // Sorted ascending: once a sample is far above x, so are the rest.
                    var z = (x - s) / bandwidth;
                    if (z < -8)
                    {
                        break;
                    }

                    sum += z > 8 ? 1 : Phi(z);
                }

                cdf[e] = sum / n;
            }

            var mass = new double[cells];
            var totalMass = cdf[cells] - cdf[0];
            for (var k = 0; k < cells; k++)
            {
                mass[k] = Math.Max(0, cdf[k + 1] - cdf[k]) / totalMass;
            }

            var lambda = new double[cells + 1];
            var survival = 1.0;
            for (var k = 0; k < cells; k++)
            {
                // √hazard per unit time: √(f/S), f = mass/width, S = the share still running at the cell's start.
                var rate = survival > 1e-12 && mass[k] > 0 ? Math.Sqrt(mass[k] / width / survival) : 0;
                lambda[k + 1] = lambda[k] + (rate * width);
                survival = Math.Max(0, survival - mass[k]);
            }

            return new Density { Start = start, Cell = width, Mass = mass, Lambda = lambda };
        }

        private static double Quantile(double[] sorted, double p)
        {
            var rank = p * (sorted.Length - 1);
            var low = (int)Math.Floor(rank);
            var high = (int)Math.Ceiling(rank);
            return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
        }

        /// <summary>The standard normal CDF (Abramowitz and Stegun 26.2.17, error below 7.5e-8).</summary>
        private static double Phi(double z)
        {
            var t = 1 / (1 + (0.2316419 * Math.Abs(z)));
            var poly = t * (0.319381530 + (t * (-0.356563782 + (t * (1.781477937 + (t * (-1.821255978 + (t * 1.330274429))))))));
            var tail = Math.Exp(-z * z / 2) / Math.Sqrt(2 * Math.PI) * poly;
            return z >= 0 ? 1 - tail : tail;
        }
    }
}
