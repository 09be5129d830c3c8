using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using VideoGen.ContractTests.Infrastructure;
using VideoGen.Sandbox;
using VideoGen.Sandbox.Tests.Infrastructure;
using Xunit.Abstractions;

namespace VideoGen.ContractTests;

/// <summary>
/// Every response the local sandbox (src/VideoGen.Sandbox) gives validates against its vendor's spec: the schema
/// of that operation and status. Each test drives one vendor through its operations and statuses (success in every
/// state, validation errors, 401, 402, 404, injected faults), records every exchange on the wire, and validates all
/// of them. Statuses a spec does not document for an operation are listed below and held to the spec's
/// ErrorResponse schema instead; any other undocumented status fails.
/// </summary>
public sealed class SandboxConformanceTests(ITestOutputHelper output)
{
    private const string Key = "conformance_key";

    /// <summary>
    /// Statuses the sandbox answers that a spec does not declare for that operation (spec gaps, reported to the
    /// spec owners): the vendors document no 402 for these operations, Oxen documents no error for a synchronous
    /// generation that fails nor a 400 for a bad list filter. Injected faults (429, 500, 503) are allowed on every
    /// operation: the vendors' documents list few of them, but any HTTP API can answer them.
    /// </summary>
    private static readonly HashSet<(string Spec, string OperationId, int Status)> KnownUndocumented =
    [
        ("aimlapi.yaml", "CreateGeneration", 402),
        ("oxen.yaml", "GenerateVideo", 402),
        ("oxen.yaml", "GenerateVideo", 500),
        ("oxen.yaml", "ListQueuedGenerations", 400),
    ];

    private static readonly int[] FaultStatuses = [429, 500, 503];

    [Fact]
    public async Task EveryResponse_Elumenta_ValidatesAgainstSpec()
    {
        var log = new ExchangeLog();
        await using (var slow = await StartAsync(log, o => o.TimeScale = 1))
        {
            var id = (string)(await slow.PostAsync("api/v2/generate", new { model = "kling-v2.1", prompt = "A flower", duration = 5, aspect_ratio = "16:9" })).Json["id"]!;
            await slow.GetAsync($"api/v2/generate/{id}");
            await slow.PostAsync("api/v2/models/kling-v2.1/calculate-price", new { @params = new { duration = 10, aspect_ratio = "16:9" }, count = 1 });
            await slow.PostAsync("api/v2/models/kling-v9/calculate-price", new { @params = new { duration = 5 } });
            await slow.GetAsync("api/v2/balance");
            await slow.PostAsync("api/v2/generate", new { model = "luma-ray2", prompt = "Turns and smiles", image_url = "https://example.com/portrait.jpg", duration = 10, negative_prompt = "blur" });
            await slow.GetAsync("api/v2/generate/99999");
            await slow.GetAsync("api/v2/generate/not-a-number");
            await slow.PostAsync("api/v2/generate", new { model = "kling-v2.1" });
            await slow.PostAsync("api/v2/generate", "{not json");
            await slow.PostAsync("api/v2/generate", new { model = "kling-v2.1", prompt = "p", duration = 7 });
            await slow.PostAsync("api/v2/generate", new { model = "sora-2", prompt = "p" });
            await slow.PostAsync("api/v2/generate", new { model = "kling-v2.1", prompt = "p" }, key: null);
            await slow.GetAsync($"api/v2/generate/{id}", key: null);
            slow.Server.Ledger.SetBalance("elumenta", Key, 0);
            await slow.PostAsync("api/v2/generate", new { model = "kling-v2.1", prompt = "p" });
            slow.Server.CancelJob("elumenta", id);
            await slow.GetAsync($"api/v2/generate/{id}");
        }

        await using (var instant = await StartAsync(log, o => o.TimeScale = 0))
        {
            foreach (var ratio in new[] { "16:9", "9:16", "1:1" })
            {
                var id = (string)(await instant.PostAsync("api/v2/generate", new { model = "mj-video-720p", prompt = "p", aspect_ratio = ratio })).Json["id"]!;
                await instant.GetAsync($"api/v2/generate/{id}");
            }

            var failed = (string)(await instant.PostAsync("api/v2/generate", new { model = "luma-flash2", prompt = "p " + SandboxOptions.FailurePromptMarker })).Json["id"]!;
            await instant.GetAsync($"api/v2/generate/{failed}");
        }

        await DriveFaultsAsync(log, async s =>
        {
            await s.PostAsync("api/v2/generate", new { model = "kling-v2.1", prompt = "p" });
            await s.GetAsync("api/v2/generate/18500");
        });

        Validate("elumenta.yaml", log, stripPrefix: "/api", expectedStatuses: ["200", "400", "401", "402", "404", "422", "429", "500", "503"]);
    }

