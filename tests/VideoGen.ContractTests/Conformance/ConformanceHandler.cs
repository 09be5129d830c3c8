using System.Text;
using Newtonsoft.Json.Linq;

namespace VideoGen.ContractTests.Conformance;

/// <summary>
/// Counts the requests one test sends, and can rewrite every status word in a response (any string
/// property named <c>status</c> or <c>state</c>) to one no vendor uses, to show an adapter reads it as Unknown.
/// </summary>
internal sealed class ConformanceHandler(string? rewriteStatusTo = null) : DelegatingHandler
{
    private int _requests;

    public int Requests => Volatile.Read(ref _requests);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        var response = await base.SendAsync(request, cancellationToken);
        if (rewriteStatusTo is null || response.Content is null)
        {
            return response;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var json = JToken.Parse(body);
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
}
