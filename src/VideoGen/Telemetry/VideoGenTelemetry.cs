using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace VideoGen.Telemetry;

/// <summary>
/// VideoGen's traces and metrics, both named <c>VideoGen</c>: a span per submit, poll and download
/// (tagged with vendor, model and job id — never a key), and counters for polls, retries, failures
/// and cost. Subscribe with OpenTelemetry (<c>AddSource("VideoGen")</c>, <c>AddMeter("VideoGen")</c>)
/// or any <see cref="ActivityListener"/>/<see cref="MeterListener"/>.
/// </summary>
public static class VideoGenTelemetry
{
    /// <summary>The name of the activity source and the meter.</summary>
    public const string Name = "VideoGen";

    /// <summary>The activity source of VideoGen's spans.</summary>
    public static readonly ActivitySource ActivitySource = new(Name, typeof(VideoGenTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>The meter of VideoGen's counters.</summary>
    public static readonly Meter Meter = new(Name, typeof(VideoGenTelemetry).Assembly.GetName().Version?.ToString());

    internal static readonly Counter<long> Submissions = Meter.CreateCounter<long>("videogen.submissions", description: "Jobs submitted.");
    internal static readonly Counter<long> Polls = Meter.CreateCounter<long>("videogen.polls", description: "Status requests made while waiting for jobs.");
    internal static readonly Counter<long> Retries = Meter.CreateCounter<long>("videogen.retries", description: "HTTP requests retried.");
    internal static readonly Counter<long> Failures = Meter.CreateCounter<long>("videogen.failures", description: "Requests or jobs that failed.");
    internal static readonly Counter<double> Cost = Meter.CreateCounter<double>("videogen.cost", description: "Cost reported by vendors, in each vendor's unit (tag: unit).");
    internal static readonly Histogram<double> ProcessingTime = Meter.CreateHistogram<double>("videogen.job.processing_time", unit: "s", description: "Finished jobs' time from submission to completion (tags: vendor, model, status).");
    internal static readonly Counter<long> DownloadedBytes = Meter.CreateCounter<long>("videogen.download.bytes", unit: "By", description: "Bytes of results downloaded.");

    /// <summary>Starts a span with VideoGen's standard tags.</summary>
    internal static Activity? Start(string operation, string? vendor, string? model = null, string? jobId = null)
    {
        var activity = ActivitySource.StartActivity("videogen." + operation, ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag("videogen.vendor", vendor);
            activity.SetTag("videogen.model", model);
            activity.SetTag("videogen.job_id", jobId);
        }

        return activity;
    }

    /// <summary>Marks a span failed with the exception's type (its message may hold vendor text, never a key).</summary>
    internal static void Fail(Activity? activity, Exception exception, string? vendor)
    {
        Failures.Add(1, new KeyValuePair<string, object?>("videogen.vendor", vendor), new KeyValuePair<string, object?>("error.type", exception.GetType().Name));
        activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
        activity?.SetTag("error.type", exception.GetType().Name);
    }

    internal static KeyValuePair<string, object?> VendorTag(string? vendor) => new("videogen.vendor", vendor);
}
