namespace VideoGen.Sandbox;

/// <summary>
/// The vendor contracts the sandbox serves, by the vendor ids of <see cref="VideoGen.Catalog.VideoModelCatalog"/>.
/// Elumenta and NeuralBox publish one contract, so the sandbox serves it once, as <see cref="Elumenta"/>.
/// </summary>
public static class SandboxVendors
{
    /// <summary>Elumenta / NeuralBox (<c>specs/elumenta.yaml</c>), served under <c>/api/v2/generate</c>.</summary>
    public const string Elumenta = "elumenta";

    /// <summary>Apiframe v2 (<c>specs/apiframe.yaml</c>), served under <c>/v2/videos/generate</c> and <c>/v2/jobs</c>; also reached by its former id <c>gateway</c>.</summary>
    public const string Apiframe = "apiframe";

    /// <summary>AIML API's Luma Dream Machine (<c>specs/aimlapi.yaml</c>), served under <c>/v2/generate/video/luma-ai</c>.</summary>
    public const string AimlApi = "aimlapi";

    /// <summary>Oxen.ai (<c>specs/oxen.yaml</c>), served under <c>/api/ai</c>.</summary>
    public const string Oxen = "oxen";

    /// <summary>Every vendor id the sandbox serves.</summary>
    public static IReadOnlyList<string> All { get; } = [Elumenta, Apiframe, AimlApi, Oxen];

    /// <summary>
    /// Normalizes a vendor id: trims, lower-cases, resolves an alias (<c>gateway</c>) to its vendor, and maps a vendor to
    /// the contract the sandbox serves for it (<c>neuralbox</c> speaks Elumenta's contract, so it is <see cref="Elumenta"/>).
    /// </summary>
    /// <param name="vendor">The vendor id.</param>
    /// <returns>One of <see cref="All"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="vendor"/> is not a vendor the sandbox serves; the message lists them.</exception>
    public static string Normalize(string vendor)
    {
        ArgumentNullException.ThrowIfNull(vendor);
        return TryNormalize(vendor)
            ?? throw new ArgumentException($"Unknown sandbox vendor '{vendor}'; the sandbox serves: {string.Join(", ", All)} (and neuralbox, as elumenta).", nameof(vendor));
    }

    /// <summary>As <see cref="Normalize"/>, or <see langword="null"/> for a vendor the sandbox does not serve.</summary>
    /// <param name="vendor">The vendor id or alias.</param>
    /// <returns>One of <see cref="All"/>, or <see langword="null"/>.</returns>
    public static string? TryNormalize(string? vendor)
    {
        // The descriptors say which contract (spec) a vendor speaks; the sandbox serves each contract under the id of its first vendor.
        var contract = VideoGen.VendorDescriptors.Find(vendor)?.Capabilities.Spec;
        var id = VideoGen.VendorDescriptors.All.FirstOrDefault(d => d.Capabilities.Spec == contract)?.Id;
        return id is not null && All.Contains(id) ? id : null;
    }
}
