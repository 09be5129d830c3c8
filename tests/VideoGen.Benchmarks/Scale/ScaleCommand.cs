using System.Diagnostics;
using System.Globalization;
using Newtonsoft.Json.Linq;
using VideoGen.AimlApi;
using VideoGen.Benchmarks.Infrastructure;
using VideoGen.Elumenta;
using VideoGen.Http;
using VideoGen.Waiting;
using static VideoGen.Benchmarks.Infrastructure.Format;

namespace VideoGen.Benchmarks.Scale;

/// <summary>
/// <c>scale</c>: N jobs (10,000 by default) submitted to the VideoGen sandbox and tracked at once by one
/// <see cref="VideoJobMonitor"/>: AIML API (batched status reads) and Elumenta (one read per job). The
/// sandbox runs in a child process, so this process's working set is the client's alone; it is
/// sampled every 100 ms along with the GC heap and the established TCP connections to the sandbox's
/// port (/proc/net/tcp), and the kernel's own peak (VmHWM) is read at the end of each phase.
/// </summary>
internal static class ScaleCommand
{
    private const long WorkingSetTarget = 200L * 1000 * 1000;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = ServeCommand.Options(args);
        var jobs = int.Parse(options.GetValueOrDefault("jobs", "10000"), CultureInfo.InvariantCulture);
        var cap = int.Parse(options.GetValueOrDefault("max-concurrent", JobMonitorOptions.DefaultMaxConcurrentRequests.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        var vendor = options.GetValueOrDefault("vendor", "both");
        var vendors = vendor == "both"
            ? [.. Runs.Keys]
            : Runs.ContainsKey(vendor) ? new[] { vendor } : throw new ArgumentException($"--vendor '{vendor}' is not allowed; use {string.Join(", ", Runs.Keys)} or both.");
        if (jobs < 1 || cap < 1)
        {
            throw new ArgumentException($"--jobs ({jobs}) and --max-concurrent ({cap}) must be at least 1.");
        }

        if (vendors.Length > 1)
        {
            // One fresh process per vendor: the second run must not start with the first one's heap.
            var status = 0;
            foreach (var v in vendors)
            {
                status |= await ChildServer.RunSelfAsync(["scale", .. args.Where((_, i) => !IsVendorOption(args, i)), "--vendor", v]).ConfigureAwait(false);
            }

            return status;
        }

        Console.WriteLine($"# Scale: {jobs} jobs per vendor tracked by one VideoJobMonitor; MaxConcurrentRequests = SocketsHttpHandler.MaxConnectionsPerServer = {cap}; sandbox in a child process; {Environment.ProcessorCount} cores");
        var results = new List<Result>();
        foreach (var v in vendors)
        {
            // Elumenta at the seed's own timing (kling-v2.1, 45–90 s); AIML's inferred 20–180 s halved so the run stays near a minute and a half.
            var defaultScale = Runs[v].TimeScale;
            var timeScale = double.Parse(options.GetValueOrDefault("time-scale", defaultScale), CultureInfo.InvariantCulture);
            results.Add(await RunVendorAsync(v, jobs, cap, timeScale).ConfigureAwait(false));
        }

        Console.WriteLine();
        Console.WriteLine("| vendor | model, time scale | jobs succeeded | submit (s) | track (s) | status requests (monitor) | sandbox requests (server count) | peak working set: sampled / kernel VmHWM | peak GC heap | peak established conns (/proc/net/tcp) | peak open conns (ConnectCallback) / opened | peak in-flight requests | lag completed_at → seen, mean / p95 (s) | WS ≤ 200 MB (190.7 MiB) | conns ≤ cap |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (var r in results)
        {
            Console.WriteLine(
                $"| {r.Vendor} | {r.Model}, {F(r.TimeScale, "0.##")} | {r.Succeeded}/{r.Jobs} | {F(r.Submit.TotalSeconds, "0.0")} | {F(r.Track.TotalSeconds, "0.0")} | {r.StatusRequests:N0} | {r.SandboxRequests:N0} " +
                $"| {MiB(r.PeakWorkingSet)} / {MiB(r.PeakResident)} | {MiB(r.PeakGcHeap)} | {r.PeakEstablished} | {r.PeakOpen} / {r.Opened} | {r.PeakInFlight} | {(r.Lag.Count == 0 ? "n/a" : $"{F(r.Lag.Mean)} / {F(r.Lag.P95)}")} " +
                $"| {(Math.Max(r.PeakWorkingSet, r.PeakResident) <= WorkingSetTarget ? "yes" : "**no**")} | {(Math.Max(r.PeakEstablished, r.PeakOpen) <= cap ? "yes" : "**no**")} |");
        }

        return results.All(r => r.Succeeded == r.Jobs) ? 0 : 1;
    }

    /// <summary>The vendors the scale run covers (in run order): the model tracked and the default time scale.</summary>
    private static readonly Dictionary<string, (string Model, string TimeScale)> Runs = new()
    {
        [VendorIds.AimlApi] = ("ray-2", "0.5"),
        [VendorIds.Elumenta] = ("kling-v2.1", "1"),
    };

    private static bool IsVendorOption(string[] args, int i) =>
        args[i] == "--vendor" || (i > 0 && args[i - 1] == "--vendor");

    private static async Task<Result> RunVendorAsync(string vendor, int count, int cap, double timeScale)
    {
        await using var sandbox = await ChildServer.StartAsync(
            "sandbox",
            "--time-scale", timeScale.ToString(CultureInfo.InvariantCulture),
            "--credits.elumenta", "1000000000",
            "--credits.aimlapi", "100000000000").ConfigureAwait(false);
        var counting = new CountingHttp();
        using var http = counting.CreateClient(cap);
        var model = Runs[vendor].Model;
        var descriptor = VendorDescriptors.Get(vendor);
        // The sandbox serves each vendor under its base URL's path (Elumenta's /api/).
        var path = descriptor.Capabilities.BaseUrl.AbsolutePath.TrimStart('/');
        IVideoGenerator generator = descriptor.CreateGenerator(
            new VendorClientConfiguration(descriptor.DisplayName) { ApiKey = "sk-scale", BaseUrl = path.Length == 0 ? sandbox.Url : new Uri(sandbox.Url, path) },
            http);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var sampler = new Sampler(sandbox.Port);
        ProcStats.ResetPeakResident();
        var startResident = ProcStats.ResidentBytes();
        sampler.Start();

        Console.WriteLine();
        Console.WriteLine($"## {vendor} ({model}, time scale {timeScale}): submitting {count} jobs, {cap} at a time (resident before: {MiB(startResident)})");
        var submitted = new VideoJob[count];
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = cap },
            async (i, ct) => submitted[i] = await generator.SubmitAsync(new VideoGenerationRequest($"Scale job {i}: a paper boat drifting down a rain gutter") { Model = model }, null, ct).ConfigureAwait(false)).ConfigureAwait(false);
        var submit = watch.Elapsed;
        Console.WriteLine($"submitted in {submit.TotalSeconds:0.0} s; tracking all {count} at once");

        watch.Restart();
        // When each finished job was seen, against the finish time the vendor reports (Elumenta's completed_at; AIML reports none).
        var lags = new System.Collections.Concurrent.ConcurrentBag<double>();
        var monitorOptions = new JobMonitorOptions
        {
            MaxConcurrentRequests = cap,
            Wait = new WaitOptions { ProcessingTimeScale = timeScale > 0 ? timeScale : 1 },
            Updates = new SeenProgress(lags),
        };
        VideoJob[] finished;
        long statusRequests;
        using (var progress = new Timer(_ => Console.WriteLine($"  {watch.Elapsed.TotalSeconds,5:0} s: working set {MiB(sampler.LastWorkingSet)}, GC heap {MiB(sampler.LastGcHeap)}, established {sampler.LastEstablished}, open {counting.Open}"), null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10)))
        {
            await using var monitor = new VideoJobMonitor(generator, monitorOptions);
            finished = await monitor.TrackAllAsync(submitted).ConfigureAwait(false);
            statusRequests = monitor.RequestsSent;
        }

