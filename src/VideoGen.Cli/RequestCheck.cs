using System.CommandLine;
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

    /// <summary>
    /// The vendor and request of a command line (validate, price, generate, extend), checked the one way they share:
    /// every failure at once before anything is sent, then each warning printed to stderr.
    /// </summary>
    /// <param name="build">Builds the request for the vendor; default: the request options as given.</param>
    /// <exception cref="CliUsageException">An unknown vendor or an unusable option value.</exception>
    /// <exception cref="VideoGenValidationException">Every failure, at once.</exception>
    public static (VendorInfo Vendor, VideoGenerationRequest Request, IReadOnlyList<ValidationWarning> Warnings) Read(
        CliContext context, RequestOptions options, ParseResult result, Func<VendorInfo, VideoGenerationRequest>? build = null)
    {
        var vendor = options.ResolveVendor(result);
        var request = build is null ? options.ToRequest(result) : build(vendor);
        EnsureValid(vendor, request);
        return (vendor, request, Warn(context, vendor, request));
    }

    /// <summary>Throws when any line of a batch would be refused: one bad line stops the batch with all problems listed.</summary>
    /// <exception cref="VideoGenValidationException">Every failure of every line, each named by its line.</exception>
    public static void EnsureValid(IEnumerable<BatchCommand.BatchLine> lines)
    {
        var problems = new List<ValidationFailure>();
        foreach (var line in lines)
        {
            problems.AddRange(Check(line.Vendor, line.Request).Select(f => f with { Field = $"line {line.Number}: {Messages.LineKey(f.Field)}" }));
        }

        if (problems.Count > 0)
        {
            throw new VideoGenValidationException(vendor: null, problems);
        }
    }

    /// <summary>Prints each validation warning to stderr (they never change the exit code) and returns them.</summary>
    public static IReadOnlyList<ValidationWarning> Warn(CliContext context, VendorInfo vendor, VideoGenerationRequest request)
    {
        var warnings = VideoRequestValidation.Warnings(vendor, request);
        foreach (var warning in warnings)
        {
            context.Error.WriteLine($"warning: {vendor.DisplayName} {warning}");
        }

        return warnings;
    }

    /// <summary>Nothing is sent by a check; a request reaching this handler is a bug, not a call to a vendor.</summary>
    private sealed class NothingLeavesHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("A request check must send nothing.");
    }
}
