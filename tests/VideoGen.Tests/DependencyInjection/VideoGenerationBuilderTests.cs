using Microsoft.Extensions.DependencyInjection;
using VideoGen.DependencyInjection;
using VideoGen.Journal;
using VideoGen.Tests.Vendors;

namespace VideoGen.Tests.DependencyInjection;

[Collection(nameof(EnvironmentVariables))]
public sealed class VideoGenerationBuilderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("videogen-di-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task AddVideoGenerator_UseBudgetThenUseJournal_TheKeyedAndDefaultGeneratorsAreThePipelineFirstOutermost()
    {
        var stub = new StubHttpHandler().OnJson(HttpMethod.Post, ".*/luma-ai/generation", """{"id": "2f6a7e37-1c3b-4f9e-9a4e-6a3c1e8d2b10", "state": "queued"}""");
        var services = new ServiceCollection();
        var journal = new SqliteJobJournal(Path.Combine(_dir, "j.db"));
        services.AddVideoGenerator(VendorIds.AimlApi, o =>
            {
                o.DefaultVendor = VendorIds.AimlApi;
                o.AimlApi.ApiKey = TestClients.ApiKey;
            })
            .UseBudget(new VideoBudgetOptions { MaxCostPerJob = 1_000_000 })
            .UseJournal(_ => journal);
        services.AddAimlApiClient().ConfigurePrimaryHttpMessageHandler(() => stub);
        using var provider = services.BuildServiceProvider();

        var keyed = provider.GetRequiredKeyedService<IVideoGenerator>(VendorIds.AimlApi);

        keyed.ShouldBeOfType<BudgetVideoGenerator>().MaxCostPerJob.ShouldBe(1_000_000);
        keyed.GetService<JournalingVideoGenerator>().ShouldNotBeNull().Journal.ShouldBeSameAs(journal);
        provider.GetRequiredService<IVideoGenerator>().ShouldBeSameAs(keyed);
        var job = await keyed.SubmitAsync(new VideoGenerationRequest("A red balloon"));
        (await journal.FindByJobIdAsync(VendorIds.AimlApi, job.Id)).ShouldNotBeNull();
    }

    [Fact]
    public async Task AddVideoGenerator_UseBudgetThenUseJournalWithAPerCallBudget_AsksElumentaForThePriceOnce()
    {
        // The journal passes down a copy of the options (with its correlation id); the per-call budget below still reuses the quote.
        var stub = new StubHttpHandler()
            .OnJson(HttpMethod.Post, ".*/v2/models/kling-v2.1/calculate-price", """{"token_cost": 26}""")
            .OnJson(HttpMethod.Post, ".*/v2/generate", """{"id": 18500, "status": "pending"}""");
        var services = new ServiceCollection();
        var journal = new SqliteJobJournal(Path.Combine(_dir, "j.db"));
        services.AddVideoGenerator(VendorIds.Elumenta, o => o.Elumenta.ApiKey = TestClients.ApiKey)
            .UseBudget(new VideoBudgetOptions { MaxCostPerJob = 30 })
            .UseJournal(_ => journal);
        services.AddElumentaClient().ConfigurePrimaryHttpMessageHandler(() => stub);
        using var provider = services.BuildServiceProvider();

        await provider.GetRequiredKeyedService<IVideoGenerator>(VendorIds.Elumenta)
            .SubmitAsync(new VideoGenerationRequest("A flower") { Model = "kling-v2.1", DurationSeconds = 10 }, new VideoGenerationOptions { MaxCost = 30 });

        stub.Requests.Select(r => r.Uri.AbsolutePath.Split("/v2/")[1]).ShouldBe(["models/kling-v2.1/calculate-price", "generate"]);
    }

    [Fact]
    public async Task AddVideoGenerator_BudgetTooSmall_RefusesBeforeAnythingIsSent()
    {
        var stub = new StubHttpHandler();
        var services = new ServiceCollection();
        services.AddVideoGenerator(VendorIds.AimlApi, o => o.AimlApi.ApiKey = TestClients.ApiKey).UseBudget(new VideoBudgetOptions { MaxCostPerJob = 0 });
        services.AddAimlApiClient().ConfigurePrimaryHttpMessageHandler(() => stub);
        using var provider = services.BuildServiceProvider();

        await Should.ThrowAsync<BudgetExceededException>(() => provider.GetRequiredKeyedService<IVideoGenerator>(VendorIds.AimlApi).SubmitAsync(new VideoGenerationRequest("p")));

        stub.Requests.ShouldBeEmpty();
    }

    [Fact]
    public void AddVideoGenerator_UnknownVendor_Throws() =>
        Should.Throw<ArgumentException>(() => new ServiceCollection().AddVideoGenerator("nosuchvendor")).ParamName.ShouldBe("vendorId");
}
