namespace VideoGen;

/// <summary>
/// The limits a <see cref="BudgetVideoGenerator"/> enforces, in the vendor's price unit (Elumenta
/// tokens, AI/ML tokens, credits...). A limit left <see langword="null"/> is not enforced.
/// </summary>
/// <remarks>
/// Each job is counted at its worst case (<see cref="Pricing.PriceEstimate.Max"/>). With any limit
/// set, a request whose price is unknown is refused, because it cannot be shown to fit.
/// </remarks>
public sealed class VideoBudgetOptions
{
    /// <summary>The most one job may cost: a request whose worst case is higher is not sent.</summary>
    /// <value>No per-job limit.</value>
    public decimal? MaxCostPerJob { get; set; }

    /// <summary>
    /// The most all jobs submitted through the generator may cost together, counting each at its
    /// worst case: a request that would take the running total above it is not sent.
    /// </summary>
    /// <value>No total limit.</value>
    public decimal? MaxTotalCost { get; set; }

    /// <summary>Every problem with the options, at once; empty when they are valid.</summary>
    internal IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (MaxCostPerJob is < 0)
        {
            problems.Add($"{nameof(MaxCostPerJob)}: '{PriceFormat(MaxCostPerJob.Value)}' is not allowed; a budget is zero or more, or null for no limit.");
        }

        if (MaxTotalCost is < 0)
        {
            problems.Add($"{nameof(MaxTotalCost)}: '{PriceFormat(MaxTotalCost.Value)}' is not allowed; a budget is zero or more, or null for no limit.");
        }

        return problems;
    }

    /// <summary>Throws when the options are invalid; called once, where they enter.</summary>
    /// <exception cref="ArgumentException">One or more limits are invalid; the message lists every one.</exception>
    internal void EnsureValid(string parameterName)
    {
        var problems = Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(
                $"The budget options are not valid:{Environment.NewLine}" + string.Join(Environment.NewLine, problems.Select(p => "- " + p)),
                parameterName);
        }
    }

    private static string PriceFormat(decimal value) => Pricing.PriceCalculator.Format(value);
}
