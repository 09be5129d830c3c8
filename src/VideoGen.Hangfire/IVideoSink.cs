namespace VideoGen.Hangfire;

/// <summary>
/// Where finished videos go when a folder is not enough (object storage, a CMS). Implement it and set
/// <see cref="VideoGenHangfireOptions.Sink"/>.
/// </summary>
/// <remarks>
/// Hangfire runs every step at least once, so <see cref="StoreAsync"/> can be called again for the same
/// <see cref="VideoSinkItem.CorrelationId"/> (a worker died after storing but before recording it): store under that id,
/// overwriting, so a second call leaves one copy.
/// </remarks>
public interface IVideoSink
{
    /// <summary>Stores one finished video.</summary>
    /// <param name="item">Which job the video is from.</param>
    /// <param name="content">The video's bytes (already complete on local disk; seekable).</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns>Where it was stored (shown by <c>videogen status</c> and <see cref="VideoWorkStatus.Result"/>).</returns>
    Task<string> StoreAsync(VideoSinkItem item, Stream content, CancellationToken cancellationToken = default);
}

/// <summary>The video handed to an <see cref="IVideoSink"/>.</summary>
/// <param name="CorrelationId">The enqueued generation's id: the key to store under.</param>
/// <param name="Batch">Its batch, if any.</param>
/// <param name="Job">The finished job (vendor, id, result URL, cost).</param>
/// <param name="Bytes">The video's length in bytes.</param>
/// <param name="ContentType">The media type the server sent, if any.</param>
public sealed record VideoSinkItem(string CorrelationId, string? Batch, VideoJob Job, long Bytes, string? ContentType);
