using System.Globalization;
using Spectre.Console;
using VideoGen.Catalog;
using VideoGen.Journal;
using VideoGen.Sandbox;
using VideoGen.Waiting;
using VideoGen.Vendors;

namespace VideoGen.Cli;

/// <summary>
/// What one videogen run talks to: the terminal, standard output, the environment and the embedded
/// sandbox. The process passes its own (<see cref="ForProcess"/>); tests pass captured writers and an
/// environment of their own, so runs are isolated and need no process-wide variables.
/// </summary>
internal sealed class CliContext
{
    /// <summary>Where the journal lives: <c>$VIDEOGEN_HOME/journal.db</c>.</summary>
    public const string HomeEnvironmentVariable = "VIDEOGEN_HOME";

    /// <summary>
    /// The embedded sandbox's starting credits per vendor, as <c>VENDOR=AMOUNT</c> pairs separated by commas
    /// (<c>elumenta=0,aimlapi=500000</c>): to try the out-of-credits path without a real account.
    /// </summary>
    public const string SandboxCreditsEnvironmentVariable = "VIDEOGEN_SANDBOX_CREDITS";

    /// <summary>
    /// The width given to a console whose output is redirected: wide enough that no line is ever wrapped (a pipe, a
    /// file or a test gets each line whole, so <c>grep</c> finds whole job ids, URLs and paths).
    /// </summary>
    public const int RedirectedWidth = 1_000_000;

