using Microsoft.Extensions.Logging;

namespace VideoGen.Logging;

/// <summary>
/// Every message VideoGen logs, source-generated. Levels follow what .NET users expect of a client
/// library: Information for what a job did (accepted, finished), Debug for each request and poll,
/// Warning for what VideoGen recovered from or passes on (throttling, retries, an unreadable answer),
/// Error only for what a person must fix (the key, the credits, the account's rights).
/// </summary>
/// <remarks>
/// Nothing here takes an API key. Prompts appear only at Debug, cut to <see cref="PromptPreviewLength"/>
/// characters; vendor text (a failure reason, an error message, which may quote the prompt) only at Debug.
/// Event ids: 1-19 adapters, 20-29 waiting, 30-39 HTTP resilience.
/// </remarks>
internal static partial class VideoGenLog
{
    /// <summary>The most characters of a prompt logged (at Debug).</summary>
    public const int PromptPreviewLength = 40;

    // Adapters: category = the adapter type (for example VideoGen.Elumenta.ElumentaVideoGenerator).
    [LoggerMessage(EventId = 1, EventName = "Submitting", Level = LogLevel.Debug,
        Message = "Submitting a job to {Vendor} (model {Model}): prompt \"{PromptPreview}\" ({PromptLength} characters)")]
    public static partial void Submitting(ILogger logger, string vendor, string model, string promptPreview, int promptLength);

    [LoggerMessage(EventId = 2, EventName = "SubmitAccepted", Level = LogLevel.Information,
        Message = "{Vendor} accepted job {JobId} (model {Model}, status {Status})")]
    public static partial void SubmitAccepted(ILogger logger, string vendor, string? model, string jobId, VideoJobStatus status);

    [LoggerMessage(EventId = 3, EventName = "JobRead", Level = LogLevel.Debug,
        Message = "{Vendor} job {JobId}: {Status} (vendor status {VendorStatus}, progress {Progress})")]
    public static partial void JobRead(ILogger logger, string vendor, string jobId, VideoJobStatus status, string? vendorStatus, double? progress);

    [LoggerMessage(EventId = 4, EventName = "AuthenticationFailed", Level = LogLevel.Error,
        Message = "{Vendor} refused the API key while {Operation} (HTTP 401); check the key configured for {Vendor}")]
    public static partial void AuthenticationFailed(ILogger logger, string vendor, string operation);

    [LoggerMessage(EventId = 5, EventName = "InsufficientCredits", Level = LogLevel.Error,
        Message = "{Vendor} refused {Operation}: the account has too few credits (HTTP 402)")]
    public static partial void InsufficientCredits(ILogger logger, string vendor, string operation);

    [LoggerMessage(EventId = 6, EventName = "AccessDenied", Level = LogLevel.Error,
        Message = "{Vendor} refused {Operation} (HTTP 403, code {ErrorCode}); the account or key lacks the rights for it")]
    public static partial void AccessDenied(ILogger logger, string vendor, string operation, string? errorCode);

    [LoggerMessage(EventId = 7, EventName = "Throttled", Level = LogLevel.Warning,
        Message = "{Vendor} throttled the request while {Operation} (HTTP {StatusCode}); it asked to wait {RetryAfterSeconds} s")]
    public static partial void Throttled(ILogger logger, string vendor, string operation, int statusCode, double? retryAfterSeconds);

    [LoggerMessage(EventId = 8, EventName = "RequestFailed", Level = LogLevel.Warning,
        Message = "{Vendor} request failed while {Operation}: HTTP {StatusCode}, code {ErrorCode}, request id {RequestId}")]
    public static partial void RequestFailed(ILogger logger, string vendor, string operation, int? statusCode, string? errorCode, string? requestId);

    // The exception's message carries the vendor's words (which may quote the prompt): Debug only.
    [LoggerMessage(EventId = 9, EventName = "FailureDetail", Level = LogLevel.Debug,
        Message = "{Vendor} failure while {Operation}")]
    public static partial void FailureDetail(ILogger logger, string vendor, string operation, Exception exception);

    // Waiting: category VideoGen.Waiting.VideoJobOperation or VideoGen.Waiting.VideoJobMonitor.
    [LoggerMessage(EventId = 20, EventName = "Polled", Level = LogLevel.Debug,
        Message = "Poll {Poll} of {Vendor} job {JobId}: {Status}, progress {Progress}, {ElapsedSeconds:0.#} s elapsed")]
    public static partial void Polled(ILogger logger, int poll, string? vendor, string jobId, VideoJobStatus status, double? progress, double elapsedSeconds);

    [LoggerMessage(EventId = 21, EventName = "PollDeferred", Level = LogLevel.Debug,
        Message = "Status request of {Vendor} job {JobId} was throttled (HTTP {StatusCode}); next poll in {DelaySeconds:0.#} s")]
    public static partial void PollDeferred(ILogger logger, string? vendor, string jobId, int? statusCode, double delaySeconds);

