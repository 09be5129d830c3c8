using VideoGen.Cli.Tests.Infrastructure;

namespace VideoGen.Cli.Tests;

/// <summary>
/// Library messages name .NET types and the library's settings for library users; the command line says them in its
/// own words. The examples of the finding, and the sweep's own check (every CLI test's output goes through
/// <see cref="DotNetNames"/>).
/// </summary>
public sealed class DotNetNamesTests
{
    [Theory]
    [InlineData("the journal could not record it (TaskCanceledException: A task was canceled.)", "(cancelled: A task was canceled.)")]
    [InlineData("Elumenta sent a response body of 5,000,000 bytes, over the 4,194,304-byte cap (VendorClientConfiguration.MaxResponseBytes); it was not read.", "over the 4,194,304-byte cap; it was not read.")]
    [InlineData("Refused to download from 10.0.0.5: it resolves to the private address 10.0.0.5. Result URLs must point to the public internet; a local sandbox's own origin is trusted through DownloadOptions.TrustedOrigins (or turn DownloadOptions.BlockPrivateNetworks off).", "only the --base-url host's own results may be on a local address.")]
    [InlineData("The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing.", "the configured request timeout of 100 seconds")]
    [InlineData("over the total budget (VideoBudgetOptions.MaxTotalCost)", "over the total budget (--budget)")]
    [InlineData("failed: System.Net.Http.HttpRequestException: Connection refused (127.0.0.1:9)", "failed: network error: Connection refused")]
    [InlineData("boom\n   at VideoGen.Cli.JobFlow.RunAsync(String id) in /src/JobFlow.cs:line 42\n--- End of stack trace from previous location ---\nafter", "boom\nafter")]
    public void WithoutLibraryNames_LibraryTexts_ReadInTheCommandLinesWords(string library, string expected)
    {
        var text = Messages.WithoutLibraryNames(library);

        text.ShouldContain(expected, Case.Sensitive);
        DotNetNames.In(text).ShouldBeEmpty(text);
    }

    [Fact]
    public void ErrorTypeAndFieldName_JsonWords_AreNotCSharpNames()
    {
        Messages.ErrorType(new InsufficientCreditsException("no credits", "Elumenta")).ShouldBe("insufficientCredits");
        Messages.ErrorType(new VideoGenValidationException("Elumenta", [new ValidationFailure("DurationSeconds", "7", "use 5 or 10")])).ShouldBe("validation");
        Messages.ErrorType(new CliUsageException("x")).ShouldBe("usage");
        Messages.FieldName("DurationSeconds").ShouldBe("duration");
        Messages.FieldName("aspect_ratio").ShouldBe("aspect_ratio", "a vendor's field keeps the vendor's name");
        Messages.FieldName("Resolution").ShouldBe("resolution");
    }

    [Theory]
    [InlineData("error: TaskCanceledException")]
    [InlineData("\"field\": \"DurationSeconds\"")]
    [InlineData("set DownloadOptions.TrustedOrigins")]
    [InlineData("cap (VendorClientConfiguration.MaxResponseBytes)")]
    [InlineData("x\n   at VideoGen.Cli.CliApp.RunAsync(String[] args)")]
    [InlineData("(Parameter 'jobId')")]
    public void DotNetNames_TheFindingsExamples_AreFound(string text) => DotNetNames.In(text).ShouldNotBeEmpty();

    [Theory]
    [InlineData("line 2: field 'duration': \"ten\" is not allowed; give a whole number.")]
    [InlineData("Elumenta answered HTTP 401 Unauthorized. Check the API key configured for Elumenta.")]
    [InlineData("3 lines: 1 outcomeunknown, 1 succeeded; OutcomeUnknown NotStarted")]
    public void DotNetNames_WordsForPeople_AreNotFound(string text) => DotNetNames.In(text).ShouldBeEmpty();
}
