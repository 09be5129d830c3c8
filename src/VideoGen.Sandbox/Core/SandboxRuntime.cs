using System.Globalization;
using Microsoft.Extensions.Logging;
using VideoGen.Catalog;

namespace VideoGen.Sandbox.Core;

/// <summary>Everything the endpoints share: options, clock, catalog, jobs, credits, faults, counters, callbacks.</summary>
internal sealed class SandboxRuntime : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private long _requestIds;

    /// <param name="options">A snapshot of the options (see <see cref="SandboxOptions.Snapshot"/>).</param>
    /// <param name="logger">Where webhook delivery problems are logged.</param>
    public SandboxRuntime(SandboxOptions options, ILogger logger)
    {
        Options = options;
        Time = options.TimeProvider;
        Counters = new SandboxCounters();
        Jobs = new JobStore(options, Counters, job => Ledger!.Refund(job.Vendor, job.Owner, job.Price));
        Ledger = new SandboxLedger(options.InitialCreditsFor, Jobs.SettleDue);
        Faults = new FaultInjector(options.Faults, options.Seed);
        Callbacks = new CallbackDispatcher(Time, options.TimeScale, Counters, logger);
    }

    public SandboxOptions Options { get; }

    public TimeProvider Time { get; }

    public VideoModelCatalog Catalog { get; } = VideoModelCatalog.Default;

    public SandboxCounters Counters { get; }

    public JobStore Jobs { get; }

    public SandboxLedger Ledger { get; }

    public FaultInjector Faults { get; }

    public CallbackDispatcher Callbacks { get; }

    /// <summary>The catalog entry of a vendor.</summary>
    public VendorInfo Vendor(string vendorId) => Catalog.GetVendor(vendorId);

    /// <summary>A vendor wait limit (AIML's 30 s) on the sandbox's time scale.</summary>
    public TimeSpan Scaled(TimeSpan vendorTime) => vendorTime * Options.TimeScale;

    /// <summary>Cancelled when the sandbox stops: ends every wait so requests answer at once.</summary>
    public CancellationToken Stopping => _stopping.Token;

    public Task StopWaitsAsync() => _stopping.CancelAsync();

    public string NextRequestId() => "sbx-" + Interlocked.Increment(ref _requestIds).ToString("D6", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Callbacks.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}
