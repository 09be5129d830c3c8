using System.Web;
using Newtonsoft.Json.Linq;
using VideoGen.Apiframe;
using VideoGen.Journal;

namespace VideoGen.Tests.Vendors;

/// <summary>
/// Apiframe's candidate finder for an unknown submission (not an <see cref="ISubmissionReconciler"/>: the journal never
/// settles an Apiframe submission by itself, see the last test): reading GET /v2/jobs
/// (https://docs-v2.apiframe.ai/docs/jobs/list: model filter, limit 1–100, cursor/nextCursor, "When hasMore is false,
/// there are no more results") over in-memory HTTP through the generated client.
/// </summary>
public sealed class ApiframeReconcilerTests
{
    private const string Model = "kling-2.1";
    private static readonly DateTimeOffset Intent = new(2026, 3, 15, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task FindCandidatesAsync_JobOnTheSecondPage_FoundByFollowingTheCursor()
    {
        var match = Guid.NewGuid().ToString();
        var handler = Listing(query => query["cursor"] switch
        {
            null => Page([Job(Guid.NewGuid().ToString(), Intent.AddHours(-3))], nextCursor: "page-2", hasMore: true),
            "page-2" => Page([Job(match, Intent.AddSeconds(20)), Job(Guid.NewGuid().ToString(), Intent.AddDays(-1))], nextCursor: null, hasMore: false),
            var other => throw new InvalidOperationException($"unexpected cursor {other}"),
        });

        var candidates = await Reconciler(handler).FindCandidatesAsync(Entry(), CancellationToken.None);

        candidates.ShouldNotBeNull().Select(j => j.Id).ShouldBe([match], "only the job of the submission's time window is a candidate");
        var queries = handler.Requests.Select(r => HttpUtility.ParseQueryString(r.Uri.Query)).ToList();
        queries.Select(q => q["cursor"]).ShouldBe([null, "page-2"]);
        queries.ShouldAllBe(q => q["model"] == Model && q["limit"] == "100");
        handler.Requests.ShouldAllBe(r => r.Headers["X-API-Key"] == TestClients.ApiKey);
    }

    [Fact]
    public async Task FindCandidatesAsync_CompleteListingWithoutTheJob_IsNotCreated()
    {
        var handler = Listing(_ => Page([Job(Guid.NewGuid().ToString(), Intent.AddHours(-2)), Job(Guid.NewGuid().ToString(), Intent.AddHours(2))], nextCursor: null, hasMore: false));

        var candidates = await Reconciler(handler).FindCandidatesAsync(Entry(), CancellationToken.None);

        candidates.ShouldNotBeNull("hasMore false: the listing is complete, so the job's absence is proven").ShouldBeEmpty();
        handler.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task FindCandidatesAsync_PageSaysHasMoreWithoutACursor_CannotTell()
    {
        var handler = Listing(_ => Page([Job(Guid.NewGuid().ToString(), Intent.AddHours(-2))], nextCursor: null, hasMore: true));

        var candidates = await Reconciler(handler).FindCandidatesAsync(Entry(), CancellationToken.None);

        candidates.ShouldBeNull("more jobs exist but cannot be read: the absence of the job is not proven");
        handler.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task FindCandidatesAsync_CursorThatRepeats_CannotTell()
    {
        var handler = Listing(_ => Page([Job(Guid.NewGuid().ToString(), Intent.AddHours(-2))], nextCursor: "same", hasMore: true));

        var candidates = await Reconciler(handler).FindCandidatesAsync(Entry(), CancellationToken.None);

        candidates.ShouldBeNull("a cursor that does not move would read the same page for ever");
        handler.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public void Adapter_IsNoSubmissionReconciler_SoTheJournalNeverClaimsAJobByModelAndTimeAlone()
    {
        // A listed Apiframe job has no prompt and no client reference: a lone candidate of the model may be another
        // submission's, so claiming it could report the wrong video as done (the reliability suite saw a double charge).
        TestClients.Apiframe(new StubHttpHandler()).AsVideoGenerator().GetService(typeof(ISubmissionReconciler)).ShouldBeNull();
    }

    private static ApiframeVideoGenerator Reconciler(StubHttpHandler handler) =>
        (ApiframeVideoGenerator)TestClients.Apiframe(handler).AsVideoGenerator().GetService(typeof(ApiframeVideoGenerator))!;

    private static StubHttpHandler Listing(Func<System.Collections.Specialized.NameValueCollection, string> page) =>
        new StubHttpHandler().On(HttpMethod.Get, "/v2/jobs", request => StubHttpHandler.Json(page(HttpUtility.ParseQueryString(request.Uri.Query))));

    private static JournalEntry Entry() =>
        new("c1", "line-1", "apiframe", Model, "a drone flyover", "{}", JournalState.OutcomeUnknown, null, null, Intent, Intent.AddSeconds(5));

    /// <summary>A job as the page documents it (https://docs-v2.apiframe.ai/docs/jobs/list, Response).</summary>
    private static JObject Job(string id, DateTimeOffset createdAt) => new()
    {
        ["id"] = id,
        ["status"] = "QUEUED",
        ["model"] = Model,
        ["progress"] = 0,
        ["result"] = null,
        ["error"] = null,
        ["creditCost"] = 10,
        ["webhookStatus"] = null,
        ["createdAt"] = createdAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
        ["completedAt"] = null,
    };

    private static string Page(JObject[] jobs, string? nextCursor, bool hasMore) =>
        new JObject { ["jobs"] = new JArray(jobs.Cast<object>().ToArray()), ["nextCursor"] = nextCursor, ["hasMore"] = hasMore }.ToString();
}
