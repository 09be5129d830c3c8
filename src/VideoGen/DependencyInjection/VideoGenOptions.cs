using System.Diagnostics;
using VideoGen.Catalog;

namespace VideoGen.DependencyInjection;

/// <summary>
/// Options of <c>AddVideoGeneration</c>: the default vendor and, per vendor, the API key and base URL.
/// Bound from the <see cref="SectionName"/> configuration section, for example
/// <c>VideoGen:DefaultVendor</c>, <c>VideoGen:Elumenta:ApiKey</c>, <c>VideoGen:Apiframe:BaseUrl</c>.
/// </summary>
/// <remarks>Validated once, when first read: an unknown default vendor or a base URL that is not an absolute http(s) URL fails with every problem listed.</remarks>
public sealed class VideoGenOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    /// <value><c>VideoGen</c>.</value>
    public const string SectionName = "VideoGen";

    /// <summary>
    /// The vendor id (<see cref="VendorIds"/>, case-insensitive) of the unkeyed <see cref="IVideoGenerator"/>.
    /// Every vendor is also registered as a keyed <see cref="IVideoGenerator"/> under its id.
    /// </summary>
    /// <value>None: resolving the unkeyed <see cref="IVideoGenerator"/> fails with a message saying what to set.</value>
    public string? DefaultVendor { get; set; }

    /// <summary>Elumenta (section <c>VideoGen:Elumenta</c>; key fallback <c>ELUMENTA_API_KEY</c>).</summary>
    public VideoGenVendorOptions Elumenta { get => GetVendor(VendorIds.Elumenta); set => Set(VendorIds.Elumenta, value); }

    /// <summary>NeuralBox (section <c>VideoGen:NeuralBox</c>; key fallback <c>NEURALBOX_API_KEY</c>).</summary>
    public VideoGenVendorOptions NeuralBox { get => GetVendor(VendorIds.NeuralBox); set => Set(VendorIds.NeuralBox, value); }

    /// <summary>
    /// Apiframe (section <c>VideoGen:Apiframe</c>, or its former name <c>VideoGen:Gateway</c>; key fallback
    /// <c>APIFRAME_API_KEY</c>, then <c>GATEWAY_API_KEY</c>). Host: <c>https://api.apiframe.ai</c>.
    /// </summary>
    public VideoGenVendorOptions Apiframe { get => GetVendor(VendorIds.Apiframe); set => Set(VendorIds.Apiframe, value); }

    /// <summary>The former name of <see cref="Apiframe"/>: the same options object, so the section <c>VideoGen:Gateway</c> still binds.</summary>
    // CUSTOM: an alias, not a second vendor: configuration written for the 'gateway' id keeps working.
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public VideoGenVendorOptions Gateway
    {
        get => Apiframe;
        set => Apiframe = value;
    }

    /// <summary>AIML API (section <c>VideoGen:AimlApi</c>; key fallback <c>AIMLAPI_API_KEY</c>).</summary>
    public VideoGenVendorOptions AimlApi { get => GetVendor(VendorIds.AimlApi); set => Set(VendorIds.AimlApi, value); }

    /// <summary>Oxen.ai (section <c>VideoGen:Oxen</c>; key fallback <c>OXEN_API_KEY</c>).</summary>
    public VideoGenVendorOptions Oxen { get => GetVendor(VendorIds.Oxen); set => Set(VendorIds.Oxen, value); }

    /// <summary>How every vendor client retries (section <c>VideoGen:Resilience</c>): reads on 408, 429, 5xx and transport errors; a create request never twice.</summary>
    /// <value>The <see cref="Resilience.ResilienceOptions"/> defaults: 3 retries, 0.8 s base, exponential with jitter, 1 minute cap.</value>
    public VideoGen.Resilience.ResilienceOptions Resilience { get; set; } = new();

    /// <summary>The options of one vendor.</summary>
    /// <param name="vendorId">A vendor id or alias (case-insensitive): a built-in vendor (<see cref="VendorIds"/>) or one registered with <c>AddVideoGenVendor</c>.</param>
    /// <returns>That vendor's options.</returns>
    /// <exception cref="ArgumentException">No vendor has that id; the message lists the known ones.</exception>
    public VideoGenVendorOptions GetVendor(string vendorId)
    {
        var id = FindId(vendorId) ?? throw new ArgumentException($"Unknown vendor '{vendorId}'; known vendors: {string.Join(", ", KnownIds)}.", nameof(vendorId));
        if (!_vendors.TryGetValue(id, out var options))
        {
            options = _vendors[id] = new VideoGenVendorOptions();
        }

        return options;
    }

    /// <summary>The options of a vendor that is not built in (registered with <c>AddVideoGenVendor</c>), created on first use.</summary>
    internal VideoGenVendorOptions GetOrAddVendor(Vendors.VendorDescriptor vendor)
    {
        if (VendorDescriptors.Find(vendor.Id) is null && !_registered.Contains(vendor))
        {
            _registered.Add(vendor);
        }

        return GetVendor(vendor.Id);
    }

    /// <summary>The id of the vendor named by <paramref name="idOrAlias"/> (built in or registered), or <see langword="null"/>.</summary>
    internal string? FindId(string? idOrAlias) =>
        (VendorDescriptors.Find(idOrAlias) ?? _registered.FirstOrDefault(d => d.IsNamed(idOrAlias?.Trim())))?.Id;

    /// <summary>Every vendor id with options: the built-in vendors, then the registered ones.</summary>
    internal IEnumerable<string> KnownIds => VendorIds.All.Concat(_registered.Select(d => d.Id)).ToList();

    // Keyed by vendor id (case-insensitive): the typed properties and GetVendor read one store, so a vendor is one entry, not one property per switch.
    private readonly Dictionary<string, VideoGenVendorOptions> _vendors = new(StringComparer.OrdinalIgnoreCase);

    // Vendors that are not built in, registered with AddVideoGenVendor: their ids and aliases are known here too.
    private readonly List<Vendors.VendorDescriptor> _registered = [];

    private void Set(string vendorId, VideoGenVendorOptions value) => _vendors[vendorId] = value;

    /// <summary>The options as text; API keys show only as set or not set.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        $"DefaultVendor={DefaultVendor ?? "(none)"}; " +
        string.Join("; ", KnownIds.Select(id => $"{VendorDescriptors.Find(id)?.DisplayName ?? id}: {GetVendor(id)}"));
}

/// <summary>The connection options of one vendor.</summary>
[DebuggerDisplay("{ToString(),nq}")]
public sealed class VideoGenVendorOptions
{
    /// <summary>The API key, sent as <c>Authorization: Bearer</c>. Never logged and never shown by <see cref="ToString"/>.</summary>
    /// <value>None: the key is read from the vendor's environment variable (<see cref="VendorInfo.ApiKeyEnvironmentVariable"/>); without one, requests go out unauthenticated.</value>
    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    public string? ApiKey { get; set; }

    /// <summary>A base URL that replaces the vendor's (a sandbox, a proxy); absolute http or https.</summary>
    /// <value>None: the vendor's base URL from the catalog (<see cref="VendorInfo.BaseUrl"/>).</value>
    public Uri? BaseUrl { get; set; }

    /// <summary>The base URL and whether a key is set; never the key.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        $"BaseUrl={BaseUrl?.ToString() ?? "(catalog)"}, ApiKey={(string.IsNullOrEmpty(ApiKey) ? "(not set)" : "(set)")}";
}
