using VideoGen.Catalog;

namespace VideoGen.Waiting;

/// <summary>
/// When to poll a job: not before the model's earliest plausible finish, every
/// <see cref="WaitOptions.PollInterval"/> through its likely window, then exponential backoff with
/// jitter up to <see cref="WaitOptions.MaxPollInterval"/>.
/// </summary>
internal sealed class PollSchedule
{
    /// <summary>The window used when the catalog does not know the model: 0–180 s (seed 000's "20–180 seconds", widened).</summary>
    internal static readonly ProcessingTime UnknownModel = new(TimeSpan.Zero, TimeSpan.FromSeconds(180), Inferred: true, "no catalog entry");

    private readonly WaitOptions _options;
    private int _backoffSteps;
    private bool _first = true;

    /// <summary>A point estimate ("about 60 s") is read as a likely window up to 50% longer.</summary>
    internal const double PointEstimateSpread = 0.5;

    public PollSchedule(ProcessingTime window, WaitOptions options)
    {
        _options = options;
        var min = window.Min * options.ProcessingTimeScale;
        var max = window.Max * options.ProcessingTimeScale;
        var likelyEnd = TimeSpan.FromTicks(Math.Max(max.Ticks, (long)(min.Ticks * (1 + PointEstimateSpread))));
        Window = window with { Min = min, Max = likelyEnd };
    }

    /// <summary>
    /// Resumes a schedule saved between polls (a scheduled-job engine such as VideoGen.Hangfire rebuilds it before each
    /// poll): past its first poll, <paramref name="backoffSteps"/> steps into the backoff.
    /// </summary>
    internal PollSchedule(ProcessingTime window, WaitOptions options, int backoffSteps)
        : this(window, options)
    {
        _first = false;
        _backoffSteps = backoffSteps;
    }

    /// <summary>How many polls past the likely window so far (what a resumed schedule needs).</summary>
    internal int BackoffSteps => _backoffSteps;

    /// <summary>The window of tight polling: the catalog's range, widened where it is a point estimate.</summary>
    public ProcessingTime Window { get; }

    /// <summary>Finds the model's processing window in the catalog by vendor (id or display name) and model id.</summary>
    public static ProcessingTime WindowFor(string? vendor, string? model, VideoModelCatalog? catalog = null)
    {
        catalog ??= VideoModelCatalog.Default;
        var info = catalog.FindVendor(vendor)
            ?? catalog.Vendors.FirstOrDefault(v => string.Equals(v.DisplayName, vendor, StringComparison.OrdinalIgnoreCase));
        var modelInfo = info?.FindModel(model ?? info.DefaultModel);
        return modelInfo?.ProcessingTime ?? UnknownModel;
    }

    /// <summary>The delay before the next poll, given the time since the job was submitted.</summary>
    public TimeSpan NextDelay(TimeSpan elapsed)
    {
        if (_first)
        {
            // A job first looked at after its earliest finish (resumed, or tracked late) is read at once.
            _first = false;
            if (elapsed >= Window.Min)
            {
                return TimeSpan.Zero;
            }
        }

        if (elapsed < Window.Min)
        {
            return Window.Min - elapsed;
        }

        if (elapsed < Window.Max)
        {
            return _options.PollInterval;
        }

        // Past the likely window: back off, so a stuck job costs few requests.
        _backoffSteps++;
        var grown = _options.PollInterval.TotalSeconds * Math.Pow(_options.BackoffFactor, _backoffSteps);
        var capped = Math.Min(grown, _options.MaxPollInterval.TotalSeconds);
        var spread = 1 + (_options.Jitter * ((_options.Random.NextDouble() * 2) - 1));
        return TimeSpan.FromSeconds(Math.Min(capped * spread, _options.MaxPollInterval.TotalSeconds));
    }
}
