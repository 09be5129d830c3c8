namespace VideoGen.Resilience;

/// <summary>
/// The deadline of the operation the current async flow works for, which <see cref="ResilienceHandler"/> applies
/// to a request that carries none of its own (<see cref="ResilienceHandler.SetDeadline"/>). A waiter cannot reach
/// the <see cref="HttpRequestMessage"/> a generated client builds, so it sets the deadline here, around the call:
/// <code>using (RequestDeadline.Begin(deadline)) { job = await generator.GetJobAsync(id, ct); }</code>
/// </summary>
/// <remarks>
/// The value lives in an <see cref="AsyncLocal{T}"/>: it flows into the awaited call and its HTTP handlers, never
/// back to the caller nor to unrelated work. A nested scope can only bring the deadline closer.
/// </remarks>
internal static class RequestDeadline
{
    private static readonly AsyncLocal<DateTimeOffset?> Ambient = new();

    /// <summary>The deadline of the current flow, if one was set.</summary>
    public static DateTimeOffset? Current => Ambient.Value;

    /// <summary>Sets <paramref name="deadline"/> (or keeps an earlier one) until the returned scope is disposed.</summary>
    /// <param name="deadline">The time after which no retry may start.</param>
    /// <returns>The scope; dispose it when the call returns.</returns>
    public static Scope Begin(DateTimeOffset deadline)
    {
        var previous = Ambient.Value;
        Ambient.Value = previous is { } outer && outer < deadline ? outer : deadline;
        return new Scope(previous);
    }

    /// <summary>Restores the deadline that was current before <see cref="Begin"/>.</summary>
    internal readonly struct Scope(DateTimeOffset? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
