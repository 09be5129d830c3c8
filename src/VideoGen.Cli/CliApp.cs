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

        var invocation = new InvocationConfiguration { Output = context.Out, Error = context.Error };
        if (!context.HandlesProcessTermination)
        {
            // In-process: Ctrl+C belongs to the host; the caller's token cancels.
            invocation.ProcessTerminationTimeout = null;
        }

        return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
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
