namespace VideoGen.Telemetry;

/// <summary>
/// Middleware that traces and counts submissions: a <c>videogen.submit</c> span around each request sent (tags
/// <c>videogen.vendor</c>, <c>videogen.model</c>, then <c>videogen.job_id</c> and <c>videogen.status</c>; on failure
/// the error status, <c>error.type</c> and the <c>videogen.failures</c> counter), and the <c>videogen.submissions</c>
/// counter per job accepted, on <see cref="VideoGenTelemetry.ActivitySource"/> and <see cref="VideoGenTelemetry.Meter"/>.
/// Added by default to the generators of <c>AsVideoGenerator()</c>, <c>AddVideoGeneration</c> and the CLI; add it
/// yourself with <see cref="VideoGeneratorBuilderOpenTelemetryExtensions.UseOpenTelemetry"/> or
/// <c>VideoGenerationBuilder.UseOpenTelemetry</c>, as Microsoft.Extensions.AI's <c>OpenTelemetryChatClient</c> is
/// added with <c>ChatClientBuilder.UseOpenTelemetry</c> (https://learn.microsoft.com/dotnet/ai/microsoft-extensions-ai).
/// </summary>
/// <remarks>
/// A request the generator below refuses before sending (validation, mapping) gets no span: nothing left the machine.
/// Spans carry no key and no prompt. The poll and download spans are made where the polls and downloads happen.
/// </remarks>
public sealed class OpenTelemetryVideoGenerator : DelegatingVideoGenerator
{
    /// <summary>Wraps <paramref name="innerGenerator"/>.</summary>
    /// <param name="innerGenerator">The generator calls go to.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerGenerator"/> is null.</exception>
    public OpenTelemetryVideoGenerator(IVideoGenerator innerGenerator)
        : base(innerGenerator)
    {
    }

    /// <inheritdoc />
    public override async Task<VideoJob> SubmitAsync(VideoGenerationRequest request, VideoGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var target = SubmitTarget.Of(InnerGenerator, request, options);
        if (!target.IsSent)
        {
            return await InnerGenerator.SubmitAsync(request, options, cancellationToken).ConfigureAwait(false);
        }

        using var span = VideoGenTelemetry.Start("submit", target.Vendor, target.Model);
        VideoJob job;
        try
        {
            job = await InnerGenerator.SubmitAsync(request, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            VideoGenTelemetry.Fail(span, e, target.Vendor);
            throw;
        }

        span?.SetTag("videogen.job_id", job.Id);
        span?.SetTag("videogen.status", job.Status.ToString());
        VideoGenTelemetry.Submissions.Add(1, VideoGenTelemetry.VendorTag(target.Vendor), new KeyValuePair<string, object?>("videogen.model", target.Model));
        return job;
    }
}

/// <summary>Adds <see cref="OpenTelemetryVideoGenerator"/> to a <see cref="VideoGeneratorBuilder"/>.</summary>
public static class VideoGeneratorBuilderOpenTelemetryExtensions
{
    /// <summary>Adds tracing and counting of submissions (<see cref="OpenTelemetryVideoGenerator"/>) at this point of the pipeline; the first <c>Use</c> is the outermost.</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static VideoGeneratorBuilder UseOpenTelemetry(this VideoGeneratorBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new OpenTelemetryVideoGenerator(inner));
    }
}