    [Fact]
    public async Task EveryResponse_Apiframe_ValidatesAgainstSpec()
    {
        var log = new ExchangeLog();
        await using (var slow = await StartAsync(log, o => o.TimeScale = 1))
        {
            var id = (string)(await slow.PostAsync("v2/videos/generate", new { prompt = "A fox", model = "kling-2.1", klingParams = new { duration = 5, aspect_ratio = "9:16" } })).Json["jobId"]!;
            await slow.GetAsync($"v2/jobs/{id}");
            await slow.GetAsync("v2/jobs?limit=10");
            await slow.GetAsync("v2/jobs?status=QUEUED&model=kling-2.1&limit=1");
            await slow.GetAsync("v2/jobs", key: null);
            await slow.GetAsync("v2/jobs/unknown");
            await slow.PostAsync("v2/videos/generate", new { prompt = new string('a', 4001), model = "veo-3" });
            await slow.PostAsync("v2/videos/generate", new { prompt = "p", model = "kling-v2.1" });
            await slow.PostAsync("v2/videos/generate", new { prompt = "p", model = "veo-3", webhookEvents = new[] { "done" } });
            await slow.PostAsync("v2/videos/generate", new { prompt = "p", model = "veo-3" }, key: null);
            await slow.GetAsync($"v2/jobs/{id}", key: null);
            slow.Server.CancelJob("apiframe", id);
            await slow.GetAsync($"v2/jobs/{id}");
            slow.Server.Ledger.SetBalance("apiframe", Key, 0);
            await slow.PostAsync("v2/videos/generate", new { prompt = "p", model = "veo-3" });
        }

        await using (var middle = await StartAsync(log, o => o.TimeScale = 0.1))
        {
            // A PROCESSING job with progress: read it a quarter of the way through its processing time (1.6–14.4 s at this
            // scale), so at least 1.2 s remain for the read through the proxy on a loaded machine (at 0.01 it raced).
            var id = (string)(await middle.PostAsync("v2/videos/generate", new { prompt = "A fox", model = "sora-2" })).Json["jobId"]!;
            var job = middle.Server.GetJob("apiframe", id)!;
            var halfway = job.StartsAt + ((job.FinishesAt - job.StartsAt) / 4) - DateTimeOffset.UtcNow;
            await Task.Delay(halfway > TimeSpan.Zero ? halfway : TimeSpan.Zero);
            ((string?)(await middle.GetAsync($"v2/jobs/{id}")).Json["status"]).ShouldBe("PROCESSING");
        }

        await using (var instant = await StartAsync(log, o => o.TimeScale = 0))
        {
            var id = (string)(await instant.PostAsync("v2/videos/generate", new { prompt = "A fox", model = "midjourney-video", midjourneyVideoParams = new { start_image = "https://example.com/forest.jpg" } })).Json["jobId"]!;
            await instant.GetAsync($"v2/jobs/{id}");
            var failed = (string)(await instant.PostAsync("v2/videos/generate", new { prompt = "p " + SandboxOptions.FailurePromptMarker, model = "veo-3" })).Json["jobId"]!;
            await instant.GetAsync($"v2/jobs/{failed}");
            var first = (await instant.GetAsync("v2/jobs?limit=1")).Json;
            await instant.GetAsync($"v2/jobs?limit=1&cursor={Uri.EscapeDataString((string?)first["nextCursor"] ?? string.Empty)}");
        }

        await DriveFaultsAsync(log, async s =>
        {
            await s.PostAsync("v2/videos/generate", new { prompt = "p", model = "veo-3" });
            await s.GetAsync("v2/jobs/x");
        });

        Validate("apiframe.yaml", log, stripPrefix: null, expectedStatuses: ["200", "202", "400", "401", "402", "404", "429", "500", "503"]);
    }

