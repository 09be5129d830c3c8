namespace VideoGen;

/// <summary>Which budget a request did not fit.</summary>
public enum BudgetScope
{
    /// <summary>The per-call budget, <see cref="VideoGenerationOptions.MaxCost"/>.</summary>
    PerCall,

    /// <summary>The generator's per-job budget, <see cref="VideoBudgetOptions.MaxCostPerJob"/>.</summary>
    PerJob,

    /// <summary>The generator's total budget, <see cref="VideoBudgetOptions.MaxTotalCost"/>.</summary>
    Total,
}
