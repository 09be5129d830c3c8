namespace VideoGen;

/// <summary>Conveniences over <see cref="IVideoGenerator"/>.</summary>
public static class VideoGeneratorExtensions
{
    /// <summary>Asks for a service of type <typeparamref name="TService"/>.</summary>
    /// <typeparam name="TService">The type wanted.</typeparam>
    /// <param name="generator">The generator.</param>
    /// <param name="serviceKey">An optional key.</param>
    /// <returns>The service, or <see langword="null"/>.</returns>
    public static TService? GetService<TService>(this IVideoGenerator generator, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return generator.GetService(typeof(TService), serviceKey) is TService service ? service : default;
    }

    /// <summary>Submits a prompt with the generator's default model and options.</summary>
    /// <param name="generator">The generator.</param>
    /// <param name="prompt">What to generate.</param>
    /// <param name="cancellationToken">A token to cancel the submission.</param>
    /// <returns>The submitted job.</returns>
    public static Task<VideoJob> SubmitAsync(this IVideoGenerator generator, string prompt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return generator.SubmitAsync(new VideoGenerationRequest(prompt), options: null, cancellationToken);
    }
}
