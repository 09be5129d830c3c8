using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using VideoGen.Elumenta;
using VideoGen.Http;
using VideoGen.Oxen;
using VideoGen.Resilience;
using VideoGen.Telemetry;
using VideoGen.Tests.Infrastructure;
using VideoGen.Tests.Security;
using VideoGen.Tests.Vendors;
using VideoGen.Waiting;

namespace VideoGen.Tests.Logging;

/// <summary>Measurements are process-wide: these tests run alone, so every count they read is their own.</summary>
[CollectionDefinition(nameof(Observability), DisableParallelization = true)]
public sealed class Observability;

/// <summary>
/// One flow with a retry, a throttled poll, a cost, a failed job and a refused key: the spans, counters and
/// log records a user would look for are there, at the levels .NET users expect, and hold no key and no prompt.
/// </summary>
[Collection(nameof(Observability))]
public sealed class ObservabilityTests : IDisposable
{
    private const string Prompt = "A lighthouse keeper's cat watches a storm roll in over the cliffs, cinematic, 35mm";
    private const string Model = "kling-v2.1";

    private readonly RecordingLoggerProvider _logs = new();
    private readonly ILoggerFactory _loggerFactory;
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = new();
    private readonly ActivityListener _activityListener;
    private readonly MeterListener _meterListener;
    private readonly VirtualTimeProvider _clock = new();

