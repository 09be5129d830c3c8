using System.Globalization;
using VideoGen.Catalog;

namespace VideoGen.Pricing;

/// <summary>
/// Estimates a request's cost before submit from the catalog's documented prices, and reconciles the
/// estimate with what the vendor reported once the job has finished.
/// </summary>
/// <remarks>
/// <para>
/// The estimate uses only what the vendor documents; it never invents a pricing formula. In order:
/// </para>
/// <list type="number">
/// <item>No catalog entry or no documented price (the gateway, Oxen.ai): <em>unknown</em>, with the reason.</item>
/// <item>A duration the model does not document: <em>unknown</em> (the documented range covers only the documented durations).</item>
/// <item>One figure its source states as the price (AIML API's 500 000 tokens per generation or extension): <em>exact</em>.</item>
/// <item>One documented figure no source calls exact (Elumenta's <c>minimax-video</c> 88 tokens, on a page that says cost depends on duration and resolution): <em>approximate</em> (<see cref="PriceEstimate.IsApproximate"/>).</item>
/// <item>A documented price for the requested duration: <em>exact</em>. (Examples are not prices: Elumenta's 26 tokens for a 5 s <c>kling-v2.1</c> job in seed 000 and 44 on its status page are both examples, so neither is in the catalog.)</item>
/// <item>Otherwise the documented range (seed 000's Tokens column): a <em>range</em> whose maximum is the worst case.</item>
/// </list>
/// <para>
/// When the request names no duration, the vendor's documented default is used where there is one
/// (Elumenta and NeuralBox: 5 s). Every estimate's <see cref="PriceEstimate.Reason"/> says what it rests on.
/// With an API key, <see cref="IVideoPriceQuoter"/> asks the vendor instead where it has a price endpoint.
/// </para>
/// </remarks>
public static class PriceCalculator
{
    /// <summary>Estimates what <paramref name="request"/> will cost at <paramref name="vendor"/>.</summary>
    /// <param name="vendor">The vendor.</param>
    /// <param name="request">The request.</param>
    /// <returns>The estimate: exact, a range, or unknown, with the reason.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="vendor"/> or <paramref name="request"/> is null.</exception>
    public static PriceEstimate Estimate(VendorInfo vendor, VideoGenerationRequest request)
    {
        // The reason cites sources by vendor and document name, never by the curated files' names.
        var estimate = EstimateFromCatalog(vendor, request);
        return estimate with { Reason = Catalog.SourceNames.ForPeople(estimate.Reason)! };
    }

    private static PriceEstimate EstimateFromCatalog(VendorInfo vendor, VideoGenerationRequest request)
    {
        ArgumentNullException.ThrowIfNull(vendor);
        ArgumentNullException.ThrowIfNull(request);
        var modelId = request.Model ?? vendor.DefaultModel;
        var (duration, durationText) = Duration(vendor, request);
        var model = vendor.FindModel(modelId);
        if (model is null)
        {
            return new PriceEstimate(vendor.Id, modelId, null, null, vendor.PriceUnit,
                $"{modelId} is not in the {vendor.DisplayName} catalog, so there is no documented price to estimate from.")
            { DurationSeconds = duration };
        }

        if (model.Price is not { } price)
        {
            return new PriceEstimate(vendor.Id, model.Id, null, null, vendor.PriceUnit,
                model.PriceNote ?? $"The {vendor.DisplayName} documents give no price for {model.Id}.")
            { DurationSeconds = duration };
        }

        var range = $"{Format(price.Min)}–{Format(price.Max)} {price.Unit}";
        if (duration is { } seconds && !IsDocumentedDuration(model, seconds))
        {
            return new PriceEstimate(vendor.Id, model.Id, null, null, price.Unit,
                $"{durationText} is not a documented duration of {model.Id} ({DocumentedDurations(model)}); " +
                $"the documented price {range} (source: {price.Source}) covers only those, so this request's price is not known.")
            { DurationSeconds = duration };
        }

        if (price.IsExact)
        {
            return new PriceEstimate(vendor.Id, model.Id, price.Min, price.Max, price.Unit,
                $"Exact: {Format(price.Min)} {price.Unit} per job, one figure its source states as the price.{Note(price.Note)} Source: {price.Source}.")
            { DurationSeconds = duration };
        }

        if (price.Min == price.Max)
        {
            return new PriceEstimate(vendor.Id, model.Id, price.Min, price.Max, price.Unit,
                $"About {Format(price.Min)} {price.Unit}: the one documented figure, which no source calls exact.{Note(price.Note)} Source: {price.Source}.")
            { DurationSeconds = duration, IsApproximate = true };
        }

        if (duration is { } d && price.Points.FirstOrDefault(p => p.DurationSeconds == d) is { } point)
        {
            return new PriceEstimate(vendor.Id, model.Id, point.Amount, point.Amount, price.Unit,
                $"Exact: {model.Id} for {durationText} is documented at {Format(point.Amount)} {price.Unit} (source: {point.Source}); " +
                $"the model's documented range is {range} (source: {price.Source}).")
            { DurationSeconds = duration };
        }

        var durationPart = duration is null
            ? "the request names no duration and the vendor documents no default"
            : $"no price is documented for {durationText}";
        return new PriceEstimate(vendor.Id, model.Id, price.Min, price.Max, price.Unit,
            $"Range: {durationPart}; the documented range {range} covers every documented duration and resolution of {model.Id}, " +
            $"so the worst case is {Format(price.Max)} {price.Unit}.{Note(price.Note)} Source: {price.Source}.")
        { DurationSeconds = duration };
    }

