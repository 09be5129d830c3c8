using System.Text.RegularExpressions;
using VideoGen.Cli.Tests.Infrastructure;

namespace VideoGen.Cli.Tests;

/// <summary>
/// What videogen says when something is wrong (issue 14 item 8): the flag, the value and what is allowed, in a line or
/// two; no .NET type or parameter names, no library property names, no curated document file names, no help screen.
/// </summary>
public sealed partial class MessageTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    /// <summary>Every command, each with values it refuses (nothing here reaches a vendor: 127.0.0.1:1 refuses connections).</summary>
    public static TheoryData<string[]> BadCommands()
    {
        var data = new TheoryData<string[]>();
        string[][] requestFlags =
        [
            ["--duration", "abc"], ["--duration", "7"], ["--duration", "-3"], ["--timeout", "soon"], ["--timeout", "0"],
            ["--aspect-ratio", "3:7"], ["--resolution", "4k"], ["--image", "not a url"], ["--image", "ftp://example.com/a.png"],
            ["--end-image", "https://example.com/end.png"], ["--negative-prompt", "blur", "--vendor", "aimlapi"],
            ["--vendor", "acme"], ["--model", "no-such-model", "--vendor", "apiframe"], ["--resolution", "720p", "--vendor", "oxen"],
            ["--duration", "7", "--aspect-ratio", "3:7", "--image", "ftp://x/y", "--end-image", "https://e.com/x.png"],
        ];
        foreach (var command in new[] { "generate", "validate", "price" })
        {
            foreach (var flags in requestFlags)
            {
                data.Add([command, "A cat", .. flags]);
            }

            data.Add([command, ""]);
            data.Add([command]);
        }

        data.Add(["extend", "", "A cat"]);
        data.Add(["extend", "abc", "A cat", "--vendor", "elumenta"]);
        foreach (var command in new[] { "status", "wait", "download", "cancel" })
        {
            data.Add([command, "bad id", "--vendor", "aimlapi", "--base-url", "http://127.0.0.1:1/"]);
            data.Add([command, " ", "--vendor", "oxen", "--base-url", "http://127.0.0.1:1/"]);
            data.Add([command, "12x", "--vendor", "elumenta", "--base-url", "http://127.0.0.1:1/api/"]);
            data.Add([command, "18500", "--vendor", "elumenta", "--timeout", "2x"]);
            data.Add([command]);
        }

        data.Add(["batch", "/no/such/file.jsonl"]);
        data.Add(["batch", "lines.jsonl", "--budget", "-1"]);
        data.Add(["batch", "lines.jsonl", "--budget", "lots"]);
        data.Add(["batch", "lines.jsonl", "--concurrency", "0"]);
        data.Add(["batch", "lines.jsonl"]);
        data.Add(["resume", "--settle", "abc"]);
        data.Add(["resume", "--forget", "12345678"]);
        data.Add(["resume", "--job", "1"]);
        data.Add(["resume", "--timeout", "1x"]);
        data.Add(["models", "--vendor", "acme"]);
        data.Add(["worker"]);
        data.Add(["render", "A cat"]);
        data.Add(["--no-such-option"]);
        return data;
    }

    [Theory]
    [MemberData(nameof(BadCommands))]
    public async Task AnyCommand_BadValue_SaysFlagValueAndAllowedWithoutInternals(string[] args)
    {
        await File.WriteAllLinesAsync(
            Path.Combine(_cli.Home, "lines.jsonl"),
            ["""{"prompt":"A cat","duration":7,"image":"ftp://x/y"}""", """{"prompt":"A dog","vendor":"oxen","resolution":"720p"}"""]);
        var run = await _cli.RunAsync([.. args.Select(a => a == "lines.jsonl" ? Path.Combine(_cli.Home, a) : a)]);

        run.ExitCode.ShouldNotBe(0, run.All);
        var said = run.Console + run.Error;
        said.ShouldNotBeNullOrWhiteSpace(run.All);
        said.ShouldNotContain("System.", Case.Sensitive, run.All);
        said.ShouldNotContain("Parameter '", Case.Sensitive, run.All);
        said.ShouldNotContain("Exception", Case.Sensitive, run.All);
        said.ShouldNotContain("Usage:", Case.Sensitive, run.All);
        said.ShouldNotContain("Description:", Case.Sensitive, run.All);
        LibraryName().Match(said).Success.ShouldBeFalse($"a library name ({LibraryName().Match(said).Value}):{Environment.NewLine}{run.All}");
        SeedFile().Match(said).Success.ShouldBeFalse($"a curated document's file name ({SeedFile().Match(said).Value}):{Environment.NewLine}{run.All}");
        WrongArticle().Match(said).Success.ShouldBeFalse($"an article ({WrongArticle().Match(said).Value}):{Environment.NewLine}{run.All}");
        said.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBeLessThanOrEqualTo(8, run.All);
    }

    [Fact]
    public async Task Generate_NotANumber_OneLineNamingTheFlagAndWhereHelpIs()
    {
        var run = await _cli.RunAsync("generate", "A cat", "--duration", "abc");

        run.ShouldExitWith(2);
        run.Error.Trim().Split('\n').Select(l => l.Trim()).ShouldBe(["videogen: --duration: 'abc' is not allowed; use a whole number.", "See 'videogen generate --help'."]);
        run.Out.ShouldBeEmpty();
    }

    [Fact]
    public async Task Validate_SeveralProblems_OneLinePerFlag()
    {
        var run = await _cli.RunAsync("validate", "A cat", "--vendor", "elumenta", "--duration", "7", "--image", "ftp://x/y");

        run.ShouldExitWith(2);
        run.Console.ShouldContain("--duration: '7' is not allowed; kling-v2.1 accepts 5 or 10 seconds.");
        run.Console.ShouldContain("--image: 'ftp://x/y' is not allowed; a start image is an absolute http(s) URL.");
        run.Console.ShouldNotContain("DurationSeconds", Case.Sensitive);
        run.Console.ShouldNotContain("StartImage", Case.Sensitive);
    }

    [Theory]
    [InlineData("aimlapi", "bad id", "<id>: 'bad id' is not an AIML API job id")]
    [InlineData("elumenta", "12x", "<id>: '12x' is not an Elumenta job id")]
    [InlineData("oxen", " ", "<id>: the job id is empty")]
    public async Task Status_MalformedId_NamesTheArgumentWithTheRightArticle(string vendor, string id, string expected)
    {
        var run = await _cli.RunAsync("status", id, "--vendor", vendor, "--base-url", "http://127.0.0.1:1/");

        run.ShouldExitWith(2);
        run.Console.ShouldContain(expected, Case.Sensitive);
        run.Console.ShouldNotContain("Parameter", Case.Sensitive);
    }

    [Fact]
    public async Task Batch_NegativeBudget_RefusedAtParseWithNoSandboxStarted()
    {
        await File.WriteAllTextAsync(Path.Combine(_cli.Home, "one.jsonl"), """{"prompt":"A cat"}""");

        var run = await _cli.RunAsync("batch", Path.Combine(_cli.Home, "one.jsonl"), "--budget", "-1");

        run.ShouldExitWith(2);
        run.Error.ShouldContain("--budget: '-1' is not allowed");
        run.Error.ShouldNotContain("MaxTotalCost", Case.Sensitive);
        _cli.SandboxesStarted.ShouldBeEmpty();
    }

    [Fact]
    public async Task Batch_InvalidLines_NameTheLineAndItsJsonKey()
    {
        await File.WriteAllTextAsync(Path.Combine(_cli.Home, "bad.jsonl"), """{"prompt":"A cat","duration":7,"image":"ftp://x/y"}""");

        var run = await _cli.RunAsync("batch", Path.Combine(_cli.Home, "bad.jsonl"));

        run.ShouldExitWith(2);
        run.Console.ShouldContain("line 1: duration: '7' is not allowed");
        run.Console.ShouldContain("line 1: image: 'ftp://x/y' is not allowed");
    }

    [Theory]
    [InlineData("elumenta")]
    [InlineData("neuralbox")]
    [InlineData("apiframe")]
    [InlineData("aimlapi")]
    [InlineData("oxen")]
    public async Task Price_Reason_CitesVendorDocumentsNotFileNames(string vendor)
    {
        var run = await _cli.RunAsync("price", "A cat", "--vendor", vendor, "--json");

        run.ShouldExitWith(0);
        var reason = (string)run.Json["reason"]!;
        SeedFile().Match(reason).Success.ShouldBeFalse(reason);
        reason.ShouldNotContain("seed", Case.Insensitive);
    }

    [Fact]
    public void Count_OneAndMany_Pluralises()
    {
        Messages.Count(1, "poll").ShouldBe("1 poll");
        Messages.Count(2, "poll").ShouldBe("2 polls");
        Messages.Count(0, "unfinished submission").ShouldBe("0 unfinished submissions");
    }

    // C# names: the request's and options' properties, any XxxOptions.Member.
    [GeneratedRegex(@"\b(DurationSeconds|StartImage|EndImage|AspectRatio|NegativePrompt|GenerationId|MaxTotalCost|MaxCost|AdditionalProperties|WebhookUrl)\b|\b[A-Z][A-Za-z]*Options\.[A-Z]\w*")]
    private static partial Regex LibraryName();

    [GeneratedRegex(@"\b\d{3}_[0-9a-f]{16}\.txt\b|\b[Ss]eed \d{3}\b")]
    private static partial Regex SeedFile();

    // "a Elumenta", "a AIML API", "a Oxen.ai": a vendor name after "a".
    [GeneratedRegex(@"\ba (Elumenta|AIML|Oxen|Apiframe)\b")]
    private static partial Regex WrongArticle();
}
