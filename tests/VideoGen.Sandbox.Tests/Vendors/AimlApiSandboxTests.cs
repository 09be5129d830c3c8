using Newtonsoft.Json.Linq;
using VideoGen.Sandbox.Tests.Infrastructure;

namespace VideoGen.Sandbox.Tests.Vendors;

public sealed class AimlApiSandboxTests
{
    private const string Generation = "/v2/generate/video/luma-ai/generation";
    private const string Generations = "/v2/generate/video/luma-ai/generations";

    [Fact]
    public async Task Create_ValidRequest_Answers201QueuedAndCharges500000Tokens()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var reply = await sandbox.PostAsync(Generation, new { prompt = "Flying jellyfish", aspect_ratio = "16:9" });

        reply.Code.ShouldBe(201, reply.Text);
        Guid.TryParse((string?)reply.Object["id"], out _).ShouldBeTrue();
        ((string?)reply.Object["state"]).ShouldBe("queued");
        ((string?)reply.Object["model"]).ShouldBe("ray-2", "the server default model");
        reply.Object["assets"]!["video"]!.Type.ShouldBe(JTokenType.Null);
        sandbox.Server.Ledger.GetBalance("aimlapi", SandboxHarness.Key).ShouldBe(50_000_000 - 500_000);
    }

    [Fact]
    public async Task Get_AsTheClockMoves_GoesQueuedDreamingCompleted()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var id = await CreateAsync(sandbox);

        (await StateAsync(sandbox, id)).ShouldBe("queued");
        sandbox.AdvanceToStart("aimlapi", id);
        (await StateAsync(sandbox, id)).ShouldBe("dreaming");
        sandbox.AdvanceToEnd("aimlapi", id);
        var completed = (await sandbox.GetAsync($"{Generation}?generation_id={id}")).Object;
        ((string?)completed["state"]).ShouldBe("completed");
        ((string?)completed["assets"]!["video"]).ShouldBe($"{sandbox.Url}/media/aimlapi/{id}/1.mp4");
        completed["failure_reason"]!.Type.ShouldBe(JTokenType.Null);
    }

    [Fact]
    public async Task Get_WaitForCompleted_ReturnsAsSoonAsTheStateIsReachedNotAfter30Seconds()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var id = await CreateAsync(sandbox);
        var job = sandbox.Job("aimlapi", id);
        sandbox.FakeClock.AdvanceTo(job.FinishesAt - TimeSpan.FromSeconds(5));
        var timersBefore = sandbox.FakeClock.ActiveTimers;
        var askedAt = sandbox.FakeClock.GetUtcNow();

        var waiting = sandbox.GetAsync($"{Generation}?generation_id={id}&state=completed");
        await sandbox.FakeClock.WaitForTimersAsync(timersBefore + 1);
        waiting.IsCompleted.ShouldBeFalse("the request waits on the server while the generation is dreaming");

        sandbox.FakeClock.Advance(TimeSpan.FromSeconds(5));
        var reply = await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        ((string?)reply.Object["state"]).ShouldBe("completed");
        (sandbox.FakeClock.GetUtcNow() - askedAt).ShouldBe(TimeSpan.FromSeconds(5), "it returned when the state was reached, 25 s before the limit");
    }

    [Fact]
    public async Task Get_WaitForCompleted_AfterThe30SecondLimit_ReturnsTheCurrentState()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        string id;
        SandboxJobSnapshot job;
        do
        {
            // The seeded draws decide the processing time; take a job that needs well over 30 s.
            id = await CreateAsync(sandbox);
            job = sandbox.Job("aimlapi", id);
        }
        while (job.FinishesAt - job.CreatedAt < TimeSpan.FromSeconds(40));

        var timersBefore = sandbox.FakeClock.ActiveTimers;
        var waiting = sandbox.GetAsync($"{Generation}?generation_id={id}&state=completed");
        await sandbox.FakeClock.WaitForTimersAsync(timersBefore + 1);
        sandbox.FakeClock.Advance(TimeSpan.FromSeconds(29));
        await sandbox.FakeClock.WaitForTimersAsync(timersBefore + 1);
        waiting.IsCompleted.ShouldBeFalse("29 s is within the limit");
        sandbox.FakeClock.Advance(TimeSpan.FromSeconds(1));
        var reply = await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        var expected = job.CreatedAt + TimeSpan.FromSeconds(30) < job.StartsAt ? "queued" : "dreaming";
        ((string?)reply.Object["state"]).ShouldBe(expected);
    }

    [Fact]
    public async Task Get_WaitForDreaming_ReturnsOnAHigherPriorityState()
    {
        await using var sandbox = await SandboxHarness.StartAsync(o => o.TimeScale = 0);
        var id = await CreateAsync(sandbox);

        var reply = await sandbox.GetAsync($"{Generation}?generation_id={id}&state=dreaming").WaitAsync(TimeSpan.FromSeconds(10));

        ((string?)reply.Object["state"]).ShouldBe("completed", "completed outranks dreaming, so the wait ends at once");
    }

    [Fact]
    public async Task Get_WaitTimesTheTimeScale_LimitIs30SecondsScaled()
    {
        await using var sandbox = await SandboxHarness.StartAsync(o => o.TimeScale = 0.01, fakeClock: false);
        string id;
        do
        {
            id = await CreateAsync(sandbox);
        }
        while (sandbox.Job("aimlapi", id).FinishesAt - sandbox.Job("aimlapi", id).CreatedAt < TimeSpan.FromSeconds(0.8));

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var reply = await sandbox.GetAsync($"{Generation}?generation_id={id}&state=completed");
        watch.Stop();

        ((string?)reply.Object["state"]).ShouldBeOneOf("queued", "dreaming");
        watch.Elapsed.ShouldBeInRange(TimeSpan.FromSeconds(0.25), TimeSpan.FromSeconds(5), "30 s × 0.01 = 0.3 s");
    }

    [Theory]
    [InlineData("generation_ids={a}&generation_ids={b}")]
    [InlineData("generation_ids[]={a}&generation_ids[]={b}")]
    [InlineData("generation_ids={a},{b}")]
    [InlineData("generation_ids={a}&generation_ids[]={b}&generation_ids={a}")]
    public async Task GetMany_EverySpellingOfTheIds_AnswersTheGenerationsInOrder(string query)
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var a = await CreateAsync(sandbox);
        var b = await CreateAsync(sandbox);

        var reply = await sandbox.GetAsync($"{Generations}?{query.Replace("{a}", a).Replace("{b}", b)}");

        reply.Code.ShouldBe(200, reply.Text);
        reply.Object["generations"]!.Select(g => (string?)g["id"]).ShouldBe([a, b]);
    }

    [Fact]
    public async Task GetMany_WaitForCompleted_ReturnsWhenAllAreCompleted()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var a = await CreateAsync(sandbox);
        var b = await CreateAsync(sandbox);
        var last = new[] { sandbox.Job("aimlapi", a), sandbox.Job("aimlapi", b) }.MaxBy(j => j.FinishesAt)!;
        var first = new[] { sandbox.Job("aimlapi", a), sandbox.Job("aimlapi", b) }.MinBy(j => j.FinishesAt)!;
        sandbox.FakeClock.AdvanceTo(first.FinishesAt);
        if (last.FinishesAt - first.FinishesAt > TimeSpan.FromSeconds(25))
        {
            sandbox.FakeClock.AdvanceTo(last.FinishesAt - TimeSpan.FromSeconds(10));
        }

        var timersBefore = sandbox.FakeClock.ActiveTimers;
        var waiting = sandbox.GetAsync($"{Generations}?generation_ids={a}&generation_ids={b}&status=completed");
        await sandbox.FakeClock.WaitForTimersAsync(timersBefore + 1);
        waiting.IsCompleted.ShouldBeFalse("one generation is still dreaming");
        sandbox.FakeClock.AdvanceTo(last.FinishesAt);
        var reply = await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        reply.Object["generations"]!.Select(g => (string?)g["state"]).ShouldBe(["completed", "completed"]);
    }

    [Theory]
    [InlineData(Generation + "?generation_id={a}&state=streaming", "state must be one of the following values: queued, dreaming, completed; got 'streaming'")]
    [InlineData(Generation + "?generation_id={a}&state=failed", "state 'failed' cannot be waited for")]
    [InlineData(Generation + "?generation_id=not-a-uuid", "generation_id must be a UUID; got 'not-a-uuid'")]
    [InlineData(Generation, "generation_id should not be empty")]
    [InlineData(Generation + "?generation_id=0f3ea4aa-10e7-4dae-af0b-263ab4ac45f9", "generation 0f3ea4aa-10e7-4dae-af0b-263ab4ac45f9 was not found")]
    [InlineData(Generations + "?generation_ids[]={a}&status=streaming", "status must be one of the following values: queued, dreaming, completed; got 'streaming'")]
    [InlineData(Generations + "?status=completed", "generation_ids should not be empty")]
    [InlineData(Generations + "?generation_ids={a},nope", "each value in generation_ids must be a UUID; got 'nope'")]
    public async Task Get_InvalidQuery_Answers400WithNestJsShape(string path, string message)
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var a = await CreateAsync(sandbox);

        var reply = await sandbox.GetAsync(path.Replace("{a}", a));

        reply.Code.ShouldBe(400, reply.Text);
        ((int)reply.Object["statusCode"]!).ShouldBe(400);
        ((string?)reply.Object["error"]).ShouldBe("Bad Request");
        string.Join(" | ", reply.Object["message"]!.Select(m => (string?)m)).ShouldContain(message);
    }

    [Theory]
    [InlineData("""{"aspect_ratio":"16:9"}""", "prompt must be a string")]
    [InlineData("""{"prompt":"A jellyfish","aspect_ratio":"19:9"}""", "aspect_ratio must be one of the following values: 1:1, 16:9, 9:16, 4:3, 3:4, 21:9, 9:21; got '19:9'")]
    [InlineData("""{"prompt":"p","model":"ray-3"}""", "model must be one of the following values: ray-1-6, ray-2, ray-flash-2; got 'ray-3'")]
    [InlineData("""{"prompt":"p","duration":"7s"}""", "duration must be one of the following values: 5s, 9s; got '7s'")]
    [InlineData("""{"prompt":"p","resolution":"8k"}""", "resolution must be one of the following values: 540p, 720p, 1080p, 4k")]
    [InlineData("""{"prompt":"p","loop":"yes"}""", "loop must be a boolean value")]
    [InlineData("""{"prompt":"p","keywords":{}}""", "property keywords should not exist")]
    [InlineData("""{"prompt":"p","keyframes":{"frame0":{"type":"image"}}}""", "keyframes.frame0.url must be a URL address; got (missing)")]
    [InlineData("""{"prompt":"p","keyframes":{"frame0":{"type":"image","url":"https://example.com/a.png","id":"0f3ea4aa-10e7-4dae-af0b-263ab4ac45f9"}}}""", "property keyframes.frame0.id should not exist when type is 'image'")]
    [InlineData("""{"prompt":"p","keyframes":{"frame1":{"type":"generation","id":"nope"}}}""", "keyframes.frame1.id must be a UUID; got 'nope'")]
    [InlineData("""{"prompt":"p","keyframes":{"frame0":{"type":"video","url":"https://example.com/a.mp4"}}}""", "keyframes.frame0.type must be one of the following values: image, generation; got 'video'")]
    [InlineData("""{"prompt":"p","keyframes":{"frame2":null}}""", "property keyframes.frame2 should not exist")]
    [InlineData("""{"prompt":"p","keyframes":{"frame0":{"type":"generation","id":"0f3ea4aa-10e7-4dae-af0b-263ab4ac45f9"}}}""", "keyframes.frame0.id: generation 0f3ea4aa-10e7-4dae-af0b-263ab4ac45f9 was not found")]
    public async Task Create_InvalidRequest_Answers400ListingTheProblem(string body, string message)
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var reply = await sandbox.PostAsync(Generation, body);

        reply.Code.ShouldBe(400, reply.Text);
        reply.Object["message"]!.Select(m => (string?)m).ShouldContain(m => m!.Contains(message), reply.Text);
        sandbox.Server.Counters.JobsCreated("aimlapi").ShouldBe(0);
    }

    [Fact]
    public async Task Create_ExtendAnEarlierGeneration_NeedsItCompletedAndOfTheSameKey()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var earlier = await CreateAsync(sandbox);
        var extend = new { prompt = "Keep flying", keyframes = new { frame0 = new { type = "generation", id = earlier } } };

        var notYet = await sandbox.PostAsync(Generation, extend);
        notYet.Code.ShouldBe(400);
        ((string?)notYet.Object["message"]![0]).ShouldBe($"keyframes.frame0.id: generation {earlier} is queued; only a completed generation can be extended");

        sandbox.AdvanceToEnd("aimlapi", earlier);
        var otherKey = await sandbox.PostAsync(Generation, extend, key: "another_key");
        otherKey.Code.ShouldBe(400, "another key's generation does not exist for this key");

        var extended = await sandbox.PostAsync(Generation, extend);
        extended.Code.ShouldBe(201, extended.Text);
        var backward = await sandbox.PostAsync(Generation, new { prompt = "Before", keyframes = new { frame1 = new { type = "generation", id = earlier }, frame0 = new { type = "image", url = "https://example.com/image1.png" } } });
        backward.Code.ShouldBe(201, backward.Text);
    }

    [Fact]
    public async Task Requests_WithoutKey_Answer401AndEmptyBalance402()
    {
        await using var sandbox = await SandboxHarness.StartAsync(o => o.InitialCredits["aimlapi"] = 700_000);

        var unauthorized = await sandbox.PostAsync(Generation, new { prompt = "p" }, key: null);
        unauthorized.Code.ShouldBe(401);
        ((int)unauthorized.Object["statusCode"]!).ShouldBe(401);

        (await sandbox.PostAsync(Generation, new { prompt = "p" })).Code.ShouldBe(201);
        var refused = await sandbox.PostAsync(Generation, new { prompt = "p" });
        refused.Code.ShouldBe(402);
        ((string?)refused.Object["error"]).ShouldBe("Payment Required");
        ((string)refused.Object["message"]!).ShouldContain("costs 500,000 AI/ML tokens and the balance is 200,000");
    }

    [Fact]
    public async Task Callback_UrlGiven_ReceivesDreamingThenCompleted()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sandbox = await SandboxHarness.StartAsync(o => o.TimeScale = 0.001, fakeClock: false);

        var id = (string)(await sandbox.PostAsync(Generation, new { prompt = "p", callback_url = receiver.Url })).Object["id"]!;

        var dreaming = await receiver.NextAsync();
        var completed = await receiver.NextAsync();
        ((string?)dreaming["id"]).ShouldBe(id);
        ((string?)dreaming["state"]).ShouldBe("dreaming");
        ((string?)completed["state"]).ShouldBe("completed");
        ((string?)completed["assets"]!["video"]).ShouldEndWith($"/media/aimlapi/{id}/1.mp4");
    }

    private static async Task<string> CreateAsync(SandboxHarness sandbox)
    {
        var reply = await sandbox.PostAsync(Generation, new { prompt = "Flying jellyfish", aspect_ratio = "16:9" });
        reply.Code.ShouldBe(201, reply.Text);
        return (string)reply.Object["id"]!;
    }

    private static async Task<string?> StateAsync(SandboxHarness sandbox, string id) =>
        (string?)(await sandbox.GetAsync($"{Generation}?generation_id={id}")).Object["state"];
}
