using System.Net;
using System.Text;
using VideoGen.AimlApi;
using VideoGen.Elumenta;
using VideoGen.Apiframe;
using VideoGen.Http;
using VideoGen.Journal;
using VideoGen.Oxen;
using VideoGen.Tests.Vendors;
using VideoGen.Vendors;
using VideoGen.Waiting;

namespace VideoGen.Tests.Hostile;

/// <summary>The bugs the hostile-response property test found, each pinned by name.</summary>
public sealed class HostileRegressionTests
{
    private const string AimlId = "2f6a7e37-1c3b-4f9e-9a4e-6a3c1e8d2b10";

    private static StubHttpHandler Answer(HttpStatusCode status, string body, string contentType = "application/json") => new StubHttpHandler()
        .On(HttpMethod.Get, ".*", _ => Response(status, body, contentType))
        .On(HttpMethod.Post, ".*", _ => Response(status, body, contentType));

    private static HttpResponseMessage Response(HttpStatusCode status, string body, string contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return new HttpResponseMessage(status) { Content = content };
    }

    [Fact]
    public async Task GeneratedClient_UndocumentedStatusWithUnknownCharset_ThrowsApiException()
    {
        // Was InvalidOperationException from HttpContent.ReadAsStringAsync inside generated code.
        // (A 2xx is read as the documented one since issue 11, so an undocumented 3xx carries the case.)
        var client = TestClients.Elumenta(Answer(HttpStatusCode.Ambiguous, "{}", "application/json; charset=no-such-charset"));

        var e = await Should.ThrowAsync<ApiException>(() => client.GetGenerationAsync(18500));

        e.StatusCode.ShouldBe(HttpStatusCode.Ambiguous);
        e.ResponseExcerpt.ShouldBe("{}");
    }

    [Theory]
    [InlineData("2026-03-08T12:05:00+99:00")]
    [InlineData("0001-01-01T00:00:00+14:00")]
    [InlineData("9999-12-31T23:59:59-14:00")]
    [InlineData("yesterday")]
    public async Task GeneratedClient_DateOutsideTheCalendar_IsLeftEmptyAndTheJobRead(string date)
    {
        // Was ArgumentOutOfRangeException ("Offset must be within plus or minus 14 hours") from inside JSON.NET;
        // since issue 11 an informational field that cannot be read is left null and the job is still read.
        var client = TestClients.AimlApi(Answer(HttpStatusCode.OK, $$"""{"id": "{{AimlId}}", "state": "queued", "created_at": "{{date}}"}"""));

        var generation = await client.GetGenerationAsync(Guid.Parse(AimlId));

        generation.Id.ShouldBe(Guid.Parse(AimlId));
        generation.State.ShouldBe("queued");
        generation.CreatedAt.ShouldBeNull();
    }

    [Fact]
    public async Task GeneratedClient_ValidDates_StillRead()
    {
        var client = TestClients.Apiframe(Answer(HttpStatusCode.OK, """{"id": "j-1", "status": "COMPLETED", "createdAt": "2026-03-08T12:05:00Z", "completedAt": "2026-03-08T14:06:10+02:00", "error": "2026-03-08T12:05:00Z"}"""));

        var job = await client.GetJobAsync("j-1");

        job.CreatedAt.ShouldBe(new DateTimeOffset(2026, 3, 8, 12, 5, 0, TimeSpan.Zero));
        job.CompletedAt.ShouldBe(new DateTimeOffset(2026, 3, 8, 14, 6, 10, TimeSpan.FromHours(2)));

        // A date-looking string in a text field stays the vendor's text, not JSON.NET's re-formatting of it.
        job.Error.ShouldBe("2026-03-08T12:05:00Z");
    }

    [Fact]
    public async Task GetJobsAsync_NullEntryInTheBatch_IsSkipped()
    {
        // Was ArgumentNullException from the adapter's mapping.
        var generator = TestClients.AimlApi(Answer(HttpStatusCode.OK, $$"""{"generations": [null, {"id": "{{AimlId}}", "state": "completed"}]}""")).AsVideoGenerator();
        var batch = (IBatchJobReader)generator.GetService(typeof(IBatchJobReader))!;

        var jobs = await batch.GetJobsAsync([AimlId, "0f3ea4aa-10e7-4dae-af0b-263ab4ac45f9"], CancellationToken.None);

        jobs.Select(j => j.Id).ShouldBe([AimlId]);
    }

