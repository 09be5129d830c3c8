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
}
