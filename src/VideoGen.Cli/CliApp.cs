using System.CommandLine;
using Spectre.Console;

namespace VideoGen.Cli;

/// <summary>videogen's command tree and one run of it: what Program.cs calls, and what tests call in-process.</summary>
internal static class CliApp
{
    public const string Description = "videogen: a video from a prompt, with any VideoGen vendor. With no API key it runs on the embedded local sandbox.";

    /// <summary>Runs <c>videogen <paramref name="args"/></c> with the process's environment.</summary>
    /// <param name="args">The arguments after the command name.</param>
    /// <param name="console">Where lines for people go.</param>
    /// <param name="json">Standard output: the --json document and help.</param>
    /// <param name="cancellationToken">Cancels the command (as Ctrl+C does).</param>
    /// <returns>The exit code (<see cref="ExitCodes"/>).</returns>
    public static Task<int> RunAsync(string[] args, IAnsiConsole console, TextWriter json, CancellationToken cancellationToken = default) =>
        RunAsync(args, new CliContext(console, json), cancellationToken);

    /// <summary>Runs <c>videogen <paramref name="args"/></c> in <paramref name="context"/>.</summary>
    /// <param name="args">The arguments after the command name.</param>
    /// <param name="context">The console, writers, environment and sandbox starter to use.</param>
    /// <param name="cancellationToken">Cancels the command (as Ctrl+C does).</param>
    /// <returns>The exit code (<see cref="ExitCodes"/>): a command line that does not parse is invalid input (2), not System.CommandLine's 1.</returns>
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        var parse = CreateRootCommand(context).Parse(args);
        if (parse.Errors.Count > 0)
        {
            // One line per error and where to read more; not System.CommandLine's full help screen with .NET type names.
            foreach (var error in parse.Errors)
            {
                await context.Error.WriteLineAsync($"videogen: {Messages.ParseError(error.Message)}").ConfigureAwait(false);
            }

            var command = parse.CommandResult.Command is RootCommand ? "videogen" : $"videogen {parse.CommandResult.Command.Name}";
            await context.Error.WriteLineAsync($"See '{command} --help'.").ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }

        // Signals are handled here, not by System.CommandLine (which ends the process 2 s after Ctrl+C, whatever the
        // command is doing): the first one cancels the command, which reports what goes on; a second one exits at once.
        var invocation = new InvocationConfiguration { Output = context.Out, Error = context.Error, ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false };
        // Not disposed: a Ctrl+C after the command ended, while the process shuts down, still exits 130 at once.
        var interrupts = context.HandlesProcessTermination ? Interrupts.Process : null;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, interrupts?.Token ?? CancellationToken.None);
        int code;
        try
        {
            code = await parse.InvokeAsync(invocation, cancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // A command with nothing of its own to say about an interruption.
            context.Console.MarkupLine("Interrupted.");
            code = ExitCodes.Interrupted;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A bug, not a vendor's answer: its words on standard error (no stack trace, no configured key; VIDEOGEN_DEBUG=1 adds the trace).
            var keys = VideoGen.Catalog.VideoModelCatalog.Default.Vendors.Select(context.ApiKey).ToArray();
            var words = context.Variable("VIDEOGEN_DEBUG") == "1" ? e.ToString() : Messages.WithoutLibraryNames(e.Message);
            await context.Error.WriteLineAsync($"videogen: unexpected error (a bug in videogen; please report it): {Excerpt.Redact(words, keys)}").ConfigureAwait(false);
            code = 1;
        }

        if (interrupts?.Signal is not null && code == ExitCodes.Interrupted)
        {
            code = interrupts.ExitCode;
        }

        return code;
    }

    public static RootCommand CreateRootCommand(CliContext context)
    {
        // Help says videogen, the tool's command name, whatever the host process is called (dotnet run: VideoGen.Cli).
        var root = new RootCommand(Description) { HelpName = "videogen" };
        root.Subcommands.Add(GenerateCommand.Generate(context));
        root.Subcommands.Add(ModelsCommand.Create(context));
        root.Subcommands.Add(OfflineCommands.Validate(context));
        root.Subcommands.Add(OfflineCommands.Price(context));
        root.Subcommands.Add(DbCommands.WithDb(JobCommands.Status(context), context));
        root.Subcommands.Add(JobCommands.Wait(context));
        root.Subcommands.Add(JobCommands.Download(context));
        root.Subcommands.Add(JobCommands.Cancel(context));
        root.Subcommands.Add(GenerateCommand.Extend(context));
        root.Subcommands.Add(BatchCommand.Create(context));
        root.Subcommands.Add(ResumeCommand.Create(context));
        root.Subcommands.Add(DbCommands.Worker(context));
        return root;
    }
}
