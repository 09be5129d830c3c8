using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using VideoGen.Sandbox.Tests.Infrastructure;

namespace VideoGen.Sandbox.Tests;

/// <summary>
/// The vendors' own documented client code (SeedClients/*, copied verbatim from the seed documents) works against
/// the sandbox unchanged but for the host.
/// </summary>
internal static class SeedClients
{
    private static readonly string[] VendorHosts = ["https://elumenta.ru", "https://neuralbox.top", "https://hub.oxen.ai", "https://api.aimlapi.com"];

    public static async Task<ProcessResult> RunAsync(SandboxHarness sandbox, string file)
    {
        var source = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "SeedClients", file));
        var script = VendorHosts.Aggregate(source, (text, host) => text.Replace(host, sandbox.Url, StringComparison.Ordinal));
        VendorHosts.ShouldContain(host => source.Contains(host), "the seed script calls a vendor host");
        VendorHosts.ShouldAllBe(host => !script.Contains(host));
        var path = Path.Combine(Path.GetTempPath(), $"videogen-seed-{Guid.NewGuid():N}-{file}");
        await File.WriteAllTextAsync(path, script);
        try
        {
            var result = file.EndsWith(".py", StringComparison.Ordinal)
                ? await ExternalTools.RunAsync("python3", [path], TimeSpan.FromSeconds(60))
                : await ExternalTools.RunAsync("bash", ["-e", path], TimeSpan.FromSeconds(60));
            result.ExitCode.ShouldBe(0, result.ToString());
            return result;
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The JSON documents a script printed one after another.</summary>
    public static IReadOnlyList<JObject> JsonDocuments(string output)
    {
        var documents = new List<JObject>();
        using var reader = new Newtonsoft.Json.JsonTextReader(new StringReader(output)) { SupportMultipleContent = true, DateParseHandling = Newtonsoft.Json.DateParseHandling.None };
        while (reader.Read())
        {
            documents.Add(JObject.Load(reader));
        }

        return documents;
    }

    public static async Task ShouldBePlayableMp4Async(SandboxHarness sandbox, string url)
    {
        var bytes = await sandbox.Http.GetByteArrayAsync(url);
        System.Text.Encoding.ASCII.GetString(bytes, 4, 4).ShouldBe("ftyp");
    }
}

public sealed class ElumentaSeedClientTests
{
    [CurlFact]
    public async Task CurlTextToVideo_Elumenta_AnswersPending()
    {
        await using var sandbox = await SandboxHarness.StartAsync(fakeClock: false);

        var result = await SeedClients.RunAsync(sandbox, "elumenta_curl_text_to_video.sh");

        var body = SeedClients.JsonDocuments(result.StandardOutput).ShouldHaveSingleItem();
        ((string?)body["status"]).ShouldBe("pending");
        ((string?)body["model_slug"]).ShouldBe("kling-v2.1");
    }

    [CurlFact]
    public async Task CurlImageToVideo_Elumenta_AnswersPendingForLumaRay2()
    {
        await using var sandbox = await SandboxHarness.StartAsync(fakeClock: false);

        var result = await SeedClients.RunAsync(sandbox, "elumenta_curl_image_to_video.sh");

        ((string?)SeedClients.JsonDocuments(result.StandardOutput).Single()["model_slug"]).ShouldBe("luma-ray2");
    }

    [CurlFact]
    public async Task CurlTextToVideo_NeuralBox_AnswersPending()
    {
        await using var sandbox = await SandboxHarness.StartAsync(fakeClock: false);

        var result = await SeedClients.RunAsync(sandbox, "neuralbox_curl_text_to_video.sh");

        ((string?)SeedClients.JsonDocuments(result.StandardOutput).Single()["status"]).ShouldBe("pending");
    }

