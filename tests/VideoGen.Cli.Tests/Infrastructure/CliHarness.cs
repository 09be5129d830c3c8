using System.Collections.Concurrent;
using Newtonsoft.Json.Linq;
using VideoGen.Sandbox;

namespace VideoGen.Cli.Tests.Infrastructure;

/// <summary>
/// Runs <c>videogen</c> in-process (<see cref="CliApp.RunAsync(string[], CliContext, CancellationToken)"/>) with
/// captured output and an environment of its own: no API keys (so the embedded sandbox is used), a fast
/// sandbox clock, and a private VIDEOGEN_HOME. Nothing is read from or written to the process environment,
/// so harnesses run in parallel.
/// </summary>
public sealed class CliHarness : IDisposable
{
    /// <summary>The embedded sandbox's time scale in these tests: a 45–90 s kling-v2.1 job takes 0.09–0.18 s.</summary>
    public const string FastTimeScale = "0.002";

    private readonly ConcurrentQueue<SandboxServer> _sandboxes = new();

    public CliHarness()
    {
        Home = Path.Combine(Path.GetTempPath(), "videogen-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Home);
        OutDirectory = Path.Combine(Home, "videos");
        Environment[SandboxOptions.TimeScaleEnvironmentVariable] = FastTimeScale;
        Environment[CliContext.HomeEnvironmentVariable] = Home;
    }

    /// <summary>The variables the CLI sees; nothing else is set (no vendor API key).</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>VIDEOGEN_HOME: the journal lives here.</summary>
    public string Home { get; }

    /// <summary>A directory to pass as --out.</summary>
    public string OutDirectory { get; }

    /// <summary>Every embedded sandbox the CLI started through this harness (stopped by then; their counters remain).</summary>
    public IReadOnlyList<SandboxServer> SandboxesStarted => _sandboxes.ToList();

    /// <summary>Runs <c>videogen <paramref name="args"/></c> and returns its exit code and output.</summary>
    public async Task<CliRun> RunAsync(params string[] args)
    {
        var console = new StringWriter();
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext(CliContext.CreateConsole(console, redirected: true), output, error, name => Environment.GetValueOrDefault(name))
        {
            StartSandbox = async (options, ct) =>
            {
                var sandbox = await SandboxServer.StartAsync(options, ct);
                _sandboxes.Enqueue(sandbox);
                return sandbox;
            },
        };

        // A hung command fails the test instead of the run.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var code = await CliApp.RunAsync(args, context, timeout.Token);
        timeout.IsCancellationRequested.ShouldBeFalse($"videogen {string.Join(' ', args)} did not finish within 90 s");
        var run = new CliRun(args, code, console.ToString(), output.ToString(), error.ToString());

        // Every run of every CLI test is a sweep: no C# type or property name, exception name or stack trace reaches a person.
        DotNetNames.ShouldNotBeIn(run);
        return run;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the temp folder is cleaned by the system eventually.
        }
    }
}

/// <summary>One run's exit code and what it wrote.</summary>
/// <param name="Args">The arguments.</param>
/// <param name="ExitCode">The exit code.</param>
/// <param name="Console">What the terminal received (lines for people).</param>
/// <param name="Out">Standard output: the --json document, help.</param>
/// <param name="Error">Standard error: parse errors.</param>
public sealed record CliRun(string[] Args, int ExitCode, string Console, string Out, string Error)
{
    /// <summary>Everything written, for assertion messages.</summary>
    public string All => $"videogen {string.Join(' ', Args)} → exit {ExitCode}{System.Environment.NewLine}[console]{System.Environment.NewLine}{Console}[out]{System.Environment.NewLine}{Out}[error]{System.Environment.NewLine}{Error}";

    /// <summary>Standard output parsed as the one JSON document --json prints.</summary>
    public JToken Json
    {
        get
        {
            Out.ShouldNotBeNullOrWhiteSpace(All);
            using var reader = new Newtonsoft.Json.JsonTextReader(new StringReader(Out));
            var token = JToken.ReadFrom(reader);
            reader.Read().ShouldBeFalse($"--json printed more than one document:{System.Environment.NewLine}{All}");
            return token;
        }
    }

    /// <summary>Asserts the exit code, showing all output when it differs.</summary>
    public CliRun ShouldExitWith(int code)
    {
        ExitCode.ShouldBe(code, All);
        return this;
    }
}