    [Fact]
    public async Task EveryWebhook_Apiframe_ValidatesAgainstWebhookPayload()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var log = new ExchangeLog();
        await using (var sandbox = await StartAsync(log, o => o.TimeScale = 0.001))
        {
            await sandbox.PostAsync("v2/videos/generate", new { prompt = "A fox", model = "midjourney-video", midjourneyVideoParams = new { start_image = "https://example.com/forest.jpg" }, webhookUrl = receiver.Url });
            await sandbox.PostAsync("v2/videos/generate", new { prompt = "p " + SandboxOptions.FailurePromptMarker, model = "veo-3", webhookUrl = receiver.Url, webhookEvents = new[] { "failed" } });
            for (var i = 0; i < 6; i++)
            {
                await receiver.NextAsync(TimeSpan.FromSeconds(15));
            }
        }

        var document = SpecDocument.Load("apiframe.yaml");
        var schema = document.Json["components"]!["schemas"]!["WebhookPayload"]!;
        var payloads = receiver.All;
        payloads.Select(p => (string?)p["event"]).Distinct().Order().ShouldBe(["completed", "failed", "progress"]);
        foreach (var payload in payloads)
        {
            var errors = document.Validate(schema, payload).Select(e => $"{e.Kind} at {e.Path}").ToList();
            output.WriteLine($"webhook {payload["event"]}: {(errors.Count == 0 ? "valid" : string.Join("; ", errors))}");
            errors.ShouldBeEmpty($"webhook payload does not match WebhookPayload: {payload.ToString(Formatting.None)}");
        }
    }

    [Fact]
    public async Task EveryResponse_AimlApi_ValidatesAgainstSpec()
    {
        const string one = "v2/generate/video/luma-ai/generation";
        const string many = "v2/generate/video/luma-ai/generations";
        var log = new ExchangeLog();
        await using (var slow = await StartAsync(log, o => o.TimeScale = 1))
        {
            var id = (string)(await slow.PostAsync(one, new { prompt = "Flying jellyfish", aspect_ratio = "16:9", loop = true, model = "ray-flash-2", resolution = "720p", duration = "9s" })).Json["id"]!;
            await slow.GetAsync($"{one}?generation_id={id}");
            await slow.GetAsync($"{one}?generation_id={id}&state=queued");
            await slow.GetAsync($"{many}?generation_ids={id}&generation_ids[]={id}&status=queued");
            await slow.GetAsync($"{one}?generation_id={id}&state=streaming");
            await slow.GetAsync($"{one}?generation_id=0f3ea4aa-10e7-4dae-af0b-263ab4ac45f9");
            await slow.GetAsync($"{many}?generation_ids=nope");
            await slow.PostAsync(one, new { prompt = "A jellyfish in the ocean", aspect_ratio = "19:9", loop = false });
            await slow.PostAsync(one, new { prompt = "p", keyframes = new { frame0 = new { type = "generation", id } } });
            await slow.PostAsync(one, new { prompt = "p" }, key: null);
            await slow.GetAsync($"{one}?generation_id={id}", key: null);
            await slow.GetAsync($"{many}?generation_ids={id}", key: null);
            slow.Server.CancelJob("aimlapi", id);
            await slow.GetAsync($"{one}?generation_id={id}");
            slow.Server.Ledger.SetBalance("aimlapi", Key, 0);
            await slow.PostAsync(one, new { prompt = "p" });
        }

        await using (var instant = await StartAsync(log, o => o.TimeScale = 0))
        {
            var ids = new List<string>();
            foreach (var ratio in new[] { "1:1", "16:9", "9:16", "4:3", "3:4", "21:9", "9:21" })
            {
                ids.Add((string)(await instant.PostAsync(one, new { prompt = "p", aspect_ratio = ratio })).Json["id"]!);
            }

            await instant.GetAsync($"{one}?generation_id={ids[0]}&state=completed");
            await instant.GetAsync($"{many}?generation_ids={string.Join(",", ids)}&status=completed");
            var extended = (string)(await instant.PostAsync(one, new { prompt = "More", keyframes = new { frame0 = new { type = "generation", id = ids[0] }, frame1 = new { type = "image", url = "https://example.com/image1.png" } } })).Json["id"]!;
            await instant.GetAsync($"{one}?generation_id={extended}");
            var failed = (string)(await instant.PostAsync(one, new { prompt = "p " + SandboxOptions.FailurePromptMarker })).Json["id"]!;
            await instant.GetAsync($"{one}?generation_id={failed}&state=completed");

            // The documented video route: create, read (completed, then failed), extend, and what it refuses.
            const string video = "v2/video/generations";
            var task = (string)(await instant.PostAsync(video, new { model = "luma/ray-2", prompt = "A dragon", aspect_ratio = "9:16", duration = 9, resolution = "720p", loop = true })).Json["id"]!;
            await instant.GetAsync($"{video}?generation_id={Uri.EscapeDataString(task)}");
            await instant.PostAsync(video, new { model = "luma/ray-flash-2", prompt = "More", keyframes = new { frame0 = new { type = "generation", id = task }, frame1 = new { type = "image", url = "https://example.com/white-fish.png" } } });
            var failedTask = (string)(await instant.PostAsync(video, new { model = "luma/ray-2", prompt = "p " + SandboxOptions.FailurePromptMarker })).Json["id"]!;
            await instant.GetAsync($"{video}?generation_id={Uri.EscapeDataString(failedTask)}");
            await instant.PostAsync(video, new { model = "luma/ray-2", prompt = "p", duration = "5" });
            await instant.PostAsync(video, new { model = "ray-2", prompt = "p", callback_url = "https://example.com/hook" });
            await instant.GetAsync($"{video}?generation_id=nope");
        }

        await DriveFaultsAsync(log, async s =>
        {
            await s.PostAsync(one, new { prompt = "p" });
            await s.GetAsync($"{one}?generation_id=0f3ea4aa-10e7-4dae-af0b-263ab4ac45f9");
            await s.GetAsync($"{many}?generation_ids=0f3ea4aa-10e7-4dae-af0b-263ab4ac45f9");
        });

        Validate("aimlapi.yaml", log, stripPrefix: null, expectedStatuses: ["200", "201", "400", "401", "402", "429", "500", "503"]);
    }

    [Fact]
    public async Task EveryResponse_Oxen_ValidatesAgainstSpec()
    {
        const string model = "kling-video-v2-6-pro-text-to-video";
        var log = new ExchangeLog();
        await using (var slow = await StartAsync(log, o => o.TimeScale = 1))
        {
            var queued = (await slow.PostAsync("api/ai/queue", new { model, prompt = "A sunset", duration = 5, seed = 3, aspect_ratio = "9:16", num_generations = 2 })).Json;
            var id = (string)queued["generations"]![0]!["generation_id"]!;
            await slow.PostAsync("api/ai/queue", new { model = "kling-video-o3-pro-reference-to-video", multi_prompt = new[] { new { prompt = "a", duration = 5 }, new { prompt = "b", duration = 5 } }, aspect_ratio = "16:9", input_image = new[] { "https://example.com/a.png" } });
            await slow.GetAsync($"api/ai/queue/{id}");
            await slow.GetAsync($"api/ai/queue?model={model}");
            var toCancel = (string)(await slow.PostAsync("api/ai/queue", new { model, prompt = "To cancel" })).Json["generations"]![0]!["generation_id"]!;
            await slow.DeleteAsync($"api/ai/queue/{toCancel}");
            var toRetry = (string)(await slow.PostAsync("api/ai/queue", new { model, prompt = "To retry" })).Json["generations"]![0]!["generation_id"]!;
            await slow.PostAsync($"api/ai/queue/{toRetry}/retry", new { });
            await slow.GetAsync("api/ai/queue?status=queued&media_type=video&namespace=me&repo=r&folder=f");
            await slow.GetAsync("api/ai/queue?status=done");
            await slow.GetAsync("api/ai/queue/7cf9b23a-1234-5678-9abc-def012345678");
            await slow.PostAsync("api/ai/queue", new { model = "flux", prompt = "p" });
            await slow.PostAsync("api/ai/videos/generate", new { model, prompt = "p", multi_prompt = new[] { new { prompt = "a" } } });
            await slow.PostAsync("api/ai/queue", new { model, prompt = "p" }, key: null);
            await slow.GetAsync("api/ai/queue", key: null);
            await slow.GetAsync($"api/ai/queue/{id}", key: null);
            await slow.PostAsync("api/ai/videos/generate", new { model, prompt = "p" }, key: null);
            slow.Server.CancelJob("oxen", id);
            await slow.GetAsync($"api/ai/queue/{id}");
            await slow.GetAsync("api/ai/queue?status=cancelled");
            slow.Server.Ledger.SetBalance("oxen", Key, 0);
            await slow.PostAsync("api/ai/videos/generate", new { model, prompt = "p" });
        }

        await using (var instant = await StartAsync(log, o => o.TimeScale = 0))
        {
            await instant.PostAsync("api/ai/videos/generate", new { model, prompt = "A red balloon", duration = 5 });
            await instant.PostAsync("api/ai/videos/generate", new { model, prompt = "A red balloon", response_format = "b64_json", aspect_ratio = "1:1" });
            await instant.PostAsync("api/ai/videos/generate", new { model, prompt = "p " + SandboxOptions.FailurePromptMarker });
            var id = (string)(await instant.PostAsync("api/ai/queue", new { model, prompt = "p" })).Json["generations"]![0]!["generation_id"]!;
            await instant.GetAsync($"api/ai/queue/{id}");
            var unsupported = (string)(await instant.PostAsync("api/ai/queue", new { model, prompt = "p", aspect_ratio = "5:4" })).Json["generations"]![0]!["generation_id"]!;
            await instant.GetAsync($"api/ai/queue/{unsupported}");
            await instant.GetAsync("api/ai/queue?status=succeeded");
            await instant.GetAsync("api/ai/queue?status=failed");
        }

        await DriveFaultsAsync(log, async s =>
        {
            await s.PostAsync("api/ai/queue", new { model, prompt = "p" });
            await s.GetAsync("api/ai/queue");
            await s.GetAsync("api/ai/queue/7cf9b23a-1234-5678-9abc-def012345678");
        });

        Validate("oxen.yaml", log, stripPrefix: null, expectedStatuses: ["200", "400", "401", "402", "404", "429", "500", "503"]);
    }

    /// <summary>Runs <paramref name="calls"/> against a sandbox that answers every request with a 429, 500 or 503.</summary>
    private static async Task DriveFaultsAsync(ExchangeLog log, Func<Client, Task> calls)
    {
        await using var faulty = await StartAsync(log, o =>
        {
            o.Seed = 11;
            o.Faults.RateLimitRate = 1 / 3.0;
            o.Faults.ServerErrorRate = 1 / 3.0;
            o.Faults.ServiceUnavailableRate = 1 / 3.0;
        });
        for (var i = 0; i < 8; i++)
        {
            await calls(faulty);
        }
    }

    private void Validate(string spec, ExchangeLog log, string? stripPrefix, IReadOnlyCollection<string> expectedStatuses)
    {
        var document = SpecDocument.Load(spec);
        var operations = document.Operations().Select(o => (o.Method, o.OperationId, o.Operation, Pattern: PathPattern(o.Path))).ToList();
        var errorSchema = document.Json["components"]!["schemas"]!["ErrorResponse"]!;
        var failures = new List<string>();
        var covered = new HashSet<(string OperationId, string Status)>();

        foreach (var exchange in log.All.Where(e => !e.Path.StartsWith("/media/", StringComparison.Ordinal) && !e.Path.StartsWith("/_sandbox/", StringComparison.Ordinal)))
        {
            var path = stripPrefix is not null && exchange.Path.StartsWith(stripPrefix + "/", StringComparison.Ordinal) ? exchange.Path[stripPrefix.Length..] : exchange.Path;
            var operation = operations.SingleOrDefault(o => o.Method == exchange.Method && o.Pattern.IsMatch(path));
            var where = $"{exchange.Method.ToUpperInvariant()} {exchange.Path}{exchange.Query} → {exchange.Status}";
            if (operation.Operation is null)
            {
                failures.Add($"{where}: no operation in {spec} matches");
                continue;
            }

            var status = exchange.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            covered.Add((operation.OperationId, status));
            if (!exchange.ContentType.StartsWith("application/json", StringComparison.Ordinal))
            {
                failures.Add($"{where}: Content-Type is '{exchange.ContentType}', not application/json");
                continue;
            }

            JToken schema;
            if (operation.Operation["responses"]?[status] is { } response)
            {
                schema = document.Resolve(response)["content"]!["application/json"]!["schema"]!;
            }
            else if (FaultStatuses.Contains(exchange.Status) || KnownUndocumented.Contains((spec, operation.OperationId, exchange.Status)))
            {
                output.WriteLine($"{where}: {spec} does not document {status} for {operation.OperationId}; held to ErrorResponse");
                schema = errorSchema;
            }
            else
            {
                failures.Add($"{where}: {spec} documents no {status} for {operation.OperationId} (documented: {string.Join(", ", ((JObject)operation.Operation["responses"]!).Properties().Select(p => p.Name))})");
                continue;
            }

            var body = JsonConvert.DeserializeObject<JToken>(exchange.Body, new JsonSerializerSettings { DateParseHandling = DateParseHandling.None })!;
            var errors = document.Validate(schema, body).Select(e => $"{e.Kind} at {e.Path}").ToList();
            if (errors.Count > 0)
            {
                failures.Add($"{where}: {string.Join("; ", errors)}\n    {exchange.Body}");
            }
        }

        foreach (var (operationId, status) in covered.OrderBy(c => c.OperationId, StringComparer.Ordinal).ThenBy(c => c.Status, StringComparer.Ordinal))
        {
            output.WriteLine($"covered {operationId} {status}");
        }

        output.WriteLine($"{log.All.Count} exchanges recorded for {spec}");
        failures.ShouldBeEmpty(string.Join("\n", failures));
        foreach (var (_, _, operationId, _) in document.Operations())
        {
            covered.ShouldContain(c => c.OperationId == operationId && c.Status.StartsWith('2'), $"{operationId} was never answered with success");
        }

        covered.Select(c => c.Status).Distinct().Order().ShouldBe(expectedStatuses.Order(), "the statuses this scenario drives");
    }

    private static Regex PathPattern(string template) =>
        new("^" + Regex.Replace(Regex.Escape(template), @"\\\{[^}]+}", "[^/]+") + "$", RegexOptions.CultureInvariant);

    private static async Task<Client> StartAsync(ExchangeLog log, Action<SandboxOptions> configure)
    {
        var options = new SandboxOptions();
        configure(options);
        var server = await SandboxServer.StartAsync(options);
        return new Client(server, log);
    }

    private sealed record Exchange(string Method, string Path, string Query, int Status, string ContentType, string Body);

    /// <summary>Every exchange on the wire, across the sandboxes of one test.</summary>
    private sealed class ExchangeLog
    {
        private readonly ConcurrentQueue<Exchange> _exchanges = new();

        public IReadOnlyList<Exchange> All => _exchanges.ToList();

        public void Add(Exchange exchange) => _exchanges.Enqueue(exchange);
    }

    private sealed class RecordingHandler(ExchangeLog log) : DelegatingHandler(new SocketsHttpHandler { UseProxy = false })
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            log.Add(new Exchange(
                request.Method.Method.ToLowerInvariant(),
                request.RequestUri!.AbsolutePath,
                request.RequestUri.Query,
                (int)response.StatusCode,
                response.Content.Headers.ContentType?.ToString() ?? string.Empty,
                body));
            response.Content = new StringContent(body, Encoding.UTF8, response.Content.Headers.ContentType?.MediaType ?? "application/json");
            return response;
        }
    }

    /// <summary>A sandbox and an HTTP client that records every exchange.</summary>
    private sealed class Client(SandboxServer server, ExchangeLog log) : IAsyncDisposable
    {
        private readonly HttpClient _http = new(new RecordingHandler(log)) { BaseAddress = server.BaseUrl };

        public SandboxServer Server => server;

        public Task<(int Status, JToken Json)> PostAsync(string path, object body, string? key = Key) =>
            SendAsync(HttpMethod.Post, path, body as string ?? JsonConvert.SerializeObject(body), key);

        public Task<(int Status, JToken Json)> GetAsync(string path, string? key = Key) => SendAsync(HttpMethod.Get, path, null, key);

        public Task<(int Status, JToken Json)> DeleteAsync(string path, string? key = Key) => SendAsync(HttpMethod.Delete, path, null, key);

        private static bool IsApiframe(string path) =>
            path.StartsWith("v2/videos/", StringComparison.Ordinal) || path.StartsWith("v2/jobs", StringComparison.Ordinal);

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            await server.DisposeAsync();
        }

        private async Task<(int Status, JToken Json)> SendAsync(HttpMethod method, string path, string? json, string? key)
        {
            using var request = new HttpRequestMessage(method, path);
            if (key is not null && IsApiframe(path))
            {
                // Apiframe reads the key from X-API-Key (https://docs-v2.apiframe.ai/docs/getting-started/authentication).
                request.Headers.Add("X-API-Key", key);
            }
            else if (key is not null)
            {
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
            }

            if (json is not null)
            {
                request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            }

            using var response = await _http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return ((int)response.StatusCode, JsonConvert.DeserializeObject<JToken>(text, new JsonSerializerSettings { DateParseHandling = DateParseHandling.None })!);
        }
    }
}
