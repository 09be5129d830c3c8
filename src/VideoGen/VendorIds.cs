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
    /// The canonical id of <paramref name="id"/>: the id of the vendor it names (an alias such as
    /// <see cref="Gateway"/> or a built-in vendor's display name gives its vendor's id), else <paramref name="id"/> itself.
    /// </summary>
    /// <param name="id">A vendor id or alias, in any case.</param>
    /// <returns>The canonical id.</returns>
    public static string Resolve(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Find(id) ?? Catalog.VideoModelCatalog.Default.FindVendor(id)?.Id ?? id;
    }

    /// <summary>
    /// The id of the built-in vendor (<see cref="VendorDescriptors.All"/>) that <paramref name="name"/> names by
    /// its id, an alias or its display name (case-insensitive), or <see langword="null"/>. A tolerant reader of stored
    /// values: jobs and journal rows written before <see cref="VideoJob.VendorId"/> hold a display name (<c>AIML API</c>).
    /// </summary>
    /// <param name="name">A vendor id, alias or display name.</param>
    /// <returns>The vendor's id, or <see langword="null"/>.</returns>
    internal static string? Find(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var trimmed = name.Trim();
        return (VendorDescriptors.Find(trimmed)
            ?? VendorDescriptors.All.FirstOrDefault(d => string.Equals(d.DisplayName, trimmed, StringComparison.OrdinalIgnoreCase)))?.Id;
    }

    /// <summary>
    /// The stable id of <paramref name="job"/>'s vendor: <see cref="VideoJob.VendorId"/>, else the built-in vendor that
    /// <see cref="VideoJob.Vendor"/> names (<see cref="Find"/>), else <see langword="null"/>.
    /// </summary>
    /// <param name="job">A job, possibly read from storage written before <see cref="VideoJob.VendorId"/> existed.</param>
    /// <returns>The vendor's id, or <see langword="null"/>.</returns>
    internal static string? Of(VideoJob job) => job.VendorId ?? Find(job.Vendor);
}
