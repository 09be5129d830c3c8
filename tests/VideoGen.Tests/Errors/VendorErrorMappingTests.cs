using System.Net;
using System.Net.Http.Headers;
using System.Text;
using VideoGen.Http;
using VideoGen.Tests.Vendors;

namespace VideoGen.Tests.Errors;

/// <summary>
/// Each vendor's error bodies, answered by an in-memory handler to the GENERATED clients: the typed
/// exception, its properties, and a message that carries status, code and the service's words, never a key.
/// </summary>
public sealed class VendorErrorMappingTests
{
    /// <summary>One vendor's documented error body shape, for a status.</summary>
    public sealed record VendorCase(string Vendor, string DisplayName, Func<int, (string Body, string Code, string Words)> ErrorBody)
    {
        /// <summary>Calls the vendor's submit operation on its generated client.</summary>
        internal Func<StubHttpHandler, Task> Submit { get; init; } = _ => throw new InvalidOperationException("the case names no submit call");

        public override string ToString() => Vendor;
    }

    private static readonly VendorCase Elumenta = new("elumenta", "Elumenta", status =>
    {
        // specs/elumenta.yaml ErrorResponse {error, message, details}, codes from the vendor's error-handling guide.
        var code = status switch
        {
            400 => "bad_request",
            401 => "not_authenticated",
            402 => "insufficient_tokens",
            429 => "rate_limit_exceeded",
            503 => "model_unavailable",
            _ => "provider_error",
        };
        var words = $"Elumenta says {code.Replace('_', ' ')}";
        return ($$$"""{"error": "{{{code}}}", "message": "{{{words}}}", "details": {"hint": "see docs"}}""", code, words);
    })
    {
        Submit = handler => TestClients.Elumenta(handler).CreateGenerationAsync(
            new VideoGen.Elumenta.GenerateRequest { Model = "kling-v2.1", Prompt = "A red balloon" }),
    };

    private static readonly VendorCase Gateway = new("gateway", "Apiframe", status =>
    {
        // specs/gateway.yaml ErrorResponse {error, message}; the seed's error table names the errors.
        var error = status switch
        {
            400 => "Validation error",
            401 => "Unauthorized",
            402 => "Insufficient credits",
            503 => "Service unavailable",
            _ => "Error",
        };
        var words = status == 402 ? "Not enough credits" : $"Gateway failed with {status}";
        return ($$"""{"error": "{{error}}", "message": "{{words}}"}""", error, words);
    })
    {
        Submit = handler => TestClients.Apiframe(handler).CreateVideoAsync(
            new VideoGen.Apiframe.CreateVideoRequest { Model = VideoGen.Apiframe.VideoModel.Kling21, Prompt = "A red balloon" }),
    };

    private static readonly VendorCase AimlApi = new("aimlapi", "AIML API", status =>
    {
        // specs/aimlapi.yaml ErrorResponse: NestJS's {statusCode, message, error}.
        var error = status switch
        {
            400 => "Bad Request",
            401 => "Unauthorized",
            402 => "Payment Required",
            429 => "Too Many Requests",
            503 => "Service Unavailable",
            _ => "Internal Server Error",
        };
        var words = $"AIML API refused with {status}";
        return ($$"""{"statusCode": {{status}}, "message": "{{words}}", "error": "{{error}}"}""", error, words);
    })
    {
        Submit = handler => TestClients.AimlApi(handler).CreateGenerationAsync(new VideoGen.AimlApi.CreateGenerationRequest { Prompt = "A red balloon" }),
    };

    private static readonly VendorCase Oxen = new("oxen", "Oxen.ai", status =>
    {
        // specs/oxen.yaml ErrorResponse: {error: {type, title}, status, status_message}.
        var type = status switch
        {
            400 => "bad_request",
            401 => "unauthorized",
            402 => "insufficient_credits",
            429 => "rate_limited",
            503 => "service_unavailable",
            _ => "internal_error",
        };
        var words = $"Oxen could not do it ({status})";
        return ($$"""{"error": {"type": "{{type}}", "title": "{{words}}"}, "status": "error", "status_message": "{{type}}"}""", type, words);
    })
    {
        Submit = handler => TestClients.Oxen(handler).EnqueueGenerationAsync(
            new VideoGen.Oxen.EnqueueGenerationRequest { Model = "kling-video-v2-6-pro-text-to-video", Prompt = "A red balloon" }),
    };

