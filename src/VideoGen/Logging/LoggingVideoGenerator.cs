using Microsoft.Extensions.Logging;

namespace VideoGen.Logging;

/// <summary>
/// Middleware that logs what a generator does with jobs: each submission sent (Debug, with the start of the prompt),
/// each job accepted (Information) and each job read (Debug). Added by default to the generators of
/// <c>AsVideoGenerator()</c>, <c>AddVideoGeneration</c> and the CLI; add it yourself with
/// <see cref="VideoGeneratorBuilderLoggingExtensions.UseLogging"/> or <c>VideoGenerationBuilder.UseLogging</c>, as
/// Microsoft.Extensions.AI's <c>LoggingChatClient</c> is added with <c>ChatClientBuilder.UseLogging</c>
/// (https://learn.microsoft.com/dotnet/ai/microsoft-extensions-ai).
/// </summary>
/// <remarks>
/// A request the generator below refuses before sending (validation, mapping) is not logged as a submission: nothing
/// left the machine. The failures of vendor calls, the fields VideoGen could not read and the statuses it did not know
/// are logged by the vendor adapter, where they happen. API keys are never logged; prompts only at Debug, cut to
/// <see cref="VideoGenLog.PromptPreviewLength"/> characters.
/// </remarks>
public sealed class LoggingVideoGenerator : DelegatingVideoGenerator
{
    private readonly ILogger _logger;

    /// <summary>Wraps <paramref name="innerGenerator"/>, logging to <paramref name="logger"/>.</summary>
    /// <param name="innerGenerator">The generator calls go to.</param>
    /// <param name="logger">Where to log; the default pipelines use the category <c>VideoGen.Logging.LoggingVideoGenerator</c>.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public LoggingVideoGenerator(IVideoGenerator innerGenerator, ILogger logger)
        : base(innerGenerator)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
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

        VideoGenLog.Submitting(_logger, target.Vendor, target.Model, VideoGenLog.PromptPreview(request.Prompt), request.Prompt?.Length ?? 0);
        var job = await InnerGenerator.SubmitAsync(request, options, cancellationToken).ConfigureAwait(false);
        VideoGenLog.SubmitAccepted(_logger, target.Vendor, job.Model ?? target.Model, job.Id, job.Status);
        return job;
    }

    /// <inheritdoc />
    public override async Task<VideoJob> GetJobAsync(string jobId, CancellationToken cancellationToken = default)
    {
        var job = await InnerGenerator.GetJobAsync(jobId, cancellationToken).ConfigureAwait(false);
        var vendor = (InnerGenerator.GetService(typeof(Catalog.VendorInfo)) as Catalog.VendorInfo)?.DisplayName ?? job.Vendor ?? "the vendor";
        VideoGenLog.JobRead(_logger, vendor, job.Id, job.Status, job.VendorStatus, job.Progress);
        return job;
    }
}

/// <summary>Adds <see cref="LoggingVideoGenerator"/> to a <see cref="VideoGeneratorBuilder"/>.</summary>
public static class VideoGeneratorBuilderLoggingExtensions
{
    /// <summary>Adds logging (<see cref="LoggingVideoGenerator"/>) at this point of the pipeline; the first <c>Use</c> is the outermost.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="loggerFactory">
    /// Where to log. Default: the <see cref="ILoggerFactory"/> of the services the pipeline is built with; when there is
    /// none, no middleware is added (nothing would be logged).
    /// </param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static VideoGeneratorBuilder UseLogging(this VideoGeneratorBuilder builder, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
            LoggingMiddleware.Wrap(inner, loggerFactory ?? services?.GetService(typeof(ILoggerFactory)) as ILoggerFactory));
    }
}

/// <summary>How the pipelines add logging: only where there is somewhere to log to.</summary>
internal static class LoggingMiddleware
{
    public static IVideoGenerator Wrap(IVideoGenerator inner, ILoggerFactory? loggerFactory) =>
        loggerFactory is null or Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory
            ? inner
            : new LoggingVideoGenerator(inner, loggerFactory.CreateLogger<LoggingVideoGenerator>());
}
