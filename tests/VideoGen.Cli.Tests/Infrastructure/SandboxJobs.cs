using VideoGen.Http;
using VideoGen.Sandbox;
using VideoGen.Vendors;

namespace VideoGen.Cli.Tests.Infrastructure;

/// <summary>Creates jobs on a standalone sandbox through the SDK, as another program would, for the CLI to read by id.</summary>
public static class SandboxJobs
{
    /// <summary>The API key the jobs are created with; give the CLI the same key (a key sees only its own jobs).</summary>
    public const string ApiKey = "cli-tests-key";

    /// <summary>The environment variable that holds each vendor's key.</summary>
    /// <remarks>An alias (<c>gateway</c>) is run with its vendor's former variable (<c>GATEWAY_API_KEY</c>), so that path is exercised too.</remarks>
    public static string KeyVariable(string vendor)
    {
        var descriptor = VendorDescriptors.Get(vendor);
        return string.Equals(descriptor.Id, vendor, StringComparison.OrdinalIgnoreCase)
            ? descriptor.ApiKeyEnvironmentVariable
            : descriptor.Capabilities.FormerApiKeyEnvironmentVariables.FirstOrDefault() ?? descriptor.ApiKeyEnvironmentVariable;
    }

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
        return VendorDescriptors.Get(vendor).CreateGenerator(configuration, http);
    }
}
