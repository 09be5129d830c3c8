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
using VideoGen.Resilience;
using VideoGen.Vendors;
using VideoGen.Waiting;

// CUSTOM: the one file whose namespace is not its folder's. IServiceCollection extension methods go in
// Microsoft.Extensions.DependencyInjection, so AddVideoGeneration and AddVideoGenerator are found without a using, as Microsoft's guidance
// for library authors says (https://learn.microsoft.com/dotnet/core/extensions/dependency-injection-usage,
// https://learn.microsoft.com/dotnet/core/extensions/options-library-authors). NamespaceFolderTests allows it.
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
    /// <summary>
    /// Registers every vendor as <see cref="VideoGenServiceCollectionExtensions.AddVideoGeneration(IServiceCollection, Action{VideoGenOptions})"/>
    /// does, and returns the builder of <paramref name="vendorId"/>'s generator: the keyed <see cref="IVideoGenerator"/>
    /// of that vendor (and the unkeyed one, when it is <see cref="VideoGenOptions.DefaultVendor"/>) is then the adapter
    /// wrapped in the middleware added to the builder.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="vendorId">The vendor's id or alias (<see cref="VendorIds"/>).</param>
    /// <param name="configure">Sets options in code, after configuration binding.</param>
    /// <returns>The builder of the vendor's generator.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="vendorId"/> is not a vendor of the catalog.</exception>
    public static VideoGenerationBuilder AddVideoGenerator(this IServiceCollection services, string vendorId, Action<VideoGenOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(vendorId);
        var vendor = VideoModelCatalog.Default.FindVendor(vendorId)
            ?? throw new ArgumentException($"'{vendorId}' is not a vendor id; the vendors are {string.Join(", ", VendorIds.All)}.", nameof(vendorId));
        services.AddVideoGeneration(configure);

        // The vendor's own registration stays; the one added last for the key wins. It is built from the descriptor the
        // vendor was registered with, so the builder decides where the default middleware goes.
        var descriptor = services.Select(d => d.ImplementationInstance).OfType<VendorRegistration>()
            .LastOrDefault(r => r.Vendor?.Id == vendor.Id)?.Vendor
            ?? throw new InvalidOperationException($"{vendor.DisplayName} is not registered.");
        var builder = new VideoGenerationBuilder(services, vendor);
        services.AddKeyedSingleton<IVideoGenerator>(vendor.Id, (sp, _) => builder.Build(descriptor, sp));
        return builder;
    }

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

        foreach (var vendor in VendorDescriptors.All)
        {
            services.AddVideoGenVendor(vendor);
        }

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
        services.AddVideoGenVendor(ElumentaVendor.Elumenta, configure);

    /// <summary>
    /// Registers the NeuralBox client: an <see cref="IElumentaClient"/> (same contract) keyed <c>neuralbox</c>, on
    /// NeuralBox's host, and its keyed <see cref="IVideoGenerator"/>. The unkeyed <see cref="IElumentaClient"/> stays Elumenta's.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets NeuralBox's options (<c>VideoGen:NeuralBox</c>) in code.</param>
    /// <returns>The builder of NeuralBox's <see cref="HttpClient"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IHttpClientBuilder AddNeuralBoxClient(this IServiceCollection services, Action<VideoGenVendorOptions>? configure = null) =>
        services.AddVideoGenVendor(ElumentaVendor.NeuralBox, configure);

    /// <summary>
    /// Registers the Apiframe client (<see cref="IApiframeClient"/>, also keyed <c>apiframe</c> and by its former id
    /// <c>gateway</c>) and its keyed <see cref="IVideoGenerator"/> (under both keys, the same instance).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets Apiframe's options (<c>VideoGen:Apiframe</c>) in code.</param>
    /// <returns>The builder of Apiframe's <see cref="HttpClient"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IHttpClientBuilder AddApiframeClient(this IServiceCollection services, Action<VideoGenVendorOptions>? configure = null) =>
        services.AddVideoGenVendor(ApiframeVendor.Descriptor, configure);

    /// <summary>Registers the AIML API client (<see cref="IAimlApiClient"/>, also keyed <c>aimlapi</c>) and its keyed <see cref="IVideoGenerator"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets AIML API's options (<c>VideoGen:AimlApi</c>) in code.</param>
    /// <returns>The builder of AIML API's <see cref="HttpClient"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IHttpClientBuilder AddAimlApiClient(this IServiceCollection services, Action<VideoGenVendorOptions>? configure = null) =>
        services.AddVideoGenVendor(AimlApiVendor.Descriptor, configure);

    /// <summary>Registers the Oxen.ai client (<see cref="IOxenClient"/>, also keyed <c>oxen</c>) and its keyed <see cref="IVideoGenerator"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets Oxen.ai's options (<c>VideoGen:Oxen</c>) in code.</param>
    /// <returns>The builder of Oxen.ai's <see cref="HttpClient"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IHttpClientBuilder AddOxenClient(this IServiceCollection services, Action<VideoGenVendorOptions>? configure = null) =>
        services.AddVideoGenVendor(OxenVendor.Descriptor, configure);

    /// <summary>
    /// Registers one vendor from its descriptor: its typed client (<see cref="VendorDescriptor.ClientType"/>, keyed by
    /// the vendor id and each alias; unkeyed too for the first built-in vendor of that client type) over a named
    /// <see cref="HttpClient"/> of the factory, and its keyed <see cref="IVideoGenerator"/> (one instance under the id and
    /// every alias). Options come from <c>VideoGen:&lt;OptionsSection&gt;</c> and the key, when not set there, from the
    /// vendor's environment variable. Calling it again for the same vendor adds nothing twice.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="vendor">The vendor: a built-in one (<see cref="VendorDescriptors"/>) or your own.</param>
    /// <param name="configure">Sets the vendor's options in code.</param>
    /// <returns>The builder of the vendor's <see cref="HttpClient"/>, to add handlers (retries, logging, a test handler).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="vendor"/> is null.</exception>
    public static IHttpClientBuilder AddVideoGenVendor(this IServiceCollection services, VendorDescriptor vendor, Action<VideoGenVendorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(vendor);
        if (!BeginVendor(services, vendor, configure, out var name))
        {
            return services.AddHttpClient(name);
        }

        var builder = ConfigureHandler(services.AddHttpClient(name), vendor.FollowsRedirects);
        var clientType = vendor.ClientType;
        services.AddKeyedTransient(clientType, vendor.Id, (sp, _) =>
            vendor.CreateClient(CreateClientConfiguration(sp, vendor), sp.GetRequiredService<IHttpClientFactory>().CreateClient(name)));

        // CUSTOM: Elumenta and NeuralBox share IElumentaClient: the unkeyed one stays the first vendor's of that contract.
        if (VendorDescriptors.All.FirstOrDefault(d => d.ClientType == clientType) is not { } first || first == vendor)
        {
            services.TryAddTransient(clientType, sp => sp.GetRequiredKeyedService(clientType, vendor.Id));
        }

        services.AddKeyedSingleton<IVideoGenerator>(vendor.Id, (sp, _) =>
            WithProcessingTimes(sp, vendor.CreateGenerator(sp.GetRequiredKeyedService(clientType, vendor.Id), sp.GetService<ILoggerFactory>())));

        // CUSTOM: an alias (Apiframe's former id 'gateway') resolves to the same services, so code keyed on it keeps working.
        foreach (var alias in vendor.Aliases)
        {
            services.TryAddKeyedTransient(clientType, alias, (sp, _) => sp.GetRequiredKeyedService(clientType, vendor.Id));
            services.TryAddKeyedSingleton<IVideoGenerator>(alias, (sp, _) => sp.GetRequiredKeyedService<IVideoGenerator>(vendor.Id));
        }

        return builder;
    }

    /// <summary>The configuration section name of a vendor under <c>VideoGen</c> (<see cref="VendorDescriptor.OptionsSection"/>).</summary>
    internal static string SectionOf(string vendorId) => VendorDescriptors.Find(vendorId)?.OptionsSection ?? vendorId;

    /// <summary>The name of a vendor's <see cref="HttpClient"/> in the factory.</summary>
    internal static string HttpClientName(VendorDescriptor vendor) => HttpClientNamePrefix + vendor.OptionsSection;

    /// <summary>
    /// The client configuration of a vendor: key from options, else from the vendor's environment variable (or a
    /// former one, <see cref="VendorInfo.FormerApiKeyEnvironmentVariables"/>); base URL from options, else the catalog's.
    /// </summary>
    /// <exception cref="InvalidOperationException">The vendor's host is undocumented and no base URL is configured.</exception>
    internal static VendorClientConfiguration CreateClientConfiguration(IServiceProvider services, VendorDescriptor descriptor)
    {
        var vendor = descriptor.Capabilities;
        var options = services.GetRequiredService<IOptions<VideoGenOptions>>().Value.GetOrAddVendor(descriptor);
        if (options.BaseUrl is null && vendor.BaseUrlInferred)
        {
            throw new InvalidOperationException(
                $"{vendor.DisplayName}'s host is not documented ({vendor.BaseUrl} is a placeholder): set " +
                $"{VideoGenOptions.SectionName}:{descriptor.OptionsSection}:BaseUrl to the service's base URL.");
        }

        var apiKey = string.IsNullOrWhiteSpace(options.ApiKey)
            ? descriptor.ApiKeyIn(Environment.GetEnvironmentVariable)
            : options.ApiKey;
        return new VendorClientConfiguration(vendor.DisplayName)
        {
            ApiKey = string.IsNullOrWhiteSpace(apiKey) ? null : apiKey.Trim(),
            BaseUrl = options.BaseUrl ?? vendor.BaseUrl,

            // The factory's pipeline of these clients ends in TransportAuthorizationHandler (see AddCore).
            AuthorizeAtTransport = true,
        };
    }

    /// <summary>Adds the options and, for a vendor not yet registered, reports that it must be.</summary>
    private static bool BeginVendor(IServiceCollection services, VendorDescriptor vendor, Action<VideoGenVendorOptions>? configure, out string httpClientName)
    {
        AddCore(services);
        if (configure is not null)
        {
            services.Configure<VideoGenOptions>(o => configure(o.GetOrAddVendor(vendor)));
        }

        httpClientName = HttpClientName(vendor);
        if (services.Any(d => d.ServiceType == typeof(VendorRegistration) && d.ImplementationInstance is VendorRegistration r && r.Vendor?.Id == vendor.Id))
        {
            return false;
        }

        services.AddSingleton(new VendorRegistration(vendor));
        if (VendorDescriptors.Find(vendor.Id) is null)
        {
            // A vendor that is not built in has no VideoGenOptions property: bind its section of the application's configuration by name.
            services.AddSingleton<IConfigureOptions<VideoGenOptions>>(sp => new ConfigureNamedOptions<VideoGenOptions>(
                Options.Options.DefaultName,
                options =>
                {
                    var vendorOptions = options.GetOrAddVendor(vendor);
                    sp.GetService<IConfiguration>()?.GetSection(VideoGenOptions.SectionName).GetSection(vendor.OptionsSection).Bind(vendorOptions);
                }));
        }

        return true;
    }

    private static IHttpClientBuilder ConfigureHandler(IHttpClientBuilder builder, bool followsRedirects)
    {
        // The generators are singletons holding their typed client: connections are recycled by the
        // handler (DNS changes are seen) instead of by the factory rotating handlers under a captured client.
        builder
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2), AllowAutoRedirect = followsRedirects })
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
        if (services.Any(d => d.ServiceType == typeof(VendorRegistration) && d.ImplementationInstance is VendorRegistration { Vendor: null }))
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

        // The options validator has already refused an unknown id; an alias is a key too.
        return services.GetRequiredKeyedService<IVideoGenerator>(VendorDescriptors.Find(id)?.Id ?? id.Trim());
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
    internal static IVideoGenerator WithProcessingTimes(IServiceProvider services, IVideoGenerator generator) =>
        services.GetService<IProcessingTimeHistory>() is { } history ? new ProcessingTimesVideoGenerator(generator, history) : generator;

    /// <summary>Marks what is registered: the options (vendor <see langword="null"/>) and each vendor, so nothing is added twice.</summary>
    internal sealed record VendorRegistration(VendorDescriptor? Vendor);
}
