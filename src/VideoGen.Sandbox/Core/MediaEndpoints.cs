using System.Globalization;
using Microsoft.Net.Http.Headers;
using Newtonsoft.Json.Linq;

namespace VideoGen.Sandbox.Core;

/// <summary>
/// Serves result videos: <c>GET /media/{vendor}/{jobId}/{n}.mp4</c> returns the sample clip of the job's aspect
/// ratio once the job has succeeded, with Content-Length, ETag, Last-Modified and byte ranges (206). Like the
/// vendors' storage URLs, media URLs need no API key.
/// </summary>
internal static class MediaEndpoints
{
    public static string UrlFor(SandboxJob job, int index) =>
        $"{job.PublicBaseUrl}media/{job.Vendor}/{Uri.EscapeDataString(job.Id)}/{index.ToString(CultureInfo.InvariantCulture)}.mp4";

    public static IReadOnlyList<string> UrlsFor(SandboxJob job) => Enumerable.Range(1, job.VideoCount).Select(i => UrlFor(job, i)).ToList();

    public static void Map(WebApplication app, SandboxRuntime runtime)
    {
        app.MapMethods("/media/{vendor}/{jobId}/{file}", [HttpMethods.Get, HttpMethods.Head], context =>
        {
            var result = Serve(context, runtime);
            return result.ExecuteAsync(context);
        });
    }

    private static IResult Serve(HttpContext context, SandboxRuntime runtime)
    {
        var vendor = (string)context.Request.RouteValues["vendor"]!;
        // Routing leaves an escaped '/' (%2F) escaped in a route value; AIML's video-route ids contain one (uuid:luma/ray-2).
        var jobId = Uri.UnescapeDataString((string)context.Request.RouteValues["jobId"]!);
        var file = (string)context.Request.RouteValues["file"]!;
        var job = SandboxVendors.All.Contains(vendor) ? runtime.Jobs.Find(vendor, jobId) : null;
        if (job is null)
        {
            return NotFound($"There is no {vendor} job '{jobId}'.");
        }

        if (!file.EndsWith(".mp4", StringComparison.Ordinal)
            || !int.TryParse(file[..^4], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || index < 1 || index > job.VideoCount)
        {
            return NotFound($"Job '{jobId}' has {job.VideoCount} video(s): 1.mp4{(job.VideoCount > 1 ? $" to {job.VideoCount}.mp4" : string.Empty)}; '{file}' is not one of them.");
        }

        var now = runtime.Time.GetUtcNow();
        var phase = job.PhaseAt(now);
        if (phase != SandboxJobPhase.Succeeded)
        {
            return NotFound($"Job '{jobId}' has no video: it is {phase.ToString().ToLowerInvariant()}.");
        }

        var clip = SampleClips.For(job.AspectRatio);
        return Results.File(
            clip.Bytes,
            contentType: "video/mp4",
            lastModified: job.FinishesAt,
            entityTag: new EntityTagHeaderValue($"\"{job.Vendor}-{job.Id}-{index}-{clip.AspectRatio.Replace(':', 'x')}\""),
            enableRangeProcessing: true);
    }

    private static JsonBody NotFound(string message) =>
        new(new JObject { ["error"] = "not_found", ["message"] = message }, StatusCodes.Status404NotFound);
}
