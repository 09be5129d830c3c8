namespace VideoGen.Pricing;

/// <summary>What a request will cost, estimated before it is sent, in the vendor's unit.</summary>
/// <param name="VendorId">The vendor.</param>
/// <param name="ModelId">The model.</param>
/// <param name="Min">The lowest plausible cost, or <see langword="null"/> when the vendor documents no price.</param>
/// <param name="Max">The highest plausible cost (the worst case), or <see langword="null"/> when unknown.</param>
/// <param name="Unit">The unit (for example <c>Elumenta tokens</c>).</param>
/// <param name="Reason">Why the estimate is exact, a range, or unknown, citing the source.</param>
public sealed record PriceEstimate(string VendorId, string ModelId, decimal? Min, decimal? Max, string Unit, string Reason)
{
    /// <summary>Whether the vendor documents a price for this request.</summary>
    public bool IsKnown => Min is not null && Max is not null;

    /// <summary>Whether the price is one exact figure (the vendor quoted it, or a source calls it exact).</summary>
    public bool IsExact => IsKnown && Min == Max && !IsApproximate;

    /// <summary>
    /// Whether a single figure is only the documented figure, not one any source calls exact (Elumenta's
    /// <c>minimax-video</c> 88 tokens, on a page that says cost depends on duration and resolution).
    /// </summary>
    /// <value><see langword="false"/>.</value>
    public bool IsApproximate { get; init; }

    /// <summary>
    /// The duration in seconds the estimate was made for: the request's, or the vendor's documented
    /// default when the request names none; <see langword="null"/> when neither is known.
    /// </summary>
    public int? DurationSeconds { get; init; }

    /// <summary>The estimate as text: <c>26 Elumenta tokens</c>, <c>26–94 Elumenta tokens</c> or <c>unknown</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => IsKnown ? $"{AmountText} {Unit}" : $"unknown ({Reason})";

    /// <summary>The amount part of <see cref="ToString"/> without the reason: <c>26</c>, <c>26–94</c> or <c>unknown</c>.</summary>
    internal string AmountText =>
        !IsKnown ? "unknown" : IsExact ? PriceCalculator.Format(Min!.Value) : Min == Max ? "~" + PriceCalculator.Format(Min!.Value) : $"{PriceCalculator.Format(Min!.Value)}–{PriceCalculator.Format(Max!.Value)}";
}
