using VideoGen.Catalog;
using VideoGen.Cli.Tests.Infrastructure;
using VideoGen.Http;
using VideoGen.Sandbox;

namespace VideoGen.Cli.Tests;

/// <summary>
/// <c>validate</c>, <c>price</c> and <c>generate</c> agree on every request (issue 14 item 4): for every vendor, several
/// of its models and every field generate checks, validate and price say "valid" exactly when the vendor adapter's
/// submit (what generate calls) sends the request, and refuse it exactly when the adapter refuses it.
/// </summary>
public sealed class OneValidationTests : IClassFixture<InstantSandboxFixture>, IDisposable
{
    private readonly CliHarness _cli = new();
    private readonly SandboxServer _sandbox;

    public OneValidationTests(InstantSandboxFixture fixture) => _sandbox = fixture.Sandbox;

    public void Dispose() => _cli.Dispose();

    /// <summary>Each field generate maps, with values that some vendor or model accepts and some refuse.</summary>
    private static readonly string[][] FieldCases =
    [
        [],
        ["--duration", "5"],
        ["--duration", "7"],
        ["--duration", "10"],
        ["--aspect-ratio", "16:9"],
        ["--aspect-ratio", "21:9"],
        ["--aspect-ratio", "3:7"],
        ["--resolution", "480p"],
        ["--resolution", "720p"],
        ["--resolution", "1080p"],
        ["--resolution", "4k"],
        ["--image", "https://example.com/start.png"],
        ["--image", "ftp://example.com/start.png"],
        ["--end-image", "https://example.com/end.png"],
        ["--negative-prompt", "blurry"],
        ["--model", "no-such-model"],
    ];

    public static TheoryData<string> Vendors => new(VideoModelCatalog.Default.Vendors.Select(v => v.Id));

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task ValidateAndPrice_EveryFieldOfEveryModel_AgreeWithWhatGenerateSends(string vendorId)
    {
        var vendor = VideoModelCatalog.Default.GetVendor(vendorId);
        var disagreements = new List<string>();
        var refusedSomewhere = 0;
        foreach (var model in vendor.Models.Select(m => m.Id).Prepend(vendor.DefaultModel).Distinct().Take(4))
        {
            foreach (var field in FieldCases)
            {
                string[] args = ["A lighthouse in a storm", "--vendor", vendorId, .. field.Contains("--model") ? field : ["--model", model, .. field]];
                var sends = await AdapterSendsAsync(vendor, args);
                refusedSomewhere += sends ? 0 : 1;
                foreach (var command in new[] { "validate", "price" })
                {
                    var run = await _cli.RunAsync([command, .. args]);
                    var valid = run.ExitCode == 0;
                    if (valid != sends || run.ExitCode is not (0 or 2))
                    {
                        disagreements.Add($"{command} {string.Join(' ', args)}: exit {run.ExitCode}, but generate {(sends ? "sends it" : "refuses it")}{Environment.NewLine}{run.Console}");
                    }
                }
            }
        }

        disagreements.ShouldBeEmpty();
        refusedSomewhere.ShouldBeGreaterThan(0, "the cases include requests the vendor refuses");
    }

    [Theory]
    [InlineData("elumenta", "--resolution", "4k")]
    [InlineData("oxen", "--resolution", "720p")]
    public async Task ValidatePriceGenerate_RequestTheAdapterRefuses_AllThreeExitTwoAndNothingIsSent(string vendor, string option, string value)
    {
        foreach (var command in new[] { "validate", "price", "generate" })
        {
            var run = await _cli.RunAsync(command, "A cat", "--vendor", vendor, option, value, "--json");

            run.ShouldExitWith(2);
            ((string?)run.Json["error"]!["failures"]![0]!["option"]).ShouldBe(option);
        }

        // generate refused it before starting anything.
        _cli.SandboxesStarted.ShouldBeEmpty();
    }

    /// <summary>
    /// The truth: the vendor adapter's submit, the call generate makes, against a real sandbox. A request it refuses
    /// throws <see cref="VideoGenValidationException"/> before sending; any other outcome means it was sent.
    /// </summary>
    private async Task<bool> AdapterSendsAsync(VendorInfo vendor, string[] args)
    {
        string? Value(string option) => Array.IndexOf(args, option) is var i and >= 0 ? args[i + 1] : null;
        var request = new VideoGenerationRequest(args[0])
        {
            Model = Value("--model"),
            DurationSeconds = Value("--duration") is { } d ? int.Parse(d, System.Globalization.CultureInfo.InvariantCulture) : null,
            AspectRatio = Value("--aspect-ratio"),
            Resolution = Value("--resolution"),
            StartImage = Value("--image") is { } s ? new Uri(s) : null,
            EndImage = Value("--end-image") is { } e ? new Uri(e) : null,
            NegativePrompt = Value("--negative-prompt"),
        };
        using var http = new HttpClient();
        var configuration = new VendorClientConfiguration(vendor.DisplayName) { ApiKey = SandboxJobs.ApiKey, BaseUrl = _sandbox.GetVendorBaseUrl(vendor.Id) };
        using var generator = VendorSession.CreateGenerator(vendor, configuration, http);
        try
        {
            await generator.SubmitAsync(request);
            return true;
        }
        catch (VideoGenValidationException)
        {
            return false;
        }
        catch (VideoGenException)
        {
            // Sent, and answered with an error: generate sent it too.
            return true;
        }
    }
}
