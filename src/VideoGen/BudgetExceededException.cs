using VideoGen.Pricing;

namespace VideoGen;

/// <summary>
/// A request was refused before it was sent because its worst-case cost does not fit a budget, or
/// because its price is unknown and a budget is set (it cannot be shown to fit). Nothing was sent and
/// nothing was charged. The message states the estimate, the budget, the unit and the reason.
/// </summary>
public sealed class BudgetExceededException : VideoGenException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="vendor">The vendor's display name, if known.</param>
    /// <param name="estimate">The estimate the decision rests on.</param>
    /// <param name="budget">The budget the request did not fit, in <see cref="PriceEstimate.Unit"/>.</param>
    /// <param name="scope">Which budget it is.</param>
    /// <param name="alreadySubmitted">For <see cref="BudgetScope.Total"/>: the worst cases already counted against the total.</param>
    /// <exception cref="ArgumentNullException"><paramref name="estimate"/> is null.</exception>
    public BudgetExceededException(string? vendor, PriceEstimate estimate, decimal budget, BudgetScope scope, decimal? alreadySubmitted = null)
        : base(BuildMessage(vendor, estimate ?? throw new ArgumentNullException(nameof(estimate)), budget, scope, alreadySubmitted), vendor)
    {
        Estimate = estimate;
        Budget = budget;
        Scope = scope;
        AlreadySubmitted = alreadySubmitted;
    }

    /// <summary>The estimate the decision rests on (exact, a range, or unknown, with its reason).</summary>
    public PriceEstimate Estimate { get; }

    /// <summary>The budget the request did not fit, in <see cref="Unit"/>.</summary>
    public decimal Budget { get; }

    /// <summary>The unit of the estimate and the budget (for example <c>Elumenta tokens</c>).</summary>
    public string Unit => Estimate.Unit;

    /// <summary>Which budget the request did not fit.</summary>
    public BudgetScope Scope { get; }

    /// <summary>For <see cref="BudgetScope.Total"/>: the worst cases already counted against the total; otherwise <see langword="null"/>.</summary>
    public decimal? AlreadySubmitted { get; }

    private static string BuildMessage(string? vendor, PriceEstimate estimate, decimal budget, BudgetScope scope, decimal? alreadySubmitted)
    {
        var at = vendor is null ? string.Empty : $" at {vendor}";
        var unit = estimate.Unit;
        var budgetText = $"{ScopeText(scope)} of {PriceCalculator.Format(budget)} {unit}";
        var request = $"this {estimate.ModelId} request{at}";
        if (!estimate.IsKnown)
        {
            return $"Not sent: the price of {request} is unknown, so it cannot be shown to fit the {budgetText}. " +
                   $"Estimate: unknown (unit: {unit}). Reason: {estimate.Reason}";
        }

        var worst = PriceCalculator.Format(estimate.Max!.Value);
        var detail = $"Estimate: {estimate.AmountText} {unit}. Reason: {estimate.Reason}";
        if (scope == BudgetScope.Total)
        {
            var before = alreadySubmitted ?? 0m;
            return $"Not sent: the worst case of {request}, {worst} {unit}, would bring the worst cases submitted through this generator " +
                   $"from {PriceCalculator.Format(before)} to {PriceCalculator.Format(before + estimate.Max.Value)} {unit}, over the {budgetText}. {detail}";
        }

        return $"Not sent: the worst case of {request}, {worst} {unit}, exceeds the {budgetText}. {detail}";
    }

    private static string ScopeText(BudgetScope scope) => scope switch
    {
        BudgetScope.PerCall => "per-call budget (VideoGenerationOptions.MaxCost)",
        BudgetScope.PerJob => "per-job budget (VideoBudgetOptions.MaxCostPerJob)",
        BudgetScope.Total => "total budget (VideoBudgetOptions.MaxTotalCost)",
        _ => "budget",
    };
}
