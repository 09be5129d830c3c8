using VideoGen.Sandbox.Tests.Infrastructure;

namespace VideoGen.Sandbox.Tests.Vendors;

public sealed class ElumentaSandboxTests
{
    private static readonly object KlingRequest = new { model = "kling-v2.1", prompt = "A time-lapse of a blooming flower", duration = 5, aspect_ratio = "16:9" };

    [Fact]
    public async Task Create_ValidRequest_AnswersPendingWithIntegerIdAndChargesTheDocumentedPrice()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var reply = await sandbox.PostAsync("/api/v2/generate", KlingRequest);

        reply.Code.ShouldBe(200, reply.Text);
        var body = reply.Object;
        ((long)body["id"]!).ShouldBe(18500);
        ((string?)body["status"]).ShouldBe("pending");
        ((string?)body["model_slug"]).ShouldBe("kling-v2.1");
        body["processing_ms"]!.Type.ShouldBe(Newtonsoft.Json.Linq.JTokenType.Null);
        ((string?)body["created_at"]).ShouldBe("2026-03-08T12:05:00Z");
        sandbox.Server.Ledger.GetBalance("elumenta", SandboxHarness.Key).ShouldBe(SandboxOptions.DefaultInitialCredits["elumenta"] - 26);
        reply.Headers.GetValues("x-request-id").Single().ShouldStartWith("sbx-");
    }

    [Fact]
    public async Task Get_AsTheClockMoves_StaysPendingThenCompletesWithVideoTokensAndMetadata()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var id = (string)(await sandbox.PostAsync("/api/v2/generate", KlingRequest)).Object["id"]!;
        var job = sandbox.Job("elumenta", id);
        (job.FinishesAt - job.CreatedAt).ShouldBeInRange(TimeSpan.FromSeconds(45), TimeSpan.FromSeconds(90), "kling-v2.1 takes 45–90 s in the catalog");

        sandbox.AdvanceToStart("elumenta", id);
        var processing = (await sandbox.GetAsync($"/api/v2/generate/{id}")).Object;
        ((string?)processing["status"]).ShouldBe("pending", "Elumenta has no processing state");
        processing["result_url"]!.Type.ShouldBe(Newtonsoft.Json.Linq.JTokenType.Null);
        ((int)processing["tokens_spent"]!).ShouldBe(0);

        sandbox.AdvanceToEnd("elumenta", id);
        var completed = (await sandbox.GetAsync($"/api/v2/generate/{id}")).Object;
        ((string?)completed["status"]).ShouldBe("completed");
        ((string?)completed["result_url"]).ShouldBe($"{sandbox.Url}/media/elumenta/{id}/1.mp4");
        ((int)completed["tokens_spent"]!).ShouldBe(26);
        ((int)completed["result_metadata"]!["duration"]!).ShouldBe(5);
        ((int)completed["result_metadata"]!["width"]!).ShouldBe(64);
        ((int)completed["result_metadata"]!["height"]!).ShouldBe(36);
        ((long)completed["processing_ms"]!).ShouldBe((long)(job.FinishesAt - job.CreatedAt).TotalMilliseconds);
        ((string?)completed["completed_at"]).ShouldNotBeNull();
    }

    [Fact]
    public async Task Get_JobAskedToFail_AnswersFailedWithErrorAndRefundsTheTokens()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var id = (string)(await sandbox.PostAsync("/api/v2/generate", new { model = "minimax-video", prompt = "Fail please " + SandboxOptions.FailurePromptMarker })).Object["id"]!;
        sandbox.Server.Ledger.GetBalance("elumenta", SandboxHarness.Key).ShouldBe(10_000 - 88);

        sandbox.AdvanceToEnd("elumenta", id);
        var failed = (await sandbox.GetAsync($"/api/v2/generate/{id}")).Object;

        ((string?)failed["status"]).ShouldBe("failed");
        ((string?)failed["error"]).ShouldNotBeNullOrWhiteSpace();
        ((int)failed["tokens_spent"]!).ShouldBe(0);
        failed["result_url"].ShouldBeNull();
        sandbox.Server.Ledger.GetBalance("elumenta", SandboxHarness.Key).ShouldBe(10_000m);
    }

    [Theory]
    [InlineData("""{"prompt":"p"}""", 400, "bad_request", "model is required")]
    [InlineData("""{"model":"kling-v2.1"}""", 400, "bad_request", "prompt is required")]
    [InlineData("""{"model":"kling-v2.1","prompt":"  "}""", 400, "bad_request", "prompt is required")]
    [InlineData("""{"model":"sora-2","prompt":"p"}""", 422, "validation_error", "model 'sora-2' is not a video model; allowed: luma-flash2, kling-v2.1")]
    [InlineData("""{"model":"kling-v2.1","prompt":"p","duration":7}""", 422, "validation_error", "duration 7 is not supported by kling-v2.1; allowed: 5 or 10")]
    [InlineData("""{"model":"kling-v2.1","prompt":"p","duration":"5"}""", 422, "validation_error", "duration '5' is not supported")]
    [InlineData("""{"model":"kling-v2.1","prompt":"p","aspect_ratio":"4:3"}""", 422, "validation_error", "aspect_ratio '4:3' is not supported; allowed: 16:9, 9:16, 1:1")]
    [InlineData("""{"model":"kling-v2.1","prompt":"p","image_url":"portrait.jpg"}""", 422, "validation_error", "image_url 'portrait.jpg' is not an absolute http(s) URL")]
    [InlineData("""{"model":"kling-v2.1","prompt":"p","negative_prompt":5}""", 422, "validation_error", "negative_prompt must be a string")]
    [InlineData("""{"model":"kling-v2.1","prompt":""", 400, "bad_request", "not valid JSON")]
    [InlineData("""[1]""", 400, "bad_request", "send a JSON object")]
    public async Task Create_InvalidRequest_AnswersTheVendorsErrorNamingFieldValueAndAllowed(string body, int status, string code, string message)
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var reply = await sandbox.PostAsync("/api/v2/generate", body);

        reply.Code.ShouldBe(status, reply.Text);
        ((string?)reply.Object["error"]).ShouldBe(code);
        ((string)reply.Object["message"]!).ShouldContain(message);
        sandbox.Server.Counters.JobsCreated("elumenta").ShouldBe(0);
    }

    [Fact]
    public async Task Get_UnknownOrForeignOrNonIntegerId_AnswersNotFound()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var id = (string)(await sandbox.PostAsync("/api/v2/generate", KlingRequest)).Object["id"]!;

        (await sandbox.GetAsync("/api/v2/generate/99999")).Code.ShouldBe(404);
        (await sandbox.GetAsync("/api/v2/generate/abc")).Object["error"]!.ToString().ShouldBe("not_found");
        var foreign = await sandbox.GetAsync($"/api/v2/generate/{id}", key: "someone_else");
        foreign.Code.ShouldBe(404, "another key's generation is not visible");
    }

    [Fact]
    public async Task Requests_WithoutBearerKey_Answer401NotAuthenticated()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var create = await sandbox.PostAsync("/api/v2/generate", KlingRequest, key: null);
        var get = await sandbox.GetAsync("/api/v2/generate/18500", key: null);

        create.Code.ShouldBe(401);
        ((string?)create.Object["error"]).ShouldBe("not_authenticated");
        create.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer");
        get.Code.ShouldBe(401);
        sandbox.Server.Counters.JobsCreated("elumenta").ShouldBe(0);
    }

    [Fact]
    public async Task Requests_WithKeyNotAccepted_Answer401()
    {
        await using var sandbox = await SandboxHarness.StartAsync(o => o.AcceptedApiKeys = new HashSet<string> { "nb_good" });

        (await sandbox.PostAsync("/api/v2/generate", KlingRequest, key: "nb_bad")).Code.ShouldBe(401);
        (await sandbox.PostAsync("/api/v2/generate", KlingRequest, key: "nb_good")).Code.ShouldBe(200);
    }

    [Fact]
    public async Task Create_TokensRunOut_Answers402InsufficientTokens()
    {
        await using var sandbox = await SandboxHarness.StartAsync(o => o.InitialCredits["elumenta"] = 30);

        (await sandbox.PostAsync("/api/v2/generate", KlingRequest)).Code.ShouldBe(200);
        var refused = await sandbox.PostAsync("/api/v2/generate", KlingRequest);

        refused.Code.ShouldBe(402, refused.Text);
        ((string?)refused.Object["error"]).ShouldBe("insufficient_tokens");
        ((string)refused.Object["message"]!).ShouldContain("costs 26 tokens and the balance is 4");
        sandbox.Server.Counters.JobsCreated("elumenta").ShouldBe(1);

        sandbox.Server.Ledger.TopUp("elumenta", SandboxHarness.Key, 100).ShouldBe(104);
        (await sandbox.PostAsync("/api/v2/generate", KlingRequest)).Code.ShouldBe(200);
    }

    [Fact]
    public async Task CalculatePrice_KnownModel_AnswersTheFigureCreateCharges()
    {
        // https://docs.elumenta.ru/en/api-reference/models/calculate-price.md: body {params, count}; response token_cost, min_token_cost, max_token_cost, pricing_type.
        await using var sandbox = await SandboxHarness.StartAsync();

        var quote = await sandbox.PostAsync("/api/v2/models/kling-v2.1/calculate-price", new { @params = new { duration = 10 }, count = 1 });

        quote.Code.ShouldBe(200, quote.Text);
        ((int)quote.Object["token_cost"]!).ShouldBe(94);
        ((int)quote.Object["min_token_cost"]!).ShouldBe(26);
        ((int)quote.Object["max_token_cost"]!).ShouldBe(94);
        (await sandbox.PostAsync("/api/v2/models/kling-v9/calculate-price", new { @params = new { duration = 5 } })).Code.ShouldBe(404);
    }
}
