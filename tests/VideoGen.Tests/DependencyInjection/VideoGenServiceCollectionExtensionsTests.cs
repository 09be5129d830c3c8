using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VideoGen.AimlApi;
using VideoGen.Catalog;
using VideoGen.DependencyInjection;
using VideoGen.Elumenta;
using VideoGen.Journal;
using VideoGen.Apiframe;
using VideoGen.Oxen;
using VideoGen.Waiting;
using VideoGen.Tests.Vendors;

namespace VideoGen.Tests.DependencyInjection;

// Some tests set a vendor's API key environment variable; they restore it, and this collection keeps
// them from running beside the other classes' tests.
[CollectionDefinition(nameof(EnvironmentVariables), DisableParallelization = true)]
public sealed class EnvironmentVariables;

[Collection(nameof(EnvironmentVariables))]
public sealed class VideoGenServiceCollectionExtensionsTests
{
    private const string Key = TestClients.ApiKey;

    private const string ElumentaPending = """{"id": 18500, "status": "pending"}""";

    private static void AllKeys(VideoGenOptions o)
    {
        foreach (var id in VendorIds.All)
        {
            o.GetVendor(id).ApiKey = Key + "-" + id;
        }

        o.Apiframe.BaseUrl = new Uri("https://gateway.test/");
    }

    private static StubHttpHandler ElumentaStub() => new StubHttpHandler()
        .OnJson(HttpMethod.Post, ".*/v2/generate", ElumentaPending)
        .OnJson(HttpMethod.Get, ".*/v2/generate/18500", ElumentaPending);

    [Fact]
    public async Task AddVideoGeneration_TransientReadFailure_IsRetriedButACreateIsNot()
    {
        var reads = 0;
        var stub = new StubHttpHandler()
            .On(HttpMethod.Post, ".*/v2/generate", _ => new HttpResponseMessage(HttpStatusCode.InternalServerError))
            .On(HttpMethod.Get, ".*/v2/generate/18500", _ => ++reads == 1 ? new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) : StubHttpHandler.Json(ElumentaPending));
        var services = new ServiceCollection().AddVideoGeneration(o =>
        {
            o.Elumenta.ApiKey = Key;
            o.Resilience.BaseDelay = TimeSpan.Zero;
        });
        services.AddElumentaClient().ConfigurePrimaryHttpMessageHandler(() => stub);
        using var provider = services.BuildServiceProvider();
        var generator = provider.GetRequiredKeyedService<IVideoGenerator>(VendorIds.Elumenta);

        (await generator.GetJobAsync("18500")).Id.ShouldBe("18500");
        await Should.ThrowAsync<VideoGenException>(() => generator.SubmitAsync("A red balloon"));