    public static TheoryData<VendorCase> Vendors => [Elumenta, Gateway, AimlApi, Oxen];

    public static TheoryData<VendorCase, int, Type> VendorsAndStatuses()
    {
        var data = new TheoryData<VendorCase, int, Type>();
        foreach (var vendor in new[] { Elumenta, Gateway, AimlApi, Oxen })
        {
            data.Add(vendor, 400, typeof(VideoGenException));
            data.Add(vendor, 401, typeof(VideoGenAuthenticationException));
            data.Add(vendor, 402, typeof(InsufficientCreditsException));
            data.Add(vendor, 429, typeof(RateLimitedException));
            data.Add(vendor, 500, typeof(VideoGenException));
            data.Add(vendor, 503, typeof(ServiceUnavailableException));
        }

        return data;
    }

    /// <summary>Calls the vendor's submit operation on its generated client.</summary>
    private static Task CallAsync(VendorCase vendor, StubHttpHandler handler) => vendor.Submit(handler);

    private static StubHttpHandler Answer(Func<HttpResponseMessage> respond) => new StubHttpHandler().On(HttpMethod.Post, ".*", _ => respond());

    /// <summary>Answers every request with <paramref name="status"/> and <paramref name="body"/>; <paramref name="headers"/> sets the headers as each answer is made.</summary>
    private static StubHttpHandler Answer(int status, string? body, Action<HttpResponseHeaders> headers) => Answer(() =>
    {
        var response = Response(status, body);
        headers(response.Headers);
        return response;
    });

    private static HttpResponseMessage Response(int status, string? body, string mediaType = "application/json")
    {
        var response = new HttpResponseMessage((HttpStatusCode)status);
        if (body is not null)
        {
            response.Content = new StringContent(body, Encoding.UTF8, mediaType);
        }

        return response;
    }

    [Theory]
    [MemberData(nameof(VendorsAndStatuses))]
    public async Task ErrorStatus_VendorErrorBody_MapsToTypedExceptionWithStatusCodeAndWords(VendorCase vendor, int status, Type expectedType)
    {
        var (body, code, words) = vendor.ErrorBody(status);
        var handler = Answer(() => Response(status, body));

        var e = await Should.ThrowAsync<VideoGenException>(() => CallAsync(vendor, handler));

        e.GetType().ShouldBe(expectedType);
        e.Vendor.ShouldBe(vendor.DisplayName);
        e.StatusCode.ShouldBe((HttpStatusCode)status);
        e.ErrorCode.ShouldBe(code);
        e.ResponseExcerpt.ShouldBe(body);
        e.Message.ShouldContain($"{vendor.DisplayName} answered HTTP {status}");
        e.Message.ShouldContain($"[{code}]");
        e.Message.ShouldContain(words);
        handler.Requests.ShouldHaveSingleItem();
    }

    [Fact]
    public async Task BadRequest_NestJsValidationList_QuotesEveryMessage()
    {
        var handler = Answer(() => Response(400,
            """{"statusCode": 400, "message": ["prompt must be a string", "aspect_ratio must be one of the following values: 1:1, 16:9"], "error": "Bad Request"}"""));

        var e = await Should.ThrowAsync<VideoGenException>(() => CallAsync(AimlApi, handler));

        e.ErrorCode.ShouldBe("Bad Request");
        e.Message.ShouldContain("prompt must be a string; aspect_ratio must be one of the following values: 1:1, 16:9");
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task TooManyRequests_RetryAfterSeconds_IsReadIntoRetryAfter(VendorCase vendor)
    {
        var handler = Answer(429, vendor.ErrorBody(429).Body, h => h.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(30)));

        var e = await Should.ThrowAsync<RateLimitedException>(() => CallAsync(vendor, handler));

        e.RetryAfter.ShouldBe(TimeSpan.FromSeconds(30));
        e.Message.ShouldContain("Retry after 30 s");
    }

