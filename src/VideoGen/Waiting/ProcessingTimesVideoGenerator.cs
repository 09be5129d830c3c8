namespace VideoGen.Waiting;

/// <summary>
/// Hands a shared <see cref="IProcessingTimeHistory"/> to the waits over a generator: <c>GetService(typeof(IProcessingTimeHistory))</c>
/// returns it, so <see cref="VideoJobOperation"/> and <see cref="VideoJobMonitor"/> record every finished job into it and
/// place their polls from it when <see cref="WaitOptions.ProcessingTimes"/> is not set. Dependency injection and the CLI
/// put one under every generator; nothing else changes.
/// </summary>
internal sealed class ProcessingTimesVideoGenerator(IVideoGenerator innerGenerator, IProcessingTimeHistory history) : DelegatingVideoGenerator(innerGenerator)
{
    public IProcessingTimeHistory History { get; } = history ?? throw new ArgumentNullException(nameof(history));

    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType == typeof(IProcessingTimeHistory) ? History : base.GetService(serviceType, serviceKey);
    }
}

/// <summary>Adds a shared processing-time history to a <see cref="VideoGeneratorBuilder"/> pipeline.</summary>
public static class VideoGeneratorBuilderProcessingTimesExtensions
{
    /// <summary>
    /// Makes every wait over the built generator learn from <paramref name="history"/>: finished jobs' processing times
    /// are recorded into it, and once a model has <see cref="WaitOptions.MinimumHistory"/> of them (20 by default) its polls
    /// are placed where those jobs finished instead of by the documented window. A <see cref="WaitOptions.ProcessingTimes"/>
    /// set on a wait wins. <c>AddVideoGeneration</c> (dependency injection) does this for every vendor with one shared
    /// <see cref="InMemoryProcessingTimeHistory"/>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="history">The history to share; one per process is the intent (for example an <see cref="InMemoryProcessingTimeHistory"/>
    /// seeded with <c>JournalProcessingTimes.LoadAsync</c> of the VideoGen.Journal.Sqlite package).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="history"/> is null.</exception>
    public static VideoGeneratorBuilder UseProcessingTimes(this VideoGeneratorBuilder builder, IProcessingTimeHistory history)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(history);
        return builder.Use(inner => new ProcessingTimesVideoGenerator(inner, history));
    }
}
