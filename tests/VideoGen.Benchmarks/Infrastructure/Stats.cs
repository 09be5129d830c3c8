using System.Globalization;

namespace VideoGen.Benchmarks.Infrastructure;

/// <summary>Mean and percentiles of a sample.</summary>
internal sealed class Stats
{
    private readonly double[] _sorted;

    public Stats(IEnumerable<double> values)
    {
        _sorted = values.OrderBy(v => v).ToArray();
    }

    public int Count => _sorted.Length;

    public double Mean => _sorted.Length == 0 ? double.NaN : _sorted.Average();

    public double Max => _sorted.Length == 0 ? double.NaN : _sorted[^1];

    public double Min => _sorted.Length == 0 ? double.NaN : _sorted[0];

    public double P50 => Percentile(0.50);

    public double P95 => Percentile(0.95);

    /// <summary>Linear interpolation between closest ranks.</summary>
    public double Percentile(double p)
    {
        if (_sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = p * (_sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return _sorted[low] + ((_sorted[high] - _sorted[low]) * (rank - low));
    }
}

/// <summary>Invariant formatting for the printed tables.</summary>
internal static class Format
{
    public static string F(double value, string format = "0.00") =>
        double.IsNaN(value) ? "–" : value.ToString(format, CultureInfo.InvariantCulture);

    public static string MiB(long bytes) => F(bytes / 1024.0 / 1024.0, "0.0") + " MiB";
}
