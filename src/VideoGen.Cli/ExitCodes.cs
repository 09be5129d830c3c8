namespace VideoGen.Cli;

/// <summary>The process exit codes of videogen (documented in the README).</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int InvalidInput = 2;
    public const int VendorError = 3;
    public const int JobFailed = 4;
    public const int TimedOut = 5;

    /// <summary>Interrupted by Ctrl+C (SIGINT): 128 + 2, as shells report it.</summary>
    public const int Interrupted = 130;

    /// <summary>Stopped by SIGTERM: 128 + 15.</summary>
    public const int Terminated = 143;

    /// <summary>Maps a failure to its exit code.</summary>
    public static int For(Exception exception) => exception switch
    {
        // Not supported: nothing was sent, like invalid input.
        VideoGenValidationException or VideoGenNotSupportedException or ArgumentException or CliUsageException => InvalidInput,
        JobFailedException => JobFailed,
        JobTimeoutException or CommandTimedOutException => TimedOut,
        _ => VendorError,
    };
}

/// <summary>Input the command line cannot use (unknown vendor, bad URL...): exit code 2.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
