using System.Diagnostics;
using System.Reflection;

namespace VideoGen.Benchmarks.Infrastructure;

/// <summary>
/// A server run by this same executable in a child process (<c>serve ...</c>), so that what the
/// benchmark measures in its own process (allocations, working set, CPU) is the client's alone.
/// The child prints <c>listening URL</c> and lives until its standard input closes or it is killed.
/// </summary>
internal sealed class ChildServer : IAsyncDisposable
{
    public const string ReadyPrefix = "listening ";

    private readonly Process _process;

    private ChildServer(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    public int Port => Url.Port;

    public int ProcessId => _process.Id;

    /// <summary>Starts <c>serve <paramref name="arguments"/></c> and waits for its address.</summary>
    public static async Task<ChildServer> StartAsync(params string[] arguments)
    {
        var (fileName, prefix) = SelfCommand();
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        foreach (var arg in prefix.Concat(["serve"]).Concat(arguments))
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            while (true)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"The child server ({string.Join(' ', arguments)}) exited with code {(process.WaitForExit(5000) ? process.ExitCode : -1)} before it listened.");
                if (line.StartsWith(ReadyPrefix, StringComparison.Ordinal))
                {
                    return new ChildServer(process, new Uri(line[ReadyPrefix.Length..].Trim()));
                }
            }
        }
        catch
        {
            Kill(process);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Runs this executable again with <paramref name="arguments"/>, its output going to this console; returns its exit code.</summary>
    public static async Task<int> RunSelfAsync(IEnumerable<string> arguments)
    {
        var (fileName, prefix) = SelfCommand();
        var info = new ProcessStartInfo(fileName) { UseShellExecute = false };
        foreach (var arg in prefix.Concat(arguments))
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        await process.WaitForExitAsync().ConfigureAwait(false);
        return process.ExitCode;
    }

    /// <summary>Runs this executable again: the apphost directly, or <c>dotnet VideoGen.Benchmarks.dll</c>.</summary>
    private static (string FileName, string[] Prefix) SelfCommand()
    {
        var processPath = Environment.ProcessPath ?? throw new InvalidOperationException("The process path is unknown.");
        var entry = Assembly.GetEntryAssembly()?.Location;
        return string.Equals(Path.GetFileNameWithoutExtension(processPath), "dotnet", StringComparison.OrdinalIgnoreCase) && !string.IsNullOrEmpty(entry)
            ? (processPath, [entry])
            : (processPath, []);
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            // Closing stdin asks the child to stop; kill it if it does not.
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5000))
            {
                Kill(_process);
            }
        }
        catch (IOException)
        {
            Kill(_process);
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
