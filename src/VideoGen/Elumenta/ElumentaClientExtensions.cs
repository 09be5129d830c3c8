using Microsoft.Extensions.Logging;

namespace VideoGen.Elumenta;

/// <summary>Turns an <see cref="IElumentaClient"/> into the vendor-neutral <see cref="IVideoGenerator"/>.</summary>
public static class ElumentaClientExtensions
{
    /// <summary>
    /// Wraps <paramref name="client"/> as an <see cref="IVideoGenerator"/> for Elumenta or NeuralBox (one
    /// contract, two hosts). Requests are validated against the vendor's catalog entry before anything is sent.
    /// </summary>
    /// <param name="client">The typed client. The generator does not dispose it.</param>
    /// <param name="vendorId">
    /// <see cref="VendorIds.Elumenta"/> or <see cref="VendorIds.NeuralBox"/>: whose models, prices and name
    /// the generator uses. The client must point at that vendor's host. Default: the vendor the client was
    /// configured for (<see cref="Http.VendorClientConfiguration.Vendor"/> <c>NeuralBox</c> or <c>neuralbox</c>
    /// means NeuralBox), else Elumenta.
    /// </param>
    /// <param name="loggerFactory">
    /// Where the generator logs (submissions, reads, failures; see <c>VideoGen.Logging</c> for the levels); the
    /// <see cref="Waiting.VideoJobOperation"/>s and <see cref="Waiting.VideoJobMonitor"/>s waiting on its jobs log
    /// through it too. API keys are never logged; prompts only at Debug, cut short. Default: no logging.
    /// </param>
    /// <returns>The generator.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="vendorId"/> is neither <c>elumenta</c> nor <c>neuralbox</c>.</exception>
    public static IVideoGenerator AsVideoGenerator(this IElumentaClient client, string? vendorId = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        return Vendors.VendorPipeline.Around(new ElumentaVideoGenerator(client, ElumentaVideoGenerator.ResolveVendor(client, vendorId), loggerFactory), loggerFactory);
    }
}
