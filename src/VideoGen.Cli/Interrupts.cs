using System.Runtime.InteropServices;

namespace VideoGen.Cli;

/// <summary>
/// Ctrl+C and SIGTERM for the videogen process. The first signal cancels <see cref="Token"/>: the command stops what it
/// waits for, its live display restores the cursor, and it says in one line what goes on at the vendor and how to
/// pick it up (exit 130). A second signal exits at once (130), after showing the cursor again.
/// </summary>
internal sealed class Interrupts : IDisposable
{
    private static readonly Lazy<Interrupts> LazyProcess = new(() => new Interrupts());

    /// <summary>The process's handler, registered on first use and kept until the process exits.</summary>
    public static Interrupts Process => LazyProcess.Value;

    /// <summary>ANSI "show cursor" (DECTCEM): a spinner hides the cursor while it runs.</summary>
    public const string ShowCursor = "\u001b[?25h";

    private readonly CancellationTokenSource _cancel = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private int _signals;

    private Interrupts()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>Cancelled by the first Ctrl+C or SIGTERM.</summary>
    public CancellationToken Token => _cancel.Token;

    /// <summary>The first signal received, or null.</summary>
    public PosixSignal? Signal { get; private set; }

    /// <summary>The exit code of a command the first signal stopped: 130 for Ctrl+C, 143 for SIGTERM.</summary>
    public int ExitCode => Signal == PosixSignal.SIGTERM ? ExitCodes.Terminated : ExitCodes.Interrupted;

    private void OnSignal(PosixSignalContext context)
    {
        // The runtime's default (ending the process at once, the cursor left hidden) is what the first signal must not do.
        context.Cancel = true;
        if (Interlocked.Increment(ref _signals) == 1)
        {
            Signal = context.Signal;

            // Cancel callbacks run elsewhere: the signal thread returns at once and stays free for a second signal.
            _ = Task.Run(_cancel.Cancel);
            return;
        }

        // The second one: the user wants out now.
        RestoreTerminal();
        Environment.Exit(ExitCode);
    }

    /// <summary>Shows the cursor again on whichever of standard output and error is a terminal.</summary>
    public static void RestoreTerminal()
    {
        try
        {
            if (!Console.IsErrorRedirected)
            {
                Console.Error.Write(ShowCursor);
                Console.Error.WriteLine();
                Console.Error.Flush();
            }
            else if (!Console.IsOutputRedirected)
            {
                Console.Out.Write(ShowCursor);
                Console.Out.Flush();
            }
        }
        catch (IOException)
        {
            // The terminal is gone: nothing to restore.
        }
    }

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _cancel.Dispose();
    }
}