    [PythonRequestsFact]
    public async Task PythonPollingLoop_Elumenta_PrintsAPlayableVideoUrl()
    {
        await using var sandbox = await SandboxHarness.StartAsync(o => o.TimeScale = 0.001, fakeClock: false);

        var result = await SeedClients.RunAsync(sandbox, "elumenta_python_poll.py");

        result.StandardOutput.ShouldContain("Generation started: 18500");
        var url = Regex.Match(result.StandardOutput, "Video ready: (\\S+)").Groups[1].Value;
        url.ShouldBe($"{sandbox.Url}/media/elumenta/18500/1.mp4", result.ToString());
        await SeedClients.ShouldBePlayableMp4Async(sandbox, url);
    }
}

public sealed class OxenSeedClientTests
{
    [CurlFact]
    public async Task CurlSynchronous_Oxen_AnswersVideoUrl()
    {
        await using var sandbox = await SandboxHarness.StartAsync(o => o.TimeScale = 0.001, fakeClock: false);

        var result = await SeedClients.RunAsync(sandbox, "oxen_curl_sync.sh");

        var url = (string)SeedClients.JsonDocuments(result.StandardOutput).Single()["videos"]![0]!["url"]!;
        await SeedClients.ShouldBePlayableMp4Async(sandbox, url);
    }

    [CurlFact]
    public async Task CurlEnqueueThenList_Oxen_ListsTheQueuedGeneration()
    {
        await using var sandbox = await SandboxHarness.StartAsync(fakeClock: false);

        var result = await SeedClients.RunAsync(sandbox, "oxen_curl_async.sh");

        var documents = SeedClients.JsonDocuments(result.StandardOutput);
        documents.Count.ShouldBe(2, result.ToString());
        var id = (string?)documents[0]["generations"]![0]!["generation_id"];
        ((int)documents[1]["count"]!).ShouldBe(1);
        ((string?)documents[1]["generations"]![0]!["generation_id"]).ShouldBe(id);
    }

    [PythonRequestsFact]
    public async Task PythonSynchronous_Oxen_PrintsAVideoUrl()
    {
        await using var sandbox = await SandboxHarness.StartAsync(o => o.TimeScale = 0.001, fakeClock: false);

        var result = await SeedClients.RunAsync(sandbox, "oxen_python_sync.py");

        var url = Regex.Match(result.StandardOutput, "Video URL: (\\S+)").Groups[1].Value;
        url.ShouldStartWith($"{sandbox.Url}/media/oxen/", customMessage: result.ToString());
        await SeedClients.ShouldBePlayableMp4Async(sandbox, url);
    }

    [PythonRequestsFact]
    public async Task PythonQueueLoop_Oxen_PollsUntilSucceeded()
    {
        await using var sandbox = await SandboxHarness.StartAsync(o => o.TimeScale = 0.001, fakeClock: false);

        var result = await SeedClients.RunAsync(sandbox, "oxen_python_async.py");

        var id = Regex.Match(result.StandardOutput, "Enqueued generation: (\\S+)").Groups[1].Value;
        Guid.TryParse(id, out _).ShouldBeTrue(result.ToString());
        result.StandardOutput.ShouldContain("Status: succeeded");
        var url = Regex.Match(result.StandardOutput, "Done! Result: (\\S+)").Groups[1].Value;
        url.ShouldBe($"{sandbox.Url}/media/oxen/{id}/1.mp4");
        await SeedClients.ShouldBePlayableMp4Async(sandbox, url);
    }
}

public sealed class AimlApiSeedClientTests
{
    [PythonRequestsFact]
    public async Task PythonCreate_AimlApi_PrintsTheQueuedGeneration()
    {
        await using var sandbox = await SandboxHarness.StartAsync(fakeClock: false);

        var result = await SeedClients.RunAsync(sandbox, "aimlapi_python_create.py");

        result.StandardOutput.ShouldStartWith("Generation: {");
        result.StandardOutput.ShouldContain("'state': 'queued'");
        sandbox.Server.Counters.JobsCreated("aimlapi").ShouldBe(1);
    }
}