    [Fact]
    public async Task FindCandidatesAsync_NullEntryInTheQueue_IsSkipped()
    {
        // Was NullReferenceException in reconciliation.
        var generator = TestClients.Oxen(Answer(HttpStatusCode.OK, """{"count": 2, "generations": [null, {"generation_id": "bb8f5eb7-361e-4e13-ab73-67457bc8057e", "prompt": "A red balloon", "status": "queued"}]}""")).AsVideoGenerator();
        var reconciler = (ISubmissionReconciler)generator.GetService(typeof(ISubmissionReconciler))!;
        var entry = new JournalEntry("c-1", null, VendorIds.Oxen, null, "A red balloon", "{}", JournalState.OutcomeUnknown, null, null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

        var found = await reconciler.FindCandidatesAsync(entry, CancellationToken.None);

        found.ShouldNotBeNull().ShouldHaveSingleItem().Id.ShouldBe("bb8f5eb7-361e-4e13-ab73-67457bc8057e");
    }

    [Fact]
    public async Task SubmitAsync_GatewayAcceptsWithAnEmptyJobId_ThrowsWithTheStatusSoTheOutcomeIsUnknown()
    {
        // Was a VideoJob with Id "", which no one can poll.
        var generator = TestClients.Apiframe(Answer(HttpStatusCode.Accepted, """{"jobId": "", "status": "QUEUED"}""")).AsVideoGenerator();

        var e = await Should.ThrowAsync<VideoGenException>(() => generator.SubmitAsync("A red balloon"));

        e.Message.ShouldBe("Apiframe accepted the request but returned no job id; nothing can be polled.");

        // With a status, the journal records "outcome unknown" (the job may exist), not "never sent".
        e.StatusCode.ShouldBe(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task GetJobAsync_GatewayJobWithAnEmptyId_IsReadAsTheJobAskedFor()
    {
        // Tolerant reader: a status answer that names no job is about the job asked for (one that names another is an error).
        var generator = TestClients.Apiframe(Answer(HttpStatusCode.OK, """{"id": " ", "status": "PROCESSING"}""")).AsVideoGenerator();

        var job = await generator.GetJobAsync("j-1");

        job.Id.ShouldBe("j-1");
        job.Status.ShouldBe(VideoJobStatus.Running);
    }

    [Fact]
    public async Task SubmitAsync_OxenAcceptsWithNoGeneration_ThrowsWithTheStatusSoTheOutcomeIsUnknown()
    {
        var generator = TestClients.Oxen(Answer(HttpStatusCode.OK, """{"generations": [null]}""")).AsVideoGenerator();

        var e = await Should.ThrowAsync<VideoGenException>(() => generator.SubmitAsync("A red balloon"));

        e.StatusCode.ShouldBe(HttpStatusCode.OK);
        e.Message.ShouldContain("returned no generation id");
    }

    [Fact]
    public async Task GetJobAsync_ConnectionDropsMidBody_ThrowsVideoGenExceptionKeepingTheCause()
    {
        // Was a bare HttpIOException: only failures before the headers were wrapped.
        var handler = new HostileHandler
        {
            Next = new HostileResponse("dropped", 200, "application/json", Encoding.UTF8.GetBytes("""{"id": 18500, "status": "pending"}"""), [], DropAfterBytes: 10),
        };
        var generator = new ElumentaClient(new VendorClientConfiguration("Elumenta") { ApiKey = TestClients.ApiKey }, new HttpClient(handler)).AsVideoGenerator();

        var e = await Should.ThrowAsync<VideoGenException>(() => generator.GetJobAsync("18500"));

        e.Message.ShouldStartWith("Elumenta's response was cut off while reading job 18500");
        e.InnerException.ShouldBeOfType<HttpIOException>();
        e.JobId.ShouldBe("18500");
    }

    [Fact]
    public async Task JournaledSubmit_BodyCutOffAfterTheVendorAccepted_IsOutcomeUnknownNotNeverSent()
    {
        // The adapter's new wrapper for a dropped body must not read as "definitely not created" to the journal.
        var handler = new HostileHandler
        {
            Next = new HostileResponse("dropped", 200, "application/json", Encoding.UTF8.GetBytes("""{"id": 18500, "status": "pending"}"""), [], DropAfterBytes: 5),
        };
        var generator = new ElumentaClient(new VendorClientConfiguration("Elumenta") { ApiKey = TestClients.ApiKey }, new HttpClient(handler)).AsVideoGenerator();

        var state = await JournaledOutcome(generator);

        state.ShouldBe(JournalState.OutcomeUnknown);
    }

    [Theory]
    [InlineData(VendorIds.Apiframe, HttpStatusCode.Accepted, """{"jobId": "", "status": "QUEUED"}""")]
    [InlineData(VendorIds.Oxen, HttpStatusCode.OK, """{"generations": []}""")]
    public async Task JournaledSubmit_AcceptedWithoutAJobId_IsOutcomeUnknownNotNeverSent(string vendorId, HttpStatusCode status, string answerWithoutId)
    {
        // Was "never sent" for Oxen (an error with neither status nor cause), so a retry could pay twice.
        var generator = TestClients.Generator(VendorDescriptors.Get(vendorId), Answer(status, answerWithoutId));

        var state = await JournaledOutcome(generator);

        state.ShouldBe(JournalState.OutcomeUnknown);
    }

    private static async Task<JournalState> JournaledOutcome(IVideoGenerator generator)
    {
        var directory = Directory.CreateTempSubdirectory("videogen-hostile-");
        try
        {
            var journal = new SqliteJobJournal(Path.Combine(directory.FullName, "j.db"));
            var journaled = new JournalingVideoGenerator(generator, journal);
            await Should.ThrowAsync<SubmissionOutcomeUnknownException>(() => journaled.SubmitAsync(new VideoGenerationRequest("A red balloon")));
            return (await journal.GetUnfinishedAsync()).ShouldHaveSingleItem().State;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }
}
