using Microsoft.Extensions.Logging;
using VideoGen.Catalog;
using VideoGen.Http;

namespace VideoGen.Vendors;

/// <summary>
/// Everything the rest of VideoGen needs to know about one vendor, in one place: its id and aliases, display name,
/// options section, API key variables, capabilities (its catalog entry), how to build its typed client and how to
/// wrap that client as an <see cref="IVideoGenerator"/>. Dependency injection, options, validation, the CLI and the
/// sandbox's client-side wiring enumerate descriptors (<see cref="VendorDescriptors"/>) instead of switching on ids.
/// </summary>
/// <remarks>
/// Facts about what a vendor accepts are data (the catalog entry, <see cref="Capabilities"/>); the descriptor is
/// code only where code is needed (the client and adapter factories). A vendor outside the built-in set (a test
/// double, a private vendor) is registered with <c>services.AddVideoGenVendor(descriptor)</c>.
/// </remarks>
public sealed class VendorDescriptor
{
    private readonly Func<VendorClientConfiguration, HttpClient, object> _createClient;
    private readonly Func<object, ILoggerFactory?, IVideoGenerator> _createAdapter;

    private VendorDescriptor(
        VendorInfo capabilities,
        string optionsSection,
        Type clientType,
        Func<VendorClientConfiguration, HttpClient, object> createClient,
        Func<object, ILoggerFactory?, IVideoGenerator> createAdapter,
        bool followsRedirects)
    {
        Capabilities = capabilities;
        OptionsSection = optionsSection;
        ClientType = clientType;
        _createClient = createClient;
        _createAdapter = createAdapter;
        FollowsRedirects = followsRedirects;
    }

    /// <summary>The vendor id: the stable key of configuration, keyed services, journals and the CLI's <c>--vendor</c>.</summary>
    public string Id => Capabilities.Id;

    /// <summary>Other ids that name the vendor (<see cref="VendorInfo.Aliases"/>).</summary>
    public IReadOnlyList<string> Aliases => Capabilities.Aliases;

    /// <summary>The name shown to people (messages, <see cref="VideoJob.Vendor"/>); never a lookup key.</summary>
    public string DisplayName => Capabilities.DisplayName;

    /// <summary>The vendor's section under <c>VideoGen</c> in configuration (for example <c>Elumenta</c> for <c>VideoGen:Elumenta</c>).</summary>
    public string OptionsSection { get; }

    /// <summary>The environment variable the API key is read from (<see cref="VendorInfo.ApiKeyEnvironmentVariable"/>).</summary>
    public string ApiKeyEnvironmentVariable => Capabilities.ApiKeyEnvironmentVariable;

    /// <summary>What the vendor and its models accept, from the model catalog: the one statement validation, pricing and waiting read.</summary>
    public VendorInfo Capabilities { get; }

    /// <summary>The typed client interface (for example <c>IOxenClient</c>), as <see cref="IVideoGenerator.GetService"/> returns it.</summary>
    public Type ClientType { get; }

    /// <summary>
    /// Whether the vendor's <see cref="HttpClient"/> may follow redirects. <see langword="false"/> for a vendor whose key
    /// travels in a custom header (Apiframe's <c>X-API-Key</c>): .NET drops only <c>Authorization</c> on a redirect.
    /// </summary>
    public bool FollowsRedirects { get; }

