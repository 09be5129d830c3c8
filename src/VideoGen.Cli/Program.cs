using VideoGen.Cli;

return await CliApp.RunAsync(args, CliContext.ForProcess()).ConfigureAwait(false);
