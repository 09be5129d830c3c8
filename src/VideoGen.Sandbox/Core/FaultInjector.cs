namespace VideoGen.Sandbox.Core;

/// <summary>The faults drawn for one request.</summary>
/// <param name="Status">429, 500 or 503 to answer instead of handling the request; null to handle it.</param>
/// <param name="Slow">Whether to delay the request first.</param>
/// <param name="DropAfterAccept">Whether to abort the connection once the job is created (job submissions only).</param>
internal readonly record struct FaultDecision(int? Status, bool Slow, bool DropAfterAccept);

/// <summary>Draws faults per request from one seeded random stream (three draws per request, whatever the outcome, so runs repeat).</summary>
internal sealed class FaultInjector
{
    private readonly SandboxFaultOptions _options;
    private readonly Random _random;
    private readonly object _gate = new();

    public FaultInjector(SandboxFaultOptions options, int seed)
    {
        _options = options;
        _random = new Random(seed);
    }

    public SandboxFaultOptions Options => _options;

    public FaultDecision Draw(bool createsJob)
    {
        if (!_options.Any)
        {
            return default;
        }

        double status, slow, drop;
        lock (_gate)
        {
            status = _random.NextDouble();
            slow = _random.NextDouble();
            drop = _random.NextDouble();
        }

        int? code = null;
        if (status < _options.RateLimitRate)
        {
            code = 429;
        }
        else if (status < _options.RateLimitRate + _options.ServerErrorRate)
        {
            code = 500;
        }
        else if (status < _options.RateLimitRate + _options.ServerErrorRate + _options.ServiceUnavailableRate)
        {
            code = 503;
        }

        return new FaultDecision(
            code,
            slow < _options.SlowResponseRate,
            createsJob && code is null && drop < _options.DropAfterAcceptRate);
    }

    /// <summary>The Retry-After header value: whole seconds, rounded up.</summary>
    public string RetryAfterSeconds => ((long)Math.Ceiling(_options.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
