namespace VideoGen.Pricing;

/// <summary>
/// How the cost a vendor reported for a finished job compares with the estimate made before submit.
/// Made by <see cref="PriceCalculator.Reconcile(PriceEstimate, VideoCost?)"/>.
/// </summary>
/// <param name="Estimate">The estimate made before submit (its <see cref="PriceEstimate.Min"/> and <see cref="PriceEstimate.Max"/> are the estimated range).</param>
/// <param name="Actual">What the vendor reported, or <see langword="null"/> when it reported nothing.</param>
/// <param name="Outcome">How the two compare.</param>
/// <param name="Difference">
/// How far the actual cost lies outside the estimated range: <c>0</c> within it, positive above the
/// maximum (actual − max), negative below the minimum (actual − min). <see langword="null"/> when the
/// amounts cannot be compared (no actual cost, unknown estimate, or different units).
/// </param>
/// <param name="DifferenceFromMax">
/// Actual − the worst case (<see cref="PriceEstimate.Max"/>): negative when the job cost less than the
/// worst case a budget reserved for it. <see langword="null"/> when the amounts cannot be compared.
/// </param>
/// <param name="Summary">One sentence saying what was found, with amounts and units.</param>
public sealed record PriceReconciliation(
    PriceEstimate Estimate,
    VideoCost? Actual,
    PriceReconciliationOutcome Outcome,
    decimal? Difference,
    decimal? DifferenceFromMax,
    string Summary)
{
    /// <summary>Whether the actual cost lies within the estimated range (bounds included).</summary>
    public bool IsWithinEstimate => Outcome == PriceReconciliationOutcome.WithinEstimate;

    /// <summary>Whether the vendor reported its cost in a different unit than the estimate's.</summary>
    public bool IsUnitMismatch => Outcome == PriceReconciliationOutcome.UnitMismatch;

    /// <inheritdoc cref="Summary"/>
    /// <returns><see cref="Summary"/>.</returns>
    public override string ToString() => Summary;
}

/// <summary>How a reported cost compares with its estimate.</summary>
public enum PriceReconciliationOutcome
{
    /// <summary>The actual cost lies within the estimated range, bounds included.</summary>
    WithinEstimate,

    /// <summary>The actual cost is above the estimate's worst case.</summary>
    AboveEstimate,

    /// <summary>The actual cost is below the estimate's minimum.</summary>
    BelowEstimate,

    /// <summary>The estimate was unknown: there is nothing to compare the actual cost with.</summary>
    EstimateUnknown,

    /// <summary>The vendor reported no cost (or the job has not finished).</summary>
    NotReported,

    /// <summary>The vendor reported its cost in a different unit than the estimate's; the amounts are not compared.</summary>
    UnitMismatch,
}
