namespace VideoGen.Tests.PublicApi;

/// <summary>
/// The core package stays free of storage: a user who wants the typed clients and <see cref="IVideoGenerator"/> does
/// not pull SQLite (issue 15). The SQLite journal is the VideoGen.Journal.Sqlite package.
/// </summary>
public sealed class PackageDependencyTests
{
    [Fact]
    public void CoreAssembly_References_NoSqlite()
    {
        var references = typeof(IVideoGenerator).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();

        references.ShouldNotContain(name => name!.Contains("Sqlite", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void SqliteJournal_LivesInItsOwnAssembly()
    {
        typeof(VideoGen.Journal.SqliteJobJournal).Assembly.GetName().Name.ShouldBe("VideoGen.Journal.Sqlite");
        typeof(VideoGen.Webhooks.SqliteWebhookDeliveryStore).Assembly.ShouldBe(typeof(VideoGen.Journal.SqliteJobJournal).Assembly);
    }
}
