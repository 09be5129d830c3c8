using System.CommandLine;
using Spectre.Console;
using VideoGen.Cli;

var root = new RootCommand("videogen: a video from a prompt, with any VideoGen vendor. With no API key it runs on the embedded local sandbox.");
Func<bool, Output> output = json => new Output(AnsiConsole.Console, Console.Out, json);
root.Subcommands.Add(GenerateCommand.Generate(output));
root.Subcommands.Add(ModelsCommand.Create(output));
root.Subcommands.Add(OfflineCommands.Validate(output));
root.Subcommands.Add(OfflineCommands.Price(output));
root.Subcommands.Add(JobCommands.Status(output));
root.Subcommands.Add(JobCommands.Wait(output));
root.Subcommands.Add(JobCommands.Download(output));
root.Subcommands.Add(GenerateCommand.Extend(output));
root.Subcommands.Add(BatchCommand.Create(output));
root.Subcommands.Add(ResumeCommand.Create(output));
return await root.Parse(args).InvokeAsync();