        var track = watch.Elapsed;
        await sampler.StopAsync().ConfigureAwait(false);
        var peakResident = ProcStats.PeakResidentBytes();
        var counters = JObject.Parse(await http.GetStringAsync(new Uri(sandbox.Url, "_sandbox/counters")).ConfigureAwait(false));
        var sandboxRequests = counters["requests"]?[vendor]?.Value<long>() ?? -1;
        var succeeded = finished.Count(j => j.Status == VideoJobStatus.Succeeded);
        var lag = new Stats(lags);
        if (lag.Count > 0)
        {
            // The sandbox writes completed_at in whole seconds (truncated), so these overstate the lag by 0–1 s.
            Console.WriteLine($"detection lag, completed_at (whole seconds) → seen by the monitor, {lag.Count} jobs: mean {F(lag.Mean)} s, p95 {F(lag.P95)} s, max {F(lag.Max)} s");
        }

        Console.WriteLine($"tracked in {track.TotalSeconds:0.0} s: {succeeded} succeeded, {statusRequests:N0} status requests; peak working set {MiB(sampler.PeakWorkingSet)} (VmHWM {MiB(peakResident)}), peak established connections {sampler.PeakEstablished}");
        return new Result(vendor, model, timeScale, count, succeeded, submit, track, statusRequests, sandboxRequests, sampler.PeakWorkingSet, peakResident, sampler.PeakGcHeap, sampler.PeakEstablished, counting.PeakOpen, counting.Opened, counting.PeakInFlight, lag);
    }

    /// <summary>Records, on the monitor's thread, how long after its reported finish each job was seen finished.</summary>
    private sealed class SeenProgress(System.Collections.Concurrent.ConcurrentBag<double> lags) : IProgress<JobUpdate>
    {
        public void Report(JobUpdate value)
        {
            if (value.Job.HasCompleted && value.Job.CompletedAt is { } completed)
            {
                lags.Add((DateTimeOffset.UtcNow - completed).TotalSeconds);
            }
        }
    }

    private sealed record Result(string Vendor, string Model, double TimeScale, int Jobs, int Succeeded, TimeSpan Submit, TimeSpan Track, long StatusRequests, long SandboxRequests, long PeakWorkingSet, long PeakResident, long PeakGcHeap, int PeakEstablished, int PeakOpen, int Opened, int PeakInFlight, Stats Lag);

    /// <summary>Samples the working set, the GC heap and the established connections every 100 ms on its own thread.</summary>
    private sealed class Sampler(int port)
    {
        private readonly CancellationTokenSource _stop = new();
        private Task? _loop;

        public long PeakWorkingSet { get; private set; }

        public long PeakGcHeap { get; private set; }

        public int PeakEstablished { get; private set; }

        public long LastWorkingSet { get; private set; }

        public long LastGcHeap { get; private set; }

        public int LastEstablished { get; private set; }

        public void Start() => _loop = Task.Factory.StartNew(Loop, TaskCreationOptions.LongRunning);

        public async Task StopAsync()
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _loop!.ConfigureAwait(false);
            _stop.Dispose();
        }

        private void Loop()
        {
            using var process = Process.GetCurrentProcess();
            while (!_stop.IsCancellationRequested)
            {
                process.Refresh();
                LastWorkingSet = process.WorkingSet64;
                LastGcHeap = GC.GetTotalMemory(forceFullCollection: false);
                LastEstablished = ProcStats.EstablishedConnectionsTo(port);
                PeakWorkingSet = Math.Max(PeakWorkingSet, LastWorkingSet);
                PeakGcHeap = Math.Max(PeakGcHeap, LastGcHeap);
                PeakEstablished = Math.Max(PeakEstablished, LastEstablished);
                _stop.Token.WaitHandle.WaitOne(100);
            }
        }
    }
}