    public ObservabilityTests()
    {
        _loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(_logs));
        _activityListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == VideoGenTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_activityListener);
        _meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == VideoGenTelemetry.Name)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meterListener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _meterListener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _meterListener.Start();
    }

    public void Dispose()
    {
        _activityListener.Dispose();
        _meterListener.Dispose();
        _loggerFactory.Dispose();
    }

    [Fact]
    public async Task WaitAndFail_WithRetriesThrottlingCostAndARefusedKey_EmitSpansCountersAndLogsAtTheExpectedLevels()
    {
        var reads = 0;
        var stub = new StubHttpHandler()
            .On(HttpMethod.Post, "/api/v2/generate", _ => StubHttpHandler.Json($$"""{"id": {{(reads < 5 ? 424242 : 424243)}}, "status": "pending", "model_slug": "{{Model}}"}"""))
            .On(HttpMethod.Get, "/api/v2/generate/424242", _ => ++reads switch
            {
                1 => Status(HttpStatusCode.ServiceUnavailable),
                2 => StubHttpHandler.Json($$"""{"id": 424242, "status": "pending", "model_slug": "{{Model}}"}"""),
                3 or 4 => Status(HttpStatusCode.TooManyRequests),
                _ => StubHttpHandler.Json($$"""{"id": 424242, "status": "completed", "model_slug": "{{Model}}", "tokens_spent": 26, "result_url": "https://storage.test/424242.mp4"}"""),
            })
            .On(HttpMethod.Get, "/api/v2/generate/424243", _ => StubHttpHandler.Json($$"""{"id": 424243, "status": "failed", "model_slug": "{{Model}}", "error": "Provider error: content policy violation"}"""));
        var resilience = new ResilienceHandler(new ResilienceOptions { MaxRetries = 1, TimeProvider = _clock, UseJitter = false }, _loggerFactory) { InnerHandler = stub };
        var client = new ElumentaClient(new VendorClientConfiguration("Elumenta") { ApiKey = TestClients.ApiKey, BaseUrl = new Uri("https://elumenta.test/api/") }, new HttpClient(resilience));
        var generator = client.AsVideoGenerator(loggerFactory: _loggerFactory);
        var wait = new WaitOptions { TimeProvider = _clock, Jitter = 0 };

        // A job that succeeds after a retried 503 and a poll throttled past the retry, reporting its cost.
        var done = await (await generator.StartGenerationAsync(new VideoGenerationRequest(Prompt) { Model = Model })).WaitForCompletionAsync(wait);

        // A job that fails, and a submission refused for its key.
        await Should.ThrowAsync<JobFailedException>(async () => await (await generator.StartGenerationAsync(new VideoGenerationRequest(Prompt) { Model = Model })).WaitForCompletionAsync(wait));
        stub.On(HttpMethod.Post, "/api/v2/generate", _ => StubHttpHandler.Json("""{"error": "not_authenticated", "message": "invalid token"}""", HttpStatusCode.Unauthorized));
        await Should.ThrowAsync<VideoGenAuthenticationException>(() => generator.SubmitAsync(new VideoGenerationRequest(Prompt) { Model = Model }));

        done.Cost.ShouldBe(new VideoCost(26, "Elumenta tokens"));

        // Spans: one submit per request sent, tagged vendor, model and job id; one poll per status request.
        var submits = _spans.Where(s => s.OperationName == "videogen.submit").ToList();
        submits.Count.ShouldBe(3);
        var vendor = VendorDescriptors.Get(VendorIds.Elumenta).DisplayName;
        submits.ShouldAllBe(s => (string?)s.GetTagItem("videogen.vendor") == vendor && (string?)s.GetTagItem("videogen.model") == Model);
        submits.Select(s => s.GetTagItem("videogen.job_id") as string).ShouldBe(["424242", "424243", null]);
        submits[2].Status.ShouldBe(ActivityStatusCode.Error);
        submits[2].GetTagItem("error.type").ShouldBe(nameof(VideoGenAuthenticationException));
        var polls = _spans.Where(s => s.OperationName == "videogen.poll").ToList();
        polls.Select(s => s.GetTagItem("videogen.job_id")).ShouldBe(["424242", "424242", "424242", "424243"]);
        polls.Count(s => s.Status == ActivityStatusCode.Error).ShouldBe(1, "the throttled poll");
        _spans.SelectMany(s => s.TagObjects).ShouldAllBe(t => !(t.Value ?? string.Empty).ToString()!.Contains(TestClients.ApiKey));

        // Counters.
        Sum("videogen.submissions").ShouldBe(2);
        Sum("videogen.polls").ShouldBe(4);
        Sum("videogen.retries").ShouldBe(2, "the 503 and the first 429, each retried once");
        Sum("videogen.failures").ShouldBe(3, "the throttled poll, the failed job, the refused key");
        Measurements("videogen.failures").Select(m => m.Tags["error.type"]).ShouldBe([nameof(RateLimitedException), "JobFailed", nameof(VideoGenAuthenticationException)], ignoreOrder: true);
        var cost = Measurements("videogen.cost").ShouldHaveSingleItem();
        cost.Value.ShouldBe(26);
        cost.Tags["unit"].ShouldBe("Elumenta tokens");
        cost.Tags["videogen.vendor"].ShouldBe("Elumenta");

        // Logs: what happened to the jobs at Information, each request and poll at Debug, what VideoGen
        // recovered from at Warning, the key at Error — and no prompt above Debug, only its start at Debug.
        var records = _logs.Records.Where(r => r.Category.StartsWith("VideoGen.", StringComparison.Ordinal)).ToList();
        Events(records, LogLevel.Information).ShouldBe(["SubmitAccepted", "JobFinished", "SubmitAccepted", "JobFinished"]);
        Events(records, LogLevel.Warning).ShouldBe(["Retrying", "Retrying", "Throttled"]);
        Events(records, LogLevel.Error).ShouldBe(["AuthenticationFailed"]);
        records.Count(r => r.EventId.Name == "Polled" && r.Level == LogLevel.Debug).ShouldBe(3);
        // 45 s (kling-v2.1's earliest finish) + 1 s retry; + 2 s interval + 1 s retry (throttled); + 1 s Retry-After.
        records.Single(r => r.EventId.Name == "JobFinished" && r.Message.Contains("424242", StringComparison.Ordinal)).Message
            .ShouldBe("Elumenta job 424242 finished Succeeded after 50 s (2 polls)");
        records.Single(r => r.EventId.Name == "SubmitAccepted" && r.Message.Contains("424242", StringComparison.Ordinal)).Message
            .ShouldBe("Elumenta accepted job 424242 (model kling-v2.1, status Queued)");
        records.Single(r => r.EventId.Name == "AuthenticationFailed").Message
            .ShouldBe("Elumenta refused the API key while submitting a job (HTTP 401); check the key configured for Elumenta");
        records.Where(r => r.EventId.Name == "Retrying").Select(r => r.Message)
            .ShouldBe(["Retrying GET elumenta.test/api/v2/generate/424242 in 1 s (retry 1 of 1) after HTTP 503", "Retrying GET elumenta.test/api/v2/generate/424242 in 1 s (retry 1 of 1) after HTTP 429"]);

        var submitting = records.Where(r => r.EventId.Name == "Submitting").ToList();
        submitting.ShouldAllBe(r => r.Level == LogLevel.Debug);
        submitting[0].Message.ShouldBe($"Submitting a job to Elumenta (model {Model}): prompt \"{Prompt[..40]}…\" ({Prompt.Length} characters)");
        var promptStart = Prompt[..12];
        records.Where(r => r.Level >= LogLevel.Information).ShouldAllBe(r => !r.AllText.Contains(promptStart));
        records.ShouldAllBe(r => !r.AllText.Contains(Prompt) && !r.AllText.Contains(TestClients.ApiKey));

        // The vendor's failure reason (which may quote a prompt) is at Debug only.
        records.Single(r => r.EventId.Name == "JobFailureReason").Level.ShouldBe(LogLevel.Debug);
        records.Where(r => r.Level >= LogLevel.Information).ShouldAllBe(r => !r.AllText.Contains("content policy"));
    }

    [Fact]
    public async Task VideoJobMonitor_LogsThroughTheGeneratorsFactory()
    {
        var stub = new StubHttpHandler()
            .OnJson(HttpMethod.Get, "/api/v2/generate/7", """{"id": 7, "status": "completed", "model_slug": "kling-v2.1", "tokens_spent": 5, "result_url": "https://storage.test/7.mp4"}""");
        var generator = TestClients.Elumenta(stub).AsVideoGenerator(loggerFactory: _loggerFactory);
        var job = new VideoJob { Id = "7", Vendor = "Elumenta", Model = Model, Status = VideoJobStatus.Queued };
        await using var monitor = new VideoJobMonitor(generator, new JobMonitorOptions { Wait = new WaitOptions { TimeProvider = _clock } });

        (await monitor.TrackAsync(job)).Status.ShouldBe(VideoJobStatus.Succeeded);

        var finished = _logs.Records.ShouldHaveSingleItem(r => r.EventId.Name == "JobFinished");
        finished.Category.ShouldBe("VideoGen.Waiting.VideoJobMonitor");
        finished.Level.ShouldBe(LogLevel.Information);
        _logs.Records.ShouldContain(r => r.EventId.Name == "Polled" && r.Category == "VideoGen.Waiting.VideoJobMonitor");
        Measurements("videogen.cost").ShouldHaveSingleItem().Value.ShouldBe(5);
    }

    [Fact]
    public void GetService_LoggerFactory_IsTheOneGivenOrNone()
    {
        var stub = new StubHttpHandler();

        TestClients.Elumenta(stub).AsVideoGenerator(loggerFactory: _loggerFactory).GetService(typeof(ILoggerFactory)).ShouldBeSameAs(_loggerFactory);
        TestClients.Oxen(stub).AsVideoGenerator().GetService(typeof(ILoggerFactory)).ShouldBeNull();
    }

    private static HttpResponseMessage Status(HttpStatusCode status)
    {
        var response = StubHttpHandler.Json("""{"error": "busy"}""", status);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(1));
        return response;
    }

    private static List<string?> Events(IEnumerable<LogRecord> records, LogLevel level) =>
        records.Where(r => r.Level == level).Select(r => r.EventId.Name).ToList();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        _measurements.Enqueue((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));

    private List<(string Instrument, double Value, Dictionary<string, object?> Tags)> Measurements(string instrument) =>
        _measurements.Where(m => m.Instrument == instrument).ToList();

    private double Sum(string instrument) => Measurements(instrument).Sum(m => m.Value);
}

internal static class ShouldlyExtensions
{
    public static T ShouldHaveSingleItem<T>(this IEnumerable<T> items, Func<T, bool> predicate) => items.Where(predicate).ShouldHaveSingleItem();
}
