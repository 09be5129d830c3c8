using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Newtonsoft.Json.Linq;

namespace VideoGen.Tests.Keyframes;

/// <summary>
/// An in-memory AIML API Luma server: POST .../generation creates a queued generation with the next
/// scripted id; GET .../generation?generation_id=..&amp;state=.. answers with that generation's next
/// scripted state (the last one repeats). Every request is recorded; any other request fails loudly.
/// </summary>
internal sealed class FakeAimlApi : HttpMessageHandler
{
    private const string Path = "/v2/generate/video/luma-ai/generation";
    private readonly Queue<Guid> _ids;
    private readonly ConcurrentDictionary<Guid, Queue<string>> _states = new();

    public FakeAimlApi(params Guid[] ids)
    {
        _ids = new Queue<Guid>(ids);
    }

    public List<RecordedRequest> Requests { get; } = [];

    /// <summary>The states GET answers with for a generation, in order; default: queued, then completed.</summary>
    public Dictionary<Guid, string[]> StatesById { get; } = [];

    /// <summary>Called on every GET, for example to advance a fake clock as if the server held the request.</summary>
    public Action? OnWait { get; set; }

    public Dictionary<Guid, string> FailureReasons { get; } = [];

    /// <summary>Answers to the next GETs instead of the generation (a 429, a 5xx), one per GET, in order.</summary>
    public Queue<Func<HttpResponseMessage>> Faults { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var recorded = new RecordedRequest(request.Method, request.RequestUri!, body, request.Headers.Authorization?.ToString());
        lock (Requests)
        {
            Requests.Add(recorded);
        }

        if (request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath == Path)
        {
            if (_ids.Count == 0)
            {
                throw new InvalidOperationException("FakeAimlApi: no generation id left for " + body);
            }

            var id = _ids.Dequeue();
            _states[id] = new Queue<string>(StatesById.TryGetValue(id, out var scripted) ? scripted : ["queued", "completed"]);
            return Json(HttpStatusCode.Created, Generation(id, "queued"));
        }

        if (request.Method == HttpMethod.Get && request.RequestUri!.AbsolutePath == Path)
        {
            var query = System.Web.HttpUtility.ParseQueryString(request.RequestUri.Query);
            var id = Guid.Parse(query["generation_id"]!);
            if (!_states.TryGetValue(id, out var states))
            {
                return Json(HttpStatusCode.NotFound, new JObject { ["statusCode"] = 404, ["message"] = $"generation {id} not found" });
            }

            OnWait?.Invoke();
            if (Faults.TryDequeue(out var fault))
            {
                return fault();
            }

            var state = states.Count > 1 ? states.Dequeue() : states.Peek();
            return Json(HttpStatusCode.OK, Generation(id, state));
        }

        throw new InvalidOperationException($"FakeAimlApi: unexpected request {request.Method} {request.RequestUri}");
    }

    private JObject Generation(Guid id, string state)
    {
        var generation = new JObject
        {
            ["id"] = id.ToString(),
            ["state"] = state,
            ["generation_type"] = "video",
            ["created_at"] = "2026-03-08T12:05:00Z",
            ["model"] = "ray-2",
        };
        if (state == "completed")
        {
            generation["assets"] = new JObject { ["video"] = $"https://storage.example/{id}.mp4" };
        }

        if (state == "failed")
        {
            generation["failure_reason"] = FailureReasons.TryGetValue(id, out var reason) ? reason : "unknown";
        }

        return generation;
    }

    private static HttpResponseMessage Json(HttpStatusCode status, JToken body) => new(status)
    {
        Content = new StringContent(body.ToString(), Encoding.UTF8, "application/json"),
    };
}

internal sealed record RecordedRequest(HttpMethod Method, Uri Uri, string? Body, string? Authorization)
{
    public JToken? Json => Body is null ? null : JToken.Parse(Body);

    public string? Query(string name) => System.Web.HttpUtility.ParseQueryString(Uri.Query)[name];
}