    [LoggerMessage(EventId = 22, EventName = "JobFinished", Level = LogLevel.Information,
        Message = "{Vendor} job {JobId} finished {Status} after {ElapsedSeconds:0.#} s ({Polls} polls)")]
    public static partial void JobFinished(ILogger logger, string? vendor, string jobId, VideoJobStatus status, double elapsedSeconds, int polls);

    [LoggerMessage(EventId = 23, EventName = "JobFailureReason", Level = LogLevel.Debug,
        Message = "{Vendor} job {JobId} ended {Status}: {Reason}")]
    public static partial void JobFailureReason(ILogger logger, string? vendor, string jobId, VideoJobStatus status, string? reason);

    [LoggerMessage(EventId = 24, EventName = "WaitTimedOut", Level = LogLevel.Warning,
        Message = "{Vendor} job {JobId} did not finish within {TimeoutSeconds:0.#} s (last status {Status}); it goes on at the vendor")]
    public static partial void WaitTimedOut(ILogger logger, string? vendor, string jobId, double timeoutSeconds, VideoJobStatus? status);

    [LoggerMessage(EventId = 25, EventName = "WebhookUpdate", Level = LogLevel.Debug,
        Message = "Webhook update of {Vendor} job {JobId}: {Status}")]
    public static partial void WebhookUpdate(ILogger logger, string? vendor, string jobId, VideoJobStatus status);

    [LoggerMessage(EventId = 26, EventName = "WebhookSilent", Level = LogLevel.Debug,
        Message = "No webhook for job {JobId} within {GraceSeconds:0.#} s; polling takes over")]
    public static partial void WebhookSilent(ILogger logger, string jobId, double graceSeconds);

    [LoggerMessage(EventId = 27, EventName = "FieldUnreadable", Level = LogLevel.Warning,
        Message = "{Vendor} sent a field VideoGen could not read while {Operation}; it is left empty: {Field}")]
    public static partial void FieldUnreadable(ILogger logger, string vendor, string operation, string field);

    [LoggerMessage(EventId = 28, EventName = "UnknownStatusEnded", Level = LogLevel.Warning,
        Message = "{Vendor} job {JobId} has the status '{VendorStatus}', which VideoGen does not know, with an error or a completion time: it is read as failed")]
    public static partial void UnknownStatusEnded(ILogger logger, string vendor, string jobId, string? vendorStatus);

    [LoggerMessage(EventId = 29, EventName = "PollFailedTransiently", Level = LogLevel.Warning,
        Message = "Status request of {Vendor} job {JobId} failed ({Cause}); retrying in {DelaySeconds:0.#} s, within the wait's deadline")]
    public static partial void PollFailedTransiently(ILogger logger, string? vendor, string jobId, string cause, double delaySeconds);

    // HTTP resilience: category VideoGen.Resilience.ResilienceHandler.
    [LoggerMessage(EventId = 30, EventName = "Retrying", Level = LogLevel.Warning,
        Message = "Retrying {Method} {Host}{Path} in {DelaySeconds:0.###} s (retry {Retry} of {MaxRetries}) after {Outcome}")]
    public static partial void Retrying(ILogger logger, string method, string? host, string? path, double delaySeconds, int retry, int maxRetries, string outcome);

    /// <summary>The start of a prompt, for Debug logs only.</summary>
    public static string PromptPreview(string? prompt) =>
        prompt is null ? string.Empty
        : prompt.Length <= PromptPreviewLength ? prompt
        : prompt[..PromptPreviewLength] + "…";

    /// <summary>
    /// Logs a failure at the level its kind calls for (Error for the key, the credits or the rights; Warning
    /// otherwise) with the vendor's status and code, and the exception itself at Debug.
    /// </summary>
    public static void Failure(ILogger logger, VideoGenException exception, string vendor, string operation)
    {
        switch (exception)
        {
            case VideoGenValidationException:
                // Thrown before anything was sent, to the caller who can read every failure in it.
                break;
            case VideoGenAuthenticationException:
                AuthenticationFailed(logger, vendor, operation);
                break;
            case InsufficientCreditsException:
                InsufficientCredits(logger, vendor, operation);
                break;
            case { StatusCode: System.Net.HttpStatusCode.Forbidden }:
                AccessDenied(logger, vendor, operation, exception.ErrorCode);
                break;
            case RateLimitedException r:
                Throttled(logger, vendor, operation, 429, r.RetryAfter?.TotalSeconds);
                break;
            case ServiceUnavailableException u:
                Throttled(logger, vendor, operation, 503, u.RetryAfter?.TotalSeconds);
                break;
            default:
                RequestFailed(logger, vendor, operation, (int?)exception.StatusCode, exception.ErrorCode, exception.RequestId);
                break;
        }

        if (exception is not VideoGenValidationException)
        {
            FailureDetail(logger, vendor, operation, exception);
        }
    }
}
