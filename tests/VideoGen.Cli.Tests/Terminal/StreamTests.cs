using System.Text;
using Newtonsoft.Json.Linq;
using VideoGen.Cli.Tests.Infrastructure;

namespace VideoGen.Cli.Tests.Terminal;

/// <summary>
/// Issue 14 items 3 and 9, through plain pipes to the built videogen process: errors, progress and hints on standard
/// error; standard output carries results only (or the --json document alone); nothing is hard-wrapped when piped.
/// </summary>
public sealed class StreamTests : IDisposable
{
    private readonly RealCli _cli = new();

    public void Dispose() => _cli.Dispose();

    public static TheoryData<string[], int> FailingCommands => new()
    {
        { ["status", "1", "--vendor", "oxen"], 2 },
        { ["generate", "A cat", "--duration", "99"], 2 },
        { ["price", "A cat", "--vendor", "acme"], 2 },
        { ["batch", "no-such-file.jsonl"], 2 },
        { ["wait", "18500", "--vendor", "elumenta", "--base-url", "http://127.0.0.1:9/", "--timeout", "1", "--no-download"], 5 },
    };

    [Theory]
    [MemberData(nameof(FailingCommands))]
    public async Task FailingCommand_WritesNothingToStandardOutput(string[] args, int exitCode)
    {
        var run = await _cli.PipesAsync(args);

        run.ExitCode.ShouldBe(exitCode, run.All);
        run.StandardOutput.ShouldBeEmpty(run.All);
        run.StandardError.ShouldContain("error", customMessage: run.All);
    }

    [Fact]
    public async Task FailingCommandWithJson_WritesOnlyTheDocumentToStandardOutput()
    {
        var run = await _cli.PipesAsync("generate", "A cat", "--duration", "99", "--json");

        run.ExitCode.ShouldBe(2, run.All);
        var document = JToken.Parse(run.StandardOutput);
        ((bool)document["ok"]!).ShouldBeFalse();
        ((int)document["exitCode"]!).ShouldBe(2);
        run.StandardError.ShouldNotContain("{", customMessage: run.All);
    }

    [Fact]
    public async Task Generate_Piped_ResultOnStandardOutputProgressOnStandardError()
    {
        _cli.Environment["VIDEOGEN_SANDBOX_TIME_SCALE"] = CliHarness.FastTimeScale;

        var run = await _cli.PipesAsync("generate", "A paper boat", "--vendor", "oxen", "--out", _cli.OutDirectory);

        run.ExitCode.ShouldBe(0, run.All);
        var file = Directory.GetFiles(_cli.OutDirectory, "oxen-*.mp4").ShouldHaveSingleItem();
        run.StandardOutput.ShouldContain(file);
        run.StandardOutput.ShouldNotContain("Submitted job");
        run.StandardOutput.ShouldNotContain("embedded local sandbox");
        run.StandardError.ShouldContain("Submitted job");
        run.StandardError.ShouldContain("embedded local sandbox");
        (run.StandardOutput + run.StandardError).ShouldNotContain("\u001b[", customMessage: "no escape sequences into a pipe");
    }

    [Fact]
    public async Task Status_Piped_ALongJobIdIsNeverSplitAcrossLines()
    {
        var id = "job-" + new string('7', 296);
        var body = $$"""{"id": "{{id}}", "status": "PROCESSING", "model": "veo-3", "progress": 40}""";
        await using var stub = new RawHttpStub(async (_, stream, ct) =>
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {bytes.Length}\r\n\r\n"), ct);
            await stream.WriteAsync(bytes, ct);
        });

        var run = await _cli.PipesAsync("status", id, "--vendor", "apiframe", "--base-url", stub.BaseUrl.ToString());

        run.ExitCode.ShouldBe(0, run.All);
        run.StandardOutput.Split('\n').ShouldContain(l => l.Contains($"Job {id}: PROCESSING", StringComparison.Ordinal), run.All);
    }
}
