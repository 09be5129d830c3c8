using VideoGen.Journal;
using VideoGen.Journal.PostgreSql;

namespace VideoGen.Tests.Journal;

/// <summary>The journal contract against a real PostgreSQL (a throwaway cluster, one fresh database per test).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlJobJournalTests(PostgresCluster cluster) : JobJournalContractTests, IAsyncLifetime
{
    private readonly List<PostgreSqlJobJournal> _opened = [];
    private string? _connectionString;

    public async Task InitializeAsync() => _connectionString = await cluster.CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        foreach (var journal in _opened)
        {
            await journal.DisposeAsync();
        }
    }

    protected override IJobJournal OpenJournal()
    {
        var journal = new PostgreSqlJobJournal(_connectionString!);
        _opened.Add(journal);
        return journal;
    }

    [Fact]
    public async Task UpdateAsync_JobIdAlreadyOwnedByAnotherEntry_IsRefusedByTheDatabase()
    {
        var journal = OpenJournal();
        var now = DateTimeOffset.UtcNow;
        await journal.RecordIntentAsync(Entry("first", null, now));
        await journal.RecordIntentAsync(Entry("second", null, now));
        await journal.UpdateAsync("first", JournalState.Submitted, "job-1");

        await Should.ThrowAsync<InvalidOperationException>(() => OpenJournal().UpdateAsync("second", JournalState.Submitted, "job-1"));

        (await journal.FindAsync("second"))!.State.ShouldBe(JournalState.Intent, "two reconciliations cannot both claim one vendor job");
    }

    [Fact]
    public async Task Open_TableWrittenBeforeEndpoints_StaysReadableWithTheHostUnknownAndTheSameIdAllowedAtTwoHosts()
    {
        // The table and unique index as the previous version created them (no endpoint column).
        await using (var source = Npgsql.NpgsqlDataSource.Create(_connectionString!))
        await using (var command = source.CreateCommand("""
            CREATE SCHEMA videogen;
            CREATE TABLE videogen.submissions (seq bigint GENERATED ALWAYS AS IDENTITY, correlation_id text PRIMARY KEY, client_key text UNIQUE,
                vendor text NOT NULL, model text, prompt text NOT NULL, request_json text NOT NULL, state text NOT NULL, job_id text, detail text,
                created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, lease_owner text, lease_expires_at timestamptz);
            CREATE UNIQUE INDEX submissions_job ON videogen.submissions (vendor, job_id) WHERE job_id IS NOT NULL;
            INSERT INTO videogen.submissions (correlation_id, client_key, vendor, prompt, request_json, state, job_id, created_at, updated_at)
                VALUES ('old-1', 'line-1', 'elumenta', 'a fox', '{}', 'Submitted', '18500', now(), now());
            """))
        {
            await command.ExecuteNonQueryAsync();
        }

        var journal = OpenJournal();
        var old = (await journal.GetUnfinishedAsync()).ShouldHaveSingleItem();
        await journal.RecordIntentAsync(Entry("new-1", "line-2", DateTimeOffset.UtcNow) with { Endpoint = "http://127.0.0.1:5080/api" });
        await journal.UpdateAsync("new-1", JournalState.Submitted, "18500");

        old.Endpoint.ShouldBeNull("the host an old entry went to is unknown, not guessed");
        (await journal.FindByJobIdAtAsync("elumenta", null, "18500"))!.CorrelationId.ShouldBe("old-1");
        (await journal.FindByJobIdAtAsync("elumenta", "http://127.0.0.1:5080/api", "18500"))!.CorrelationId.ShouldBe("new-1");
    }

    [Fact]
    public void Constructor_SchemaNotAPlainIdentifier_Throws()
    {
        Should.Throw<ArgumentException>(() => new PostgreSqlJobJournal("Host=127.0.0.1", "x; DROP TABLE y"));
    }
}
