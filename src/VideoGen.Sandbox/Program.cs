// Standalone entry point: dotnet run --project src/VideoGen.Sandbox -- --urls http://127.0.0.1:5080 [--time-scale 0.1]
return await VideoGen.Sandbox.SandboxServer.RunAsync(args).ConfigureAwait(false);
