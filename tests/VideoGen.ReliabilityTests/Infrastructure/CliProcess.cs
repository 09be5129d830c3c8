using System.Diagnostics;
using System.Text;

namespace VideoGen.ReliabilityTests.Infrastructure;

/// <summary>
/// <c>videogen</c> as its own process (<c>dotnet VideoGen.Cli.dll ...</c>, copied next to the tests by the project
/// reference), with an isolated environment: its own VIDEOGEN_HOME (so its own journal) and dummy API keys.
/// </summary>
internal sealed class CliProcess : IDisposable
{
    private static readonly string CliDll = Path.Combine(AppContext.BaseDirectory, "VideoGen.Cli.dll");
    private static readonly string[] KeyVariables = ["ELUMENTA_API_KEY", "NEURALBOX_API_KEY", "GATEWAY_API_KEY", "AIMLAPI_API_KEY", "OXEN_API_KEY"];

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private CliProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string StandardOutput
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <c>videogen</c> with <paramref name="arguments"/>.</summary>
    /// <param name="home">VIDEOGEN_HOME: where the journal lives.</param>
    /// <param name="environment">More variables (for example VIDEOGEN_SANDBOX_TIME_SCALE).</param>
    /// <param name="arguments">The command line after <c>videogen</c>.</param>
    public static CliProcess Start(string home, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        File.Exists(CliDll).ShouldBeTrue($"{CliDll} is built by the project reference to VideoGen.Cli");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = home,
        };
        start.ArgumentList.Add(CliDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["VIDEOGEN_HOME"] = home;
        foreach (var variable in KeyVariables)
        {
            // A dummy key: the sandbox accepts any, and no real key of the machine can leak into a test.
            start.Environment[variable] = "reliability-dummy-key";
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var cli = new CliProcess(process);
        process.OutputDataReceived += (_, e) => Append(cli._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(cli._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Runs <c>videogen</c> to its end.</summary>
    public static async Task<CliProcess> RunAsync(string home, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, params string[] arguments)
    {
        var cli = Start(home, environment, arguments);
        await cli.WaitForExitAsync(timeout);
        return cli;
    }

    /// <summary>SIGKILL (what <see cref="Process.Kill()"/> sends on Linux): no handler runs, nothing is flushed.</summary>
    public void Kill() => _process.Kill();

    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            _process.Kill();
            throw new TimeoutException($"videogen did not finish within {timeout.TotalSeconds:0} s.{Environment.NewLine}stdout: {StandardOutput}{Environment.NewLine}stderr: {StandardError}");
        }

        // The asynchronous readers get the last lines once the process has exited.
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (builder)
        {
            builder.AppendLine(line);
        }
    }
}
