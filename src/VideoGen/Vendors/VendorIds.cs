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

    /// <summary>The unified <c>/v2/videos/generate</c> jobs gateway (<c>specs/gateway.yaml</c>).</summary>
    public const string Gateway = "gateway";

    /// <summary>AIML API's Luma Dream Machine (<c>specs/aimlapi.yaml</c>).</summary>
    public const string AimlApi = "aimlapi";

    /// <summary>Oxen.ai's asynchronous generation queue (<c>specs/oxen.yaml</c>).</summary>
    public const string Oxen = "oxen";

    /// <summary>Every vendor id, in catalog order.</summary>
    public static IReadOnlyList<string> All { get; } = [Elumenta, NeuralBox, Gateway, AimlApi, Oxen];
}
