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
    public void Constructor_SchemaNotAPlainIdentifier_Throws()
    {
        Should.Throw<ArgumentException>(() => new PostgreSqlJobJournal("Host=127.0.0.1", "x; DROP TABLE y"));
    }
}
