using System.Globalization;

namespace VideoGen.Sandbox.Core;

/// <summary>How one vendor words the errors every endpoint can answer.</summary>
internal interface IVendorDialect
{
    /// <summary>The vendor id (<see cref="SandboxVendors"/>).</summary>
    string Vendor { get; }

    IResult Unauthorized();

    IResult RateLimited(string retryAfterSeconds);

    IResult ServerError();

    IResult ServiceUnavailable(string retryAfterSeconds);
}

/// <summary>One vendor API request that passed the fault draw and authentication.</summary>
internal sealed class VendorCall(HttpContext http, SandboxRuntime runtime, string owner, FaultDecision faults, CancellationToken aborted)
{
    /// <summary>What a handler returns after it dropped the connection: nothing more is written.</summary>
    public static readonly IResult Dropped = Results.Empty;

    public HttpContext Http => http;

    public SandboxRuntime Runtime => runtime;

    /// <summary>The fingerprint of the caller's API key.</summary>
    public string Owner => owner;

    public DateTimeOffset Now => runtime.Time.GetUtcNow();

    /// <summary>Cancelled when the client goes away or the sandbox stops: what every wait listens to.</summary>
    public CancellationToken Aborted => aborted;

    /// <summary>The sandbox's base URL as this client reached it, ending with '/'.</summary>
    public string PublicBaseUrl => $"{http.Request.Scheme}://{http.Request.Host}/";

    /// <summary>
    /// Called right after a job was created and charged: when the fault draw said so, aborts the connection
    /// (the client sees a transport error, the job stays) and returns true.
    /// </summary>
    public bool DropAfterAccept()
    {
        if (!faults.DropAfterAccept)
        {
            return false;
        }

        runtime.Counters.Fault(SandboxFaultKind.ConnectionDropped);
        http.Abort();
        return true;
    }
}

/// <summary>What every vendor endpoint does before its own work: request id, injected faults, the bearer key.</summary>
internal static class VendorPipeline
{
    public static RequestDelegate Handle(SandboxRuntime runtime, IVendorDialect dialect, bool createsJob, Func<VendorCall, Task<IResult>> handler) =>
        async context =>
        {
            var result = await RunAsync(context, runtime, dialect, createsJob, handler).ConfigureAwait(false);
            if (result is not null && !context.RequestAborted.IsCancellationRequested)
            {
                await result.ExecuteAsync(context).ConfigureAwait(false);
            }
        };

    private static async Task<IResult?> RunAsync(HttpContext context, SandboxRuntime runtime, IVendorDialect dialect, bool createsJob, Func<VendorCall, Task<IResult>> handler)
    {
        runtime.Counters.Request(dialect.Vendor);
        context.Response.Headers["x-request-id"] = runtime.NextRequestId();
        var faults = runtime.Faults.Draw(createsJob);
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, runtime.Stopping);
        try
        {
            if (faults.Slow)
            {
                runtime.Counters.Fault(SandboxFaultKind.SlowResponse);
                await Task.Delay(runtime.Options.Faults.SlowResponseDelay, runtime.Time, aborted.Token).ConfigureAwait(false);
            }

            switch (faults.Status)
            {
                case 429:
                    runtime.Counters.Fault(SandboxFaultKind.RateLimited);
                    context.Response.Headers.RetryAfter = runtime.Faults.RetryAfterSeconds;
                    return dialect.RateLimited(runtime.Faults.RetryAfterSeconds);
                case 500:
                    runtime.Counters.Fault(SandboxFaultKind.ServerError);
                    return dialect.ServerError();
                case 503:
                    runtime.Counters.Fault(SandboxFaultKind.ServiceUnavailable);
                    context.Response.Headers.RetryAfter = runtime.Faults.RetryAfterSeconds;
                    return dialect.ServiceUnavailable(runtime.Faults.RetryAfterSeconds);
            }

            var key = ApiKeys.ReadBearer(context);
            if (key is null || (runtime.Options.AcceptedApiKeys is { } accepted && !accepted.Contains(key)))
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
                return dialect.Unauthorized();
            }

            var result = await handler(new VendorCall(context, runtime, ApiKeys.Fingerprint(key), faults, aborted.Token)).ConfigureAwait(false);
            if (createsJob && runtime.Options.Faults.CreateLatency > TimeSpan.Zero && !ReferenceEquals(result, VendorCall.Dropped))
            {
                // The job exists and is charged; the answer takes its time. A client gone meanwhile never learns the id.
                await Task.Delay(runtime.Options.Faults.CreateLatency, runtime.Time, aborted.Token).ConfigureAwait(false);
            }

            return result;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away (or a long wait was cut short by it): nothing to answer.
            return null;
        }
        catch (OperationCanceledException) when (runtime.Stopping.IsCancellationRequested)
        {
            // The sandbox is stopping while the request waited: answer as a vendor going down would.
            return dialect.ServiceUnavailable(runtime.Faults.RetryAfterSeconds);
        }
    }

    /// <summary>Seconds, for Retry-After and messages.</summary>
    public static string Seconds(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
