using System.CommandLine;
using VideoGen.Catalog;

namespace VideoGen.Cli;

/// <summary>The request options shared by generate, validate and price, and their binding to a request.</summary>
internal sealed class RequestOptions
{
    public const string DefaultVendor = "elumenta";

    public Argument<string> Prompt { get; } = new("prompt") { Description = "What the video shows." };

    public Option<string> Vendor { get; } = new("--vendor", "-v")
    {
        Description = "elumenta, neuralbox, apiframe (also: gateway), aimlapi or oxen.",
        DefaultValueFactory = _ => DefaultVendor,
    };

    public Option<string?> Model { get; } = new("--model", "-m") { Description = "The vendor's model id (default: the vendor's default model; see `videogen models`)." };

    public Option<int?> Duration { get; } = new("--duration", "-d") { Description = "Video length in seconds." };

    public Option<string?> AspectRatio { get; } = new("--aspect-ratio") { Description = "Width:height, for example 16:9." };

    public Option<string?> Resolution { get; } = new("--resolution") { Description = "Output resolution, for example 720p, where the model offers a choice." };

    public Option<string?> Image { get; } = new("--image") { Description = "An http(s) URL of the image the video starts from." };

    public Option<string?> EndImage { get; } = new("--end-image") { Description = "An http(s) URL of the image the video ends on." };

    public Option<string?> NegativePrompt { get; } = new("--negative-prompt") { Description = "What to keep out of the video." };

    public Option<bool> Json { get; } = new("--json") { Description = "Print one machine-readable JSON document." };

    public Option<string?> BaseUrl { get; } = new("--base-url") { Description = "Send requests to this base URL instead of the vendor's (a proxy, a standalone sandbox)." };

    public void AddTo(Command command, bool withPrompt = true)
    {
        if (withPrompt)
        {
            command.Arguments.Add(Prompt);
        }

        foreach (var option in new Option[] { Vendor, Model, Duration, AspectRatio, Resolution, Image, EndImage, NegativePrompt, Json, BaseUrl })
        {
            command.Options.Add(option);
        }
    }

    public VendorInfo ResolveVendor(ParseResult result) => ResolveVendor(result.GetValue(Vendor));

    public static VendorInfo ResolveVendor(string? vendorId) =>
        VideoModelCatalog.Default.FindVendor(vendorId ?? DefaultVendor)
        ?? throw new CliUsageException($"--vendor: '{vendorId}' is not a vendor; use one of {string.Join(", ", VideoModelCatalog.Default.Vendors.Select(v => v.Id))}.");

    public VideoGenerationRequest ToRequest(ParseResult result, string? prompt = null) => new(prompt ?? result.GetValue(Prompt) ?? string.Empty)
    {
        Model = result.GetValue(Model),
        DurationSeconds = result.GetValue(Duration),
        AspectRatio = result.GetValue(AspectRatio),
        Resolution = result.GetValue(Resolution),
        StartImage = ParseUrl("--image", result.GetValue(Image)),
        EndImage = ParseUrl("--end-image", result.GetValue(EndImage)),
        NegativePrompt = result.GetValue(NegativePrompt),
    };

    public static Uri? ParseUrl(string option, string? value) =>
        value is null ? null
        : Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri
        : throw new CliUsageException($"{option}: '{value}' is not an absolute URL; give an http(s) URL such as https://example.com/image.png.");
}