    /// <summary>Creates a descriptor.</summary>
    /// <typeparam name="TClient">The typed client interface.</typeparam>
    /// <param name="capabilities">The vendor's catalog entry (id, aliases, display name, key variables, models, features).</param>
    /// <param name="optionsSection">The vendor's section under <c>VideoGen</c>.</param>
    /// <param name="createClient">Builds the typed client over a configuration and an <see cref="HttpClient"/>.</param>
    /// <param name="createAdapter">Wraps a typed client as the vendor's <see cref="IVideoGenerator"/>, for the vendor of <paramref name="capabilities"/>.</param>
    /// <param name="followsRedirects">See <see cref="FollowsRedirects"/>.</param>
    /// <returns>The descriptor.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="optionsSection"/> is empty.</exception>
    public static VendorDescriptor Create<TClient>(
        VendorInfo capabilities,
        string optionsSection,
        Func<VendorClientConfiguration, HttpClient, TClient> createClient,
        Func<TClient, VendorInfo, ILoggerFactory?, IVideoGenerator> createAdapter,
        bool followsRedirects = true)
        where TClient : class
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        ArgumentException.ThrowIfNullOrWhiteSpace(optionsSection);
        ArgumentNullException.ThrowIfNull(createClient);
        ArgumentNullException.ThrowIfNull(createAdapter);
        return new VendorDescriptor(
            capabilities,
            optionsSection,
            typeof(TClient),
            (configuration, http) => createClient(configuration, http),
            (client, logs) => createAdapter((TClient)client, capabilities, logs),
            followsRedirects);
    }

    /// <summary>Whether <paramref name="idOrAlias"/> names this vendor (<see cref="VendorInfo.IsNamed"/>).</summary>
    /// <param name="idOrAlias">A vendor id or alias, in any case.</param>
    /// <returns><see langword="true"/> when it does.</returns>
    public bool IsNamed(string? idOrAlias) => Capabilities.IsNamed(idOrAlias);

    /// <summary>Creates the vendor's typed client (an instance of <see cref="ClientType"/>).</summary>
    /// <param name="configuration">Vendor name, key and base URL.</param>
    /// <param name="httpClient">The HTTP client; not disposed by the typed client.</param>
    /// <returns>The typed client.</returns>
    public object CreateClient(VendorClientConfiguration configuration, HttpClient httpClient)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(httpClient);
        return _createClient(configuration, httpClient);
    }

    /// <summary>
    /// Wraps a typed client of this vendor as its <see cref="IVideoGenerator"/>: the vendor's adapter inside the default
    /// middleware (the per-call budget, <see cref="Telemetry.OpenTelemetryVideoGenerator"/>, <see cref="Logging.LoggingVideoGenerator"/>).
    /// </summary>
    /// <param name="client">An instance of <see cref="ClientType"/>.</param>
    /// <param name="loggerFactory">Where the generator logs; default: nowhere.</param>
    /// <returns>The generator.</returns>
    /// <exception cref="ArgumentException"><paramref name="client"/> is not a <see cref="ClientType"/>.</exception>
    public IVideoGenerator CreateGenerator(object client, ILoggerFactory? loggerFactory = null) =>
        VendorPipeline.Around(CreateAdapter(client, loggerFactory), loggerFactory);

    /// <summary>The vendor's adapter alone, without middleware (for pipelines that place the middleware themselves).</summary>
    internal IVideoGenerator CreateAdapter(object client, ILoggerFactory? loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (!ClientType.IsInstanceOfType(client))
        {
            throw new ArgumentException($"{DisplayName}'s generator wraps a {ClientType.Name}, not a {client.GetType().Name}.", nameof(client));
        }

        return _createAdapter(client, loggerFactory);
    }

    /// <summary>Creates the typed client and wraps it: the vendor's <see cref="IVideoGenerator"/> over <paramref name="httpClient"/>.</summary>
    /// <param name="configuration">Vendor name, key and base URL.</param>
    /// <param name="httpClient">The HTTP client.</param>
    /// <param name="loggerFactory">Where the generator logs; default: nowhere.</param>
    /// <returns>The generator.</returns>
    public IVideoGenerator CreateGenerator(VendorClientConfiguration configuration, HttpClient httpClient, ILoggerFactory? loggerFactory = null) =>
        CreateGenerator(CreateClient(configuration, httpClient), loggerFactory);

    /// <summary>
    /// The variable the API key is read from in <paramref name="environment"/>: <see cref="ApiKeyEnvironmentVariable"/>,
    /// else the first of <see cref="VendorInfo.FormerApiKeyEnvironmentVariables"/> that is set, else <see cref="ApiKeyEnvironmentVariable"/>.
    /// </summary>
    /// <param name="environment">Reads a variable; null or empty means unset.</param>
    /// <returns>The variable's name (for messages; never its value).</returns>
    public string ApiKeyVariableIn(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        foreach (var name in KeyVariables())
        {
            if (!string.IsNullOrEmpty(environment(name)))
            {
                return name;
            }
        }

        return ApiKeyEnvironmentVariable;
    }

    /// <summary>The API key from <paramref name="environment"/>, read from the variable <see cref="ApiKeyVariableIn"/> names; null when none is set.</summary>
    /// <param name="environment">Reads a variable; null or empty means unset.</param>
    /// <returns>The key as set (not trimmed), or <see langword="null"/>.</returns>
    public string? ApiKeyIn(Func<string, string?> environment) =>
        environment(ApiKeyVariableIn(environment)) is { Length: > 0 } key ? key : null;

    /// <inheritdoc />
    public override string ToString() => Id;

    private IEnumerable<string> KeyVariables() => Capabilities.FormerApiKeyEnvironmentVariables.Prepend(ApiKeyEnvironmentVariable);
}
