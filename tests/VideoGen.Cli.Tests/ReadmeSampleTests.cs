// <readme-sample>
using VideoGen;
using VideoGen.Downloads;
using VideoGen.Elumenta;
using VideoGen.Http;
using VideoGen.Resilience;
using VideoGen.Waiting;
// </readme-sample>
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using VideoGen.Cli.Tests.Infrastructure;
using VideoGen.DependencyInjection;
using VideoGen.Sandbox;

namespace VideoGen.Cli.Tests;

/// <summary>
/// The README's library sample is this file's code (issue 14 item 13): the README holds exactly the lines between the
/// readme-sample markers, and this test runs them against a sandbox started as the README says, with the same
/// environment variable. The DI section's configuration keys and keyed services are resolved as the README lists them.
/// </summary>
[Collection(ReadmeSampleCollection.Name)]
public sealed class ReadmeSampleTests
{
    [Fact]
    public async Task ReadmeLibrarySample_RunsAgainstTheSandboxAsWritten()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 0.01 });
        Environment.SetEnvironmentVariable("VIDEOGEN_SANDBOX_URL", server.BaseUrl.ToString());
        var directory = Path.Combine(Path.GetTempPath(), "videogen-readme-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var previous = Environment.CurrentDirectory;
        Environment.CurrentDirectory = directory;
        try
        {
            var job = await RunReadmeSampleAsync();

            job.Status.ShouldBe(VideoJobStatus.Succeeded);
            var file = Path.Combine(directory, "videos", "city.mp4");
            File.Exists(file).ShouldBeTrue();
            System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(file), 4, 4).ShouldBe("ftyp", "an MP4");
            server.Counters.JobsCreated("elumenta").ShouldBe(1);
        }
        finally
        {
            Environment.CurrentDirectory = previous;
            Environment.SetEnvironmentVariable("VIDEOGEN_SANDBOX_URL", null);
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Readme_HoldsTheSampleExactly()
    {
        var source = File.ReadAllLines(Repo.Path("tests", "VideoGen.Cli.Tests", "ReadmeSampleTests.cs"));
        var sample = string.Join("\n\n", Regions(source).Select(Dedent).Select(r => string.Join("\n", r)));
        var readme = File.ReadAllText(Repo.Path("README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);

        readme.ShouldContain("```csharp\n" + sample + "\n```", Case.Sensitive, "README.md § Use the library must hold the tested sample exactly:\n" + sample);
    }

    [Fact]
    public void ReadmeDependencyInjection_KeysAndKeyedServicesAreTheOnesRegistered()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["VideoGen:DefaultVendor"] = "aimlapi",
            ["VideoGen:Elumenta:ApiKey"] = "e-key",
            ["VideoGen:NeuralBox:ApiKey"] = "n-key",
            ["VideoGen:Apiframe:ApiKey"] = "a-key",
            ["VideoGen:AimlApi:ApiKey"] = "m-key",
            ["VideoGen:Oxen:ApiKey"] = "o-key",
            ["VideoGen:Oxen:BaseUrl"] = "http://127.0.0.1:5080/",
            ["VideoGen:Resilience:MaxRetries"] = "5",
            ["VideoGen:Resilience:BaseDelay"] = "00:00:02",
        }).Build();
        var services = new ServiceCollection().AddVideoGeneration(configuration.GetSection("VideoGen"));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<VideoGenOptions>>().Value;
        options.Oxen.BaseUrl.ShouldBe(new Uri("http://127.0.0.1:5080/"));
        options.Resilience.MaxRetries.ShouldBe(5);
        options.Resilience.BaseDelay.ShouldBe(TimeSpan.FromSeconds(2));
        foreach (var key in new[] { "elumenta", "neuralbox", "apiframe", "gateway", "aimlapi", "oxen" })
        {
            provider.GetRequiredKeyedService<IVideoGenerator>(key).ShouldNotBeNull(key);
        }

        provider.GetRequiredKeyedService<IElumentaClient>("neuralbox").ShouldNotBeNull();
        provider.GetRequiredKeyedService<Apiframe.IApiframeClient>("gateway").ShouldNotBeNull();
        provider.GetRequiredKeyedService<AimlApi.IAimlApiClient>("aimlapi").ShouldNotBeNull();
        provider.GetRequiredKeyedService<Oxen.IOxenClient>("oxen").ShouldNotBeNull();
        provider.GetRequiredService<IVideoGenerator>().GetService<Catalog.VendorInfo>()!.Id.ShouldBe("aimlapi");

        var readme = File.ReadAllText(Repo.Path("README.md"));
        foreach (var documented in new[] { "VideoGen:DefaultVendor", "VideoGen:Elumenta:ApiKey", "VideoGen:Oxen:BaseUrl", "VideoGen:Resilience:MaxRetries", "GetRequiredKeyedService<IVideoGenerator>(\"oxen\")", "`gateway`" })
        {
            readme.ShouldContain(documented, Case.Sensitive);
        }
    }

    /// <summary>The README's sample: what it does, line for line (between the markers).</summary>
    private static async Task<VideoJob> RunReadmeSampleAsync()
    {
        // <readme-sample>
        // With ELUMENTA_API_KEY set: Elumenta itself. Without it: a local sandbox, started with
        //   dotnet run --project src/VideoGen.Sandbox -- --urls http://127.0.0.1:5080 --time-scale 0.01
        var key = Environment.GetEnvironmentVariable("ELUMENTA_API_KEY");
        Uri? sandbox = key is null ? new Uri(Environment.GetEnvironmentVariable("VIDEOGEN_SANDBOX_URL") ?? "http://127.0.0.1:5080/") : null;

        var http = new HttpClient(new ResilienceHandler { InnerHandler = new SocketsHttpHandler { AllowAutoRedirect = false } });
        var client = new ElumentaClient(new VendorClientConfiguration("Elumenta")
        {
            ApiKey = key ?? "any-sandbox-key",                           // the sandbox takes any key
            BaseUrl = sandbox is null ? null : new Uri(sandbox, "api/"), // null: https://elumenta.ru/api
        }, http);
        IVideoGenerator generator = client.AsVideoGenerator();

        var operation = await generator.StartGenerationAsync(new VideoGenerationRequest("A drone flyover of a futuristic city at night")
        {
            Model = "kling-v2.1", DurationSeconds = 5, AspectRatio = "16:9",
        });

        // The sandbox runs 100 times faster (--time-scale 0.01): wait at its pace. Failures throw
        // JobFailedException / JobTimeoutException, both carrying the job id.
        var job = await operation.WaitForCompletionAsync(new WaitOptions { ProcessingTimeScale = sandbox is null ? 1 : 0.01 });

        // Downloads refuse loopback and private addresses (a result URL must not reach into your network):
        // the local sandbox's own origin is trusted explicitly.
        var downloads = new DownloadOptions();
        if (sandbox is not null)
        {
            downloads.TrustedOrigins.Add(new Uri(sandbox.GetLeftPart(UriPartial.Authority)));
        }

        using var downloader = new VideoDownloader(downloads);
        await downloader.DownloadJobAsync(generator, job, "videos/city.mp4");
        // </readme-sample>
        return job;
    }

    private static IEnumerable<List<string>> Regions(string[] lines)
    {
        List<string>? region = null;
        foreach (var line in lines)
        {
            if (line.Trim() == "// <readme-sample>")
            {
                region = [];
            }
            else if (line.Trim() == "// </readme-sample>")
            {
                yield return region!;
                region = null;
            }
            else
            {
                region?.Add(line);
            }
        }
    }

    private static List<string> Dedent(List<string> region)
    {
        var indent = region.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return [.. region.Select(l => l.Trim().Length == 0 ? string.Empty : l[indent..])];
    }
}

/// <summary>The sample changes the process's current directory and an environment variable: nothing else runs meanwhile.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReadmeSampleCollection
{
    public const string Name = "README sample (process-wide state)";
}
