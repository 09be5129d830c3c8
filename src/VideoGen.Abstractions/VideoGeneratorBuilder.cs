namespace VideoGen;

/// <summary>
/// Builds a pipeline of <see cref="IVideoGenerator"/> middleware around an inner generator.
/// The first <see cref="Use(Func{IVideoGenerator, IVideoGenerator})"/> is the outermost.
/// </summary>
public sealed class VideoGeneratorBuilder
{
    private readonly Func<IServiceProvider?, IVideoGenerator> _innerFactory;
    private readonly List<Func<IVideoGenerator, IServiceProvider?, IVideoGenerator>> _middleware = [];

    /// <summary>Starts a pipeline around <paramref name="innerGenerator"/>.</summary>
    /// <param name="innerGenerator">The generator at the bottom of the pipeline (a vendor adapter).</param>
    public VideoGeneratorBuilder(IVideoGenerator innerGenerator)
    {
        ArgumentNullException.ThrowIfNull(innerGenerator);
        _innerFactory = _ => innerGenerator;
    }

    /// <summary>Starts a pipeline whose inner generator is made from the service provider at build time.</summary>
    /// <param name="innerFactory">Makes the inner generator.</param>
    public VideoGeneratorBuilder(Func<IServiceProvider?, IVideoGenerator> innerFactory)
    {
        ArgumentNullException.ThrowIfNull(innerFactory);
        _innerFactory = innerFactory;
    }

    /// <summary>Adds a middleware; the first added is the outermost.</summary>
    /// <param name="middleware">Wraps the generator below it.</param>
    /// <returns>This builder.</returns>
    public VideoGeneratorBuilder Use(Func<IVideoGenerator, IVideoGenerator> middleware)
    {
        ArgumentNullException.ThrowIfNull(middleware);
        _middleware.Add((inner, _) => middleware(inner));
        return this;
    }

    /// <summary>Adds a middleware that needs services; the first added is the outermost.</summary>
    /// <param name="middleware">Wraps the generator below it.</param>
    /// <returns>This builder.</returns>
    public VideoGeneratorBuilder Use(Func<IVideoGenerator, IServiceProvider?, IVideoGenerator> middleware)
    {
        ArgumentNullException.ThrowIfNull(middleware);
        _middleware.Add(middleware);
        return this;
    }

    /// <summary>Builds the pipeline.</summary>
    /// <param name="services">Services for middleware that needs them.</param>
    /// <returns>The outermost generator.</returns>
    public IVideoGenerator Build(IServiceProvider? services = null)
    {
        var generator = _innerFactory(services);
        for (var i = _middleware.Count - 1; i >= 0; i--)
        {
            generator = _middleware[i](generator, services)
                ?? throw new InvalidOperationException($"Middleware {i} returned null.");
        }

        return generator;
    }
}
