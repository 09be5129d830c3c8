using System.Diagnostics;
using Newtonsoft.Json.Linq;
using VideoGen.Sandbox;

namespace VideoGen.Cli.Tests.Infrastructure;

/// <summary>
/// <c>videogen</c> as its own process (<c>dotnet VideoGen.Cli.dll</c>, copied next to the tests by the project
/// reference): with plain pipes for standard output and error, or on a real pseudo-terminal (python3's pty module,
/// Terminal/pty_run.py) that sends Ctrl+C as a terminal does. Its environment is isolated: its own VIDEOGEN_HOME, no
/// vendor API key, no sandbox time scale unless a test sets one.
/// </summary>
public sealed class RealCli : IDisposable
{
    private static readonly string CliDll = Path.Combine(AppContext.BaseDirectory, "VideoGen.Cli.dll");
    private static readonly string PtyDriver = Path.Combine(AppContext.BaseDirectory, "Terminal", "pty_run.py");
    private static readonly string[] Cleared =
    [
        "ELUMENTA_API_KEY", "NEURALBOX_API_KEY", "APIFRAME_API_KEY", "GATEWAY_API_KEY", "AIMLAPI_API_KEY", "OXEN_API_KEY",
        SandboxOptions.TimeScaleEnvironmentVariable, "VIDEOGEN_SANDBOX_CREDITS", "VIDEOGEN_SANDBOX_FAILURE_RATE", "VIDEOGEN_SANDBOX_SEED",
    ];

    public RealCli()
    {
        Home = Path.Combine(Path.GetTempPath(), "videogen-cli-process-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Home);
        OutDirectory = Path.Combine(Home, "videos");
        foreach (var name in Cleared)
        {
            Environment[name] = null;
        }

        Environment[CliContext.HomeEnvironmentVariable] = Home;
    }

    /// <summary>VIDEOGEN_HOME, and the working directory.</summary>
    public string Home { get; }

    /// <summary>A directory to pass as --out.</summary>
    public string OutDirectory { get; }

    /// <summary>Variables set (or removed, when null) for the process.</summary>
    public Dictionary<string, string?> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>Runs <c>videogen <paramref name="args"/></c> with standard output and error on pipes (not a terminal).</summary>
    public async Task<ProcessRunner.Result> PipesAsync(params string[] args)
    {
        var result = await ProcessRunner.RunAsync("dotnet", [CliDll, .. args], Home, TimeSpan.FromSeconds(120), Environment);

        // As every in-process run (CliHarness): no .NET name reaches a person.
        var found = DotNetNames.In(result.StandardOutput + "\n" + result.StandardError).Distinct().ToList();
        found.ShouldBeEmpty($"videogen printed .NET names a person should not see ({string.Join(", ", found)}):{System.Environment.NewLine}{result.All}");
        return result;
    }

    /// <summary>
    /// Runs <c>videogen <paramref name="args"/></c> on a pseudo-terminal; once <paramref name="waitFor"/> appears on it,
    /// sends Ctrl+C at each of <paramref name="interruptsAt"/> (seconds after that).
    /// </summary>
    public async Task<TerminalRun> TerminalAsync(string waitFor, double[] interruptsAt, params string[] args)
    {
        var result = await ProcessRunner.RunAsync(
            "python3",
            [PtyDriver, "--wait-for", waitFor, "--at", string.Join(',', interruptsAt.Select(x => x.ToString(System.Globalization.CultureInfo.InvariantCulture))), "--timeout", "100", "--", "dotnet", CliDll, .. args],
            Home,
            TimeSpan.FromSeconds(120),
            Environment);
        result.ExitCode.ShouldBe(0, $"the pty driver failed: {result.All}");
        var json = JObject.Parse(result.StandardOutput);
        return new TerminalRun(
            (int)json["exitCode"]!,
            (bool)json["sawText"]!,
            json["aliveAtInterrupts"]!.Values<bool>().ToList(),
            (double?)json["secondsAfterLastInterrupt"],
            (string)json["output"]!,
            string.Join(' ', args));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}

/// <summary>What a run on the pseudo-terminal did.</summary>
/// <param name="ExitCode">The exit code; negative when a signal ended the process.</param>
/// <param name="SawText">Whether the awaited text appeared (and so Ctrl+C was sent).</param>
/// <param name="AliveAtInterrupts">Whether the process was running as each Ctrl+C was sent.</param>
/// <param name="SecondsAfterLastInterrupt">From the last Ctrl+C to the process's end.</param>
/// <param name="Output">Everything the terminal received, escape sequences included.</param>
/// <param name="Command">The arguments, for messages.</param>
public sealed record TerminalRun(int ExitCode, bool SawText, IReadOnlyList<bool> AliveAtInterrupts, double? SecondsAfterLastInterrupt, string Output, string Command)
{
    /// <summary>ANSI: hide and show the cursor.</summary>
    public const string HideCursor = "\u001b[?25l";

    public const string ShowCursor = "\u001b[?25h";

    /// <summary>For assertion messages: the output with escapes made visible.</summary>
    public string All => $"videogen {Command} → exit {ExitCode}, saw text {SawText}, alive {string.Join(",", AliveAtInterrupts)}, {SecondsAfterLastInterrupt} s after the last Ctrl+C{System.Environment.NewLine}{Output.Replace("\u001b", "\\e", StringComparison.Ordinal)}";

    /// <summary>Whether the cursor is visible at the end: every hide was followed by a show.</summary>
    public bool CursorVisibleAtEnd => Output.LastIndexOf(HideCursor, StringComparison.Ordinal) < Output.LastIndexOf(ShowCursor, StringComparison.Ordinal)
        || !Output.Contains(HideCursor, StringComparison.Ordinal);

    /// <summary>The terminal's text without escape sequences and carriage returns, lines joined as the terminal wrapped them.</summary>
    public string Text => System.Text.RegularExpressions.Regex.Replace(Output, "\u001b\\[[0-9;?]*[A-Za-z]|\u001b[=>]", string.Empty).Replace("\r", string.Empty, StringComparison.Ordinal);
}
