using VideoGen.Catalog;
using VideoGen.Pricing;

namespace VideoGen;

/// <summary>
/// Middleware that refuses, before anything is sent, a request whose worst-case cost does not fit a
/// budget: the per-call <see cref="VideoGenerationOptions.MaxCost"/>, this generator's
/// <see cref="VideoBudgetOptions.MaxCostPerJob"/>, or its <see cref="VideoBudgetOptions.MaxTotalCost"/>
/// (a running total of the worst cases submitted through it). Add it with
/// <see cref="VideoGeneratorBuilderBudgetExtensions.UseBudget(VideoGeneratorBuilder, VideoBudgetOptions?, VendorInfo?)"/>.
/// </summary>
/// <remarks>
/// <para>
/// Prices come from <see cref="PriceCalculator.Estimate"/> and the catalog entry of the vendor given to
/// the constructor: the middleware cannot read the vendor from a request, and one generator wraps one
/// vendor. Every budget is in that vendor's <see cref="VendorInfo.PriceUnit"/>.
/// </para>
/// <para>
/// When a budget applies and the price is unknown (the gateway and Oxen.ai document none), the request
/// is refused: it cannot be shown to fit. Without any budget every request goes through.
/// </para>
/// <para>
/// The running total is thread-safe: the check and the reservation of the worst case happen under one
/// lock, so concurrent submissions cannot overshoot <see cref="VideoBudgetOptions.MaxTotalCost"/>. The
/// reservation is given back when the submission fails in a way that proves no job was created
/// (<see cref="VideoGenValidationException"/> or <see cref="BudgetExceededException"/> from a generator
/// below, or an HTTP 4xx answer: the vendor refused the request).
/// It is kept for any other failure (a 5xx, a timeout, a cancellation), because the vendor may have
/// created, and will charge, the job.
/// </para>
/// </remarks>
public sealed class BudgetVideoGenerator : DelegatingVideoGenerator
{
    private readonly object _gate = new();
    private decimal _totalWorstCase;

    /// <summary>Wraps <paramref name="innerGenerator"/> with the budgets in <paramref name="options"/>.</summary>
    /// <param name="innerGenerator">The generator requests go to when they fit.</param>
    /// <param name="vendor">The catalog entry of the vendor <paramref name="innerGenerator"/> calls: where the prices come from.</param>
    /// <param name="options">The limits; <see langword="null"/> for none (only per-call budgets are then enforced). The values are copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerGenerator"/> or <paramref name="vendor"/> is null.</exception>
    /// <exception cref="ArgumentException">A limit is negative; the message lists every problem.</exception>
    public BudgetVideoGenerator(IVideoGenerator innerGenerator, VendorInfo vendor, VideoBudgetOptions? options = null)
        : base(innerGenerator)
    {
        ArgumentNullException.ThrowIfNull(vendor);
        options?.EnsureValid(nameof(options));
        Vendor = vendor;
        MaxCostPerJob = options?.MaxCostPerJob;
        MaxTotalCost = options?.MaxTotalCost;
    }

    /// <summary>The vendor whose catalog prices are used.</summary>
    public VendorInfo Vendor { get; }

    /// <summary>The per-job limit, in <see cref="VendorInfo.PriceUnit"/>; <see langword="null"/> for none.</summary>
    public decimal? MaxCostPerJob { get; }

    /// <summary>The total limit, in <see cref="VendorInfo.PriceUnit"/>; <see langword="null"/> for none.</summary>
    public decimal? MaxTotalCost { get; }

    /// <summary>
    /// The sum of the worst cases of the jobs submitted through this generator (and not refused by the
    /// vendor), in <see cref="VendorInfo.PriceUnit"/>. A job of unknown price, let through because no
    /// budget applied to it, adds nothing.
    /// </summary>
    public decimal TotalWorstCase
    {
        get
        {
            lock (_gate)
            {
                return _totalWorstCase;
            }
        }
    }

    /// <summary>What is left of <see cref="MaxTotalCost"/>; <see langword="null"/> when there is no total limit.</summary>
    public decimal? RemainingTotal => MaxTotalCost is { } max ? max - TotalWorstCase : null;

    /// <inheritdoc />
    /// <exception cref="BudgetExceededException">The worst case does not fit a budget, or the price is unknown and a budget applies; nothing was sent.</exception>
    /// <exception cref="VideoGenValidationException"><see cref="VideoGenerationOptions.MaxCost"/> is negative; nothing was sent.</exception>
    public override async Task<VideoJob> SubmitAsync(VideoGenerationRequest request, VideoGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);

