using System.Diagnostics;
using VideoGen.Elumenta;
using VideoGen.Http;
using VideoGen.Testing;
using VideoGen.Waiting;

namespace VideoGen.Tests.Waiting;

/// <summary>
/// Issue 12 items 6 and 7, issue 14 item 2: a status response whose headers never come, whose body trickles in, or
/// whose body never ends must not outlive the wait's timeout, nor be buffered without bound. Real loopback servers
/// (<see cref="RawHttpStub"/>) do what a hostile network does; the clock is the real one because the point is that
/// a real socket read is cut off (each bound is a few seconds, and the assertions allow seconds of slack).
/// </summary>
public sealed class BodyDeadlineTests
{
    private const string Key = "sk-sentinel-deadline-0c1d";

    // specs/elumenta.yaml GetGeneration 200 "pendingStatusPage".
    private const string Pending = """{"id": 18502, "status": "pending", "model_slug": "kling-v2.1", "result_url": null, "tokens_spent": 0}""";

    private static readonly TimeSpan Timeout2s = TimeSpan.FromSeconds(2);

    /// <summary>What "a few seconds" past the timeout means here: generous for a loaded 2-core machine, far below the hang.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(4);

    private static IVideoGenerator Generator(Uri baseUrl, long? maxResponseBytes = null) =>
        new ElumentaClient(
            new VendorClientConfiguration("Elumenta") { ApiKey = Key, BaseUrl = baseUrl, MaxResponseBytes = maxResponseBytes ?? VendorClientConfiguration.DefaultMaxResponseBytes },
            new HttpClient()).AsVideoGenerator();

    private static WaitOptions Wait(TimeSpan timeout) => new() { Timeout = timeout, PollInterval = TimeSpan.FromMilliseconds(100), UseLongPoll = false };

    /// <summary>Runs <paramref name="call"/>, giving up after <paramref name="limit"/> (then the test fails; the stub's disposal ends the call).</summary>
    private static async Task<(Exception? Error, TimeSpan Elapsed)> TimedAsync(Func<Task> call, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        var task = call();
        var finished = await Task.WhenAny(task, Task.Delay(limit));
        finished.ShouldBe(task, $"the call was still running after {limit.TotalSeconds} s");
        try
        {
            await task;
            return (null, watch.Elapsed);
        }
        catch (Exception e)
        {
            return (e, watch.Elapsed);
        }
    }

    [Fact]
    public async Task WaitForCompletionAsync_StatusBodyAtOneBytePerSecond_TimesOutAtTheTimeoutWithTheJobId()
    {
        // ~100 bytes at one byte per second: the body would take 100 s.
        await using var stub = RawHttpStub.Trickle(Pending, TimeSpan.FromSeconds(1));
        var operation = Generator(stub.BaseUrl).GetOperation("18502");

        var (error, elapsed) = await TimedAsync(() => operation.WaitForCompletionAsync(Wait(Timeout2s)), TimeSpan.FromSeconds(30));

        var timeout = error.ShouldBeOfType<JobTimeoutException>();
        timeout.JobId.ShouldBe("18502");
        elapsed.ShouldBeLessThan(Timeout2s + Slack);
    }

    [Fact]
    public async Task WaitForCompletionAsync_ServerAcceptsAndNeverAnswers_TimesOutAtTheTimeout()
    {
        await using var stub = RawHttpStub.Silent();
        var operation = Generator(stub.BaseUrl).GetOperation("18502");

        var (error, elapsed) = await TimedAsync(() => operation.WaitForCompletionAsync(Wait(Timeout2s)), TimeSpan.FromSeconds(30));

        error.ShouldBeOfType<JobTimeoutException>().JobId.ShouldBe("18502");
        elapsed.ShouldBeLessThan(Timeout2s + Slack);
        stub.Requests.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task GetJobAsync_StatusBodyAtOneBytePerSecond_StopsWhenTheCallerCancels()
    {
        await using var stub = RawHttpStub.Trickle(Pending, TimeSpan.FromSeconds(1));
        var generator = Generator(stub.BaseUrl);
        using var cancel = new CancellationTokenSource(Timeout2s);

        var (error, elapsed) = await TimedAsync(() => generator.GetJobAsync("18502", cancel.Token), TimeSpan.FromSeconds(30));

        error.ShouldBeAssignableTo<OperationCanceledException>();
        elapsed.ShouldBeLessThan(Timeout2s + Slack);
    }

    [Fact]
    public async Task WaitForCompletionAsync_EndlessChunkedJsonBody_TimesOutAndReadsAtMostTheCap()
    {
        // The body never ends, and comes fast: the cap ends the read long before the timeout.
        await using var stub = RawHttpStub.EndlessJson();
        const long cap = 1024 * 1024;
        var operation = Generator(stub.BaseUrl, cap).GetOperation("18502");

        var (error, _) = await TimedAsync(() => operation.WaitForCompletionAsync(Wait(TimeSpan.FromSeconds(20))), TimeSpan.FromSeconds(60));

        var tooLarge = error.ShouldBeOfType<ResponseTooLargeException>();
        tooLarge.JobId.ShouldBe("18502");
        tooLarge.Limit.ShouldBe(cap);
        tooLarge.Message.ShouldNotContain(Key);
    }

    [Fact]
    public async Task GetJobAsync_EndlessChunkedJsonBody_BuffersAtMostTheCap()
    {
        await using var stub = RawHttpStub.EndlessJson(pause: TimeSpan.FromMilliseconds(1));
        const long cap = 2 * 1024 * 1024;
        var generator = Generator(stub.BaseUrl, cap);

        var (error, _) = await TimedAsync(() => generator.GetJobAsync("18502"), TimeSpan.FromSeconds(60));

        error.ShouldBeOfType<ResponseTooLargeException>().JobId.ShouldBe("18502");

        // Bytes the server got out before the client stopped reading: the cap plus what socket buffers hold, not
        // the unbounded stream it would have sent a reader that never stops.
        stub.BytesSent.ShouldBeLessThan(cap + 8 * 1024 * 1024);
    }

    [Fact]
    public async Task GetJobAsync_ContentLengthOverTheCap_RefusesWithoutReading()
    {
        var big = new string('x', 64 * 1024);
        await using var stub = RawHttpStub.Trickle("{\"pad\":\"" + big + "\"}", TimeSpan.Zero);
        var generator = Generator(stub.BaseUrl, maxResponseBytes: 1024);

        var (error, _) = await TimedAsync(() => generator.GetJobAsync("18502"), TimeSpan.FromSeconds(30));

        error.ShouldBeOfType<ResponseTooLargeException>().Message.ShouldContain("1,024-byte cap");
    }
}