    /// <param name="console">Where lines for people go: progress, hints, warnings and errors (standard error).</param>
    /// <param name="output">Standard output: results, the --json document, help.</param>
    /// <param name="error">Standard error as a plain writer (parse errors, warnings); <paramref name="output"/> when null.</param>
    /// <param name="environment">Reads environment variables; the process's when null.</param>
    /// <param name="results">The console for results in text form (standard output); a redirected console over <paramref name="output"/> when null.</param>
    public CliContext(IAnsiConsole console, TextWriter output, TextWriter? error = null, Func<string, string?>? environment = null, IAnsiConsole? results = null)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(output);
        Console = console;
        Out = output;
        Error = error ?? output;
        Environment = environment ?? System.Environment.GetEnvironmentVariable;
        Results = results ?? CreateConsole(output, redirected: true);
    }

    private readonly SemaphoreSlim _historyGate = new(1, 1);
    private IProcessingTimeHistory? _processingTimes;

    /// <summary>The processing times of local sandboxes seen by this process (in the sandbox's scaled time).</summary>
    public IProcessingTimeHistory LocalProcessingTimes { get; } = new InMemoryProcessingTimeHistory();

    /// <summary>
    /// The processing times of vendors' jobs: seeded once per process from the journal's timestamps (every completed
    /// submission), then every job this process sees finish. Once a model has 20, waits place their polls from them.
    /// </summary>
    public async Task<IProcessingTimeHistory> ProcessingTimesAsync(CancellationToken cancellationToken)
    {
        await _historyGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_processingTimes is null)
            {
                var history = new InMemoryProcessingTimeHistory();
                try
                {
                    await JournalProcessingTimes.LoadAsync(history, JournalPath, cancellationToken).ConfigureAwait(false);
                }
                catch (Microsoft.Data.Sqlite.SqliteException)
                {
                    // A journal that cannot be read here is reported by the commands that need it; waiting uses the documented windows.
                }

                _processingTimes = history;
            }

            return _processingTimes;
        }
        finally
        {
            _historyGate.Release();
        }
    }

    /// <summary>Standard error as a console, for people: progress, live displays, hints, warnings and errors.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>Standard output as a console: what a command produced (a file, a status, a price, a table), in text form.</summary>
    public IAnsiConsole Results { get; }

    /// <summary>Standard output: results, the --json document, and help.</summary>
    public TextWriter Out { get; }

    /// <summary>Standard error: command-line parse errors.</summary>
    public TextWriter Error { get; }

    /// <summary>Reads an environment variable (API keys, VIDEOGEN_HOME, the embedded sandbox's settings).</summary>
    public Func<string, string?> Environment { get; }

    /// <summary>Starts the embedded sandbox; tests observe or replace it.</summary>
    public Func<SandboxOptions, CancellationToken, Task<SandboxServer>> StartSandbox { get; init; } = (options, ct) => SandboxServer.StartAsync(options, ct);

    /// <summary>Whether Ctrl+C and SIGTERM cancel the command (the process's own run; not an in-process test).</summary>
    public bool HandlesProcessTermination { get; init; }

    /// <summary>
    /// The context of the videogen process: people's lines (progress, hints, errors) on standard error, results on
    /// standard output, each a terminal or not on its own; the process environment.
    /// </summary>
    public static CliContext ForProcess() => new(
        CreateConsole(System.Console.Error, System.Console.IsErrorRedirected),
        System.Console.Out,
        System.Console.Error,
        results: CreateConsole(System.Console.Out, System.Console.IsOutputRedirected))
    {
        HandlesProcessTermination = true,
    };

    /// <summary>
    /// A console writing to <paramref name="writer"/>. Redirected output (a pipe, a file, a test) gets no ANSI escapes,
    /// no live display and no wrapping (<see cref="RedirectedWidth"/>), so <c>videogen models | grep kling-v2.1</c> finds
    /// whole model ids and a long job id is never split across lines.
    /// </summary>
    public static IAnsiConsole CreateConsole(TextWriter writer, bool redirected)
    {
        if (!redirected)
        {
            return AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = RedirectedWidth;
        return console;
    }

    public Output CreateOutput(bool json) => new(Console, Out, json, ReferenceEquals(Error, Out) ? null : Error, Results);

    /// <summary>A variable's value, or null when it is unset or empty.</summary>
    public string? Variable(string name) => Environment(name) is { Length: > 0 } value ? value : null;

    /// <summary>The vendor's API key from its environment variable (or a former one the catalog names, such as Apiframe's GATEWAY_API_KEY), or null.</summary>
    public string? ApiKey(VendorInfo vendor) => Descriptor(vendor).ApiKeyIn(Variable);

    /// <summary>The variable <see cref="ApiKey"/> read the key from, for messages about it.</summary>
    public string ApiKeyVariable(VendorInfo vendor) => Descriptor(vendor).ApiKeyVariableIn(Variable);

    private static VendorDescriptor Descriptor(VendorInfo vendor) => VendorDescriptors.Get(vendor.Id);

    /// <summary>The journal file: <c>$VIDEOGEN_HOME/journal.db</c>, or <c>~/.videogen/journal.db</c>.</summary>
    public string JournalPath => Variable(HomeEnvironmentVariable) is { } home ? Path.Combine(home, "journal.db") : SqliteJobJournal.DefaultPath;

    /// <summary>Starts the embedded sandbox with the settings of <see cref="CreateSandboxOptions"/>.</summary>
    public Task<SandboxServer> StartSandboxAsync(CancellationToken cancellationToken) => StartSandbox(CreateSandboxOptions(), cancellationToken);

    /// <summary>
    /// The embedded sandbox's options: time scale <see cref="VendorSession.EmbeddedTimeScale"/> unless
    /// VIDEOGEN_SANDBOX_TIME_SCALE says otherwise, and the seed, failure rate and credits of
    /// VIDEOGEN_SANDBOX_SEED, VIDEOGEN_SANDBOX_FAILURE_RATE and VIDEOGEN_SANDBOX_CREDITS.
    /// </summary>
    /// <exception cref="CliUsageException">A variable has a value the sandbox cannot use; the message names it, its value and what is allowed.</exception>
    public SandboxOptions CreateSandboxOptions()
    {
        // Fresh ids per run (a seed asks for a repeatable run, ids included): videos named after job ids do not collide.
        var options = new SandboxOptions { TimeScale = VendorSession.EmbeddedTimeScale, FreshIds = Variable(SandboxOptions.SeedEnvironmentVariable) is null };
        if (Variable(SandboxOptions.TimeScaleEnvironmentVariable) is { } scale)
        {
            options.TimeScale = ParseNumber(SandboxOptions.TimeScaleEnvironmentVariable, scale, 0, double.MaxValue, "a number >= 0, e.g. 0.01 (100 times faster than the vendors; 0 = instant)");
        }

        if (Variable(SandboxOptions.SeedEnvironmentVariable) is { } seed)
        {
            options.Seed = int.TryParse(seed, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) && parsed >= 0
                ? parsed
                : throw new CliUsageException($"{SandboxOptions.SeedEnvironmentVariable}: '{seed}' is not allowed; use a whole number >= 0.");
        }

        if (Variable(SandboxOptions.FailureRateEnvironmentVariable) is { } rate)
        {
            options.FailureRate = ParseNumber(SandboxOptions.FailureRateEnvironmentVariable, rate, 0, 1, "a probability from 0 to 1");
        }

        if (Variable(SandboxCreditsEnvironmentVariable) is { } credits)
        {
            foreach (var pair in credits.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
                var vendor = SandboxVendors.TryNormalize(parts[0]);
                if (parts.Length != 2
                    || vendor is null
                    || !decimal.TryParse(parts[1], NumberStyles.Number, CultureInfo.InvariantCulture, out var amount)
                    || amount < 0)
                {
                    throw new CliUsageException(
                        $"{SandboxCreditsEnvironmentVariable}: '{pair}' is not allowed; use VENDOR=AMOUNT pairs separated by commas, " +
                        $"with a vendor of {string.Join(", ", SandboxVendors.All)} (neuralbox is elumenta) and an amount >= 0, e.g. elumenta=0,aimlapi=500000.");
                }

                options.InitialCredits[vendor] = amount;
            }
        }

        return options;
    }

    private static double ParseNumber(string variable, string value, double min, double max, string allowed) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) && number >= min && number <= max
            ? number
            : throw new CliUsageException($"{variable}: '{value}' is not allowed; use {allowed}.");
}
