using System.Text.RegularExpressions;
using VideoGen.Cli.Tests.Infrastructure;

namespace VideoGen.Cli.Tests;

/// <summary>
/// A batch line is read strictly (principle 1): a wrong type, an unknown or repeated field, a line that is not one JSON
/// object stops the batch before anything is sent, with the line, the field, the value and what is allowed. And the
/// README's batch section holds exactly the fields the reader takes, with an example line the reader accepts.
/// </summary>
public sealed partial class BatchLineTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private string Write(params string[] lines)
    {
        var path = Path.Combine(_cli.Home, Guid.NewGuid().ToString("N") + ".jsonl");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Theory]
    [InlineData("""{"prompt": "a cat", "duration": "ten"}""", """line 1: field 'duration': "ten" is not allowed; give a whole number: whole seconds the model offers, e.g. 5.""")]
    [InlineData("""{"prompt": "a cat", "duration": 5.5}""", "line 1: field 'duration': 5.5 is not allowed; give a whole number")]
    [InlineData("""{"prompt": "a cat", "duration": -5}""", "line 1: field 'duration': -5 is not allowed; give a whole number")]
    [InlineData("""{"prompt": "a cat", "duration": 99999999999999999999999}""", "line 1: field 'duration': 99999999999999999999999 is not allowed")]
    [InlineData("""{"prompt": 5}""", "line 1: field 'prompt': 5 is not allowed; give a string: what the video shows")]
    [InlineData("""{"prompt": {"text": "a cat"}}""", """line 1: field 'prompt': {"text":"a cat"} is not allowed; give a string""")]
    [InlineData("""{"prompt": "a cat", "model": ["kling-v2.1"]}""", """line 1: field 'model': ["kling-v2.1"] is not allowed; give a string: a model id of the vendor""")]
    [InlineData("""{"prompt": "a cat", "aspect_ratio": 16}""", "line 1: field 'aspect_ratio': 16 is not allowed; give a string: width:height")]
    [InlineData("""{"prompt": "a cat", "durtion": 10}""", "line 1: field 'durtion' is not known (its value 10 would be ignored); the fields are prompt, vendor, model, duration, aspectRatio, resolution, image, endImage, negativePrompt.")]
    [InlineData("""{"prompt": "a cat", "vendor": "acme"}""", """line 1: field 'vendor': "acme" is not a vendor; use one of elumenta, neuralbox, apiframe, aimlapi, oxen.""")]
    [InlineData("""{"prompt": "a cat", "image": "cat.png"}""", """line 1: field 'image': "cat.png" is not allowed; give an absolute http(s) URL""")]
    [InlineData("""{"prompt": "a cat", "duration": 5, "duration": 10}""", "line 1: a field appears twice")]
    [InlineData("""{"prompt": "a cat", "aspectRatio": "16:9", "aspect_ratio": "9:16"}""", "line 1: field 'aspect_ratio' sets aspectRatio a second time; give it once.")]
    [InlineData("""["a cat"]""", """line 1: ["a cat"] is not a JSON object""")]
    [InlineData("""{"prompt": "a cat"} {"prompt": "a dog"}""", "line 1: holds more than one JSON value")]
    [InlineData("""{"prompt": "a cat" "duration": 5}""", "line 1: is not valid JSON (After parsing a value an unexpected character was encountered: \" at character")]
    [InlineData("{\"prompt\": \"a cat", "line 1: is not valid JSON")]
    public void Parse_LineTheReaderDoesNotUnderstand_NamesLineFieldValueAndWhatIsAllowed(string line, string expected)
    {
        var path = Write(line);

        var error = Should.Throw<CliUsageException>(() => BatchCommand.Parse(path));

        error.Message.ShouldContain(expected, Case.Sensitive);
        error.Message.ShouldNotContain("Path '");
        error.Message.ShouldNotContain("Exception");
        error.Message.ShouldNotContain("--vendor");
    }

    [Fact]
    public void Parse_EveryProblemOfEveryLine_IsListed()
    {
        var path = Write(
            """{"prompt": "a cat", "durtion": 10, "duration": "ten"}""",
            """{"prompt": "a dog"}""",
            """{"prompt": "a bird", "negative_prompt": false}""");

        var error = Should.Throw<CliUsageException>(() => BatchCommand.Parse(path));

        error.Message.ShouldContain("has 3 unreadable lines");
        error.Message.ShouldContain("line 1: field 'durtion'");
        error.Message.ShouldContain("line 1: field 'duration'");
        error.Message.ShouldContain("line 3: field 'negative_prompt': false is not allowed");
        error.Message.ShouldNotContain("line 2");
    }

    [Fact]
    public void Parse_NullsAliasesAndEveryField_ReadAsBefore()
    {
        var path = Write("""{"prompt": "a cat", "vendor": "gateway", "model": "veo-3", "duration": 8, "aspect_ratio": "16:9", "resolution": "720p", "image": "https://example.com/a.png", "endImage": "https://example.com/b.png", "negative_prompt": "rain"}""", """{"prompt": "a dog", "duration": null}""");

        var lines = BatchCommand.Parse(path);

        var first = lines[0].Request;
        lines[0].Vendor.Id.ShouldBe("apiframe");
        (first.Prompt, first.Model, first.DurationSeconds, first.AspectRatio, first.Resolution, first.NegativePrompt).ShouldBe(("a cat", "veo-3", (int?)8, "16:9", "720p", "rain"));
        first.StartImage.ShouldBe(new Uri("https://example.com/a.png"));
        first.EndImage.ShouldBe(new Uri("https://example.com/b.png"));
        lines[1].Vendor.Id.ShouldBe("elumenta");
        lines[1].Request.DurationSeconds.ShouldBeNull();
    }

    [Fact]
    public async Task Batch_UnknownField_ExitsTwoAndStartsNothing()
    {
        var path = Write("""{"prompt": "a cat", "vendor": "elumenta"}""", """{"prompt": "a dog", "durtion": 10}""");

        var run = await _cli.RunAsync("batch", path, "--out", _cli.OutDirectory, "--json");

        run.ShouldExitWith(2);
        run.All.ShouldContain("line 2: field 'durtion' is not known");
        _cli.SandboxesStarted.ShouldBeEmpty();
    }

    [Fact]
    public void Readme_BatchExampleLine_IsReadByTheBatchReader()
    {
        var section = ReadmeBatchSection();
        var example = JsonlBlock().Match(section);
        example.Success.ShouldBeTrue("README.md § Batch files has a ```jsonl example");
        var path = Write(example.Groups["lines"].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        var lines = BatchCommand.Parse(path);

        lines.ShouldNotBeEmpty();
        lines[0].Request.Prompt.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Readme_BatchFieldTable_ListsExactlyTheFieldsTheReaderTakes()
    {
        var rows = TableRow().Matches(ReadmeBatchSection())
            .Select(m => (Name: m.Groups["name"].Value, Aliases: m.Groups["alias"].Value, Type: m.Groups["type"].Value.Trim(), Default: m.Groups["default"].Value.Trim().Trim('`'), Allowed: m.Groups["allowed"].Value.Trim()))
            .ToList();

        rows.Select(r => r.Name).ShouldBe(BatchCommand.LineFields.Select(f => f.Name));
        foreach (var (row, field) in rows.Zip(BatchCommand.LineFields))
        {
            (row.Type, row.Default, row.Allowed).ShouldBe((field.Type, field.Default, field.Allowed), field.Name);
            (row.Aliases.Length == 0 ? [] : new[] { row.Aliases }).ShouldBe(field.Aliases, field.Name);
        }
    }

    private static string ReadmeBatchSection()
    {
        var readme = File.ReadAllText(Repo.Path("README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var start = readme.IndexOf("### Batch files\n", StringComparison.Ordinal);
        start.ShouldBeGreaterThan(0, "README.md has a § Batch files");
        var end = readme.IndexOf("\n#", start + 10, StringComparison.Ordinal);
        return readme[start..(end < 0 ? readme.Length : end)];
    }

    [GeneratedRegex(@"```jsonl\n(?<lines>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex JsonlBlock();

    [GeneratedRegex(@"^\| `(?<name>[A-Za-z_]+)`(?: \(also `(?<alias>[A-Za-z_]+)`\))? \|(?<type>[^|]+)\|(?<default>[^|]+)\|(?<allowed>[^|]+)\|$", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
