using VideoGen.Catalog;
using VideoGen.Http;
using VideoGen.Validation;

namespace VideoGen.Cli;

/// <summary>
/// The one check of a request that validate, price, generate, extend and batch share: the vendor adapter's own check
/// before a send (<see cref="IVideoRequestCheck"/>: the catalog's rules and the mapping onto the vendor's contract), run
/// on an adapter that can send nothing. So what validate and price call valid, generate sends.
/// </summary>
internal static class RequestCheck
{
    /// <summary>Every failure of <paramref name="request"/> at <paramref name="vendor"/>; empty when generate would send it.</summary>
    public static IReadOnlyList<ValidationFailure> Check(VendorInfo vendor, VideoGenerationRequest request)
    {
        using var http = new HttpClient(new NothingLeavesHandler());
        var configuration = new VendorClientConfiguration(vendor.DisplayName) { ApiKey = "videogen-offline-check", BaseUrl = new Uri("http://offline.invalid/") };
        using var generator = VendorSession.CreateGenerator(vendor, configuration, http);
        var check = generator.GetService(typeof(IVideoRequestCheck)) as IVideoRequestCheck
            ?? throw new InvalidOperationException($"The {vendor.Id} adapter has no request check.");
        return check.Check(request);
    }

    /// <summary>Throws when generate would refuse <paramref name="request"/>.</summary>
    /// <exception cref="VideoGenValidationException">Every failure, at once.</exception>
    public static void EnsureValid(VendorInfo vendor, VideoGenerationRequest request)
    {
        var failures = Check(vendor, request);
        if (failures.Count > 0)
        {
            throw new VideoGenValidationException(vendor.DisplayName, failures);
        }
    }

    /// <summary>Nothing is sent by a check; a request reaching this handler is a bug, not a call to a vendor.</summary>
    private sealed class NothingLeavesHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("A request check must send nothing.");
    }
}
