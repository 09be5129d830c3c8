using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VideoGen;
using VideoGen.AimlApi;
using VideoGen.Catalog;
using VideoGen.DependencyInjection;
using VideoGen.Elumenta;
using VideoGen.Apiframe;
using VideoGen.Http;
using VideoGen.Journal;
using VideoGen.Oxen;
using VideoGen.Waiting;
using VideoGen.Resilience;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers VideoGen's typed vendor clients (through <see cref="IHttpClientFactory"/>) and their
/// <see cref="IVideoGenerator"/>s: one keyed by vendor id (<see cref="VendorIds"/>) per vendor, plus an
/// unkeyed one for <see cref="VideoGenOptions.DefaultVendor"/>. The generators log through the container's
/// <see cref="ILoggerFactory"/> when one is registered (a host registers one).
/// </summary>
/// <example>
/// <code>
/// services.AddVideoGeneration(o => o.DefaultVendor = VendorIds.Elumenta);
/// services.AddElumentaClient().AddHttpMessageHandler&lt;MyHandler&gt;(); // the builder of one vendor's HttpClient
/// var generator = provider.GetRequiredService&lt;IVideoGenerator&gt;();
/// var oxen = provider.GetRequiredKeyedService&lt;IVideoGenerator&gt;(VendorIds.Oxen);
/// </code>
/// </example>
public static class VideoGenServiceCollectionExtensions
{
    private const string HttpClientNamePrefix = TransportAuthorizationFilter.ClientNamePrefix;

