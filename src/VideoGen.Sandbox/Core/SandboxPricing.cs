using VideoGen.Catalog;

namespace VideoGen.Sandbox.Core;

/// <summary>
/// What the sandbox charges for a job, from the catalog's documented prices: the exact price where there is one;
/// a documented price point for the duration (kling-v2.1 5 s = 26 tokens); otherwise a figure interpolated by
/// duration between the range's minimum (shortest duration) and maximum (longest duration); the minimum when
/// the model documents no durations; 0 when the vendor documents no price.
/// </summary>
internal static class SandboxPricing
{
    public static decimal PriceOf(VideoModelInfo? model, int durationSeconds)
    {
        if (model?.Price is not { } price)
        {
            return 0m;
        }

        if (price.IsExact)
        {
            return price.Min;
        }

        if (price.Points.FirstOrDefault(p => p.DurationSeconds == durationSeconds) is { } point)
        {
            return point.Amount;
        }

        var durations = model.Durations.Count > 0 ? model.Durations : model.MaxDurationSeconds is { } max ? [1, max] : [];
        if (durations.Count < 2 || durations.Max() == durations.Min())
        {
            return price.Min;
        }

        var shortest = durations.Min();
        var longest = durations.Max();
        var share = Math.Clamp((decimal)(durationSeconds - shortest) / (longest - shortest), 0m, 1m);
        var amount = price.Min + ((price.Max - price.Min) * share);
        var whole = price.Min == decimal.Truncate(price.Min) && price.Max == decimal.Truncate(price.Max);
        return Math.Round(amount, whole ? 0 : 2, MidpointRounding.AwayFromZero);
    }
}
