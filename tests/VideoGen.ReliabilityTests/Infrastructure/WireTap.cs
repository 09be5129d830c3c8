using System.Collections.Concurrent;
using System.Diagnostics;

namespace VideoGen.ReliabilityTests.Infrastructure;

/// <summary>One HTTP attempt as it went to the socket handler.</summary>
/// <param name="Method">GET, POST, ...</param>
/// <param name="Path">The request path.</param>
/// <param name="Status">The status answered, or null when the attempt ended in a transport error.</param>
/// <param name="Error">The transport error, if any.</param>
/// <param name="SentAt">When it was sent, on the stopwatch clock.</param>
internal sealed record WireAttempt(string Method, string Path, int? Status, Exception? Error, TimeSpan SentAt);

/// <summary>
/// A handler placed under <see cref="Resilience.ResilienceHandler"/>, so it sees every attempt the retry handler
/// makes (the first try and each retry), with its outcome and time.
/// </summary>
internal sealed class WireTap : DelegatingHandler
{
    private static readonly Stopwatch Clock = Stopwatch.StartNew();
    private readonly ConcurrentQueue<WireAttempt> _attempts = new();

    /// <summary>Called with each attempt once its outcome is known (before the retry handler sees it).</summary>
    public Action<WireAttempt>? OnAttempt { get; set; }

    public IReadOnlyList<WireAttempt> Attempts => [.. _attempts];

    public static TimeSpan Now => Clock.Elapsed;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var sentAt = Clock.Elapsed;
        var path = request.RequestUri?.AbsolutePath ?? string.Empty;
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            Record(new WireAttempt(request.Method.Method, path, (int)response.StatusCode, null, sentAt));
            return response;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            Record(new WireAttempt(request.Method.Method, path, null, e, sentAt));
            throw;
        }
    }

    private void Record(WireAttempt attempt)
    {
        _attempts.Enqueue(attempt);
        OnAttempt?.Invoke(attempt);
    }
}