    /// <summary>
    /// Registers every vendor: the typed clients, a keyed <see cref="IVideoGenerator"/> per vendor id, and the
    /// unkeyed <see cref="IVideoGenerator"/> of <see cref="VideoGenOptions.DefaultVendor"/>. Options are bound from
    /// the <c>VideoGen</c> section of the application's <see cref="IConfiguration"/> when one is registered, then
    /// <paramref name="configure"/> runs. A vendor's API key not set in options is read from its environment
    /// variable (<c>ELUMENTA_API_KEY</c>, <c>NEURALBOX_API_KEY</c>, <c>APIFRAME_API_KEY</c> (or its former <c>GATEWAY_API_KEY</c>), <c>AIMLAPI_API_KEY</c>, <c>OXEN_API_KEY</c>).
    /// Calling it again adds nothing twice.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets options in code, after configuration binding.</param>
    /// <returns><paramref name="services"/>. Use <see cref="AddElumentaClient"/> and its siblings to reach one vendor's <see cref="IHttpClientBuilder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IServiceCollection AddVideoGeneration(this IServiceCollection services, Action<VideoGenOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        AddCore(services);
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.AddElumentaClient();
        services.AddNeuralBoxClient();
        services.AddApiframeClient();
        services.AddAimlApiClient();
        services.AddOxenClient();
        services.TryAddSingleton(CreateDefaultGenerator);
        return services;
    }

    /// <summary>
    /// Registers every vendor as <see cref="AddVideoGeneration(IServiceCollection, Action{VideoGenOptions})"/> does,
    /// binding options from <paramref name="configuration"/> (the <c>VideoGen</c> section itself, for example
    /// <c>builder.Configuration.GetSection("VideoGen")</c>); its values win over the application's <c>VideoGen</c> section.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section to bind <see cref="VideoGenOptions"/> from.</param>
    /// <param name="configure">Sets options in code, after configuration binding.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configuration"/> is null.</exception>
    public static IServiceCollection AddVideoGeneration(this IServiceCollection services, IConfiguration configuration, Action<VideoGenOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        AddCore(services);
        services.Configure<VideoGenOptions>(configuration);
        return services.AddVideoGeneration(configure);
    }

    /// <summary>Registers the Elumenta client (<see cref="IElumentaClient"/>, also keyed <c>elumenta</c>) and its keyed <see cref="IVideoGenerator"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets Elumenta's options (<c>VideoGen:Elumenta</c>) in code.</param>
    /// <returns>The builder of Elumenta's <see cref="HttpClient"/>, to add handlers (retries, logging, a test handler).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IHttpClientBuilder AddElumentaClient(this IServiceCollection services, Action<VideoGenVendorOptions>? configure = null) =>
        AddTypedVendor<IElumentaClient, ElumentaClient>(services, VendorIds.Elumenta, configure, (c, http) => new ElumentaClient(c, http), (c, logs) => c.AsVideoGenerator(VendorIds.Elumenta, logs));

    /// <summary>
    /// Registers the NeuralBox client: an <see cref="IElumentaClient"/> (same contract) keyed <c>neuralbox</c>, on
    /// NeuralBox's host, and its keyed <see cref="IVideoGenerator"/>. The unkeyed <see cref="IElumentaClient"/> stays Elumenta's.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets NeuralBox's options (<c>VideoGen:NeuralBox</c>) in code.</param>
    /// <returns>The builder of NeuralBox's <see cref="HttpClient"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IHttpClientBuilder AddNeuralBoxClient(this IServiceCollection services, Action<VideoGenVendorOptions>? configure = null)
    {
        const string vendorId = VendorIds.NeuralBox;
        if (!BeginVendor(services, vendorId, configure, out var name))
        {
            return services.AddHttpClient(name);
        }

        // CUSTOM: IElumentaClient already names Elumenta's typed client, so NeuralBox's is a keyed service over
        // a named HttpClient of the factory.
        var builder = ConfigureHandler(services.AddHttpClient(name));
        services.AddKeyedTransient<IElumentaClient>(vendorId, (sp, _) =>
            new ElumentaClient(CreateClientConfiguration(sp, vendorId), sp.GetRequiredService<IHttpClientFactory>().CreateClient(name)));
        services.AddKeyedSingleton<IVideoGenerator>(vendorId, (sp, _) => WithProcessingTimes(sp, sp.GetRequiredKeyedService<IElumentaClient>(vendorId).AsVideoGenerator(vendorId, sp.GetService<ILoggerFactory>())));
        return builder;
    }

    /// <summary>
    /// Registers the Apiframe client (<see cref="IApiframeClient"/>, also keyed <c>apiframe</c> and by its former id
    /// <c>gateway</c>) and its keyed <see cref="IVideoGenerator"/> (under both keys, the same instance).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets Apiframe's options (<c>VideoGen:Apiframe</c>) in code.</param>
    /// <returns>The builder of Apiframe's <see cref="HttpClient"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IHttpClientBuilder AddApiframeClient(this IServiceCollection services, Action<VideoGenVendorOptions>? configure = null)
    {
        var builder = AddTypedVendor<IApiframeClient, ApiframeClient>(services, VendorIds.Apiframe, configure, (c, http) => new ApiframeClient(c, http), (c, logs) => c.AsVideoGenerator(logs));

        // CUSTOM: HttpClient drops Authorization on a redirect but forwards a custom header: with the key in X-API-Key,
        // following a redirect would hand the key to whatever host the redirect names. So Apiframe's client never follows one.
        builder.ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2), AllowAutoRedirect = false });

        // CUSTOM: the former id 'gateway' resolves to the same services, so code keyed on it keeps working.
        services.TryAddKeyedTransient<IApiframeClient>(VendorIds.Gateway, (sp, _) => sp.GetRequiredKeyedService<IApiframeClient>(VendorIds.Apiframe));
        services.TryAddKeyedSingleton<IVideoGenerator>(VendorIds.Gateway, (sp, _) => sp.GetRequiredKeyedService<IVideoGenerator>(VendorIds.Apiframe));
        return builder;
    }

    /// <summary>Registers the AIML API client (<see cref="IAimlApiClient"/>, also keyed <c>aimlapi</c>) and its keyed <see cref="IVideoGenerator"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets AIML API's options (<c>VideoGen:AimlApi</c>) in code.</param>
    /// <returns>The builder of AIML API's <see cref="HttpClient"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IHttpClientBuilder AddAimlApiClient(this IServiceCollection services, Action<VideoGenVendorOptions>? configure = null) =>
        AddTypedVendor<IAimlApiClient, AimlApiClient>(services, VendorIds.AimlApi, configure, (c, http) => new AimlApiClient(c, http), (c, logs) => c.AsVideoGenerator(logs));

    /// <summary>Registers the Oxen.ai client (<see cref="IOxenClient"/>, also keyed <c>oxen</c>) and its keyed <see cref="IVideoGenerator"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets Oxen.ai's options (<c>VideoGen:Oxen</c>) in code.</param>
    /// <returns>The builder of Oxen.ai's <see cref="HttpClient"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IHttpClientBuilder AddOxenClient(this IServiceCollection services, Action<VideoGenVendorOptions>? configure = null) =>
        AddTypedVendor<IOxenClient, OxenClient>(services, VendorIds.Oxen, configure, (c, http) => new OxenClient(c, http), (c, logs) => c.AsVideoGenerator(logs));

    /// <summary>The configuration section name of a vendor under <c>VideoGen</c> (the <see cref="VideoGenOptions"/> property).</summary>
    internal static string SectionOf(string vendorId) => vendorId switch
    {
        VendorIds.Elumenta => nameof(VideoGenOptions.Elumenta),
        VendorIds.NeuralBox => nameof(VideoGenOptions.NeuralBox),
        VendorIds.Apiframe => nameof(VideoGenOptions.Apiframe),
        VendorIds.AimlApi => nameof(VideoGenOptions.AimlApi),
        VendorIds.Oxen => nameof(VideoGenOptions.Oxen),
        _ => vendorId,
    };

    /// <summary>A vendor's key from its environment variable; Apiframe's falls back to the former <c>GATEWAY_API_KEY</c>.</summary>
    internal static string? ApiKeyFromEnvironment(VendorInfo vendor)
    {
        var key = Environment.GetEnvironmentVariable(vendor.ApiKeyEnvironmentVariable);
        return string.IsNullOrWhiteSpace(key) && vendor.Id == VendorIds.Apiframe
            ? Environment.GetEnvironmentVariable(LegacyApiframeKeyVariable)
            : key;
    }

    /// <summary>The former environment variable of Apiframe's key, still read when <c>APIFRAME_API_KEY</c> is unset.</summary>
    internal const string LegacyApiframeKeyVariable = "GATEWAY_API_KEY";

    /// <summary>The name of a vendor's <see cref="HttpClient"/> in the factory.</summary>
    internal static string HttpClientName(string vendorId) => HttpClientNamePrefix + SectionOf(vendorId);

    /// <summary>
    /// The client configuration of a vendor: key from options, else from the vendor's environment variable;
    /// base URL from options, else the catalog's.
    /// </summary>
    /// <exception cref="InvalidOperationException">The vendor's host is undocumented and no base URL is configured.</exception>
    internal static VendorClientConfiguration CreateClientConfiguration(IServiceProvider services, string vendorId)
    {
        var vendor = VideoModelCatalog.Default.GetVendor(vendorId);
        var options = services.GetRequiredService<IOptions<VideoGenOptions>>().Value.GetVendor(vendorId);
        if (options.BaseUrl is null && vendor.BaseUrlInferred)
        {
            throw new InvalidOperationException(
                $"{vendor.DisplayName}'s host is not documented ({vendor.BaseUrl} is a placeholder): set " +
                $"{VideoGenOptions.SectionName}:{SectionOf(vendorId)}:BaseUrl to the service's base URL.");
        }

        var apiKey = string.IsNullOrWhiteSpace(options.ApiKey)
            ? ApiKeyFromEnvironment(vendor)
            : options.ApiKey;
        return new VendorClientConfiguration(vendor.DisplayName)
        {
            ApiKey = string.IsNullOrWhiteSpace(apiKey) ? null : apiKey.Trim(),
            BaseUrl = options.BaseUrl ?? vendor.BaseUrl,

            // The factory's pipeline of these clients ends in TransportAuthorizationHandler (see AddCore).
            AuthorizeAtTransport = true,
        };
    }

    private static IHttpClientBuilder AddTypedVendor<TClient, TImplementation>(
        IServiceCollection services,
        string vendorId,
        Action<VideoGenVendorOptions>? configure,
        Func<VendorClientConfiguration, HttpClient, TImplementation> create,
        Func<TClient, ILoggerFactory?, IVideoGenerator> asGenerator)
        where TClient : class
        where TImplementation : class, TClient
    {
        if (!BeginVendor(services, vendorId, configure, out var name))
        {
            return services.AddHttpClient(name);
        }

        var builder = ConfigureHandler(services.AddHttpClient<TClient, TImplementation>(name, (http, sp) => create(CreateClientConfiguration(sp, vendorId), http)));
        services.AddKeyedTransient<TClient>(vendorId, (sp, _) => sp.GetRequiredService<TClient>());
        services.AddKeyedSingleton<IVideoGenerator>(vendorId, (sp, _) => WithProcessingTimes(sp, asGenerator(sp.GetRequiredKeyedService<TClient>(vendorId), sp.GetService<ILoggerFactory>())));
        return builder;
    }

    /// <summary>Adds the options and, for a vendor not yet registered, reports that it must be.</summary>
    private static bool BeginVendor(IServiceCollection services, string vendorId, Action<VideoGenVendorOptions>? configure, out string httpClientName)
    {
        ArgumentNullException.ThrowIfNull(services);
        AddCore(services);
        if (configure is not null)
        {
            services.Configure<VideoGenOptions>(o => configure(o.GetVendor(vendorId)));
        }

        httpClientName = HttpClientName(vendorId);
        if (services.Any(d => d.ServiceType == typeof(VendorRegistration) && d.ImplementationInstance is VendorRegistration r && r.VendorId == vendorId))
        {
            return false;
        }

        services.AddSingleton(new VendorRegistration(vendorId));
        return true;
    }

    private static IHttpClientBuilder ConfigureHandler(IHttpClientBuilder builder)
    {
        // The generators are singletons holding their typed client: connections are recycled by the
        // handler (DNS changes are seen) instead of by the factory rotating handlers under a captured client.
        builder
            .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);

        // The retry handler is outermost: handlers the user adds to the returned builder run on every try. It is
        // Microsoft.Extensions.Http.Resilience's handler (https://learn.microsoft.com/dotnet/core/resilience/http-resilience)
        // running VideoGen's retry (VideoGenRetry: reads retried, a create only when it provably never left). The
        // documentation advises one resilience handler per client; the library's RemoveAllResilienceHandlers()
        // (experimental, EXTEXP0001) takes this one out before a user adds their own.
        builder.AddResilienceHandler(VideoGenRetry.PipelineName, static (pipeline, context) =>
        {
            var services = context.ServiceProvider;
            pipeline.AddVideoGenRetry(
                services.GetRequiredService<IOptions<VideoGenOptions>>().Value.Resilience,
                services.GetService<ILoggerFactory>()?.CreateLogger<ResilienceHandler>() ?? (ILogger)Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance,
                onRetry: null);
        });
        return builder;
    }

    private static void AddCore(IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(VendorRegistration) && d.ImplementationInstance is VendorRegistration { VendorId: null }))
        {
            return;
        }

        services.AddSingleton(new VendorRegistration(null));

        // The key is written at the transport, so HttpClientFactory's logging and the caller's handlers never hold it.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHttpMessageHandlerBuilderFilter, TransportAuthorizationFilter>());
        services.AddOptions<VideoGenOptions>();

        // One history of observed processing times for every wait of the container (issue 17): the learned schedule.
        services.TryAddSingleton<IProcessingTimeHistory>(CreateProcessingTimeHistory);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<VideoGenOptions>, VideoGenOptionsValidator>());

        // Bind the application's VideoGen section when the application has a configuration (a host does).
        services.AddSingleton<IConfigureOptions<VideoGenOptions>>(sp => new ConfigureNamedOptions<VideoGenOptions>(
            Options.Options.DefaultName,
            options => sp.GetService<IConfiguration>()?.GetSection(VideoGenOptions.SectionName).Bind(options)));
    }

    private static IVideoGenerator CreateDefaultGenerator(IServiceProvider services)
    {
        var id = services.GetRequiredService<IOptions<VideoGenOptions>>().Value.DefaultVendor;
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new InvalidOperationException(
                $"No default video vendor is configured: set {VideoGenOptions.SectionName}:DefaultVendor (VideoGenOptions.DefaultVendor) " +
                $"to one of {string.Join(", ", VendorIds.All)}, or resolve a keyed IVideoGenerator by vendor id.");
        }

        // The options validator has already refused an unknown id.
        return services.GetRequiredKeyedService<IVideoGenerator>(VideoModelCatalog.Default.GetVendor(id).Id);
    }

    /// <summary>
    /// The container's processing-time history: in memory, seeded from the registered <see cref="IJobJournal"/> when it is an
    /// <see cref="IProcessingTimeSource"/> (the SQLite journal is), so a new process starts with what earlier ones saw.
    /// </summary>
    private static IProcessingTimeHistory CreateProcessingTimeHistory(IServiceProvider services)
    {
        var history = new InMemoryProcessingTimeHistory();
        if (services.GetService<IJobJournal>() is IProcessingTimeSource source)
        {
            // The SQLite journal's read completes synchronously (Microsoft.Data.Sqlite): this blocks on no I/O thread.
            source.LoadProcessingTimesAsync(history).GetAwaiter().GetResult();
        }

        return history;
    }

    /// <summary>Puts the container's history under a vendor's generator, where the waits over it find it.</summary>
    private static IVideoGenerator WithProcessingTimes(IServiceProvider services, IVideoGenerator generator) =>
        services.GetService<IProcessingTimeHistory>() is { } history ? new ProcessingTimesVideoGenerator(generator, history) : generator;

    /// <summary>Marks what is registered: the options (vendor <see langword="null"/>) and each vendor, so nothing is added twice.</summary>
    private sealed record VendorRegistration(string? VendorId);
}
