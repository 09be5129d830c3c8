using VideoGen.Tests.Infrastructure;
using Newtonsoft.Json.Linq;
using VideoGen.AimlApi;
using VideoGen.Http;

namespace VideoGen.Tests.Keyframes;

public sealed class LumaExtensionChainTests : IDisposable
{
    private static readonly Guid Start = Guid.Parse(SeedJson.SeedGenerationId);
    private static readonly Guid First = Guid.Parse("11111111-1111-4111-8111-111111111111");
    private static readonly Guid Second = Guid.Parse("22222222-2222-4222-8222-222222222222");
    private static readonly Guid Third = Guid.Parse("33333333-3333-4333-8333-333333333333");

    private readonly FakeAimlApi _api = new(First, Second, Third);
    private readonly HttpClient _http;
    private readonly AimlApiClient _client;
    private readonly VirtualTimeProvider _time = new();

    public LumaExtensionChainTests()
    {
        _http = new HttpClient(_api);
        _client = new AimlApiClient(new VendorClientConfiguration("AIML API") { ApiKey = "test-key" }, _http);
    }

    public void Dispose() => _http.Dispose();

    /// <summary>An extension body as the seed shapes it: prompt, optional model, and one generation keyframe.</summary>
    private static string Body(string prompt, string frame, Guid generationId, string? model = null)
    {
        var body = new JObject { ["prompt"] = prompt };
        if (model is not null)
        {
            body["model"] = model;
        }

        body["keyframes"] = new JObject { [frame] = new JObject { ["type"] = "generation", ["id"] = generationId.ToString() } };
        return body.ToString();
    }

    [Fact]
    public async Task ExtendAsync_ThreePrompts_ExtendsEachResultInTurnAndYieldsThemCompleted()
    {
        var chain = new LumaExtensionChain(_client, timeProvider: _time);

        var generations = await chain.ExtendAsync(SeedJson.SeedGenerationId, ["dives", "glows", "vanishes"]).ToListAsync();

        generations.Select(g => g.Id).ShouldBe([First, Second, Third]);
        generations.ShouldAllBe(g => g.State == "completed");
        generations[0].Assets!.Video.ShouldBe(new Uri($"https://storage.example/{First}.mp4"));

        // POST, then the wait GETs (queued, completed) for each extension, in order.
        _api.Requests.Select(r => $"{r.Method} {r.Query("generation_id")} {r.Query("state")}".Trim()).ShouldBe(
        [
            "POST", $"GET {First} completed", $"GET {First} completed",
            "POST", $"GET {Second} completed", $"GET {Second} completed",
            "POST", $"GET {Third} completed", $"GET {Third} completed",
        ]);
        var posts = _api.Requests.Where(r => r.Method == HttpMethod.Post).ToList();
        posts[0].Json!.ShouldBeJson(Body("dives", "frame0", Start));
        posts[1].Json!.ShouldBeJson(Body("glows", "frame0", First));
        posts[2].Json!.ShouldBeJson(Body("vanishes", "frame0", Second));
        _api.Requests.ShouldAllBe(r => r.Authorization == "Bearer test-key");
    }

    [Fact]
    public async Task ExtendAsync_SeedGenerationOnce_SendsTheSeedsExtensionBody()
    {
        var chain = new LumaExtensionChain(_client, new LumaExtensionChainOptions { AspectRatio = AspectRatio.Landscape16x9 }, _time);

        await chain.ExtendAsync(SeedJson.SeedGenerationId, "Flying jellyfish", 1).ToListAsync();

        _api.Requests[0].Json!.ShouldBeJson(SeedJson.ExtensionWithGenerationPython);
    }

    [Fact]
    public async Task ExtendAsync_Backward_PutsThePreviousGenerationInFrame1()
    {
        var chain = new LumaExtensionChain(_client, new LumaExtensionChainOptions { Backward = true, Model = LumaModel.RayFlash2 }, _time);

        await chain.ExtendAsync(SeedJson.SeedGenerationId, "before", 2).ToListAsync();

        var posts = _api.Requests.Where(r => r.Method == HttpMethod.Post).ToList();
        posts[0].Json!.ShouldBeJson(Body("before", "frame1", Start, model: "ray-flash-2"));
        posts[1].Json!.ShouldBeJson(Body("before", "frame1", First, model: "ray-flash-2"));
    }

    [Fact]
    public async Task ExtendAsync_ServerAnswersAtOnceWithoutTheState_WaitsTheMinimumIntervalBeforeAskingAgain()
    {
        _api.StatesById[First] = ["queued", "dreaming", "completed"];
        var chain = new LumaExtensionChain(_client, timeProvider: _time);

        await chain.ExtendAsync(SeedJson.SeedGenerationId, "p", 1).ToListAsync();

        _api.Requests.Count(r => r.Method == HttpMethod.Get).ShouldBe(3);
        _time.Delays.ShouldBe([LumaExtensionChainOptions.DefaultMinimumPollInterval, LumaExtensionChainOptions.DefaultMinimumPollInterval]);
    }

