using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VideoGen.Catalog;
using VideoGen.Journal;
using VideoGen.Logging;
using VideoGen.Telemetry;
using VideoGen.Vendors;

namespace VideoGen.DependencyInjection;

/// <summary>
/// The middleware of one vendor's registered <see cref="IVideoGenerator"/> (the keyed one, and the unkeyed one when
/// it is the default vendor), returned by
/// <see cref="VideoGenServiceCollectionExtensions.AddVideoGenerator"/>. The first <c>Use</c> is the
/// outermost, as in <see cref="VideoGeneratorBuilder"/> and Microsoft.Extensions.AI's <c>ChatClientBuilder</c>
/// (https://learn.microsoft.com/dotnet/api/microsoft.extensions.ai.chatclientbuilder).
/// </summary>
/// <remarks>
/// Logging (<see cref="LoggingVideoGenerator"/>) and the submit span and counters (<see cref="OpenTelemetryVideoGenerator"/>)
/// are there by default, innermost, around the adapter (with the per-call budget of <see cref="VideoGenerationOptions.MaxCost"/>),
/// as in every generator <see cref="VideoGenServiceCollectionExtensions.AddVideoGeneration(IServiceCollection, Action{VideoGenOptions})"/>
/// registers. <see cref="UseLogging"/> and <see cref="UseOpenTelemetry"/> place them where they are called instead;
/// <see cref="WithoutLogging"/> and <see cref="WithoutOpenTelemetry"/> leave them out.
/// </remarks>
/// <example>
/// <code>
/// services.AddVideoGenerator(VendorIds.Elumenta)
///     .UseBudget(new VideoBudgetOptions { MaxTotalCost = 500 })
///     .UseJournal(sp => new SqliteJobJournal("jobs.db"));
/// </code>
/// </example>
public sealed class VideoGenerationBuilder
{
    private readonly List<Func<IVideoGenerator, IServiceProvider, IVideoGenerator>> _middleware = [];
    private bool _defaultLogging = true;
    private bool _defaultTelemetry = true;

    internal VideoGenerationBuilder(IServiceCollection services, VendorInfo vendor)
    {
        Services = services;
        Vendor = vendor;
    }

    /// <summary>The services the generator is registered in.</summary>
    public IServiceCollection Services { get; }

    /// <summary>The catalog entry of the vendor whose generator this builds.</summary>
    public VendorInfo Vendor { get; }

    /// <summary>Adds a middleware; the first added is the outermost.</summary>
    /// <param name="middleware">Wraps the generator below it; it gets the container's services.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="middleware"/> is null.</exception>
    public VideoGenerationBuilder Use(Func<IVideoGenerator, IServiceProvider, IVideoGenerator> middleware)
    {
        ArgumentNullException.ThrowIfNull(middleware);
        _middleware.Add(middleware);
        return this;
    }

    /// <summary>Adds a budget guard (<see cref="BudgetVideoGenerator"/>) priced from this vendor's catalog entry.</summary>
    /// <param name="options">The limits; <see langword="null"/> for none (per-call budgets are still enforced). Validated and copied now.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">A limit is negative; the message lists every problem.</exception>
    public VideoGenerationBuilder UseBudget(VideoBudgetOptions? options = null)
    {
        options?.EnsureValid(nameof(options));
        var copy = new VideoBudgetOptions { MaxCostPerJob = options?.MaxCostPerJob, MaxTotalCost = options?.MaxTotalCost };
        return Use((inner, _) => new BudgetVideoGenerator(inner, Vendor, copy));
    }

    /// <summary>Adds the crash-safe job journal (<see cref="JournalingVideoGenerator"/>) for this vendor.</summary>
    /// <param name="journal">Makes (or finds) the journal, once, when the generator is first resolved.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="journal"/> is null.</exception>
    public VideoGenerationBuilder UseJournal(Func<IServiceProvider, IJobJournal> journal)
    {
        ArgumentNullException.ThrowIfNull(journal);
        return Use((inner, services) => new JournalingVideoGenerator(inner, journal(services), Vendor.Id, services.GetService<TimeProvider>()));
    }

    /// <summary>Adds the crash-safe job journal, resolved as <see cref="IJobJournal"/> from the container.</summary>
    /// <returns>This builder.</returns>
    public VideoGenerationBuilder UseJournal() => UseJournal(services => services.GetRequiredService<IJobJournal>());

    /// <summary>
    /// Adds logging (<see cref="LoggingVideoGenerator"/>) at this point instead of innermost, where it is by default.
    /// </summary>
    /// <param name="loggerFactory">Where to log. Default: the container's <see cref="ILoggerFactory"/>; with none, nothing is logged.</param>
    /// <returns>This builder.</returns>
    public VideoGenerationBuilder UseLogging(ILoggerFactory? loggerFactory = null)
    {
        _defaultLogging = false;
        return Use((inner, services) => LoggingMiddleware.Wrap(inner, loggerFactory ?? services.GetService<ILoggerFactory>()));
    }

    /// <summary>
    /// Adds the submit span and counters (<see cref="OpenTelemetryVideoGenerator"/>) at this point instead of innermost,
    /// where they are by default.
    /// </summary>
    /// <returns>This builder.</returns>
    public VideoGenerationBuilder UseOpenTelemetry()
    {
        _defaultTelemetry = false;
        return Use((inner, _) => new OpenTelemetryVideoGenerator(inner));
    }

    /// <summary>Leaves out the default logging (<see cref="LoggingVideoGenerator"/>); <see cref="UseLogging"/> still adds it.</summary>
    /// <returns>This builder.</returns>
    public VideoGenerationBuilder WithoutLogging()
    {
        _defaultLogging = false;
        return this;
    }

    /// <summary>Leaves out the default submit span and counters (<see cref="OpenTelemetryVideoGenerator"/>); <see cref="UseOpenTelemetry"/> still adds them.</summary>
    /// <returns>This builder.</returns>
    public VideoGenerationBuilder WithoutOpenTelemetry()
    {
        _defaultTelemetry = false;
        return this;
    }

    /// <summary>
    /// The vendor's adapter in the default middleware that was not placed or left out, then the processing-time history,
    /// then the middleware added, the first added outermost.
    /// </summary>
    internal IVideoGenerator Build(VendorDescriptor descriptor, IServiceProvider services)
    {
        var loggerFactory = services.GetService<ILoggerFactory>();
        var adapter = descriptor.CreateAdapter(services.GetRequiredKeyedService(descriptor.ClientType, descriptor.Id), loggerFactory);
        var generator = VideoGenServiceCollectionExtensions.WithProcessingTimes(
            services, VendorPipeline.Around(adapter, loggerFactory, logging: _defaultLogging, telemetry: _defaultTelemetry));
        for (var i = _middleware.Count - 1; i >= 0; i--)
        {
            generator = _middleware[i](generator, services)
                ?? throw new InvalidOperationException($"Middleware {i} of {Vendor.DisplayName}'s generator returned null.");
        }

        return generator;
    }
}
