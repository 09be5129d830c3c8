using Microsoft.Extensions.Logging;
using VideoGen.Catalog;
using VideoGen.Logging;
using VideoGen.Telemetry;

namespace VideoGen.Vendors;

/// <summary>
/// The middleware every ready-made generator has around its vendor adapter (<c>AsVideoGenerator()</c>,
/// <see cref="VendorDescriptor.CreateGenerator(object, ILoggerFactory?)"/>, <c>AddVideoGeneration</c>, the CLI), the
/// first outermost: the per-call budget (<see cref="BudgetVideoGenerator"/> without limits, for
/// <see cref="VideoGenerationOptions.MaxCost"/>), the submit span and counters (<see cref="OpenTelemetryVideoGenerator"/>),
/// and the logs (<see cref="LoggingVideoGenerator"/>, when there is a logger factory). Logging is inside the span so
/// its records carry the span's trace.
/// </summary>
internal static class VendorPipeline
{
    public static IVideoGenerator Around(IVideoGenerator adapter, ILoggerFactory? loggerFactory, bool logging = true, bool telemetry = true, bool budget = true)
    {
        var generator = logging ? LoggingMiddleware.Wrap(adapter, loggerFactory) : adapter;
        generator = telemetry ? new OpenTelemetryVideoGenerator(generator) : generator;
        return budget && adapter.GetService(typeof(VendorInfo)) is VendorInfo vendor ? new BudgetVideoGenerator(generator, vendor) : generator;
    }
}
