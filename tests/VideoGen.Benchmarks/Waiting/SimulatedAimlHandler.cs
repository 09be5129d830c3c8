using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using VideoGen.AimlApi;
using VideoGen.Benchmarks.Infrastructure;
using VideoGen.Http;

namespace VideoGen.Benchmarks.Waiting;

/// <summary>
/// AIML API's Luma status endpoints on a virtual clock, behind the real generated client and adapter:
/// <c>GET .../generation?generation_id=X&amp;state=completed</c> holds the request on the "server" until the
/// job completes or 30 s pass (seed 003 § Fetch generation), advancing the clock like a real wait would;
/// without <c>state</c> it answers at once; <c>GET .../generations?generation_ids=...</c> reads many jobs in one request.
/// Every request is recorded with its virtual time.
/// </summary>
internal sealed class SimulatedAimlHandler(VirtualTimeProvider clock) : HttpMessageHandler
{
    /// <summary>AIML's server-side wait: "a timeout of 30 seconds" (seed 003).</summary>
    public static readonly TimeSpan ServerWait = TimeSpan.FromSeconds(30);

    private readonly DateTimeOffset _start = clock.GetUtcNow();
    private readonly ConcurrentDictionary<Guid, (DateTimeOffset Created, TimeSpan Duration)> _jobs = new();

    public ConcurrentQueue<Request> Requests { get; } = new();

    /// <summary>Creates the adapter (real generated client + real AIML adapter) over this handler.</summary>
    public IVideoGenerator CreateGenerator() =>
        new AimlApiClient(new VendorClientConfiguration("AIML API") { ApiKey = "sk-simulated", BaseUrl = new Uri("http://aiml.simulated/") }, new HttpClient(this, disposeHandler: false)).AsVideoGenerator();

    /// <summary>Adds a job that was just submitted and finishes after <paramref name="duration"/>; returns it as submitted.</summary>
    public VideoJob Add(Guid id, TimeSpan duration)
    {
        var created = clock.GetUtcNow();
        _jobs[id] = (created, duration);
        return new VideoJob { Id = id.ToString("D"), Vendor = "AIML API", Model = "ray-2", Status = VideoJobStatus.Queued, VendorStatus = "queued", CreatedAt = created };
    }

    /// <summary>The time since the handler was created.</summary>
    public TimeSpan Now => clock.GetUtcNow() - _start;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        var query = QueryHelpers.ParseQuery(uri.Query);
        string body;
        if (uri.AbsolutePath.EndsWith("/generations", StringComparison.Ordinal))
        {
            var ids = query["generation_ids"].Select(s => Guid.Parse(s!)).ToList();
            Requests.Enqueue(new Request(Now, Batch: true, ids.Count, Held: TimeSpan.Zero));
            body = "{\"generations\":[" + string.Join(",", ids.Where(_jobs.ContainsKey).Select(Render)) + "]}";
        }
        else
        {
            var id = Guid.Parse(query["generation_id"].ToString());
            var started = Now;
            var held = TimeSpan.Zero;
            if (query.ContainsKey("state") && _jobs.TryGetValue(id, out var job))
            {
                // The server holds the request until the job is done or its own wait ends.
                var left = job.Created + job.Duration - clock.GetUtcNow();
                held = left < ServerWait ? left : ServerWait;
                if (held > TimeSpan.Zero)
                {
                    clock.Advance(held);
                }
                else
                {
                    held = TimeSpan.Zero;
                }
            }

            Requests.Enqueue(new Request(started, Batch: false, 1, held));
            body = Render(id);
        }

        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
            RequestMessage = request,
        });
    }

    private string Render(Guid id)
    {
        var (created, duration) = _jobs[id];
        var done = clock.GetUtcNow() - created >= duration;
        var assets = done ? $",\"assets\":{{\"video\":\"https://cdn.aiml.simulated/{id:D}.mp4\"}}" : string.Empty;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"id\":\"{id:D}\",\"state\":\"{(done ? "completed" : "dreaming")}\",\"created_at\":\"{created:yyyy-MM-ddTHH:mm:ss.fffZ}\",\"model\":\"ray-2\"{assets}}}");
    }

    /// <summary>One request as the server saw it.</summary>
    /// <param name="At">When it arrived (virtual time since the handler was created).</param>
    /// <param name="Batch">Whether it read several jobs at once.</param>
    /// <param name="Jobs">How many jobs it read.</param>
    /// <param name="Held">How long the server held it (long poll).</param>
    public sealed record Request(TimeSpan At, bool Batch, int Jobs, TimeSpan Held);
}
