using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using VideoGen.Benchmarks.Infrastructure;
using VideoGen.Catalog;
using VideoGen.Waiting;
using static VideoGen.Benchmarks.Infrastructure.Format;

namespace VideoGen.Benchmarks.Waiting;

/// <summary>
/// <c>waiting</c>: how soon a finished job is noticed (detection lag) and how many status requests it
/// costs, simulated on a virtual clock for every catalog model with job durations drawn uniformly
/// between the model's catalog bounds. VideoGen's <see cref="VideoJobOperation.WaitForCompletionAsync"/>
/// (its defaults) runs next to the seeds' fixed 5 s loop and a fixed 1 s loop on the same durations;
/// AIML is also long-polled through the real adapter; batching runs <see cref="VideoJobMonitor"/>
/// through the real AIML adapter. Then a sweep of poll intervals shows what a fixed interval can do.
/// </summary>
internal static class WaitingCommand
{
    private const double LagTarget = 1.0;
    private const double PollShareTarget = 1.0 / 3;
    private static readonly double[] SweepIntervals = [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.5, 3, 4, 5];

    public static async Task<int> RunAsync(string[] args)
    {
        var options = ServeCommand.Options(args);
        var jobs = int.Parse(options.GetValueOrDefault("jobs", "1000"), CultureInfo.InvariantCulture);
        var seed = int.Parse(options.GetValueOrDefault("seed", "20261122"), CultureInfo.InvariantCulture);
        if (jobs < 1)
        {
            throw new ArgumentException($"--jobs must be at least 1 (was {jobs}).");
        }

        var watch = Stopwatch.StartNew();
        var learnedJobs = int.Parse(options.GetValueOrDefault("learned-jobs", "1000"), CultureInfo.InvariantCulture);
        if (options.GetValueOrDefault("section", "all") == "learned")
        {
            await LearnedWaiting.RunAsync(learnedJobs, seed).ConfigureAwait(false);
            Console.WriteLine();
            Console.WriteLine($"(simulated in {watch.Elapsed.TotalSeconds:0.0} s of real time on {Environment.ProcessorCount} cores)");
            return 0;
        }

        var models = VideoModelCatalog.Default.Vendors.SelectMany(v => v.Models.Select(m => (Vendor: v, Model: m))).ToList();
        Console.WriteLine($"# Waiting efficiency: {jobs} simulated jobs per model, durations uniform in the catalog's bounds, seed {seed}");
        Console.WriteLine();
        Console.WriteLine($"VideoGen = VideoJobOperation.WaitForCompletionAsync with default WaitOptions (PollInterval {WaitOptions.DefaultPollInterval.TotalSeconds:0.#} s, timeout {WaitOptions.DefaultTimeout.TotalMinutes:0} min). " +
            "Fixed loops poll at once, then every 5 s (the seeds' examples) or 1 s. Lag = time the finish was seen − time the job finished (virtual seconds). Polls = status requests per job.");

        var results = new ConcurrentDictionary<int, ModelResult>();
        await Parallel.ForEachAsync(
            models.Select((m, i) => (m.Vendor, m.Model, Index: i)),
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            async (m, _) => results[m.Index] = await SimulateModelAsync(m.Vendor, m.Model, Durations(m.Model.ProcessingTime, jobs, seed + m.Index), seed).ConfigureAwait(false)).ConfigureAwait(false);
        var ordered = results.OrderBy(r => r.Key).Select(r => r.Value).ToList();

        foreach (var vendor in ordered.GroupBy(r => r.Vendor.Id))
        {
            PrintVendorTable(vendor.ToList());
        }

        var aiml = ordered.Where(r => r.LongPoll is not null).ToList();
        if (aiml.Count > 0)
        {
            PrintLongPollTable(aiml);
        }

        await PointEstimatesAsync(ordered, jobs, seed).ConfigureAwait(false);
        var sweeps = await SweepAsync(ordered, jobs, seed).ConfigureAwait(false);
        var batching = new List<BatchResult>();
        foreach (var n in new[] { 100, 1000 })
        {
            batching.Add(await SimulateBatchingAsync(n, seed).ConfigureAwait(false));
        }

        PrintBatching(batching);
        PrintSummary(ordered, sweeps, batching);
        await LearnedWaiting.RunAsync(learnedJobs, seed).ConfigureAwait(false);
        Console.WriteLine();
        Console.WriteLine($"(simulated in {watch.Elapsed.TotalSeconds:0.0} s of real time on {Environment.ProcessorCount} cores)");
        return 0;
    }

