using System.Text;
using Newtonsoft.Json.Linq;

namespace VideoGen.ContractTests.Conformance;

/// <summary>
/// Counts the requests one test sends, and can rewrite every status word in a response (any string
/// property named <c>status</c> or <c>state</c>) to one no vendor uses, to show an adapter reads it as Unknown.
/// A status read (GET ending in the job id) gets that id in its answer's top-level string <c>id</c> or
/// <c>generation_id</c>: Prism's static mock answers every id with its one example, where a vendor answers with the
/// job asked for (and VideoGen refuses an answer about another job).
/// </summary>
internal sealed class ConformanceHandler(string? rewriteStatusTo = null) : DelegatingHandler
{
    private int _requests;

    public int Requests => Volatile.Read(ref _requests);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.Content is null)
        {
            return response;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        JToken json;
        try
        {
            json = JToken.Parse(body);
        }
        catch (Newtonsoft.Json.JsonException) when (rewriteStatusTo is null)
        {
            return response;
        }

        var echoed = EchoAskedId(request, json);
        if (rewriteStatusTo is null)
        {
            if (echoed)
            {
                response.Content = new StringContent(json.ToString(), Encoding.UTF8, response.Content.Headers.ContentType?.MediaType ?? "application/json");
            }

            return response;
        }

        var rewritten = 0;
        foreach (var property in (json as JContainer)?.Descendants().OfType<JProperty>().ToList() ?? [])
        {
            if (property.Name is "status" or "state" && property.Value.Type == JTokenType.String)
            {
                property.Value = rewriteStatusTo;
                rewritten++;
            }
        }

        rewritten.ShouldBeGreaterThan(0, $"the response of {request.Method} {request.RequestUri} has no status to rewrite: {body}");

        // An unknown status that comes with an error or a completion time reads as a failure (README, "VideoGen refuses");
        // the rewritten job is an active one in an unknown word, so the mock's example error and completion time go.
        foreach (var property in (json as JContainer)?.Descendants().OfType<JProperty>().ToList() ?? [])
        {
            if (property.Name is "error" or "error_message" or "failure_reason" or "completed_at" or "completedAt" or "finished_at")
            {
                property.Value = JValue.CreateNull();
            }
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "application/json";
        response.Content = new StringContent(json.ToString(), Encoding.UTF8, mediaType);
        return response;
    }

    private static bool EchoAskedId(HttpRequestMessage request, JToken json)
    {
        if (request.Method != HttpMethod.Get || json is not JObject answer || request.RequestUri is not { } uri)
        {
            return false;
        }

        var asked = Uri.UnescapeDataString(uri.AbsolutePath.TrimEnd('/').Split('/')[^1]);
        foreach (var name in new[] { "id", "generation_id" })
        {
            if (answer[name] is JValue { Type: JTokenType.String } value && (string?)value != asked && asked.Length > 0 && !asked.Contains("generation", StringComparison.Ordinal) && asked != "jobs" && asked != "queue")
            {
                answer[name] = asked;
                return true;
            }
        }

        return false;
    }
}