    [Fact]
    public async Task TooManyRequests_ElumentaBodyRetryAfter_IsReadWhenNoHeader()
    {
        // The body of https://docs.elumenta.ru/en/concepts/rate-limits.md § Handling Rate Limit Errors; no Retry-After header.
        var handler = Answer(() => Response(429,
            """{"error": "rate_limit_exceeded", "message": "Hourly limit reached: 100 requests/hour on VIP plan", "retry_after": 847, "plan": "vip", "limit_hour": 100, "limit_day": 1000}"""));

        var e = await Should.ThrowAsync<RateLimitedException>(() => CallAsync(Elumenta, handler));

        e.RetryAfter.ShouldBe(TimeSpan.FromSeconds(847));
        e.ErrorCode.ShouldBe("rate_limit_exceeded");
        e.Message.ShouldContain("Hourly limit reached: 100 requests/hour on VIP plan");
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task TooManyRequests_RetryAfterHttpDate_IsReadAsTheWaitUntilThatDate(VendorCase vendor)
    {
        var handler = Answer(429, vendor.ErrorBody(429).Body, h => h.RetryAfter = new RetryConditionHeaderValue(DateTimeOffset.UtcNow.AddSeconds(120)));

        var e = await Should.ThrowAsync<RateLimitedException>(() => CallAsync(vendor, handler));

        // An HTTP date has whole seconds, and a little time passes before it is read.
        e.RetryAfter.ShouldNotBeNull();
        e.RetryAfter.Value.ShouldBeInRange(TimeSpan.FromSeconds(100), TimeSpan.FromSeconds(120));
    }

    [Fact]
    public async Task TooManyRequests_RetryAfterDateInThePast_IsZero()
    {
        var handler = Answer(429, null, h => h.RetryAfter = new RetryConditionHeaderValue(DateTimeOffset.UtcNow.AddMinutes(-5)));

        var e = await Should.ThrowAsync<RateLimitedException>(() => CallAsync(Gateway, handler));

        e.RetryAfter.ShouldBe(TimeSpan.Zero);
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task ServiceUnavailable_RetryAfterSeconds_IsReadIntoRetryAfter(VendorCase vendor)
    {
        var handler = Answer(503, vendor.ErrorBody(503).Body, h => h.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(5)));

        var e = await Should.ThrowAsync<ServiceUnavailableException>(() => CallAsync(vendor, handler));

        e.RetryAfter.ShouldBe(TimeSpan.FromSeconds(5));
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task ErrorStatus_RequestIdHeader_IsReadAndQuoted(VendorCase vendor)
    {
        var handler = Answer(500, vendor.ErrorBody(500).Body, h => h.Add("x-request-id", "req_8f2b1c"));

        var e = await Should.ThrowAsync<VideoGenException>(() => CallAsync(vendor, handler));

        e.RequestId.ShouldBe("req_8f2b1c");
        e.Message.ShouldContain("request id req_8f2b1c");
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task ErrorStatus_HtmlBody_QuotesItsFirstLineWithoutACode(VendorCase vendor)
    {
        const string html = "502 Bad Gateway: upstream timed out\n<html><body><h1>502</h1></body></html>";
        var handler = Answer(() => Response(502, html, "text/html"));

        var e = await Should.ThrowAsync<VideoGenException>(() => CallAsync(vendor, handler));

        e.GetType().ShouldBe(typeof(VideoGenException));
        e.StatusCode.ShouldBe(HttpStatusCode.BadGateway);
        e.ErrorCode.ShouldBeNull();
        e.Message.ShouldBe($"{vendor.DisplayName} answered HTTP 502 Bad Gateway: 502 Bad Gateway: upstream timed out.");
        e.ResponseExcerpt.ShouldBe(html);
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task ErrorStatus_EmptyBody_StillMapsByStatus(VendorCase vendor)
    {
        var handler = Answer(() => Response(503, string.Empty));

        var e = await Should.ThrowAsync<ServiceUnavailableException>(() => CallAsync(vendor, handler));

        e.Vendor.ShouldBe(vendor.DisplayName);
        e.ErrorCode.ShouldBeNull();
        e.ResponseExcerpt.ShouldBeNullOrEmpty();
        e.RetryAfter.ShouldBeNull();
        e.Message.ShouldBe($"{vendor.DisplayName} answered HTTP 503 Service Unavailable.");
    }

    [Fact]
    public async Task ErrorStatus_NoContentAtAll_StillMapsByStatus()
    {
        var handler = Answer(() => new HttpResponseMessage(HttpStatusCode.Unauthorized));

        var e = await Should.ThrowAsync<VideoGenAuthenticationException>(() => CallAsync(Elumenta, handler));

        e.Message.ShouldContain("Check the API key configured for Elumenta");
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task ErrorStatus_HugeTextBody_ExcerptAndMessageAreBounded(VendorCase vendor)
    {
        var huge = new string('x', 2_000_000);
        var handler = Answer(() => Response(500, huge, "text/plain"));

        var e = await Should.ThrowAsync<VideoGenException>(() => CallAsync(vendor, handler));

        e.ResponseExcerpt.ShouldBe(new string('x', VideoGenException.ResponseExcerptLimit) + "…");
        e.Message.Length.ShouldBeLessThan(600);
    }

    [Fact]
    public async Task ErrorStatus_HugeJsonMessage_MessageIsBounded()
    {
        var words = new string('w', 20_000);
        var handler = Answer(() => Response(400, $$"""{"error": "bad_request", "message": "{{words}}"}"""));

        var e = await Should.ThrowAsync<VideoGenException>(() => CallAsync(Elumenta, handler));

        e.ErrorCode.ShouldBe("bad_request");
        e.Message.Length.ShouldBeLessThan(600);
        e.ResponseExcerpt!.Length.ShouldBe(VideoGenException.ResponseExcerptLimit + 1);
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task Unauthorized_BodyEchoingTheKey_IsRedactedEverywhere(VendorCase vendor)
    {
        var body = $$$"""{"error": "not_authenticated", "message": "Invalid token {{{TestClients.ApiKey}}}", "details": {"token": "{{{TestClients.ApiKey}}}"}}""";
        var handler = Answer(() =>
        {
            var response = Response(401, body);
            response.Headers.Add("x-request-id", "req-" + TestClients.ApiKey);
            return response;
        });

        var e = await Should.ThrowAsync<VideoGenAuthenticationException>(() => CallAsync(vendor, handler));

        e.Message.ShouldNotContain(TestClients.ApiKey);
        e.ToString().ShouldNotContain(TestClients.ApiKey);
        e.ResponseExcerpt.ShouldNotBeNull();
        e.ResponseExcerpt.ShouldNotContain(TestClients.ApiKey);
        e.ResponseExcerpt.ShouldContain("Invalid token ***");
        e.RequestId.ShouldBe("req-***");
        e.Message.ShouldContain("Invalid token ***");
    }

    [Fact]
    public async Task ErrorStatus_KeyStraddlingTheExcerptCut_LeavesNoPartOfIt()
    {
        var body = new string('x', VideoGenException.ResponseExcerptLimit - 10) + TestClients.ApiKey + new string('y', 100);
        var handler = Answer(() => Response(500, body, "text/plain"));

        var e = await Should.ThrowAsync<VideoGenException>(() => CallAsync(Elumenta, handler));

        e.ResponseExcerpt.ShouldNotBeNull();
        e.ResponseExcerpt.ShouldNotContain(TestClients.ApiKey[..10]);
        e.ResponseExcerpt.ShouldContain("***");
    }

    [Fact]
    public async Task Success_UnreadableBody_GeneratedClientThrowsApiExceptionOfTheFamily()
    {
        var handler = Answer(() => Response(200, "<html>not json</html>", "text/html"));

        var e = await Should.ThrowAsync<ApiException>(() => CallAsync(Elumenta, handler));

        e.ShouldBeAssignableTo<VideoGenException>();
        e.StatusCode.ShouldBe(HttpStatusCode.OK);
        e.Message.ShouldContain("Could not deserialize");
    }

    [Fact]
    public async Task UndocumentedSuccessStatus_BodyNotTheDocumentedOne_GeneratedClientThrowsApiExceptionWithBodyExcerpt()
    {
        // Elumenta documents 200 for a submission; a 202 is read as the 200 (tolerant reader), whose body lacks id and status.
        var handler = Answer(() => Response(202, """{"queued": true}"""));

        var e = await Should.ThrowAsync<ApiException>(() => CallAsync(Elumenta, handler));

        e.Message.ShouldContain("Could not deserialize");
        e.InnerException!.Message.ShouldContain("Required property 'id' not found");
    }

    [Fact]
    public async Task UndocumentedStatus_3xxWithABody_GeneratedClientThrowsApiExceptionWithBodyExcerpt()
    {
        var handler = Answer(() => Response(300, """{"choices": 2}"""));

        var e = await Should.ThrowAsync<ApiException>(() => CallAsync(Elumenta, handler));

        e.StatusCode.ShouldBe(HttpStatusCode.Ambiguous);
        e.Message.ShouldContain("was not expected (300)");
        e.ResponseExcerpt.ShouldBe("""{"choices": 2}""");
    }
}