        reads.ShouldBe(2);
        stub.Requests.Count(r => r.Method == HttpMethod.Post).ShouldBe(1);
    }

    [Fact]
    public void AddVideoGeneration_EveryVendorsGenerator_SharesTheContainersProcessingTimeHistory()
    {
        using var provider = new ServiceCollection().AddVideoGeneration(AllKeys).BuildServiceProvider();
        var history = provider.GetRequiredService<IProcessingTimeHistory>();

        history.ShouldBeOfType<InMemoryProcessingTimeHistory>();
        foreach (var id in VendorIds.All)
        {
            provider.GetRequiredKeyedService<IVideoGenerator>(id).GetService(typeof(IProcessingTimeHistory)).ShouldBeSameAs(history, id);
        }
    }

    [Fact]
    public async Task AddVideoGeneration_RegisteredSqliteJournal_SeedsTheHistoryFromItsTimestamps()
    {
        var dir = Directory.CreateTempSubdirectory("videogen-di-history-");
        try
        {
            var path = Path.Combine(dir.FullName, "journal.db");
            var journal = new SqliteJobJournal(path);
            var at = DateTimeOffset.UtcNow.AddSeconds(-75);
            await journal.RecordIntentAsync(new JournalEntry("c1", null, "elumenta", "kling-v2.1", "a cat", "{}", JournalState.Intent, null, null, at, at));
            await journal.UpdateAsync("c1", JournalState.Submitted, jobId: "j1");
            await journal.UpdateAsync("c1", JournalState.Completed);
            var services = new ServiceCollection().AddVideoGeneration(AllKeys);
            services.AddSingleton<IJobJournal>(journal);
            using var provider = services.BuildServiceProvider();

            var history = (IProcessingTimeHistory)provider.GetRequiredKeyedService<IVideoGenerator>(VendorIds.Elumenta).GetService(typeof(IProcessingTimeHistory))!;

            history.GetSnapshot("elumenta", "kling-v2.1").Recent.ShouldHaveSingleItem().TotalSeconds.ShouldBeInRange(75, 135);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void AddVideoGeneration_OwnHistoryRegisteredFirst_IsTheOneUsed()
    {
        var own = new InMemoryProcessingTimeHistory(capacity: 10);
        var services = new ServiceCollection().AddSingleton<IProcessingTimeHistory>(own).AddVideoGeneration(AllKeys);
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredKeyedService<IVideoGenerator>(VendorIds.Oxen).GetService(typeof(IProcessingTimeHistory)).ShouldBeSameAs(own);
    }

    [Fact]
    public async Task AddVideoGeneration_CreateRefusedWith429_IsSentAgainThroughTheFactorysResilienceHandler()
    {
        var posts = 0;
        var stub = new StubHttpHandler()
            .On(HttpMethod.Post, ".*/v2/generate", _ =>
            {
                if (++posts > 1)
                {
                    return StubHttpHandler.Json(ElumentaPending);
                }

                var limited = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
                limited.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.Zero);
                return limited;
            });
        var services = new ServiceCollection().AddVideoGeneration(o => o.Elumenta.ApiKey = Key);
        services.AddElumentaClient().ConfigurePrimaryHttpMessageHandler(() => stub);
        using var provider = services.BuildServiceProvider();

        var job = await provider.GetRequiredKeyedService<IVideoGenerator>(VendorIds.Elumenta).SubmitAsync("A red balloon");

        job.Id.ShouldBe("18500");
        posts.ShouldBe(2, "a 429 proves the create was not accepted");
    }

    [Fact]
    public async Task AddVideoGeneration_RemoveAllResilienceHandlers_TakesVideoGensRetryOut()
    {
        // The retry is Microsoft.Extensions.Http.Resilience's handler, so the library's own switch removes it.
        var reads = 0;
        var stub = new StubHttpHandler()
            .On(HttpMethod.Get, ".*/v2/generate/18500", _ => ++reads == 1 ? new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) : StubHttpHandler.Json(ElumentaPending));
        var services = new ServiceCollection().AddVideoGeneration(o =>
        {
            o.Elumenta.ApiKey = Key;
            o.Resilience.BaseDelay = TimeSpan.Zero;
        });
#pragma warning disable EXTEXP0001 // the library marks RemoveAllResilienceHandlers experimental
        services.AddElumentaClient().RemoveAllResilienceHandlers().ConfigurePrimaryHttpMessageHandler(() => stub);
#pragma warning restore EXTEXP0001
        using var provider = services.BuildServiceProvider();

        await Should.ThrowAsync<VideoGenException>(() => provider.GetRequiredKeyedService<IVideoGenerator>(VendorIds.Elumenta).GetJobAsync("18500"));

        reads.ShouldBe(1);
    }

    [Fact]
    public void AddVideoGeneration_EveryVendor_HasAKeyedGeneratorOfThatVendor()
    {
        using var provider = new ServiceCollection().AddVideoGeneration(AllKeys).BuildServiceProvider();

        foreach (var id in VendorIds.All)
        {
            var generator = provider.GetRequiredKeyedService<IVideoGenerator>(id);
            generator.GetService<VendorInfo>()!.Id.ShouldBe(id);
        }
    }

    [Fact]
    public void AddVideoGeneration_TypedClients_AreResolvableUnkeyedAndKeyed()
    {
        using var provider = new ServiceCollection().AddVideoGeneration(AllKeys).BuildServiceProvider();

        provider.GetRequiredService<IElumentaClient>().ShouldBeOfType<ElumentaClient>().BaseUrl.ShouldBe("https://elumenta.ru/api/");
        provider.GetRequiredKeyedService<IElumentaClient>(VendorIds.Elumenta).ShouldBeOfType<ElumentaClient>().BaseUrl.ShouldBe("https://elumenta.ru/api/");
        provider.GetRequiredKeyedService<IElumentaClient>(VendorIds.NeuralBox).ShouldBeOfType<ElumentaClient>().BaseUrl.ShouldBe("https://neuralbox.top/api/");
        provider.GetRequiredService<IApiframeClient>().ShouldBeOfType<ApiframeClient>().BaseUrl.ShouldBe("https://gateway.test/");
        provider.GetRequiredService<IAimlApiClient>().ShouldBeOfType<AimlApiClient>().BaseUrl.ShouldBe("https://api.aimlapi.com/");
        provider.GetRequiredService<IOxenClient>().ShouldBeOfType<OxenClient>().BaseUrl.ShouldBe("https://hub.oxen.ai/");
        provider.GetRequiredKeyedService<IOxenClient>(VendorIds.Oxen).ShouldNotBeNull();
    }

    [Fact]
    public void AddVideoGeneration_NeuralBoxGenerator_ReachesItsOwnElumentaClient()
    {
        using var provider = new ServiceCollection().AddVideoGeneration(AllKeys).BuildServiceProvider();

        var neuralBox = provider.GetRequiredKeyedService<IVideoGenerator>(VendorIds.NeuralBox);

        neuralBox.GetService<VendorInfo>()!.DisplayName.ShouldBe("NeuralBox");
        neuralBox.GetService<ElumentaClient>()!.BaseUrl.ShouldBe("https://neuralbox.top/api/");
        neuralBox.ShouldNotBeSameAs(provider.GetRequiredKeyedService<IVideoGenerator>(VendorIds.Elumenta));
    }

    [Fact]
    public void AddVideoGeneration_DefaultVendor_IsTheUnkeyedGenerator()
    {
        using var provider = new ServiceCollection().AddVideoGeneration(o =>
        {
            AllKeys(o);
            o.DefaultVendor = "Oxen";
        }).BuildServiceProvider();

        var generator = provider.GetRequiredService<IVideoGenerator>();

        generator.ShouldBeSameAs(provider.GetRequiredKeyedService<IVideoGenerator>(VendorIds.Oxen));
        generator.ShouldBeSameAs(provider.GetRequiredService<IVideoGenerator>());
    }

    [Fact]
    public void AddVideoGeneration_NoDefaultVendor_UnkeyedGeneratorFailsSayingWhatToSet()
    {
        using var provider = new ServiceCollection().AddVideoGeneration(AllKeys).BuildServiceProvider();

        var e = Should.Throw<InvalidOperationException>(() => provider.GetRequiredService<IVideoGenerator>());

        e.Message.ShouldContain("VideoGen:DefaultVendor");
        e.Message.ShouldContain("elumenta, neuralbox, apiframe, aimlapi, oxen");
    }

    [Fact]
    public void AddVideoGeneration_InvalidOptions_FailWithEveryProblemListed()
    {
        using var provider = new ServiceCollection().AddVideoGeneration(o =>
        {
            o.DefaultVendor = "sora";
            o.Elumenta.BaseUrl = new Uri("/relative", UriKind.Relative);
            o.Oxen.BaseUrl = new Uri("ftp://oxen.test/");
        }).BuildServiceProvider();

        var e = Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IOptions<VideoGenOptions>>().Value);

        e.Failures.Count().ShouldBe(3);
        e.Message.ShouldContain("VideoGen:DefaultVendor: 'sora' is not a vendor");
        e.Message.ShouldContain("VideoGen:Elumenta:BaseUrl: '/relative' is not allowed");
        e.Message.ShouldContain("VideoGen:Oxen:BaseUrl: 'ftp://oxen.test/' is not allowed");
    }

    [Fact]
    public void AddVideoGeneration_ApiframeWithoutBaseUrl_UsesTheDocumentedHost()
    {
        using var provider = new ServiceCollection().AddVideoGeneration().BuildServiceProvider();

        var client = (ApiframeClient)provider.GetRequiredKeyedService<IApiframeClient>(VendorIds.Apiframe);

        // https://docs-v2.apiframe.ai/docs/getting-started/authentication: https://api.apiframe.ai.
        client.BaseUrl.ShouldBe("https://api.apiframe.ai/");
    }

    [Fact]
    public void AddVideoGeneration_FormerGatewayId_ResolvesTheSameApiframeServices()
    {
        using var provider = new ServiceCollection().AddVideoGeneration(o => o.DefaultVendor = "gateway").BuildServiceProvider();

        var apiframe = provider.GetRequiredKeyedService<IVideoGenerator>(VendorIds.Apiframe);
        provider.GetRequiredKeyedService<IVideoGenerator>(VendorIds.Gateway).ShouldBeSameAs(apiframe);
        provider.GetRequiredService<IVideoGenerator>().ShouldBeSameAs(apiframe);
        provider.GetRequiredKeyedService<IApiframeClient>(VendorIds.Gateway).ShouldNotBeNull();
    }

    [Fact]
    public void AddVideoGeneration_FormerGatewaySection_BindsApiframesOptions()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["VideoGen:Gateway:BaseUrl"] = "https://proxy.test/",
        }).Build();
        using var provider = new ServiceCollection().AddVideoGeneration(configuration.GetSection("VideoGen")).BuildServiceProvider();

        var client = (ApiframeClient)provider.GetRequiredKeyedService<IApiframeClient>(VendorIds.Apiframe);

        client.BaseUrl.ShouldBe("https://proxy.test/");
    }

    [Fact]
    public async Task AddVideoGeneration_ApplicationConfiguration_BindsTheVideoGenSection()
    {
        var stub = ElumentaStub();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["VideoGen:DefaultVendor"] = "elumenta",
            ["VideoGen:Elumenta:ApiKey"] = Key,
            ["VideoGen:Elumenta:BaseUrl"] = "https://sandbox.test/elumenta/",
        }).Build());
        services.AddVideoGeneration();
        services.AddElumentaClient().ConfigurePrimaryHttpMessageHandler(() => stub);
        using var provider = services.BuildServiceProvider();

        var job = await provider.GetRequiredService<IVideoGenerator>().SubmitAsync("A red balloon");

        job.Vendor.ShouldBe("Elumenta");
        var sent = stub.Requests.ShouldHaveSingleItem();
        sent.Uri.ShouldBe(new Uri("https://sandbox.test/elumenta/v2/generate"));
        sent.Authorization.ShouldBe("Bearer " + Key);
    }

    [Fact]
    public async Task AddVideoGeneration_ExplicitSection_BindsItAndCodeRunsAfter()
    {
        var stub = new StubHttpHandler().OnJson(HttpMethod.Post, "/api/ai/queue",
            """{"generations": [{"generation_id": "bb8f5eb7-361e-4e13-ab73-67457bc8057e", "status": "queued"}]}""");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Media:Video:DefaultVendor"] = "elumenta",
            ["Media:Video:Oxen:ApiKey"] = Key,
            ["Media:Video:Oxen:BaseUrl"] = "https://wrong.test/",
        }).Build();
        var services = new ServiceCollection();
        services.AddVideoGeneration(configuration.GetSection("Media:Video"), o =>
        {
            o.DefaultVendor = VendorIds.Oxen;
            o.Oxen.BaseUrl = new Uri("https://oxen.test/");
        });
        services.AddOxenClient().ConfigurePrimaryHttpMessageHandler(() => stub);
        using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IVideoGenerator>().SubmitAsync("A red balloon");

        var sent = stub.Requests.ShouldHaveSingleItem();
        sent.Uri.ShouldBe(new Uri("https://oxen.test/api/ai/queue"));
        sent.Authorization.ShouldBe("Bearer " + Key);
    }

    [Fact]
    public async Task AddVideoGeneration_KeyOnlyInEnvironment_IsReadFromTheCatalogsVariable()
    {
        var variable = VideoModelCatalog.Default.GetVendor(VendorIds.NeuralBox).ApiKeyEnvironmentVariable;
        variable.ShouldBe("NEURALBOX_API_KEY");
        var saved = Environment.GetEnvironmentVariable(variable);
        Environment.SetEnvironmentVariable(variable, "env-key-" + Key);
        try
        {
            var stub = ElumentaStub();
            var services = new ServiceCollection().AddVideoGeneration();
            services.AddNeuralBoxClient().ConfigurePrimaryHttpMessageHandler(() => stub);
            using var provider = services.BuildServiceProvider();

            await provider.GetRequiredKeyedService<IVideoGenerator>(VendorIds.NeuralBox).SubmitAsync("A red balloon");

            var sent = stub.Requests.ShouldHaveSingleItem();
            sent.Authorization.ShouldBe("Bearer env-key-" + Key);
            sent.Uri.Host.ShouldBe("neuralbox.top");
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, saved);
        }
    }

    [Fact]
    public async Task AddVideoGeneration_KeyInOptionsAndEnvironment_OptionsWin()
    {
        var variable = VideoModelCatalog.Default.GetVendor(VendorIds.Elumenta).ApiKeyEnvironmentVariable;
        var saved = Environment.GetEnvironmentVariable(variable);
        Environment.SetEnvironmentVariable(variable, "env-key");
        try
        {
            var stub = ElumentaStub();
            var services = new ServiceCollection().AddVideoGeneration(o => o.Elumenta.ApiKey = Key);
            services.AddElumentaClient().ConfigurePrimaryHttpMessageHandler(() => stub);
            using var provider = services.BuildServiceProvider();

            await provider.GetRequiredKeyedService<IVideoGenerator>(VendorIds.Elumenta).SubmitAsync("A red balloon");

            stub.Requests.ShouldHaveSingleItem().Authorization.ShouldBe("Bearer " + Key);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, saved);
        }
    }

    [Fact]
    public async Task AddElumentaClient_Builder_AddsTheCallersHandlerToThePipeline()
    {
        var stub = ElumentaStub();
        var marker = new MarkerHandler();
        var services = new ServiceCollection().AddVideoGeneration(AllKeys);
        services.AddElumentaClient()
            .AddHttpMessageHandler(() => marker)
            .ConfigurePrimaryHttpMessageHandler(() => stub);
        using var provider = services.BuildServiceProvider();

        await provider.GetRequiredKeyedService<IVideoGenerator>(VendorIds.Elumenta).GetJobAsync("18500");

        marker.Seen.ShouldBe(1);
        stub.Requests.ShouldHaveSingleItem();
    }

    [Fact]
    public void AddOxenClient_Alone_RegistersOnlyOxenWithItsOptions()
    {
        var services = new ServiceCollection();
        services.AddOxenClient(o => o.ApiKey = Key);
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredKeyedService<IVideoGenerator>(VendorIds.Oxen).GetService<VendorInfo>()!.Id.ShouldBe(VendorIds.Oxen);
        provider.GetRequiredService<IOptions<VideoGenOptions>>().Value.Oxen.ApiKey.ShouldBe(Key);
        provider.GetKeyedService<IVideoGenerator>(VendorIds.Elumenta).ShouldBeNull();
        provider.GetService<IVideoGenerator>().ShouldBeNull();
    }

    [Fact]
    public void AddVideoGeneration_CalledTwice_RegistersEachVendorOnce()
    {
        var services = new ServiceCollection();
        services.AddVideoGeneration(AllKeys);
        services.AddVideoGeneration();
        services.AddElumentaClient();

        foreach (var id in VendorIds.All)
        {
            services.Count(d => d.ServiceType == typeof(IVideoGenerator) && Equals(d.ServiceKey, id)).ShouldBe(1, id);
        }

        services.Count(d => d.ServiceType == typeof(IVideoGenerator) && d.ServiceKey is null).ShouldBe(1);
        services.Count(d => d.ServiceType == typeof(IElumentaClient) && d.ServiceKey is null).ShouldBe(1);
    }

    [Fact]
    public void AddVideoGeneration_KeyedGenerator_IsASingleton()
    {
        using var provider = new ServiceCollection().AddVideoGeneration(AllKeys).BuildServiceProvider();

        provider.GetRequiredKeyedService<IVideoGenerator>(VendorIds.AimlApi)
            .ShouldBeSameAs(provider.GetRequiredKeyedService<IVideoGenerator>(VendorIds.AimlApi));
    }

    [Fact]
    public void ToString_OptionsWithKeys_NeverShowsAKey()
    {
        var options = new VideoGenOptions { DefaultVendor = "gateway" };
        AllKeys(options);

        var text = options.ToString();

        text.ShouldNotContain(Key);
        text.ShouldContain("DefaultVendor=gateway");
        text.ShouldContain("Apiframe: BaseUrl=https://gateway.test/, ApiKey=(set)");
        new VideoGenVendorOptions().ToString().ShouldBe("BaseUrl=(catalog), ApiKey=(not set)");
    }

    [Fact]
    public async Task AddVideoGeneration_TraceLoggingOfAFailedCall_NeverContainsTheKey()
    {
        var stub = new StubHttpHandler().On(HttpMethod.Post, ".*", _ =>
            StubHttpHandler.Json($$"""{"error": "not_authenticated", "message": "bad token {{Key}}"}""", HttpStatusCode.Unauthorized));
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs))
            .AddVideoGeneration(o => o.Elumenta.ApiKey = Key);
        services.AddElumentaClient().ConfigurePrimaryHttpMessageHandler(() => stub);
        using var provider = services.BuildServiceProvider();
        var generator = provider.GetRequiredKeyedService<IVideoGenerator>(VendorIds.Elumenta);

        var e = await Should.ThrowAsync<VideoGenAuthenticationException>(() => generator.SubmitAsync("A red balloon"));

        stub.Requests.ShouldHaveSingleItem().Authorization.ShouldBe("Bearer " + Key);
        logs.Messages.ShouldNotBeEmpty();
        // Header logging ran; the Authorization header is written below it, at the transport, so it is not even listed.
        logs.Messages.ShouldContain(m => m.Contains("Request Headers", StringComparison.Ordinal));
        logs.Messages.ShouldAllBe(m => !m.Contains("Authorization", StringComparison.Ordinal));
        logs.Messages.ShouldAllBe(m => !m.Contains(Key));
        e.Message.ShouldNotContain(Key);
    }

    private sealed class MarkerHandler : DelegatingHandler
    {
        public int Seen { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Seen++;
            return base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Messages.Enqueue(formatter(state, exception) + exception);
        }
    }
}
