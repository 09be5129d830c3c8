using System.Collections.Concurrent;
using Npgsql;
using VideoGen.Downloads;
using VideoGen.Journal;
using VideoGen.Journal.PostgreSql;

namespace VideoGen.Hangfire;

/// <summary>What one process shares between its steps: the options, the database, the vendors' journaled generators.</summary>
internal sealed class VideoGenRuntime : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<JournalingVideoGenerator>> _generators = new(StringComparer.OrdinalIgnoreCase);
    private readonly VideoDownloader _downloader;

    public VideoGenRuntime(VideoGenHangfireOptions options)
    {
        Options = options;
        DataSource = NpgsqlDataSource.Create(options.ConnectionString);
        Journal = new PostgreSqlJobJournal(DataSource, options.Schema);
        Store = new WorkStore(DataSource, options.Schema);
        _downloader = new VideoDownloader(options.Download);
    }

    public VideoGenHangfireOptions Options { get; }

    public NpgsqlDataSource DataSource { get; }

    public PostgreSqlJobJournal Journal { get; }

    public WorkStore Store { get; }

    public JournalingVideoGenerator Generator(string vendor) =>
        _generators.GetOrAdd(vendor, v => new Lazy<JournalingVideoGenerator>(() => new JournalingVideoGenerator(Options.Generators!(v), Journal, v, Options.TimeProvider))).Value;

    /// <summary>Downloads the result and stores it; a second call for the same generation overwrites the first's copy.</summary>
    public async Task<string> StoreVideoAsync(WorkRow row, IVideoGenerator generator, VideoJob job, CancellationToken cancellationToken)
    {
        var credential = Options.Credentials?.Invoke(row.Vendor);
        if (Options.Sink is not { } sink)
        {
            // Written to a temporary name and moved into place: a killed worker leaves no half file under the final name.
            var path = Path.Combine(Options.OutputDirectory, $"{row.CorrelationId}.mp4");
            var written = await _downloader.DownloadJobAsync(generator, job, path, credential, progress: null, cancellationToken).ConfigureAwait(false);
            return written.Path;
        }

        var temp = Path.Combine(Path.GetTempPath(), $"videogen-{row.CorrelationId}-{Guid.NewGuid():N}.mp4");
        try
        {
            var downloaded = await _downloader.DownloadJobAsync(generator, job, temp, credential, progress: null, cancellationToken).ConfigureAwait(false);
            await using var content = File.OpenRead(temp);
            return await sink.StoreAsync(new VideoSinkItem(row.CorrelationId, row.Batch, job, content.Length, downloaded.ContentType), content, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var generator in _generators.Values.Where(g => g.IsValueCreated))
        {
            generator.Value.Dispose();
        }

        _downloader.Dispose();
        await Journal.DisposeAsync().ConfigureAwait(false);
        await DataSource.DisposeAsync().ConfigureAwait(false);
    }
}