    [Fact]
    public async Task ExtendAsync_ServerHoldsTheWaitRequest_AsksAgainWithoutExtraDelay()
    {
        _api.StatesById[First] = ["dreaming", "dreaming", "completed"];
        _api.OnWait = () => _time.Advance(TimeSpan.FromSeconds(30));
        var chain = new LumaExtensionChain(_client, timeProvider: _time);

        await chain.ExtendAsync(SeedJson.SeedGenerationId, "p", 1).ToListAsync();

        _api.Requests.Count(r => r.Method == HttpMethod.Get).ShouldBe(3);
        _time.Delays.ShouldBeEmpty();
    }

    [Fact]
    public async Task ExtendAsync_StepFails_ThrowsJobFailedWithTheGenerationIdAfterYieldingTheEarlierSteps()
    {
        _api.StatesById[Second] = ["dreaming", "failed"];
        _api.FailureReasons[Second] = "Prompt rejected by moderation";
        var chain = new LumaExtensionChain(_client, timeProvider: _time);
        var yielded = new List<Generation>();

        var error = await Should.ThrowAsync<JobFailedException>(async () =>
        {
            await foreach (var generation in chain.ExtendAsync(SeedJson.SeedGenerationId, "p", 3))
            {
                yielded.Add(generation);
            }
        });

        yielded.Select(g => g.Id).ShouldBe([First]);
        error.JobId.ShouldBe(Second.ToString());
        error.VendorReason.ShouldBe("Prompt rejected by moderation");
        error.Vendor.ShouldBe("AIML API");
        error.Message.ShouldContain(Second.ToString());
        error.Job.RawRepresentation.ShouldBeOfType<Generation>().Id.ShouldBe(Second);
        _api.Requests.Count(r => r.Method == HttpMethod.Post).ShouldBe(2);
    }

    [Fact]
    public async Task ExtendAsync_StepNeverCompletes_GivesUpAfterTheStepTimeoutWithTheGenerationId()
    {
        _api.StatesById[First] = ["dreaming"];
        var options = new LumaExtensionChainOptions { StepTimeout = TimeSpan.FromSeconds(10), MinimumPollInterval = TimeSpan.FromSeconds(2) };
        var chain = new LumaExtensionChain(_client, options, _time);

        var error = await Should.ThrowAsync<VideoGenException>(() => chain.ExtendAsync(SeedJson.SeedGenerationId, "p", 2).ToListAsync().AsTask());

        error.ShouldNotBeOfType<JobFailedException>();
        error.JobId.ShouldBe(First.ToString());
        error.Message.ShouldContain("did not complete within 00:00:10");
        error.Message.ShouldContain("'dreaming'");
        _api.Requests.Count(r => r.Method == HttpMethod.Get).ShouldBe(5);
        _api.Requests.Count(r => r.Method == HttpMethod.Post).ShouldBe(1);
    }

    [Fact]
    public async Task ExtendAsync_CancelledAfterTheFirstStep_SendsNothingMore()
    {
        using var cancellation = new CancellationTokenSource();
        var chain = new LumaExtensionChain(_client, timeProvider: _time);
        var yielded = new List<Generation>();

        await Should.ThrowAsync<OperationCanceledException>(async () =>
        {
            await foreach (var generation in chain.ExtendAsync(SeedJson.SeedGenerationId, "p", 3, cancellation.Token))
            {
                yielded.Add(generation);
                await cancellation.CancelAsync();
            }
        });

        yielded.Count.ShouldBe(1);
        _api.Requests.Count(r => r.Method == HttpMethod.Post).ShouldBe(1);
    }

    [Fact]
    public void ExtendAsync_BadGenerationId_FailsAtTheCallBeforeAnyRequest()
    {
        var chain = new LumaExtensionChain(_client, timeProvider: _time);

        Should.Throw<ArgumentException>(() => chain.ExtendAsync("18500", "p", 2)).Message.ShouldContain("'18500' is not a generation id");
        Should.Throw<ArgumentException>(() => chain.ExtendAsync("", "p", 2)).Message.ShouldContain("A generation id is required");
        _api.Requests.ShouldBeEmpty();
    }

    [Fact]
    public void ExtendAsync_NoOrBlankPrompts_FailsAtTheCall()
    {
        var chain = new LumaExtensionChain(_client, timeProvider: _time);

        Should.Throw<ArgumentException>(() => chain.ExtendAsync(SeedJson.SeedGenerationId, Array.Empty<string>())).ParamName.ShouldBe("prompts");
        Should.Throw<ArgumentException>(() => chain.ExtendAsync(SeedJson.SeedGenerationId, ["ok", " "])).Message.ShouldContain("Prompt 1 is blank");
        Should.Throw<ArgumentOutOfRangeException>(() => chain.ExtendAsync(SeedJson.SeedGenerationId, "p", 0)).ParamName.ShouldBe("count");
        _api.Requests.ShouldBeEmpty();
    }

    [Fact]
    public void Constructor_InvalidOptions_ListsEveryProblem()
    {
        var error = Should.Throw<ArgumentException>(() => new LumaExtensionChain(_client,
            new LumaExtensionChainOptions { StepTimeout = TimeSpan.Zero, MinimumPollInterval = TimeSpan.FromSeconds(-1) }));

        error.Message.ShouldContain("StepTimeout: '00:00:00' is not allowed");
        error.Message.ShouldContain("MinimumPollInterval: '-00:00:01' is not allowed");
    }
}
