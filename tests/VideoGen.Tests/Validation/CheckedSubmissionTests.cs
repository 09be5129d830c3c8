using Microsoft.Extensions.Logging;
using VideoGen.Catalog;
using VideoGen.Validation;
using VideoGen.Vendors;

namespace VideoGen.Tests.Validation;

/// <summary>
/// The adapter's check (validation and mapping) runs once per submission through a full default pipeline (budget,
/// telemetry, logging): the middleware and the adapter share its result instead of checking again.
/// </summary>
public sealed class CheckedSubmissionTests
{
    // Elumenta: a vendor with a price quote, so a budget that applies also prices through the adapter.
    private static readonly VendorInfo Elumenta = VideoModelCatalog.Default.GetVendor("elumenta");

    [Fact]
    public async Task SubmitAsync_ThroughEveryMiddlewareWithABudget_ChecksTheRequestOnce()
    {
        var adapter = new CountingAdapter();
        using var logging = LoggerFactory.Create(_ => { });
        var generator = VendorPipeline.Around(adapter, logging);

        var job = await generator.SubmitAsync(new VideoGenerationRequest("A red balloon"), new VideoGenerationOptions { MaxCost = 1_000_000m });

        job.Id.ShouldBe("job-1");
        adapter.Sent.ShouldBe(1);
        adapter.Checks.ShouldBe(1, "logging, telemetry, the budget, its price and the adapter share one check");
    }

    [Fact]
    public async Task SubmitAsync_InvalidRequestOverBudget_ValidationErrorFirstAfterOneCheck()
    {
        var adapter = new CountingAdapter();
        using var logging = LoggerFactory.Create(_ => { });
        var generator = VendorPipeline.Around(adapter, logging);

        var error = await Should.ThrowAsync<VideoGenValidationException>(() =>
            generator.SubmitAsync(new VideoGenerationRequest("A red balloon") { DurationSeconds = -5 }, new VideoGenerationOptions { MaxCost = 0m }));

        error.Failures.ShouldContain(f => f.Field == nameof(VideoGenerationRequest.DurationSeconds));
        adapter.Sent.ShouldBe(0);
        adapter.Checks.ShouldBe(1);
    }

    [Fact]
    public async Task SubmitAsync_SameRequestChangedBetweenSubmissions_EachSubmissionChecksWhatItSends()
    {
        var adapter = new CountingAdapter();
        using var logging = LoggerFactory.Create(_ => { });
        var generator = VendorPipeline.Around(adapter, logging);
        var request = new VideoGenerationRequest("A red balloon");

        await generator.SubmitAsync(request);
        request.DurationSeconds = -5;
        await Should.ThrowAsync<VideoGenValidationException>(() => generator.SubmitAsync(request));

        adapter.Sent.ShouldBe(1);
        adapter.Checks.ShouldBe(2);
    }

    private sealed class NoClient;

    /// <summary>An adapter that counts its mappings (every check maps once) and its sends.</summary>
    private sealed class CountingAdapter() : VendorVideoGenerator<NoClient, string>(new NoClient(), Elumenta, loggerFactory: null)
    {
        private int _checks;
        private int _sent;

        public int Checks => _checks;

        public int Sent => _sent;

        protected override string CreateVendorRequest(VideoGenerationRequest request, VideoGenerationOptions? options, string model, List<ValidationFailure> failures)
        {
            Interlocked.Increment(ref _checks);
            return request.Prompt;
        }

        protected override Task<VideoJob> SendAsync(string vendorRequest, string model, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _sent);
            return Task.FromResult(new VideoJob { Id = "job-" + _sent, Vendor = VendorName, Model = model, Status = VideoJobStatus.Queued });
        }

        protected override Func<CancellationToken, Task<VideoJob>> ReadJob(string jobId) => throw new NotSupportedException();
    }
}
