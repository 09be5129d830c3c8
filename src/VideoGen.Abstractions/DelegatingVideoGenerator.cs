namespace VideoGen;

/// <summary>
/// A generator that passes every call to an inner one: the base of middleware (validation, budget,
/// logging). Override what you change; the rest goes through.
/// </summary>
public class DelegatingVideoGenerator : IVideoGenerator
{
    /// <summary>Wraps <paramref name="innerGenerator"/>.</summary>
    /// <param name="innerGenerator">The generator calls go to.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerGenerator"/> is null.</exception>
    protected DelegatingVideoGenerator(IVideoGenerator innerGenerator)
    {
        ArgumentNullException.ThrowIfNull(innerGenerator);
        InnerGenerator = innerGenerator;
    }

    /// <summary>The generator calls go to.</summary>
    protected IVideoGenerator InnerGenerator { get; }

    /// <inheritdoc />
    public virtual Task<VideoJob> SubmitAsync(VideoGenerationRequest request, VideoGenerationOptions? options = null, CancellationToken cancellationToken = default)
        => InnerGenerator.SubmitAsync(request, options, cancellationToken);

    /// <inheritdoc />
    public virtual Task<VideoJob> GetJobAsync(string jobId, CancellationToken cancellationToken = default)
        => InnerGenerator.GetJobAsync(jobId, cancellationToken);

    /// <inheritdoc />
    public virtual Task<VideoJob> CancelAsync(string jobId, CancellationToken cancellationToken = default)
        => InnerGenerator.CancelAsync(jobId, cancellationToken);

    /// <inheritdoc />
    public virtual object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this)
            ? this
            : InnerGenerator.GetService(serviceType, serviceKey);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes the inner generator.</summary>
    /// <param name="disposing">Whether this is called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            InnerGenerator.Dispose();
        }
    }
}
