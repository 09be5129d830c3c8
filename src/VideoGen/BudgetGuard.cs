using VideoGen.Catalog;
using VideoGen.Pricing;

namespace VideoGen;

/// <summary>
/// The budget checks shared by <see cref="BudgetVideoGenerator"/> and the vendor adapters: a request is
/// refused when its worst case exceeds a budget, or when its price is unknown and a budget is set.
/// </summary>
internal static class BudgetGuard
{
    /// <summary>
    /// Checks the per-call budget (<see cref="VideoGenerationOptions.MaxCost"/>) alone, for adapters that
    /// are used without <see cref="BudgetVideoGenerator"/>. Does nothing when no per-call budget is set.
    /// </summary>
    /// <exception cref="VideoGenValidationException">The per-call budget is negative.</exception>
    /// <exception cref="BudgetExceededException">The request does not fit, or its price is unknown.</exception>
    public static void EnsureWithinCallBudget(VendorInfo vendor, VideoGenerationRequest request, VideoGenerationOptions? options)
    {
        ArgumentNullException.ThrowIfNull(vendor);
        ArgumentNullException.ThrowIfNull(request);
        if (CallBudget(vendor, options) is { } budget)
        {
            EnsureFits(vendor.DisplayName, PriceCalculator.Estimate(vendor, request), budget, BudgetScope.PerCall);
        }
    }

    /// <summary>The per-call budget, validated.</summary>
    /// <exception cref="VideoGenValidationException">The per-call budget is negative.</exception>
    public static decimal? CallBudget(VendorInfo vendor, VideoGenerationOptions? options)
    {
        if (options?.MaxCost is { } budget && budget < 0)
        {
            throw new VideoGenValidationException(vendor.DisplayName,
                [new ValidationFailure(nameof(VideoGenerationOptions.MaxCost), PriceCalculator.Format(budget), "a budget is zero or more, or null for no per-call budget")]);
        }

        return options?.MaxCost;
    }

    /// <summary>Throws unless the estimate's worst case is known and fits <paramref name="budget"/>.</summary>
    /// <exception cref="BudgetExceededException">It does not fit, or the price is unknown.</exception>
    public static void EnsureFits(string? vendor, PriceEstimate estimate, decimal budget, BudgetScope scope)
    {
        if (estimate.Max is not { } worst || !estimate.IsKnown || worst > budget)
        {
            throw new BudgetExceededException(vendor, estimate, budget, scope);
        }
    }
}
