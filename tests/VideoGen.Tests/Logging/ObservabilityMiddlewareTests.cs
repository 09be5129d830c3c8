using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VideoGen.AimlApi;
using VideoGen.DependencyInjection;
using VideoGen.Logging;
using VideoGen.Telemetry;
using VideoGen.Tests.Security;
using VideoGen.Tests.Vendors;

namespace VideoGen.Tests.Logging;

/// <summary>
/// Logging and the submit span are middleware: there by default, innermost, in a builder's generator; left out or
/// placed elsewhere through <see cref="VideoGenerationBuilder"/>.
/// </summary>
[Collection(nameof(Observability))]
public sealed class ObservabilityMiddlewareTests : IDisposable
{
    private const string JobId = "2f6a7e37-1c3b-4f9e-9a4e-6a3c1e8d2b10";

    private readonly RecordingLoggerProvider _logs = new();
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ActivityListener _listener;
    private readonly StubHttpHandler _stub = new StubHttpHandler().OnJson(HttpMethod.Post, ".*/luma-ai/generation", $$"""{"id": "{{JobId}}", "state": "queued"}""");

    public ObservabilityMiddlewareTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == VideoGenTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task AddVideoGenerator_ByDefault_LogsAndTracesTheSubmission()
    {
        using var provider = Provider(_ => { });
        var generator = provider.GetRequiredKeyedService<IVideoGenerator>(VendorIds.AimlApi);

        generator.GetService<LoggingVideoGenerator>().ShouldNotBeNull();
        generator.GetService<OpenTelemetryVideoGenerator>().ShouldNotBeNull();
        await generator.SubmitAsync(new VideoGenerationRequest("A red balloon"));

        Submits().ShouldHaveSingleItem().GetTagItem("videogen.job_id").ShouldBe(JobId);
        Events().ShouldBe(["Submitting", "SubmitAccepted"]);
    }

    [Fact]
    public async Task AddVideoGenerator_WithoutLoggingAndOpenTelemetry_SubmitsWithNeitherSpanNorSubmissionLogs()
    {
        using var provider = Provider(b => b.WithoutLogging().WithoutOpenTelemetry());
        var generator = provider.GetRequiredKeyedService<IVideoGenerator>(VendorIds.AimlApi);

        generator.GetService<LoggingVideoGenerator>().ShouldBeNull();
        generator.GetService<OpenTelemetryVideoGenerator>().ShouldBeNull();
        (await generator.SubmitAsync(new VideoGenerationRequest("A red balloon"))).Id.ShouldBe(JobId);

        Submits().ShouldBeEmpty();
        Events().ShouldBeEmpty();
    }

    [Fact]
    public async Task AddVideoGenerator_UseOpenTelemetryBeforeUseBudget_TheSpanCoversTheBudgetsRefusal()
    {
        using var provider = Provider(b => b.UseOpenTelemetry().UseBudget(new VideoBudgetOptions { MaxCostPerJob = 0 }));
        var generator = provider.GetRequiredKeyedService<IVideoGenerator>(VendorIds.AimlApi);

        generator.ShouldBeOfType<OpenTelemetryVideoGenerator>();
        await Should.ThrowAsync<BudgetExceededException>(() => generator.SubmitAsync(new VideoGenerationRequest("A red balloon")));

        var span = Submits().ShouldHaveSingleItem("placed outermost, the span is there even though nothing was sent");
        span.GetTagItem("error.type").ShouldBe(nameof(BudgetExceededException));
        _stub.Requests.ShouldBeEmpty();
        Events().ShouldBeEmpty("logging stays innermost, below the budget, where it is by default");
    }

    [Fact]
    public async Task AddVideoGenerator_UseBudgetWithDefaultTelemetry_ARefusedRequestHasNoSpan()
    {
        using var provider = Provider(b => b.UseBudget(new VideoBudgetOptions { MaxCostPerJob = 0 }));

        await Should.ThrowAsync<BudgetExceededException>(() => provider.GetRequiredKeyedService<IVideoGenerator>(VendorIds.AimlApi).SubmitAsync(new VideoGenerationRequest("A red balloon")));

        Submits().ShouldBeEmpty();
        Events().ShouldBeEmpty();
    }

    [Fact]
    public async Task AsVideoGenerator_InvalidRequest_NeitherSpanNorSubmissionLogs()
    {
        using var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(_logs));
        var generator = TestClients.AimlApi(_stub).AsVideoGenerator(factory);

        await Should.ThrowAsync<VideoGenValidationException>(() => generator.SubmitAsync(new VideoGenerationRequest("A red balloon") { DurationSeconds = -1 }));

        Submits().ShouldBeEmpty();
        Events().ShouldBeEmpty();
        _stub.Requests.ShouldBeEmpty();
    }

    private ServiceProvider Provider(Action<VideoGenerationBuilder> configure)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(_logs));
        configure(services.AddVideoGenerator(VendorIds.AimlApi, o => o.AimlApi.ApiKey = TestClients.ApiKey));
        services.AddAimlApiClient().ConfigurePrimaryHttpMessageHandler(() => _stub);
        return services.BuildServiceProvider();
    }

    private List<Activity> Submits() => _spans.Where(s => s.OperationName == "videogen.submit").ToList();

    private List<string?> Events() =>
        _logs.Records.Where(r => r.EventId.Name is "Submitting" or "SubmitAccepted").Select(r => r.EventId.Name).ToList();
}
