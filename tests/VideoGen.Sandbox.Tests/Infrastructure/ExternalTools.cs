using System.Diagnostics;
using VideoGen.Testing;

namespace VideoGen.Sandbox.Tests.Infrastructure;

/// <summary>The output of a finished process.</summary>
internal sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
}

/// <summary>Runs the seeds' own client code (curl, python3 with requests) and tells whether those tools exist here.</summary>
internal static class ExternalTools
{
    private static readonly Lazy<bool> HasCurl = new(() => Probe("curl", "--version"));
    private static readonly Lazy<bool> HasPythonRequests = new(() => Probe("python3", "-c \"import requests\""));

    public static bool CurlAvailable => HasCurl.Value;

    public static bool PythonRequestsAvailable => HasPythonRequests.Value;

    /// <summary>Runs a process with a loopback-only network environment (no proxy) and returns when it exits.</summary>
    public static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout, IDictionary<string, string>? environment = null)
    {
        var variables = new Dictionary<string, string?>
        {
            ["http_proxy"] = null,
            ["https_proxy"] = null,
            ["HTTP_PROXY"] = null,
            ["HTTPS_PROXY"] = null,
            ["ALL_PROXY"] = null,
            ["all_proxy"] = null,
            ["NO_PROXY"] = "127.0.0.1,localhost",
            ["no_proxy"] = "127.0.0.1,localhost",
            ["PYTHONUNBUFFERED"] = "1",
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }

        var result = await ProcessRunner.RunAsync(fileName, arguments, Environment.CurrentDirectory, timeout, variables);
        return new ProcessResult(result.ExitCode, result.StandardOutput, result.StandardError);
    }

    private static bool Probe(string fileName, string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(fileName, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (process is null)
            {
                return false;
            }

            process.WaitForExit(10_000);
            return process.HasExited && process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}

/// <summary>A fact that needs curl; skipped with the reason when curl is not installed.</summary>
internal sealed class CurlFactAttribute : FactAttribute
{
    public CurlFactAttribute()
    {
        if (!ExternalTools.CurlAvailable)
        {
            Skip = "curl is not installed, so the seeds' cURL examples cannot run.";
        }
    }
}

/// <summary>A fact that needs python3 with requests; skipped with the reason when they are missing.</summary>
internal sealed class PythonRequestsFactAttribute : FactAttribute
{
    public PythonRequestsFactAttribute()
    {
        if (!ExternalTools.PythonRequestsAvailable)
        {
            Skip = "python3 with the requests package is not available (python3 -c \"import requests\" fails; pip cannot reach PyPI here), so the seeds' Python examples cannot run.";
        }
    }
}
