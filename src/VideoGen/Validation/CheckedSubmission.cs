namespace VideoGen.Validation;

/// <summary>
/// The one check of a submission (<see cref="IVideoRequestCheck"/>: validation and the mapping onto the vendor's
/// contract), carried down the pipeline on this call's flow so that the middleware that needs it (logging, telemetry,
/// the budget) and the adapter itself use the same result instead of checking the request again, the way the budget
/// middleware hands its price down.
/// </summary>
/// <remarks>
/// The result is found again only for the very same checker, the same request object and options of equal values
/// (a middleware that passes down a copy with other values gets a fresh check). It is set by <see cref="For"/>, which
/// middleware calls from its own <see langword="async"/> submit method, so it flows to the calls that method makes
/// and ends with it: a request changed by its caller after the submission is checked anew.
/// </remarks>
internal sealed class CheckedSubmission
{
    private static readonly AsyncLocal<CheckedSubmission?> Current = new();

    /// <summary>A check's result.</summary>
    /// <param name="checker">The adapter that checked.</param>
    /// <param name="request">The request checked.</param>
    /// <param name="options">The options checked with it.</param>
    /// <param name="failures">Every failure; empty when the adapter would send the request.</param>
    /// <param name="prepared">What the adapter made of the request (its vendor request), for its own use; null for none.</param>
    public CheckedSubmission(IVideoRequestCheck checker, VideoGenerationRequest request, VideoGenerationOptions? options, IReadOnlyList<ValidationFailure> failures, object? prepared)
    {
        Checker = checker;
        Request = request;
        Options = options;
        Failures = failures;
        Prepared = prepared;
    }

    /// <summary>The adapter that checked.</summary>
    public IVideoRequestCheck Checker { get; }

    /// <summary>The request checked.</summary>
    public VideoGenerationRequest Request { get; }

    /// <summary>The options checked with it.</summary>
    public VideoGenerationOptions? Options { get; }

    /// <summary>Every failure; empty when the adapter would send the request.</summary>
    public IReadOnlyList<ValidationFailure> Failures { get; }

    /// <summary>What the adapter made of the request, for its own use.</summary>
    public object? Prepared { get; }

    /// <summary>
    /// The failures of the check of <paramref name="generator"/>'s adapter for this submission: the result already
    /// made on this call's flow, else a check made now and carried down. Null when the generator has no check.
    /// Call it from an <see langword="async"/> method (the result flows to what that method calls, and ends with it).
    /// </summary>
    public static IReadOnlyList<ValidationFailure>? FailuresBelow(IVideoGenerator generator, VideoGenerationRequest request, VideoGenerationOptions? options) =>
        generator.GetService(typeof(IVideoRequestCheck)) is IVideoRequestCheck check ? For(check, request, options).Failures : null;

    /// <summary>The result of <paramref name="check"/> for this submission: the one already made on this call's flow, else a new one, carried down.</summary>
    public static CheckedSubmission For(IVideoRequestCheck check, VideoGenerationRequest request, VideoGenerationOptions? options)
    {
        if (Find(check, request, options) is { } found)
        {
            return found;
        }

        var made = check.CheckSubmission(request, options);
        Current.Value = made;
        return made;
    }

    /// <summary>The result of <paramref name="check"/> for this very submission made earlier on this call's flow, or null.</summary>
    public static CheckedSubmission? Find(IVideoRequestCheck check, VideoGenerationRequest request, VideoGenerationOptions? options) =>
        Current.Value is { } current && ReferenceEquals(current.Checker, check) && ReferenceEquals(current.Request, request) && SameValues(current.Options, options)
            ? current
            : null;

    // The journal middleware may pass down a copy of the options; a copy with the same values checks the same.
    private static bool SameValues(VideoGenerationOptions? a, VideoGenerationOptions? b) =>
        ReferenceEquals(a, b)
        || (a is not null && b is not null && a.MaxCost == b.MaxCost && a.WebhookUrl == b.WebhookUrl && a.ClientKey == b.ClientKey
            && a.ClientReference == b.ClientReference && ReferenceEquals(a.AdditionalProperties, b.AdditionalProperties));
}