    private static double[] Durations(ProcessingTime window, int count, int seed)
    {
        var random = new Random(seed);
        var min = window.Min.TotalSeconds;
        var span = (window.Max - window.Min).TotalSeconds;
        return Enumerable.Range(0, count).Select(_ => min + (span * random.NextDouble())).ToArray();
    }

    private static async Task<ModelResult> SimulateModelAsync(VendorInfo vendor, VideoModelInfo model, double[] durations, int seed)
    {
        var videoGen = new List<Outcome>();
        var fixed5 = new List<Outcome>();
        var fixed1 = new List<Outcome>();
        List<Outcome>? longPoll = vendor.Has(VendorFeatures.LongPoll) ? [] : null;
        for (var i = 0; i < durations.Length; i++)
        {
            var duration = TimeSpan.FromSeconds(durations[i]);
            videoGen.Add(await VideoGenPollingAsync(vendor.DisplayName, model.Id, duration, WaitOptions.DefaultPollInterval, seed + i).ConfigureAwait(false));
            fixed5.Add(await FixedLoopAsync(vendor.DisplayName, model.Id, duration, TimeSpan.FromSeconds(5)).ConfigureAwait(false));
            fixed1.Add(await FixedLoopAsync(vendor.DisplayName, model.Id, duration, TimeSpan.FromSeconds(1)).ConfigureAwait(false));
            if (longPoll is not null)
            {
                longPoll.Add(await VideoGenLongPollAsync(duration, seed + i).ConfigureAwait(false));
            }
        }

        return new ModelResult(vendor, model, durations, new Strategy(videoGen), new Strategy(fixed5), new Strategy(fixed1), longPoll is null ? null : new Strategy(longPoll));
    }

    /// <summary>VideoGen's schedule for one job (a plain polling adapter: no long poll, no batch).</summary>
    internal static async Task<Outcome> VideoGenPollingAsync(string vendor, string model, TimeSpan duration, TimeSpan pollInterval, int seed)
    {
        var clock = new VirtualTimeProvider();
        var generator = new SimulatedJobGenerator(clock, vendor, model, duration);
        var operation = new VideoJobOperation(generator, generator.Submitted);
        var options = new WaitOptions { TimeProvider = clock, Random = new Random(seed), PollInterval = pollInterval };
        try
        {
            await operation.WaitForCompletionAsync(options).ConfigureAwait(false);
            return new Outcome((generator.Elapsed - duration).TotalSeconds, generator.Polls, double.NaN, TimedOut: false);
        }
        catch (JobTimeoutException)
        {
            return new Outcome(double.NaN, generator.Polls, double.NaN, TimedOut: true);
        }
    }

    /// <summary>The seeds' loop: read, and if not done sleep a fixed interval and read again.</summary>
    private static async Task<Outcome> FixedLoopAsync(string vendor, string model, TimeSpan duration, TimeSpan interval)
    {
        var clock = new VirtualTimeProvider();
        var generator = new SimulatedJobGenerator(clock, vendor, model, duration);
        while (!(await generator.GetJobAsync("sim-1").ConfigureAwait(false)).HasCompleted)
        {
            await Task.Delay(interval, clock).ConfigureAwait(false);
        }

        return new Outcome((generator.Elapsed - duration).TotalSeconds, generator.Polls, double.NaN, TimedOut: false);
    }

    /// <summary>VideoGen's default wait through the real AIML client and adapter: the server-side wait (long poll).</summary>
    private static async Task<Outcome> VideoGenLongPollAsync(TimeSpan duration, int seed)
    {
        var clock = new VirtualTimeProvider();
        using var handler = new SimulatedAimlHandler(clock);
        var generator = handler.CreateGenerator();
        var submitted = handler.Add(Guid.NewGuid(), duration);
        var operation = new VideoJobOperation(generator, submitted);
        await operation.WaitForCompletionAsync(new WaitOptions { TimeProvider = clock, Random = new Random(seed) }).ConfigureAwait(false);
        var starts = handler.Requests.Select(r => r.At.TotalSeconds).ToList();
        var minGap = starts.Count < 2 ? double.NaN : starts.Zip(starts.Skip(1), (a, b) => b - a).Min();
        return new Outcome((handler.Now - duration).TotalSeconds, starts.Count, minGap, TimedOut: false);
    }

