using VideoGen.Journal;

namespace VideoGen.Tests.Journal;

public sealed class SqliteJobJournalTests : JobJournalContractTests, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("videogen-journal-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    protected override IJobJournal OpenJournal() => new SqliteJobJournal(Path.Combine(_dir, "j.db"));

    [Fact]
    public async Task Open_JournalWrittenBeforeEndpointsAndLeases_StaysReadableWithTheHostUnknown()
    {
        // The table as the first released version created it: no lease columns, no endpoint.
        var path = Path.Combine(_dir, "old.db");
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE submissions (correlation_id TEXT PRIMARY KEY, client_key TEXT UNIQUE, vendor TEXT NOT NULL, model TEXT, prompt TEXT NOT NULL,
                    request_json TEXT NOT NULL, state TEXT NOT NULL, job_id TEXT, detail TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
                INSERT INTO submissions VALUES ('old-1', 'line-1', 'oxen', NULL, 'a kite', '{}', 'Submitted', '18500', NULL, '2026-01-01T00:00:00.0000000+00:00', '2026-01-01T00:00:00.0000000+00:00');
                """;
            await command.ExecuteNonQueryAsync();
        }

        var journal = new SqliteJobJournal(path);
        var old = (await journal.GetUnfinishedAsync()).ShouldHaveSingleItem();
        await journal.RecordIntentAsync(Entry("new-1", "line-2", DateTimeOffset.UtcNow) with { Endpoint = "http://127.0.0.1:5080/api" });

        old.CorrelationId.ShouldBe("old-1");
        old.JobId.ShouldBe("18500");
        old.Endpoint.ShouldBeNull("the host an old entry went to is unknown, not guessed");
        (await journal.FindByJobIdAtAsync("oxen", null, "18500"))!.CorrelationId.ShouldBe("old-1");
        (await journal.FindAsync("new-1"))!.Endpoint.ShouldBe("http://127.0.0.1:5080/api");
    }
}
