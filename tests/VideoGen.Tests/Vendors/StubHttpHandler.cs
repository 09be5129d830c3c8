using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace VideoGen.Tests.Vendors;

/// <summary>
/// An in-memory route table: each request is recorded and answered by the last route matching its method
/// and path; a request no route matches fails loudly.
/// </summary>
internal sealed class StubHttpHandler : HttpMessageHandler
{
    private readonly List<(HttpMethod Method, Regex Path, Func<RecordedRequest, HttpResponseMessage> Respond)> _routes = [];

    public List<RecordedRequest> Requests { get; } = [];

    public StubHttpHandler On(HttpMethod method, string pathPattern, Func<RecordedRequest, HttpResponseMessage> respond)
    {
        _routes.Add((method, new Regex("^" + pathPattern + "$"), respond));
        return this;
    }

    public StubHttpHandler OnJson(HttpMethod method, string pathPattern, string json, HttpStatusCode status = HttpStatusCode.OK) =>
        On(method, pathPattern, _ => Json(json, status));

    public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var recorded = new RecordedRequest(request.Method, request.RequestUri!, request.Headers.Authorization?.ToString(), body)
        {
            Headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase),
        };
        lock (Requests)
        {
            Requests.Add(recorded);
        }

        var route = _routes.LastOrDefault(r => r.Method == request.Method && r.Path.IsMatch(request.RequestUri!.AbsolutePath));
        if (route.Respond is null)
        {
            throw new InvalidOperationException($"No stub route for {request.Method} {request.RequestUri}.");
        }

        var response = route.Respond(recorded);
        response.RequestMessage = request;
        return response;
    }
}

/// <summary>A request as the stub received it.</summary>
internal sealed record RecordedRequest(HttpMethod Method, Uri Uri, string? Authorization, string? Body)
{
    /// <summary>Every request header, by name (case-insensitive).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public JObject Json => JObject.Parse(Body ?? throw new InvalidOperationException("The request had no body."));
}
