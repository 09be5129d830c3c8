using Newtonsoft.Json;
using Newtonsoft.Json.Serialization;
using Spectre.Console;

namespace VideoGen.Cli;

/// <summary>
/// Writes for people (progress, hints, errors: standard error), results in text form (standard output), or one JSON
/// document for programs (--json, standard output). Standard output carries nothing else, so
/// <c>videogen ... | program</c> reads results only.
/// </summary>
internal sealed class Output(IAnsiConsole console, TextWriter jsonWriter, bool json, TextWriter? errorWriter = null, IAnsiConsole? results = null)
{
    private static readonly JsonSerializerSettings JsonSettings = new()
    {
        ContractResolver = new CamelCasePropertyNamesContractResolver(),
        NullValueHandling = NullValueHandling.Include,
        Formatting = Formatting.Indented,
        Converters = { new Newtonsoft.Json.Converters.StringEnumConverter(new CamelCaseNamingStrategy()) },
    };

    /// <summary>An output that prints nothing (for work whose result is reported elsewhere).</summary>
    public static Output Silent { get; } = new(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) }), TextWriter.Null, json: true);

    private readonly List<string> _secrets = [];

    public bool IsJson => json;

    /// <summary>
    /// Never prints <paramref name="secret"/> (nor any encoded form of it: see Excerpt.Redact) from here on: vendor text, result
    /// URLs and error messages are outside strings that may quote the key.
    /// </summary>
    public void Redact(string? secret)
    {
        if (!string.IsNullOrEmpty(secret) && !_secrets.Contains(secret))
        {
            _secrets.Add(secret);
        }
    }

    /// <summary>Every text printed: without the secrets, without .NET's names (<see cref="Messages.WithoutLibraryNames"/>), printable.</summary>
    private string Clean(string text) => Printable(Messages.WithoutLibraryNames(_secrets.Count == 0 ? text : Excerpt.Redact(text, [.. _secrets])));

    /// <summary>
    /// <paramref name="text"/> without control characters other than line breaks and tabs: a vendor's status, error or
    /// URL (text VideoGen does not control) reaches the terminal as text, never as an escape sequence that sets the
    /// window title, clears the screen or moves the cursor (ECMA-48 ESC/CSI/OSC sequences start with a control character).
    /// </summary>
    public static string Printable(string text)
    {
        if (!text.Any(c => char.IsControl(c) && c is not ('\n' or '\t' or '\r')))
        {
            return text;
        }

        var printable = new System.Text.StringBuilder(text.Length);
        foreach (var c in text)
        {
            printable.Append(char.IsControl(c) && c is not ('\n' or '\t' or '\r') ? '\uFFFD' : c);
        }

        return printable.ToString();
    }

    /// <summary>Standard error: for people (progress, live displays).</summary>
    public IAnsiConsole Console => console;

    /// <summary>Standard output in text form: results (a table, a file, a status).</summary>
    public IAnsiConsole Results => results ?? console;

    /// <summary>A line for people: progress, a hint (standard error; suppressed with --json, where only the final document is printed).</summary>
    public void Info(string markup)
    {
        if (!json)
        {
            console.MarkupLine(Clean(markup));
        }
    }

    /// <summary>A line of the command's result (standard output; with --json the document carries it instead).</summary>
    public void Result(string markup)
    {
        if (!json)
        {
            Results.MarkupLine(Clean(markup));
        }
    }

    /// <summary>
    /// Reports that the user interrupted the command (Ctrl+C): one line on standard error saying what goes on and the
    /// exact command that picks it up (with --json, also the document), and returns <see cref="ExitCodes.Interrupted"/>.
    /// </summary>
    /// <param name="message">What was going on and what goes on now.</param>
    /// <param name="pickUp">The command that picks the work up, or null when there is nothing to pick up.</param>
    public int Interrupted(string message, string? pickUp = null)
    {
        var line = pickUp is null ? $"Interrupted: {message}" : $"Interrupted: {message} Pick it up with: {pickUp}";

        // Written whole, never wrapped by the console: the command in it is copied as one line.
        var writer = console.Profile.Out.Writer;
        writer.WriteLine(Clean(line));
        writer.Flush();
        Document(new { ok = false, exitCode = ExitCodes.Interrupted, error = new { type = "Interrupted", message = Clean(message), pickUp } });
        return ExitCodes.Interrupted;
    }

    public void Document(object value)
    {
        if (json)
        {
            jsonWriter.WriteLine(Clean(JsonConvert.SerializeObject(value, JsonSettings)));
        }
    }

    /// <summary>Reports a failure and returns its exit code.</summary>
    /// <param name="exception">The failure.</param>
    /// <param name="jobId">The job it concerns, when one was created.</param>
    /// <param name="onEmbeddedSandbox">Whether the job ran on the embedded sandbox, which stops with the command (a timed-out job cannot be resumed).</param>
    public int Fail(Exception exception, string? jobId = null, bool onEmbeddedSandbox = false)
    {
        var code = ExitCodes.For(exception);
        jobId ??= (exception as VideoGenException)?.JobId;
        if (exception is Journal.JobJournalException { JobId: { } paid } && errorWriter is not null)
        {
            // A paid job the journal could not record: its id goes to standard error too, whatever else is printed.
            errorWriter.WriteLine(Clean($"videogen: job {paid} was created and is billed, but the journal could not record it: {exception.Message}"));
        }

        var hint = jobId is null || code is not ExitCodes.TimedOut ? null
            : onEmbeddedSandbox ? $"Job {jobId} ran on the embedded sandbox, which stopped with this command, so it cannot be resumed: run again with a larger --timeout, or start a standalone sandbox and use --base-url."
            : $"The job is still known as {jobId}: resume with videogen wait {jobId} (same --vendor/--base-url).";
        if (json)
        {
            Document(new
            {
                ok = false,
                exitCode = code,
                error = new
                {
                    type = Messages.ErrorType(exception),
                    message = Messages.ForPeople(exception),
                    vendor = (exception as VideoGenException)?.Vendor,
                    status = (int?)(exception as VideoGenException)?.StatusCode,
                    code = (exception as VideoGenException)?.ErrorCode,
                    jobId,
                    failures = (exception as VideoGenValidationException)?.Failures.Select(f => new { field = Messages.FieldName(f.Field), option = Messages.Flag(f.Field), f.Value, allowed = Messages.WithFlags(f.Allowed) }),
                    hint,
                },
            });
        }
        else
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(Clean(Messages.ForPeople(exception)))}");
            if (hint is not null)
            {
                console.MarkupLine(Markup.Escape(hint));
            }
        }

        return code;
    }
}
