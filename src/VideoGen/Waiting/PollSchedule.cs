using VideoGen.Catalog;

namespace VideoGen.Waiting;

/// <summary>
/// When to poll a job: not before the model's earliest plausible finish, every
/// <see cref="WaitOptions.PollInterval"/> through its likely window, then exponential backoff with
/// jitter up to <see cref="WaitOptions.MaxPollInterval"/>. With <see cref="WaitOptions.MinimumHistory"/>
/// observed times of the model (<see cref="WaitOptions.ProcessingTimes"/>), the polls of the window are
/// placed from those times instead (<see cref="LearnedPollPlan"/>); with fewer, the window is widened to
/// cover every time seen.
/// </summary>
internal sealed class PollSchedule
{
    /// <summary>The window used when the catalog does not know the model: 0–180 s (seed 000's "20–180 seconds", widened).</summary>
    internal static readonly ProcessingTime UnknownModel = new(TimeSpan.Zero, TimeSpan.FromSeconds(180), Inferred: true, "no catalog entry");

    private readonly WaitOptions _options;
    private readonly double[]? _plan;
    private int _next;
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

    /// <summary>A schedule from a learned plan: poll times in seconds since submission, ascending.</summary>
    private PollSchedule(ProcessingTime documented, WaitOptions options, double[] plan)
    {
        _options = options;
        _plan = plan;
        Window = documented with { Min = TimeSpan.FromTicks((long)(plan[0] * TimeSpan.TicksPerSecond)), Max = TimeSpan.FromTicks((long)(plan[^1] * TimeSpan.TicksPerSecond)), Inferred = false, Source = "observed processing times" };
    }

    /// <summary>Whether the polls come from observed processing times rather than the documented window.</summary>
    public bool IsLearned => _plan is not null;

    /// <summary>The planned poll times (seconds since submission) of a learned schedule; empty otherwise.</summary>
    internal IReadOnlyList<double> Plan => _plan ?? [];

    /// <summary>
    /// The schedule of a job of <paramref name="vendor"/>'s <paramref name="model"/>: learned from
    /// <see cref="WaitOptions.ProcessingTimes"/> when it holds at least <see cref="WaitOptions.MinimumHistory"/>
    /// times of the model, else the catalog's window (widened to every time seen).
    /// </summary>
    public static PollSchedule For(string? vendor, string? model, WaitOptions options)
    {
        var documented = WindowFor(vendor, model);
        if (options.ProcessingTimes is not { } history || string.IsNullOrWhiteSpace(vendor))
        {
            return new PollSchedule(documented, options);
        }

        var plan = LearnedPollPlan.For(history, vendor, model, documented, options, out var observed);
        if (plan is { Length: > 0 })
        {
            return new PollSchedule(documented, options, plan);
        }

        var schedule = new PollSchedule(documented, options);
        if (observed is not { } seen)
        {
            return schedule;
        }

        // Too little history to shape the polls, enough to know the document is wrong where a job fell outside it.
        var min = TimeSpan.FromSeconds(Math.Min(schedule.Window.Min.TotalSeconds, seen.Min));
        var max = TimeSpan.FromSeconds(Math.Max(schedule.Window.Max.TotalSeconds, seen.Max));
        return new PollSchedule(documented with { Min = min, Max = max }, new WaitOptions
        {
            PollInterval = options.PollInterval,
            MaxPollInterval = options.MaxPollInterval,
            BackoffFactor = options.BackoffFactor,
            Jitter = options.Jitter,
            Random = options.Random,
        });
    }

    /// <summary>The window of tight polling: the catalog's range, widened where it is a point estimate.</summary>
    public ProcessingTime Window { get; }

    /// <summary>Finds the model's processing window in the catalog by vendor (id, alias, or a built-in vendor's display name) and model id.</summary>
    public static ProcessingTime WindowFor(string? vendor, string? model, VideoModelCatalog? catalog = null)
    {
        catalog ??= VideoModelCatalog.Default;
        // Tolerant: a display name (what VideoJob.Vendor holds) names its vendor too.
        var info = catalog.FindVendor(vendor) ?? catalog.FindVendor(VendorIds.Find(vendor));
        var modelInfo = info?.FindModel(model ?? info.DefaultModel);
        return modelInfo?.ProcessingTime ?? UnknownModel;
    }

    /// <summary>The delay before the next poll, given the time since the job was submitted.</summary>
    /// <remarks>
    /// Whole milliseconds, rounded up: <see cref="Task.Delay(TimeSpan, TimeProvider, CancellationToken)"/> waits whole
    /// milliseconds and completes a shorter delay at once, so a window start or planned time between two milliseconds (a
    /// learned time such as 18.8281926 s) would be missed by a fraction of a millisecond, and the next delay, that fraction,
    /// would complete without the clock moving: a loop of polls on a virtual clock (seen in the waiting benchmark).
    /// </remarks>
    public TimeSpan NextDelay(TimeSpan elapsed)
    {
        var delay = NextDelayCore(elapsed);
        var rest = delay.Ticks % TimeSpan.TicksPerMillisecond;
        return rest == 0 ? delay : TimeSpan.FromTicks(delay.Ticks - rest + TimeSpan.TicksPerMillisecond);
    }

    private TimeSpan NextDelayCore(TimeSpan elapsed)
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

        if (_plan is not null)
        {
            return NextPlanned(elapsed);
        }

        if (elapsed < Window.Min)
        {
            return Window.Min - elapsed;
        }

        if (elapsed < Window.Max)
        {
            return _options.PollInterval;
        }

        return Backoff();
    }

    private TimeSpan NextPlanned(TimeSpan elapsed)
    {
        var now = elapsed.TotalSeconds;
        // A planned time within a millisecond counts as reached: a delay must never round to zero and repeat a poll at once.
        while (_next < _plan!.Length && _plan[_next] <= now + 1e-3)
        {
            _next++;
        }

        if (_next < _plan.Length)
        {
            return TimeSpan.FromTicks((long)Math.Ceiling((_plan[_next] - now) * TimeSpan.TicksPerSecond));
        }

        // Past every time seen: the interval for another half of the planned span (a vendor that just became slower), then backoff.
        if (now < _plan[^1] * (1 + PointEstimateSpread))
        {
            return _options.PollInterval;
        }

        return Backoff();
    }

    private TimeSpan Backoff()
    {
        // Past the likely window: back off, so a stuck job costs few requests.
        _backoffSteps++;
        var grown = _options.PollInterval.TotalSeconds * Math.Pow(_options.BackoffFactor, _backoffSteps);
        var capped = Math.Min(grown, _options.MaxPollInterval.TotalSeconds);
        var spread = 1 + (_options.Jitter * ((_options.Random.NextDouble() * 2) - 1));
        return TimeSpan.FromSeconds(Math.Min(capped * spread, _options.MaxPollInterval.TotalSeconds));
    }
}
