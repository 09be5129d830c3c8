namespace VideoGen;

/// <summary>
/// The vendor ids of the model catalog (<see cref="Catalog.VendorInfo.Id"/>): the names used in
/// configuration (<c>VideoGen:DefaultVendor</c>) and the keys of the keyed <see cref="IVideoGenerator"/>
/// services registered by <c>AddVideoGeneration</c>.
/// </summary>
public static class VendorIds
{
    /// <summary>Elumenta (<c>specs/elumenta.yaml</c>).</summary>
    public const string Elumenta = "elumenta";

    /// <summary>NeuralBox: the Elumenta contract on NeuralBox's host (<c>specs/elumenta.yaml</c>).</summary>
    public const string NeuralBox = "neuralbox";

    /// <summary>Apiframe v2 (<c>specs/apiframe.yaml</c>, https://docs-v2.apiframe.ai).</summary>
    public const string Apiframe = "apiframe";

    /// <summary>
    /// The former id of <see cref="Apiframe"/> (seed 001's "unified jobs gateway" named no vendor): accepted
    /// wherever a vendor id is read, and resolved to <see cref="Apiframe"/> by <see cref="Resolve"/>.
    /// </summary>
    public const string Gateway = "gateway";

    /// <summary>AIML API's Luma Dream Machine (<c>specs/aimlapi.yaml</c>).</summary>
    public const string AimlApi = "aimlapi";

    /// <summary>Oxen.ai's asynchronous generation queue (<c>specs/oxen.yaml</c>).</summary>
    public const string Oxen = "oxen";

    /// <summary>Every vendor id, in catalog order (the ids of <see cref="VendorDescriptors.All"/>).</summary>
    public static IReadOnlyList<string> All { get; } = VendorDescriptors.All.Select(d => d.Id).ToList();

    /// <summary>
    /// The canonical id of <paramref name="id"/>: the id of the catalog vendor it names (an alias such as
    /// <see cref="Gateway"/> gives its vendor's id), else <paramref name="id"/> itself.
    /// </summary>
    /// <param name="id">A vendor id or alias, in any case.</param>
    /// <returns>The canonical id.</returns>
    public static string Resolve(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Catalog.VideoModelCatalog.Default.FindVendor(id)?.Id ?? id;
    }
}