        // Validation comes before the budget, as without this middleware: an invalid request goes down to the
        // generator that refuses it (with every failure), and is neither priced nor counted. The check's result is
        // carried down (CheckedSubmission): the quote and the adapter below do not check the request again.
        if (Validation.CheckedSubmission.FailuresBelow(InnerGenerator, request, options) is { Count: > 0 })
        {
            return await InnerGenerator.SubmitAsync(request, options, cancellationToken).ConfigureAwait(false);
        }

        var callBudget = BudgetGuard.CallBudget(Vendor, options);
        var budgetApplies = callBudget is not null || MaxCostPerJob is not null || MaxTotalCost is not null;
        var estimate = await EstimateAsync(request, options, budgetApplies, cancellationToken).ConfigureAwait(false);
        if (budgetApplies)
        {
            // A budget middleware below (a pipeline's default one, under one added by the user) reuses this figure: one quote per submission.
            Priced.Value = new PricedSubmission(request, options, estimate);
        }

        if (callBudget is { } perCall)
        {
            BudgetGuard.EnsureFits(Vendor.DisplayName, estimate, perCall, BudgetScope.PerCall);
        }

        if (MaxCostPerJob is { } perJob)
        {
            BudgetGuard.EnsureFits(Vendor.DisplayName, estimate, perJob, BudgetScope.PerJob);
        }

        var reserved = Reserve(estimate);
        try
        {
            return await InnerGenerator.SubmitAsync(request, options, cancellationToken).ConfigureAwait(false);
        }
        catch (VideoGenException e) when (reserved > 0 && ProvesNothingWasCreated(e))
        {
            lock (_gate)
            {
                _totalWorstCase -= reserved;
            }

            throw;
        }
    }

    /// <summary>The price of the submission an outer budget middleware is passing down, on this call's flow only.</summary>
    private static readonly AsyncLocal<PricedSubmission?> Priced = new();

    /// <summary>
    /// The vendor's exact quote where the generator underneath has one (Elumenta's Calculate Price) and a budget applies,
    /// else the catalog's worst case; the figure of a budget middleware above for this very submission when there is one.
    /// </summary>
    private async Task<PriceEstimate> EstimateAsync(VideoGenerationRequest request, VideoGenerationOptions? options, bool budgetApplies, CancellationToken cancellationToken)
    {
        if (Priced.Value is { } priced && ReferenceEquals(priced.Request, request) && SamePrice(priced.Options, options))
        {
            return priced.Estimate;
        }

        return budgetApplies && Vendor.Has(Catalog.VendorFeatures.PriceQuote) && InnerGenerator.GetService(typeof(IVideoPriceQuoter)) is IVideoPriceQuoter quoter
            ? await quoter.QuoteAsync(request, options, cancellationToken).ConfigureAwait(false)
            : PriceCalculator.Estimate(Vendor, request);
    }

    // The journal middleware passes down a copy of the options with its correlation id as ClientReference, which does not change the price.
    private static bool SamePrice(VideoGenerationOptions? priced, VideoGenerationOptions? options) =>
        ReferenceEquals(priced, options)
        || (priced is not null && options is not null && priced.MaxCost == options.MaxCost && priced.WebhookUrl == options.WebhookUrl
            && ReferenceEquals(priced.AdditionalProperties, options.AdditionalProperties));

    private sealed record PricedSubmission(VideoGenerationRequest Request, VideoGenerationOptions? Options, PriceEstimate Estimate);

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType == typeof(VendorInfo) ? Vendor : base.GetService(serviceType, serviceKey);
    }

    private decimal Reserve(PriceEstimate estimate)
    {
        lock (_gate)
        {
            if (MaxTotalCost is { } total)
            {
                if (!estimate.IsKnown || _totalWorstCase + estimate.Max!.Value > total)
                {
                    throw new BudgetExceededException(Vendor.DisplayName, estimate, total, BudgetScope.Total, _totalWorstCase);
                }
            }

            if (estimate.Max is not { } worst)
            {
                return 0m;
            }

            _totalWorstCase += worst;
            return worst;
        }
    }

    private static bool ProvesNothingWasCreated(VideoGenException e) =>
        e is VideoGenValidationException or BudgetExceededException || e.StatusCode is { } status && (int)status is >= 400 and < 500;
}
