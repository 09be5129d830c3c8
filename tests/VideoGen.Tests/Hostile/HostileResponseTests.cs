using System.Diagnostics;
using System.Text;
using VideoGen.AimlApi;
using VideoGen.Elumenta;
using VideoGen.Apiframe;
using VideoGen.Http;
using VideoGen.Journal;
using VideoGen.Oxen;
using VideoGen.Tests.Vendors.TestVendorWire;
using VideoGen.Waiting;
using Xunit.Abstractions;

namespace VideoGen.Tests.Hostile;

/// <summary>
/// Property-style: thousands of malformed or mutated responses, fed to every operation of every
/// generated client and to every adapter method. Each call must end in a valid result or a typed
/// <see cref="VideoGenException"/> — never a NullReferenceException, InvalidCastException,
/// JsonException, ArgumentOutOfRangeException or any other exception a caller would not expect.
/// </summary>
public sealed class HostileResponseTests(ITestOutputHelper output)
{
    /// <summary>
    /// Mutants per operation: 24 operations × 80 = 1,920 responses in about two seconds. To explore further,
    /// set VIDEOGEN_HOSTILE_SEED and VIDEOGEN_HOSTILE_COUNT; a failure prints the mutant, so it reproduces
    /// with the same seed.
    /// </summary>
    private static readonly int MutantsPerOperation = int.TryParse(Environment.GetEnvironmentVariable("VIDEOGEN_HOSTILE_COUNT"), out var n) ? n : 80;

    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("VIDEOGEN_HOSTILE_SEED"), out var s) ? s : 20260308;

    private const string ApiKey = "sk-hostile-0123456789";

    private static readonly Guid AimlId = Guid.Parse("2f6a7e37-1c3b-4f9e-9a4e-6a3c1e8d2b10");
    private static readonly Guid OxenId = Guid.Parse("7cf9b23a-1234-5678-9abc-def012345678");

    [Fact]
    public async Task EveryOperation_HostileResponses_EndInAValidResultOrAVideoGenException()
    {
        var generator = new HostileResponseGenerator(Seed);
        var handler = new HostileHandler();
        var outcomes = new Dictionary<string, Dictionary<string, int>>();
        var kinds = new Dictionary<string, int>();
        var unexpected = new List<string>();
        var clock = Stopwatch.StartNew();
        var calls = 0;

        foreach (var target in Targets(handler))
        {
            var table = outcomes[target.Name] = [];
            for (var i = 0; i < MutantsPerOperation; i++)
            {
                var mutant = generator.Next(target.Examples, target.SuccessStatus, target.TransportFailuresAreResponses);
                handler.Next = mutant;
                kinds[mutant.Kind] = kinds.GetValueOrDefault(mutant.Kind) + 1;
                calls++;
                string outcome;
                try
                {
                    var result = await target.Invoke();
                    var invalid = target.Check(result);
                    outcome = invalid is null ? "valid result" : "INVALID RESULT";
                    if (invalid is not null)
                    {
                        unexpected.Add($"{target.Name} returned an invalid result ({invalid}) for {mutant}");
                    }
                }
                catch (VideoGenException e)
                {
                    outcome = e.GetType().Name;
                    if (e.Message.Length == 0)
                    {
                        unexpected.Add($"{target.Name} threw {e.GetType().Name} with an empty message for {mutant}");
                    }
                }
                catch (Exception e)
                {
                    outcome = "UNHANDLED " + e.GetType().Name;
                    unexpected.Add($"{target.Name} threw {e.GetType().FullName}: {e.Message} for {mutant}");
                }

                table[outcome] = table.GetValueOrDefault(outcome) + 1;
            }
        }

        Report(outcomes, kinds, calls, clock.Elapsed);
        calls.ShouldBeGreaterThanOrEqualTo(1000);
        unexpected.ShouldBeEmpty(string.Join(Environment.NewLine, unexpected.Take(15)));

        // The harness reached both sides of every operation: mutants it read and mutants it refused.
        foreach (var (name, table) in outcomes)
        {
            table.Keys.ShouldContain("valid result", $"{name}: no mutant produced a valid result, so mapping was never exercised");
            table.Keys.Count(k => k != "valid result").ShouldBeGreaterThan(0, $"{name}: no mutant was refused");
        }
    }

    private void Report(Dictionary<string, Dictionary<string, int>> outcomes, Dictionary<string, int> kinds, int calls, TimeSpan elapsed)
    {
        var text = new StringBuilder();
        text.AppendLine($"{calls} hostile responses in {elapsed.TotalSeconds:0.0} s (seed {Seed}).");
        text.AppendLine("Outcomes, all operations:");
        foreach (var (outcome, count) in outcomes.Values.SelectMany(t => t).GroupBy(p => p.Key).Select(g => (g.Key, g.Sum(p => p.Value))).OrderByDescending(p => p.Item2))
        {
            text.AppendLine($"  {count,5}  {outcome}");
        }

        text.AppendLine("Per operation:");
        foreach (var (name, table) in outcomes)
        {
            text.AppendLine($"  {name}: {string.Join(", ", table.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value}"))}");
        }

        text.AppendLine("Mutations: " + string.Join(", ", kinds.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value}")));
        output.WriteLine(text.ToString());
    }

    private static IEnumerable<Target> Targets(HostileHandler handler)
    {
        var http = new HttpClient(handler);
        var elumenta = new ElumentaClient(Configuration("Elumenta"), http);
        var gateway = new ApiframeClient(Configuration("Gateway"), http);
        var aiml = new AimlApiClient(Configuration("AIML API"), http);
        var oxen = new OxenClient(Configuration("Oxen.ai"), http);

        // Generated clients: transport failures stay HttpClient's own exceptions there (generated code is
        // not edited), so only whole responses are fed to them; the adapters get dropped connections too.
        yield return Client("ElumentaClient.CreateGeneration", ExampleResponses.ElumentaCreate, 200, () => elumenta.CreateGenerationAsync(new GenerateRequest { Model = "kling-v2.1", Prompt = "A red balloon" }));
        yield return Client("ElumentaClient.GetGeneration", ExampleResponses.ElumentaGet, 200, () => elumenta.GetGenerationAsync(18500));
        yield return Client("ApiframeClient.CreateVideo", ExampleResponses.GatewayCreate, 202, () => gateway.CreateVideoAsync(new CreateVideoRequest { Model = default, Prompt = "A red balloon" }));
        yield return Client("ApiframeClient.GetJob", ExampleResponses.GatewayGet, 200, () => gateway.GetJobAsync("b2c3d4e5-f6a7-8901-bcde-f23456789012"));
        yield return Client("AimlApiClient.CreateGeneration", ExampleResponses.AimlGeneration, 201, () => aiml.CreateGenerationAsync(new CreateGenerationRequest { Prompt = "A red balloon" }));
        yield return Client("AimlApiClient.GetGeneration", ExampleResponses.AimlGeneration, 200, () => aiml.GetGenerationAsync(AimlId, GenerationWaitState.Completed));
        yield return Client("AimlApiClient.GetGenerations", ExampleResponses.AimlGenerationList, 200, () => aiml.GetGenerationsAsync([AimlId], null));
        yield return Client("OxenClient.GenerateVideo", ExampleResponses.OxenGenerate, 200, () => oxen.GenerateVideoAsync(new GenerateVideoRequest { Model = "kling-video-v2-6-pro-text-to-video", Prompt = "A red balloon" }));
        yield return Client("OxenClient.EnqueueGeneration", ExampleResponses.OxenEnqueue, 200, () => oxen.EnqueueGenerationAsync(new EnqueueGenerationRequest { Model = "kling-video-v2-6-pro-text-to-video", Prompt = "A red balloon" }));
        yield return Client("OxenClient.ListQueuedGenerations", ExampleResponses.OxenList, 200, () => oxen.ListQueuedGenerationsAsync(model: "kling-video-v2-6-pro-text-to-video"));
        yield return Client("OxenClient.GetQueuedGeneration", ExampleResponses.OxenGet, 200, () => oxen.GetQueuedGenerationAsync(OxenId));

        var request = new VideoGenerationRequest("A red balloon");
        // Each adapter with its vendor's examples, and the targets only that vendor has (its own readers).
        foreach (var (name, vendorId, adapter, create, get, jobId, more) in new (string, string, IVideoGenerator, string[], string[], string, Func<IVideoGenerator, string, string, IEnumerable<Target>>?)[]
        {
            ("Elumenta", VendorIds.Elumenta, elumenta.AsVideoGenerator(VendorIds.Elumenta), ExampleResponses.ElumentaCreate, ExampleResponses.ElumentaGet, "18500", null),
            ("NeuralBox", VendorIds.NeuralBox, new ElumentaClient(Configuration("NeuralBox"), http).AsVideoGenerator(VendorIds.NeuralBox), ExampleResponses.ElumentaCreate, ExampleResponses.ElumentaGet, "18500", null),
            ("Apiframe", VendorIds.Apiframe, gateway.AsVideoGenerator(), ExampleResponses.GatewayCreate, ExampleResponses.GatewayGet, "b2c3d4e5-f6a7-8901-bcde-f23456789012", null),
            ("AIML API", VendorIds.AimlApi, aiml.AsVideoGenerator(), ExampleResponses.AimlGeneration, ExampleResponses.AimlGeneration, AimlId.ToString(), AimlReaders),
            ("Oxen.ai", VendorIds.Oxen, oxen.AsVideoGenerator(), ExampleResponses.OxenEnqueue, ExampleResponses.OxenGet, OxenId.ToString(), OxenReconciler),
        })
        {
            var success = VendorWires.Of(vendorId).AcceptedStatus;
            yield return Adapter($"{name} adapter SubmitAsync", create, success, async () => Job(await adapter.SubmitAsync(request), name));
            yield return Adapter($"{name} adapter GetJobAsync", get, 200, async () => Job(await adapter.GetJobAsync(jobId), name));
            foreach (var target in more?.Invoke(adapter, name, jobId) ?? [])
            {
                yield return target;
            }
        }
    }

    /// <summary>AIML API's long poll and batch read.</summary>
    private static IEnumerable<Target> AimlReaders(IVideoGenerator adapter, string name, string jobId)
    {
        var longPoll = (ILongPollingJobReader)adapter.GetService(typeof(ILongPollingJobReader))!;
        var batch = (IBatchJobReader)adapter.GetService(typeof(IBatchJobReader))!;
        yield return Adapter("AIML API adapter WaitForCompletionOnServerAsync", ExampleResponses.AimlGeneration, 200, async () => Job(await longPoll.WaitForCompletionOnServerAsync(jobId, CancellationToken.None), name));
        yield return Adapter("AIML API adapter GetJobsAsync (batch)", ExampleResponses.AimlGenerationList, 200, async () => Jobs(await batch.GetJobsAsync([jobId, "0f3ea4aa-10e7-4dae-af0b-263ab4ac45f9"], CancellationToken.None), name));
    }

    /// <summary>Oxen.ai's reconciliation of a submission whose outcome is unknown.</summary>
    private static IEnumerable<Target> OxenReconciler(IVideoGenerator adapter, string name, string jobId)
    {
        var reconciler = (ISubmissionReconciler)adapter.GetService(typeof(ISubmissionReconciler))!;
        var entry = new JournalEntry(
            "c-1", null, VendorIds.Oxen, "black-forest-labs-flux-2-klein-4b", "Abstract geometric pattern in blue and gold", "{}",
            JournalState.OutcomeUnknown, null, null, DateTimeOffset.FromUnixTimeSeconds(1775091400), DateTimeOffset.FromUnixTimeSeconds(1775091400));
        yield return Adapter("Oxen.ai adapter FindCandidatesAsync (reconciliation)", ExampleResponses.OxenList, 200, async () =>
            await reconciler.FindCandidatesAsync(entry, CancellationToken.None) is { Count: > 0 } found ? Job(found[0], name) : NoMatch.Instance);
    }

    private static VendorClientConfiguration Configuration(string vendor) =>
        new(vendor) { ApiKey = ApiKey, BaseUrl = new Uri("https://hostile.test/api/") };

    private static Target Client<T>(string name, string[] examples, int success, Func<Task<T>> call) =>
        new(name, examples, success, TransportFailuresAreResponses: false, async () => await call(), r => r is null ? "null" : null);

    private static Target Adapter(string name, string[] examples, int success, Func<Task<object?>> call) =>
        new(name, examples, success, TransportFailuresAreResponses: true, call, r => r switch
        {
            null => "null",
            CheckedJobs { Problem: { } problem } => problem,
            _ => null,
        });

    private static object Job(VideoJob job, string vendor) => new CheckedJobs(Problem(job, vendor));

    private static object Jobs(IReadOnlyList<VideoJob> jobs, string vendor) =>
        new CheckedJobs(jobs is null ? "null list" : jobs.Select(j => j is null ? "null job" : Problem(j, vendor)).FirstOrDefault(p => p is not null));

    /// <summary>What a caller relies on in a job: an id to poll, the vendor, a known status, a sane progress, consistent results.</summary>
    private static string? Problem(VideoJob job, string vendor)
    {
        if (string.IsNullOrWhiteSpace(job.Id))
        {
            return "a job without an id";
        }

        if (job.Vendor != vendor)
        {
            return $"vendor '{job.Vendor}'";
        }

        if (!Enum.IsDefined(job.Status))
        {
            return $"status {(int)job.Status}";
        }

        if (job.Progress is { } p && (!double.IsFinite(p) || p < 0 || p > 1))
        {
            return $"progress {p}";
        }

        if (job.ResultUris is null || job.ResultUris.Any(u => u is null))
        {
            return "null result URLs";
        }

        if (job.ResultUri != job.ResultUris.FirstOrDefault())
        {
            return "ResultUri is not the first of ResultUris";
        }

        return null;
    }

    private sealed record Target(string Name, string[] Examples, int SuccessStatus, bool TransportFailuresAreResponses, Func<Task<object?>> Invoke, Func<object?, string?> Check);

    private sealed record CheckedJobs(string? Problem);

    private sealed record NoMatch
    {
        public static readonly NoMatch Instance = new();
    }
}
