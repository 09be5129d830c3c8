using VideoGen.AimlApi;
using VideoGen.Elumenta;
using VideoGen.Apiframe;
using VideoGen.Http;
using VideoGen.Oxen;
using VideoGen.Sandbox;

namespace VideoGen.Cli.Tests.Infrastructure;

/// <summary>Creates jobs on a standalone sandbox through the SDK, as another program would, for the CLI to read by id.</summary>
public static class SandboxJobs
{
    /// <summary>The API key the jobs are created with; give the CLI the same key (a key sees only its own jobs).</summary>
    public const string ApiKey = "cli-tests-key";

    /// <summary>The environment variable that holds each vendor's key.</summary>
    public static string KeyVariable(string vendor) => vendor switch
    {
        "elumenta" => "ELUMENTA_API_KEY",
        "neuralbox" => "NEURALBOX_API_KEY",
        "apiframe" => "APIFRAME_API_KEY",
        "gateway" => "GATEWAY_API_KEY",
        "aimlapi" => "AIMLAPI_API_KEY",
        "oxen" => "OXEN_API_KEY",
        _ => throw new ArgumentException($"unknown vendor {vendor}", nameof(vendor)),
    };

    /// <summary>What the CLI gets as --base-url for <paramref name="vendor"/> (Elumenta's includes <c>/api/</c>).</summary>
    public static string BaseUrl(SandboxServer sandbox, string vendor) => sandbox.GetVendorBaseUrl(vendor).ToString();

    public static async Task<VideoJob> SubmitAsync(SandboxServer sandbox, string vendor, string prompt)
    {
        using var http = new HttpClient();
        using var generator = Generator(sandbox, vendor, http);
        return await generator.SubmitAsync(new VideoGenerationRequest(prompt));
    }

    private static IVideoGenerator Generator(SandboxServer sandbox, string vendor, HttpClient http)
    {
        var configuration = new VendorClientConfiguration(vendor) { ApiKey = ApiKey, BaseUrl = sandbox.GetVendorBaseUrl(vendor) };
        return vendor switch
        {
            "elumenta" or "neuralbox" => new ElumentaClient(configuration, http).AsVideoGenerator(vendor),
            "apiframe" or "gateway" => new ApiframeClient(configuration, http).AsVideoGenerator(),
            "aimlapi" => new AimlApiClient(configuration, http).AsVideoGenerator(),
            "oxen" => new OxenClient(configuration, http).AsVideoGenerator(),
            _ => throw new ArgumentException($"unknown vendor {vendor}", nameof(vendor)),
        };
    }
}
