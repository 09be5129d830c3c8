using System.Net;
using System.Net.Http.Headers;
using VideoGen.Resilience;
using VideoGen.Tests.Infrastructure;

namespace VideoGen.Tests.Resilience;

public sealed class ResilienceHandlerTests
{
    private readonly VirtualTimeProvider _clock = new();

    [Fact]
    public async Task SendAsync_GetFailsTransiently_RetriesUntilSuccess()
    {
        var inner = new ScriptedHandler(_clock, Status(503), Status(500), Status(200));
        using var client = Client(inner, out var handler);

        using var response = await client.GetAsync("https://api.example/v2/jobs/1");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        inner.Calls.Count.ShouldBe(3);
        handler.Retries.ShouldBe(2);
    }

    [Fact]
    public async Task SendAsync_RetryAfterSeconds_NextTryWaitsExactlyThat()
    {
        var limited = Status(429);
        limited.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
        var inner = new ScriptedHandler(_clock, limited, Status(200));
        using var client = Client(inner, out _);

        await client.GetAsync("https://api.example/v2/jobs/1");

        (inner.Calls[1].At - inner.Calls[0].At).ShouldBe(TimeSpan.FromSeconds(7));
    }

    [Fact]
    public async Task SendAsync_RetryAfterHttpDate_NextTryWaitsUntilThatDate()
    {
        var limited = Status(503);
        limited.Headers.RetryAfter = new RetryConditionHeaderValue(_clock.GetUtcNow().AddSeconds(12));
        var inner = new ScriptedHandler(_clock, limited, Status(200));
        using var client = Client(inner, out _);

        await client.GetAsync("https://api.example/v2/jobs/1");

        (inner.Calls[1].At - inner.Calls[0].At).ShouldBe(TimeSpan.FromSeconds(12));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(402)]
    [InlineData(404)]
    public async Task SendAsync_GetClientError_IsNotRetried(int status)
    {
        var inner = new ScriptedHandler(_clock, Status(status), Status(200));
        using var client = Client(inner, out _);

        using var response = await client.GetAsync("https://api.example/v2/jobs/1");

        ((int)response.StatusCode).ShouldBe(status);
        inner.Calls.Count.ShouldBe(1);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(502)]
    public async Task SendAsync_PostAnsweredWithRetryableStatus_IsNeverSentTwice(int status)
    {
        var inner = new ScriptedHandler(_clock, Status(status), Status(200));
        using var client = Client(inner, out _);

        using var response = await client.PostAsync("https://api.example/v2/generate", new StringContent("{}"));

        ((int)response.StatusCode).ShouldBe(status);
        inner.Calls.Count.ShouldBe(1);
    }

    [Fact]
    public async Task SendAsync_PostAnswered429_IsSentAgainAfterRetryAfterWithTheSameBody()
    {
        // Issue 11: a 429 proves nothing was accepted, so a create waits out Retry-After and is sent again.
        var limited = Status(429);
        limited.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
        var inner = new ScriptedHandler(_clock, limited, Status(201));
        using var client = Client(inner, out _);

        using var response = await client.PostAsync("https://api.example/v2/generate", new StringContent("{\"prompt\":\"x\"}"));

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        inner.Calls.Count.ShouldBe(2);
        inner.Calls[1].Method.ShouldBe(HttpMethod.Post);
        (inner.Calls[1].At - inner.Calls[0].At).ShouldBe(TimeSpan.FromSeconds(7));
    }