    /// <summary>
    /// Compares an estimate with what the vendor reported after the job finished. A pure function:
    /// it reads its arguments and nothing else.
    /// </summary>
    /// <param name="estimate">The estimate made before submit.</param>
    /// <param name="actual">The cost the vendor reported (<see cref="VideoJob.Cost"/>, for example Elumenta's <c>tokens_spent</c>), or <see langword="null"/> when it reported none.</param>
    /// <returns>
    /// The reconciliation. Units are compared ordinally, ignoring case and surrounding spaces; amounts
    /// are compared only when the units match and the estimate is known.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="estimate"/> is null.</exception>
    public static PriceReconciliation Reconcile(PriceEstimate estimate, VideoCost? actual)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        if (actual is null)
        {
            return new PriceReconciliation(estimate, null, PriceReconciliationOutcome.NotReported, null, null,
                $"The vendor reported no cost; the estimate was {estimate.AmountText} {estimate.Unit}.");
        }

        if (!string.Equals(actual.Unit.Trim(), estimate.Unit.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            return new PriceReconciliation(estimate, actual, PriceReconciliationOutcome.UnitMismatch, null, null,
                $"Unit mismatch: the vendor reported {actual} but the estimate is in {estimate.Unit}; the amounts cannot be compared.");
        }

        if (!estimate.IsKnown)
        {
            return new PriceReconciliation(estimate, actual, PriceReconciliationOutcome.EstimateUnknown, null, null,
                $"The vendor reported {actual}; there was no estimate to compare with ({estimate.Reason}).");
        }

        var min = estimate.Min!.Value;
        var max = estimate.Max!.Value;
        var fromMax = actual.Amount - max;
        if (actual.Amount > max)
        {
            return new PriceReconciliation(estimate, actual, PriceReconciliationOutcome.AboveEstimate, fromMax, fromMax,
                $"Above the estimate: the vendor reported {actual}, {Format(fromMax)} more than the worst case {Format(max)} {estimate.Unit}.");
        }

        if (actual.Amount < min)
        {
            var belowMin = actual.Amount - min;
            return new PriceReconciliation(estimate, actual, PriceReconciliationOutcome.BelowEstimate, belowMin, fromMax,
                $"Below the estimate: the vendor reported {actual}, {Format(-belowMin)} less than the lowest estimate {Format(min)} {estimate.Unit}.");
        }

        return new PriceReconciliation(estimate, actual, PriceReconciliationOutcome.WithinEstimate, 0m, fromMax,
            $"Within the estimate: the vendor reported {actual}; the estimate was {estimate.AmountText} {estimate.Unit}.");
    }

    /// <summary>Compares an estimate with the cost a finished job reports (<see cref="VideoJob.Cost"/>).</summary>
    /// <param name="estimate">The estimate made before submit.</param>
    /// <param name="job">The job as last read from the vendor.</param>
    /// <returns>The reconciliation; <see cref="PriceReconciliationOutcome.NotReported"/> when the job carries no cost (yet).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="estimate"/> or <paramref name="job"/> is null.</exception>
    public static PriceReconciliation Reconcile(PriceEstimate estimate, VideoJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return Reconcile(estimate, job.Cost);
    }

    /// <summary>An amount as the estimates print it: invariant culture, up to two decimals.</summary>
    internal static string Format(decimal amount) => amount.ToString("0.##", CultureInfo.InvariantCulture);

    private static (int? Seconds, string Text) Duration(VendorInfo vendor, VideoGenerationRequest request)
    {
        if (request.DurationSeconds is { } requested)
        {
            return (requested, $"{requested} s");
        }

        return vendor.DefaultDuration is { } fallback
            ? (fallback.Seconds, $"{fallback.Seconds} s (the request names no duration; {vendor.DisplayName}'s default, {fallback.Source})")
            : (null, "the vendor's default duration");
    }

    private static string Note(string? note) => note is null ? string.Empty : " " + note;

    private static bool IsDocumentedDuration(VideoModelInfo model, int seconds)
    {
        if (model.Durations.Count > 0)
        {
            return model.Durations.Contains(seconds);
        }

        // Only a maximum, or nothing, is documented: any positive duration up to it is covered.
        return seconds > 0 && (model.MaxDurationSeconds is not { } max || seconds <= max);
    }

    private static string DocumentedDurations(VideoModelInfo model) =>
        model.Durations.Count > 0
            ? "documented: " + string.Join(", ", model.Durations.Select(s => $"{s} s"))
            : model.MaxDurationSeconds is { } max ? $"documented: up to {max} s" : "no duration is documented";
}
