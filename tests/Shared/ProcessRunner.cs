using System.Diagnostics;
using System.Text;

namespace VideoGen.Testing;

/// <summary>Runs a command to completion with a timeout and returns its exit code and output.</summary>
public static class ProcessRunner
{
    public sealed record Result(string Command, int ExitCode, string StandardOutput, string StandardError)
    {
        public string All => $"{Command} → exit {ExitCode}{Environment.NewLine}{StandardOutput}{Environment.NewLine}{StandardError}";
    }

    /// <summary>Runs <paramref name="fileName"/>; variables set to null in <paramref name="environment"/> are removed.</summary>
    public static async Task<Result> RunAsync(string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout, IDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        var command = $"{fileName} {string.Join(' ', info.ArgumentList)}";
        using var process = new Process { StartInfo = info };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stdout)
                {
                    stdout.AppendLine(e.Data);
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} did not finish within {timeout}.{Environment.NewLine}{stdout}{Environment.NewLine}{stderr}");
        }

        process.WaitForExit();
        return new Result(command, process.ExitCode, stdout.ToString(), stderr.ToString());
    }
}