    [Fact]
    public async Task SendAsync_PostDroppedAfterSending_IsNotRetried()
    {
        var inner = new ScriptedHandler(_clock, new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."), Status(200));
        using var client = Client(inner, out _);

        await Should.ThrowAsync<HttpRequestException>(() => client.PostAsync("https://api.example/v2/generate", new StringContent("{}")));

        inner.Calls.Count.ShouldBe(1);
    }

    [Fact]
    public async Task SendAsync_PostWhoseConnectionFailed_IsRetriedBecauseNothingWasSent()
    {
        var inner = new ScriptedHandler(_clock, new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused"), Status(200));
        using var client = Client(inner, out _);

        using var response = await client.PostAsync("https://api.example/v2/generate", new StringContent("{}"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        inner.Calls.Count.ShouldBe(2);
    }

    [Fact]
    public async Task SendAsync_RetryWouldPassTheDeadline_ReturnsTheFailureInstead()
    {
        var limited = Status(429);
        limited.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(30));
        var inner = new ScriptedHandler(_clock, limited, Status(200));
        using var client = Client(inner, out _);
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.example/v2/jobs/1");
        ResilienceHandler.SetDeadline(request, _clock.GetUtcNow().AddSeconds(10));

        using var response = await client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        inner.Calls.Count.ShouldBe(1);
    }

    [Fact]
    public async Task SendAsync_AmbientDeadlineOfTheWaiter_NoRetryStartsPastIt()
    {
        var limited = Status(503);
        limited.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(30));
        var inner = new ScriptedHandler(_clock, limited, Status(200));
        using var client = Client(inner, out _);

        HttpResponseMessage response;
        using (RequestDeadline.Begin(_clock.GetUtcNow().AddSeconds(10)))
        {
            response = await client.GetAsync("https://api.example/v2/jobs/1");
        }

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        inner.Calls.Count.ShouldBe(1);
        RequestDeadline.Current.ShouldBeNull("the deadline ends with its scope");
    }

    [Fact]
    public async Task SendAsync_AmbientDeadlineFarAway_RetriesAsUsual()
    {
        var inner = new ScriptedHandler(_clock, Status(503), Status(200));
        using var client = Client(inner, out _);

        using (RequestDeadline.Begin(_clock.GetUtcNow().AddMinutes(5)))
        {
            using var response = await client.GetAsync("https://api.example/v2/jobs/1");
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        inner.Calls.Count.ShouldBe(2);
    }

    [Fact]
    public void RequestDeadline_NestedLaterDeadline_KeepsTheEarlierOne()
    {
        var outer = _clock.GetUtcNow().AddSeconds(5);

        using (RequestDeadline.Begin(outer))
        {
            using (RequestDeadline.Begin(outer.AddMinutes(1)))
            {
                RequestDeadline.Current.ShouldBe(outer);
            }

            RequestDeadline.Current.ShouldBe(outer);
        }
    }

    [Fact]
    public async Task SendAsync_RetriesExhausted_ReturnsTheLastResponseAfterMaxRetries()
    {
        var inner = new ScriptedHandler(_clock, Status(503), Status(503), Status(503), Status(503), Status(200));
        using var client = Client(inner, out _);

        using var response = await client.GetAsync("https://api.example/v2/jobs/1");

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        inner.Calls.Count.ShouldBe(1 + ResilienceOptions.DefaultMaxRetries);
    }

    [Fact]
    public async Task SendAsync_Disabled_SendsOnce()
    {
        var inner = new ScriptedHandler(_clock, Status(503), Status(200));
        using var client = new HttpClient(new ResilienceHandler(new ResilienceOptions { Enabled = false, TimeProvider = _clock }) { InnerHandler = inner });

        using var response = await client.GetAsync("https://api.example/v2/jobs/1");

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        inner.Calls.Count.ShouldBe(1);
    }

    [Fact]
    public void Constructor_InvalidOptions_ListsEveryProblem()
    {
        var error = Should.Throw<ArgumentException>(() => new ResilienceHandler(new ResilienceOptions { MaxRetries = -1, BaseDelay = TimeSpan.FromSeconds(10), MaxDelay = TimeSpan.FromSeconds(1) }));

        error.Message.ShouldContain("MaxRetries");
        error.Message.ShouldContain("MaxDelay");
    }

    private HttpClient Client(ScriptedHandler inner, out ResilienceHandler handler)
    {
        handler = new ResilienceHandler(new ResilienceOptions { TimeProvider = _clock, UseJitter = false }) { InnerHandler = inner };
        return new HttpClient(handler);
    }

    private static HttpResponseMessage Status(int code) => new((HttpStatusCode)code);

    private sealed class ScriptedHandler(TimeProvider clock, params object[] script) : HttpMessageHandler
    {
        private readonly DateTimeOffset _start = clock.GetUtcNow();
        private int _next;

        public List<(TimeSpan At, HttpMethod Method)> Calls { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Calls.Add((clock.GetUtcNow() - _start, request.Method));
            return script[_next++] switch
            {
                HttpResponseMessage response => Task.FromResult(response),
                Exception e => Task.FromException<HttpResponseMessage>(e),
                _ => throw new InvalidOperationException(),
            };
        }
    }
}
