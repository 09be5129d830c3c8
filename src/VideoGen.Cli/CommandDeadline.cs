namespace VideoGen.Cli;

/// <summary>
/// The whole command's --timeout: one token that cancels every HTTP call, body read, wait and download of the
/// command <see cref="Grace"/> after the timeout (the wait gives up at the timeout itself with its own message),
/// so no command outlives its --timeout by more than a few seconds, whatever a server does.
/// </summary>
internal sealed class CommandDeadline : IDisposable
{
    /// <summary>How long past --timeout the backstop fires: time for the wait's own timeout to report first.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _timer;
    private readonly CancellationTokenSource _linked;
    private readonly CancellationToken _user;

    public CommandDeadline(TimeSpan timeout, CancellationToken user)
    {
        Timeout = timeout;
        _user = user;
        _timer = new CancellationTokenSource(timeout + Grace);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(user, _timer.Token);
    }

    /// <summary>The --timeout.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Cancelled by the user (Ctrl+C) or when the deadline passes.</summary>
    public CancellationToken Token => _linked.Token;

    /// <summary>Whether the deadline, not the user, cancelled <see cref="Token"/>.</summary>
    public bool Expired => _timer.IsCancellationRequested && !_user.IsCancellationRequested;

    /// <summary>The failure to report when the deadline passed during <paramref name="what"/>.</summary>
    public CommandTimedOutException TimedOut(string what) =>
        new($"{what} did not finish within --timeout {Timeout.TotalSeconds:0.#} s and was abandoned.");

    public void Dispose()
    {
        _linked.Dispose();
        _timer.Dispose();
    }
}

/// <summary>The command's --timeout passed (exit code 5, like a wait that timed out).</summary>
internal sealed class CommandTimedOutException(string message) : Exception(message);