    /// <summary>
    /// A point estimate ("~60 s") taken literally makes every job last exactly that long, which flatters every
    /// strategy (the first poll at 60 s always finds it done). Here such models run again with durations
    /// uniform over the window the schedule itself assumes for a point estimate: up to 50% longer.
    /// </summary>
    private static async Task PointEstimatesAsync(List<ModelResult> results, int jobs, int seed)
    {
        var points = results.Where(r => r.Model.ProcessingTime.Min == r.Model.ProcessingTime.Max).GroupBy(r => r.Model.ProcessingTime.Min).Select(g => g.First()).ToList();
        if (points.Count == 0)
        {
            return;
        }

        Console.WriteLine();
        Console.WriteLine("## Point estimates read as a range: durations uniform in [t, 1.5 t] (the schedule's own reading of \"~t s\")");
        Console.WriteLine();
        Console.WriteLine("| model | durations (s) | VideoGen lag mean / p95 (s) | VideoGen polls | fixed 5 s lag mean / p95 | fixed 5 s polls | fixed 1 s lag mean / p95 | fixed 1 s polls | VideoGen ÷ 1 s polls | mean lag ≤ 1 s | polls ≤ ⅓ |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (var point in points)
        {
            var t = point.Model.ProcessingTime.Min;
            var widened = point.Model.ProcessingTime with { Max = t * (1 + 0.5) };
            var r = await SimulateModelAsync(point.Vendor, point.Model, Durations(widened, jobs, seed), seed).ConfigureAwait(false);
            var share = r.VideoGen.Polls.Mean / r.Fixed1.Polls.Mean;
            Console.WriteLine(
                $"| {point.Vendor.Id}/{point.Model.Id} | {t.TotalSeconds:0}–{widened.Max.TotalSeconds:0} | {F(r.VideoGen.Lag.Mean)} / {F(r.VideoGen.Lag.P95)} | {F(r.VideoGen.Polls.Mean, "0.0")} " +
                $"| {F(r.Fixed5.Lag.Mean)} / {F(r.Fixed5.Lag.P95)} | {F(r.Fixed5.Polls.Mean, "0.0")} | {F(r.Fixed1.Lag.Mean)} / {F(r.Fixed1.Lag.P95)} | {F(r.Fixed1.Polls.Mean, "0.0")} " +
                $"| {F(share)} | {LagVerdict(r.VideoGen)} | {Yes(share <= PollShareTarget)} |");
        }
    }

    private static async Task<List<Sweep>> SweepAsync(List<ModelResult> results, int jobs, int seed)
    {
        // One representative per distinct catalog window (the schedule depends only on the window).
        var windows = results.GroupBy(r => (r.Model.ProcessingTime.Min, r.Model.ProcessingTime.Max)).Select(g => g.First()).ToList();
        var sweeps = new ConcurrentBag<Sweep>();
        await Parallel.ForEachAsync(
            windows.SelectMany(w => SweepIntervals.Select(i => (Window: w, Interval: i))),
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            async (x, _) =>
            {
                var outcomes = new List<Outcome>();
                for (var i = 0; i < x.Window.Durations.Length; i++)
                {
                    outcomes.Add(await VideoGenPollingAsync(x.Window.Vendor.DisplayName, x.Window.Model.Id, TimeSpan.FromSeconds(x.Window.Durations[i]), TimeSpan.FromSeconds(x.Interval), seed + i).ConfigureAwait(false));
                }

                sweeps.Add(new Sweep(x.Window, x.Interval, new Strategy(outcomes)));
            }).ConfigureAwait(false);

        var ordered = sweeps.OrderBy(s => s.Window.Model.ProcessingTime.Min).ThenBy(s => s.Window.Model.ProcessingTime.Max).ThenBy(s => s.Interval).ToList();
        Console.WriteLine();
        Console.WriteLine($"## Poll interval sweep: VideoGen's schedule with other PollInterval values ({jobs} jobs per window, same durations)");
        foreach (var window in ordered.GroupBy(s => s.Window))
        {
            var w = window.Key;
            var fixed1Polls = w.Fixed1.Polls.Mean;
            Console.WriteLine();
            Console.WriteLine($"### window {Window(w.Model)} ({w.Vendor.Id}/{w.Model.Id}{(w.Model.ProcessingTime.Inferred ? ", inferred" : string.Empty)}); fixed 1 s loop: {F(fixed1Polls, "0.0")} polls/job, lag {F(w.Fixed1.Lag.Mean)} s");
            Console.WriteLine();
            Console.WriteLine("| PollInterval | mean lag (s) | p95 lag (s) | polls/job | ÷ 1 s loop polls | mean lag ≤ 1 s | polls ≤ ⅓ |");
            Console.WriteLine("|---:|---:|---:|---:|---:|---|---|");
            foreach (var s in window)
            {
                var share = s.Result.Polls.Mean / fixed1Polls;
                Console.WriteLine($"| {F(s.Interval, "0.##")} s | {F(s.Result.Lag.Mean)} | {F(s.Result.Lag.P95)} | {F(s.Result.Polls.Mean, "0.0")} | {F(share)} | {LagVerdict(s.Result)} | {Yes(share <= PollShareTarget)} |");
            }
        }

        return ordered;
    }

    private static async Task<BatchResult> SimulateBatchingAsync(int count, int seed)
    {
        var clock = new VirtualTimeProvider();
        using var handler = new SimulatedAimlHandler(clock);
        var generator = handler.CreateGenerator();
        var window = VideoModelCatalog.Default.GetVendor("aimlapi").FindModel("ray-2")!.ProcessingTime;
        var durations = Durations(window, count, seed);
        var random = new Random(seed);
        var jobs = new List<VideoJob>();
        var finishes = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var id = new Guid(Enumerable.Range(0, 16).Select(_ => (byte)random.Next(256)).ToArray());
            var job = handler.Add(id, TimeSpan.FromSeconds(durations[i]));
            jobs.Add(job);
            finishes[job.Id] = durations[i];
        }

        var seen = new ConcurrentDictionary<string, double>(StringComparer.Ordinal);
        var updates = new SynchronousProgress(update =>
        {
            if (update.Job.HasCompleted)
            {
                seen.TryAdd(update.Job.Id, handler.Now.TotalSeconds);
            }
        });
        var options = new JobMonitorOptions { Wait = new WaitOptions { TimeProvider = clock, Random = new Random(seed) }, Updates = updates };
        await using (var monitor = new VideoJobMonitor(generator, options))
        {
            await monitor.TrackAllAsync(jobs).ConfigureAwait(false);
        }

        var requests = handler.Requests.ToList();
        var perTick = requests.GroupBy(r => r.At).Select(g => g.Count()).ToList();
        var idsPerTick = requests.GroupBy(r => r.At).Select(g => g.Sum(r => r.Jobs)).ToList();
        var lags = new Stats(seen.Select(s => s.Value - finishes[s.Key]));

        // The same jobs waited one by one: VideoGen's schedule (one request per poll) and the fixed 1 s loop.
        var single = 0L;
        var fixed1 = 0L;
        foreach (var d in durations)
        {
            single += (await VideoGenPollingAsync("AIML API", "ray-2", TimeSpan.FromSeconds(d), WaitOptions.DefaultPollInterval, seed).ConfigureAwait(false)).Requests;
            fixed1 += (await FixedLoopAsync("AIML API", "ray-2", TimeSpan.FromSeconds(d), TimeSpan.FromSeconds(1)).ConfigureAwait(false)).Requests;
        }

        return new BatchResult(count, requests.Count, requests.All(r => r.Batch), perTick.Count, perTick.Max(), perTick.Average(), idsPerTick.Max(), lags, single, fixed1, (int)Math.Ceiling(count / (double)JobMonitorOptions.DefaultMaxBatchSize));
    }

    private static void PrintVendorTable(List<ModelResult> rows)
    {
        var vendor = rows[0].Vendor;
        Console.WriteLine();
        Console.WriteLine($"## {vendor.DisplayName} ({vendor.Id}){(vendor.Has(VendorFeatures.LongPoll) ? ": VideoGen columns here are plain polling (the adapter's long poll is in the next table)" : string.Empty)}");
        Console.WriteLine();
        Console.WriteLine("| model | window (s) | mean job (s) | VideoGen lag mean / p95 (s) | VideoGen polls | fixed 5 s lag mean / p95 | fixed 5 s polls | fixed 1 s lag mean / p95 | fixed 1 s polls | VideoGen ÷ 1 s polls | mean lag ≤ 1 s | polls ≤ ⅓ |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (var r in rows)
        {
            var share = r.VideoGen.Polls.Mean / r.Fixed1.Polls.Mean;
            var timeouts = r.VideoGen.Timeouts > 0 ? $" ({r.VideoGen.Timeouts} timed out)" : string.Empty;
            Console.WriteLine(
                $"| {r.Model.Id} | {Window(r.Model)}{(r.Model.ProcessingTime.Inferred ? " inferred" : string.Empty)} | {F(r.Durations.Average(), "0.0")} " +
                $"| {F(r.VideoGen.Lag.Mean)} / {F(r.VideoGen.Lag.P95)}{timeouts} | {F(r.VideoGen.Polls.Mean, "0.0")} " +
                $"| {F(r.Fixed5.Lag.Mean)} / {F(r.Fixed5.Lag.P95)} | {F(r.Fixed5.Polls.Mean, "0.0")} " +
                $"| {F(r.Fixed1.Lag.Mean)} / {F(r.Fixed1.Lag.P95)} | {F(r.Fixed1.Polls.Mean, "0.0")} " +
                $"| {F(share)} | {LagVerdict(r.VideoGen)} | {Yes(share <= PollShareTarget)} |");
        }
    }

    private static void PrintLongPollTable(List<ModelResult> rows)
    {
        Console.WriteLine();
        Console.WriteLine("## AIML API, VideoGen default (long poll through the real AIML adapter; server holds each request up to 30 s)");
        Console.WriteLine();
        Console.WriteLine("| model | mean job (s) | requests/job | jobs' ⌈T/30 s⌉ mean | shortest gap between a job's requests (s) | lag mean / p95 (s) | fixed 1 s polls | at most 1 request per 30 s |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in rows)
        {
            var lp = r.LongPoll!;
            var ceil = r.Durations.Average(d => Math.Ceiling(d / SimulatedAimlHandler.ServerWait.TotalSeconds));
            var met = lp.MinGap.Min >= SimulatedAimlHandler.ServerWait.TotalSeconds - 1e-9 && lp.Polls.Mean <= ceil + 1e-9;
            Console.WriteLine($"| {r.Model.Id} | {F(r.Durations.Average(), "0.0")} | {F(lp.Polls.Mean)} | {F(ceil)} | {F(lp.MinGap.Min, "0.0")} | {F(lp.Lag.Mean)} / {F(lp.Lag.P95)} | {F(r.Fixed1.Polls.Mean, "0.0")} | {Yes(met)} |");
        }
    }

    private static void PrintBatching(List<BatchResult> results)
    {
        Console.WriteLine();
        Console.WriteLine("## AIML API batching: one VideoJobMonitor (tick 1 s, batches of ≤ 100 ids) through the real AIML adapter, ray-2 jobs submitted together");
        Console.WriteLine();
        Console.WriteLine("| jobs | requests | all batched | ticks with a request | requests per tick max / mean | ids in a tick max | expected per tick (⌈N/100⌉) | lag mean / p95 (s) | same jobs, VideoGen polling one by one | same jobs, fixed 1 s loop | one request per tick per 100 jobs |");
        Console.WriteLine("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var b in results)
        {
            Console.WriteLine($"| {b.Jobs} | {b.Requests} | {Yes(b.AllBatched)} | {b.Ticks} | {b.MaxPerTick} / {F(b.MeanPerTick)} | {b.MaxIdsPerTick} | {b.Expected} | {F(b.Lag.Mean)} / {F(b.Lag.P95)} | {b.SingleRequests} | {b.Fixed1Requests} | {Yes(b.MaxPerTick <= b.Expected && b.AllBatched)} |");
        }
    }

    private static void PrintSummary(List<ModelResult> results, List<Sweep> sweeps, List<BatchResult> batching)
    {
        Console.WriteLine();
        Console.WriteLine("## Summary against the targets");
        Console.WriteLine();
        var lagMet = results.Where(r => LagVerdict(r.VideoGen) == "yes").ToList();
        var lagAt = results.Where(r => LagVerdict(r.VideoGen) == AtTarget).ToList();
        var shareOf = (ModelResult r) => r.VideoGen.Polls.Mean / r.Fixed1.Polls.Mean;
        var pollsMet = results.Where(r => shareOf(r) <= PollShareTarget).ToList();
        var both = results.Where(r => LagVerdict(r.VideoGen) == "yes" && shareOf(r) <= PollShareTarget).ToList();
        Console.WriteLine($"- Mean lag ≤ 1 s (VideoGen polling, default 2 s interval): below the target (mean + 2 standard errors < 1 s) for {lagMet.Count} of {results.Count} models, " +
            $"on it (1 s within ± 2 standard errors) for {lagAt.Count}, above it for {results.Count - lagMet.Count - lagAt.Count}. " +
            $"Range of means {F(results.Min(r => r.VideoGen.Lag.Mean), "0.000")}–{F(results.Max(r => r.VideoGen.Lag.Mean), "0.000")} s; on or above the target: {Misses(results.Where(r => LagVerdict(r.VideoGen) != "yes"), r => F(r.VideoGen.Lag.Mean, "0.000") + " s")}.");
        foreach (var window in results.GroupBy(r => (r.Model.ProcessingTime.Min, r.Model.ProcessingTime.Max)).Where(g => g.Key.Min != g.Key.Max))
        {
            var lags = window.SelectMany(r => r.VideoGenLags).ToList();
            var pooled = new Stats(lags);
            var standardError = Math.Sqrt(lags.Sum(l => (l - pooled.Mean) * (l - pooled.Mean)) / (lags.Count - 1) / lags.Count);
            Console.WriteLine($"  - window {window.Key.Min.TotalSeconds:0}–{window.Key.Max.TotalSeconds:0} s, all {window.Count()} model(s) pooled ({lags.Count} jobs): mean lag {F(pooled.Mean, "0.000")} s ± {F(standardError, "0.000")} (standard error); p95 {F(pooled.P95)} s. A fixed interval I inside the window gives I/2 = {F(WaitOptions.DefaultPollInterval.TotalSeconds / 2)} s on average.");
        }

        Console.WriteLine($"- Polls ≤ ⅓ of the fixed 1 s loop: {pollsMet.Count} of {results.Count} models; misses: {Misses(results.Where(r => shareOf(r) > PollShareTarget), r => F(shareOf(r)))}.");
        Console.WriteLine($"- Both at once (mean lag below the target, not on it): {both.Count} of {results.Count} models ({string.Join(", ", both.Select(r => $"{r.Vendor.Id}/{r.Model.Id}"))}).");
        foreach (var window in sweeps.GroupBy(s => s.Window))
        {
            var fixed1 = window.Key.Fixed1.Polls.Mean;
            var feasible = window.Where(s => s.Result.Polls.Mean / fixed1 <= PollShareTarget).OrderBy(s => s.Interval).FirstOrDefault();
            var bothOk = window.Where(s => s.Result.Polls.Mean / fixed1 <= PollShareTarget && LagVerdict(s.Result) == "yes").Select(s => F(s.Interval, "0.##") + " s").ToList();
            Console.WriteLine($"  - window {Window(window.Key.Model)}{(window.Key.Model.ProcessingTime.Inferred ? " (inferred)" : string.Empty)}: " +
                (feasible is null ? "no swept interval reaches ⅓ of the 1 s loop's polls" : $"smallest swept interval with polls ≤ ⅓: {F(feasible.Interval, "0.##")} s (mean lag {F(feasible.Result.Lag.Mean)} s)") +
                $"; intervals meeting both: {(bothOk.Count == 0 ? "none" : string.Join(", ", bothOk))}.");
        }

        foreach (var r in results.Where(r => r.LongPoll is not null))
        {
            Console.WriteLine($"- AIML long poll ({r.Model.Id}): {F(r.LongPoll!.Polls.Mean)} requests/job for jobs of {F(r.Durations.Average(), "0.0")} s on average (fixed 1 s loop: {F(r.Fixed1.Polls.Mean, "0.0")}); shortest gap between a job's requests {F(r.LongPoll.MinGap.Min, "0.0")} s; lag {F(r.LongPoll.Lag.Mean)} s.");
        }

        foreach (var b in batching)
        {
            Console.WriteLine($"- Batching {b.Jobs} AIML jobs: at most {b.MaxPerTick} request(s) per tick (expected ⌈N/100⌉ = {b.Expected}), {b.Requests} requests in all vs {b.SingleRequests} waiting one by one and {b.Fixed1Requests} for fixed 1 s loops.");
        }
    }

    private static string Misses(IEnumerable<ModelResult> misses, Func<ModelResult, string> value)
    {
        var groups = misses.GroupBy(r => r.Vendor.Id).Select(g => $"{g.Key} ({g.Count()} model{(g.Count() == 1 ? string.Empty : "s")}: {string.Join(", ", g.Select(r => $"{r.Model.Id} {value(r)}").Distinct().Take(3))}{(g.Count() > 3 ? ", …" : string.Empty)})").ToList();
        return groups.Count == 0 ? "none" : string.Join("; ", groups);
    }

    private static string Window(VideoModelInfo model) => $"{model.ProcessingTime.Min.TotalSeconds:0}–{model.ProcessingTime.Max.TotalSeconds:0}";

    private static string Yes(bool ok) => ok ? "yes" : "**no**";

    private const string AtTarget = "on it";

    /// <summary>"yes" when the mean lag is below 1 s by more than 2 standard errors, "**no**" when above by as much, else "on it".</summary>
    private static string LagVerdict(Strategy s) =>
        s.Lag.Mean + (2 * s.LagStandardError) < LagTarget ? "yes"
        : s.Lag.Mean - (2 * s.LagStandardError) > LagTarget ? "**no**"
        : AtTarget;

    internal sealed record Outcome(double Lag, int Requests, double MinGap, bool TimedOut);

    internal sealed class Strategy(List<Outcome> outcomes)
    {
        public IReadOnlyList<double> Lags { get; } = outcomes.Where(o => !o.TimedOut).Select(o => o.Lag).ToList();

        /// <summary>The standard error of the mean lag (0 when every lag is the same).</summary>
        public double LagStandardError
        {
            get
            {
                if (Lags.Count < 2)
                {
                    return 0;
                }

                var mean = Lags.Average();
                return Math.Sqrt(Lags.Sum(l => (l - mean) * (l - mean)) / (Lags.Count - 1) / Lags.Count);
            }
        }

        public Stats Lag { get; } = new(outcomes.Where(o => !o.TimedOut).Select(o => o.Lag));

        public Stats Polls { get; } = new(outcomes.Select(o => (double)o.Requests));

        public Stats MinGap { get; } = new(outcomes.Where(o => !double.IsNaN(o.MinGap)).Select(o => o.MinGap));

        public int Timeouts { get; } = outcomes.Count(o => o.TimedOut);
    }

    private sealed record ModelResult(VendorInfo Vendor, VideoModelInfo Model, double[] Durations, Strategy VideoGen, Strategy Fixed5, Strategy Fixed1, Strategy? LongPoll)
    {
        public IReadOnlyList<double> VideoGenLags => VideoGen.Lags;
    }

    private sealed record Sweep(ModelResult Window, double Interval, Strategy Result);

    private sealed record BatchResult(int Jobs, int Requests, bool AllBatched, int Ticks, int MaxPerTick, double MeanPerTick, int MaxIdsPerTick, Stats Lag, long SingleRequests, long Fixed1Requests, int Expected);

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool and read the clock later).</summary>
    private sealed class SynchronousProgress(Action<JobUpdate> report) : IProgress<JobUpdate>
    {
        public void Report(JobUpdate value) => report(value);
    }
}
