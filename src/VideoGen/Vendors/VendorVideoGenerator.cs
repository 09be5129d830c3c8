using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VideoGen.Catalog;
using VideoGen.Http;
using VideoGen.Logging;
using VideoGen.Validation;

namespace VideoGen.Vendors;

/// <summary>
/// What every vendor adapter shares: validation before anything is sent, the mapping failures of
/// fields a vendor's contract has no place for, error wrapping (with the log of each failed vendor call) and <see cref="GetService"/>.
/// The submit span, counters and submission logs are middleware (<see cref="Telemetry.OpenTelemetryVideoGenerator"/>,
/// <see cref="Logging.LoggingVideoGenerator"/>) that every default pipeline adds (<see cref="VendorPipeline"/>).
/// A vendor adapter says how a neutral request becomes its vendor's request and how the vendor's
/// job becomes a <see cref="VideoJob"/>.
/// </summary>
/// <typeparam name="TClient">The generated client interface.</typeparam>
/// <typeparam name="TVendorRequest">The generated request type.</typeparam>
internal abstract class VendorVideoGenerator<TClient, TVendorRequest> : IVideoGenerator, Pricing.IVideoPriceQuoter, IVideoRequestCheck
    where TClient : class
    where TVendorRequest : class
{
    /// <summary>How many submitted job ids an adapter remembers, to tell an expired job from an unknown id.</summary>
    private const int RememberedJobs = 10_000;

    private readonly VendorExceptionTranslator _errors;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _submitted = new(StringComparer.Ordinal);
    private readonly ILoggerFactory? _loggerFactory;

    protected VendorVideoGenerator(TClient client, VendorInfo vendor, ILoggerFactory? loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(vendor);
        Client = client;
        Vendor = vendor;
        _errors = new VendorExceptionTranslator(vendor.DisplayName, (client as VendorClientBase)?.ClientConfiguration.ApiKey);
        _loggerFactory = loggerFactory;
        Logger = loggerFactory?.CreateLogger(GetType()) ?? NullLogger.Instance;
    }

    /// <summary>The adapter's logger (category: the adapter's type); a no-op one when none was given.</summary>
    protected ILogger Logger { get; }

    /// <summary>The catalog entry of the vendor this adapter speaks to.</summary>
    public VendorInfo Vendor { get; }

    protected TClient Client { get; }

    protected string VendorName => Vendor.DisplayName;

    /// <inheritdoc />
    public async Task<VideoJob> SubmitAsync(VideoGenerationRequest request, VideoGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        // The check a middleware above made for this very submission (CheckedSubmission) is not made again.
        var (failures, warnings, model, vendorRequest) = CheckedSubmission.Find(this, request, options)?.Prepared as Mapped ?? Map(request, options);
        foreach (var warning in warnings)
        {
            // A warning does not stop the request (an open model slug); it is logged so it is not lost.
            Logger.LogWarning("{Vendor} request: {Warning}", VendorName, warning.ToString());
        }

        if (failures.Count > 0)
        {
            throw new VideoGenValidationException(VendorName, failures);
        }

        // The per-call budget (VideoGenerationOptions.MaxCost) is the budget middleware's (BudgetVideoGenerator), which
        // every default pipeline holds: it validates first and asks Elumenta's Calculate Price once per submission.
        // The submit span, its counters and the submission logs are middleware (Telemetry/OpenTelemetryVideoGenerator,
        // Logging/LoggingVideoGenerator) in every default pipeline: the adapter only adapts.
        var job = await InvokeAsync(() => SendOrAcceptedAsync(vendorRequest, model, cancellationToken), "submitting a job", jobId: null).ConfigureAwait(false);
        Remember(job.Id);
        return job;
    }

    /// <inheritdoc />
    public IReadOnlyList<ValidationFailure> Check(VideoGenerationRequest request, VideoGenerationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Map(request, options).Failures;
    }

    /// <inheritdoc />
    public CheckedSubmission CheckSubmission(VideoGenerationRequest request, VideoGenerationOptions? options)
    {
        ArgumentNullException.ThrowIfNull(request);
        var mapped = Map(request, options);
        return new CheckedSubmission(this, request, options, mapped.Failures, mapped);
    }

    /// <summary>The result of <see cref="Map"/>.</summary>
    private sealed record Mapped(IReadOnlyList<ValidationFailure> Failures, IReadOnlyList<ValidationWarning> Warnings, string Model, TVendorRequest VendorRequest);

    /// <summary>
    /// Validation and mapping, the one check before a send (what <see cref="SubmitAsync"/> and <see cref="Check"/> run):
    /// the validator's failures and the mapping's (a field this contract has no place for, a value its enums lack),
    /// reported together, once per field, so every problem shows at once.
    /// </summary>
    private Mapped Map(VideoGenerationRequest request, VideoGenerationOptions? options)
    {
        var (failures, warnings) = VideoRequestValidation.Check(Vendor, request, options);

        // The validator checks the catalog's default model when none is named, so that is the one sent.
        var requested = request.Model ?? Vendor.DefaultModel;
        var model = Vendor.FindModel(requested)?.Id ?? requested;
        var mappingFailures = new List<ValidationFailure>();
        var vendorRequest = CreateVendorRequest(request, options, model, mappingFailures);
        var reported = failures.Select(f => f.Field).ToHashSet(StringComparer.OrdinalIgnoreCase);
        IReadOnlyList<ValidationFailure> all = mappingFailures.Count == 0 ? failures : [.. failures, .. mappingFailures.Where(f => reported.Add(f.Field))];
        return new Mapped(all, warnings, model, vendorRequest);
    }

    /// <inheritdoc />
    public async Task<VideoJob> GetJobAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        cancellationToken.ThrowIfCancellationRequested();
        var read = ReadJob(jobId);
        VideoJob job;
        try
        {
            job = AnswerFor(jobId, await InvokeAsync(() => read(cancellationToken), "reading job " + jobId, jobId).ConfigureAwait(false));
        }
        catch (VideoGenException e) when (e.StatusCode == HttpStatusCode.NotFound && IsKnownJob(jobId))
        {
            throw Expired(jobId, e);
        }

        return EndedInUnknownStatus(job);
    }

    /// <summary>
    /// A status VideoGen does not know that comes with an error or a completion time is the vendor saying the job
    /// ended without a video: it is read as failed, in the vendor's own words, rather than waited on until the timeout.
    /// </summary>
    private VideoJob EndedInUnknownStatus(VideoJob job)
    {
        if (job.Status != VideoJobStatus.Unknown || (string.IsNullOrWhiteSpace(job.Error) && job.CompletedAt is null))
        {
            return job;
        }

        VideoGenLog.UnknownStatusEnded(Logger, VendorName, job.Id, job.VendorStatus);
        var words = string.IsNullOrWhiteSpace(job.Error) ? "no reason given" : job.Error;
        return job with { Status = VideoJobStatus.Failed, Error = $"{words} (status '{job.VendorStatus}')" };
    }

    /// <summary>Sends the create request; an empty 2xx body with the id in a header is a pending job with that id.</summary>
    private async Task<VideoJob> SendOrAcceptedAsync(TVendorRequest vendorRequest, string model, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync(vendorRequest, model, cancellationToken).ConfigureAwait(false);
        }
        catch (AcceptedWithoutBodyException accepted)
        {
            return new VideoJob
            {
                Id = accepted.JobId!,
                Vendor = VendorName,
                VendorId = Vendor.Id,
                Model = model,
                Status = VideoJobStatus.Queued,
                VendorStatus = $"HTTP {(int)accepted.StatusCode!}",
            };
        }
    }

    /// <inheritdoc />
    /// <remarks>The base has no cancel: it throws <see cref="VideoGenNotSupportedException"/>. Vendors that document cancel override it.</remarks>
    public virtual Task<VideoJob> CancelAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        throw new VideoGenNotSupportedException("cancelling a job", VendorName);
    }

    /// <inheritdoc />
    public async Task<Pricing.PriceEstimate> QuoteAsync(VideoGenerationRequest request, VideoGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (CheckedSubmission.Find(this, request, options)?.Prepared is Mapped { Failures.Count: 0 } mapped)
        {
            // The budget middleware prices the submission it has just checked: no second check.
            return await QuoteOrCatalogAsync(mapped.VendorRequest, mapped.Model, request, cancellationToken).ConfigureAwait(false);
        }

        VideoRequestValidation.EnsureValid(Vendor, request, options);
        var requested = request.Model ?? Vendor.DefaultModel;
        var model = Vendor.FindModel(requested)?.Id ?? requested;
        var mappingFailures = new List<ValidationFailure>();
        var vendorRequest = CreateVendorRequest(request, options, model, mappingFailures);
        if (mappingFailures.Count > 0)
        {
            throw new VideoGenValidationException(VendorName, mappingFailures);
        }

        return await QuoteOrCatalogAsync(vendorRequest, model, request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Pricing.PriceEstimate> QuoteOrCatalogAsync(TVendorRequest vendorRequest, string model, VideoGenerationRequest request, CancellationToken cancellationToken)
    {
        var catalog = Pricing.PriceCalculator.Estimate(Vendor, request);
        try
        {
            var quoted = await InvokeAsync(() => QuoteVendorAsync(vendorRequest, model, cancellationToken), "quoting a price", jobId: null).ConfigureAwait(false);
            if (quoted is null)
            {
                return catalog;
            }

            // A quote of nothing for a model the catalog prices (its cited page) is not trusted: a budget that believed it
            // would never stop. A positive quote below the catalog's range is believed: the vendor's own Calculate Price
            // example quotes 13 where the catalog's range starts at 26 (tests/VideoGen.ContractTests/VendorDocs/elumenta/
            // calculate-price-response.json), so the catalog is not the vendor's floor.
            if (catalog.Min is > 0 && quoted.Max is <= 0 && quoted.Unit == catalog.Unit)
            {
                return catalog with
                {
                    Reason = $"{VendorName} quoted {quoted.Max} {quoted.Unit} for {model}, which the catalog prices from {catalog.Min} {catalog.Unit}; from the catalog instead. {catalog.Reason}",
                };
            }

            return quoted;
        }
        catch (VideoGenException e)
        {
            // A failed quote must not block a price or a budget check: the catalog's worst case still holds.
            return catalog with { Reason = $"{VendorName}'s price quote failed ({e.Message}); from the catalog instead. {catalog.Reason}" };
        }
    }

    /// <summary>The vendor's own price for the request, or <see langword="null"/> when the vendor has no price endpoint (the catalog estimate is used).</summary>
    protected virtual Task<Pricing.PriceEstimate?> QuoteVendorAsync(TVendorRequest vendorRequest, string model, CancellationToken cancellationToken) =>
        Task.FromResult<Pricing.PriceEstimate?>(null);

    /// <summary>Whether this adapter submitted <paramref name="jobId"/> (in this process): a 404 for it means the vendor no longer keeps it.</summary>
    protected bool IsKnownJob(string jobId) => _submitted.ContainsKey(jobId);

    /// <summary>Remembers a submitted job id (bounded: the oldest are forgotten wholesale when full).</summary>
    protected void Remember(string jobId)
    {
        if (_submitted.Count >= RememberedJobs)
        {
            _submitted.Clear();
        }

        _submitted.TryAdd(jobId, 0);
    }

    /// <summary>The typed error for a 404 on a job this client submitted: the vendor no longer has it.</summary>
    protected VideoGenJobExpiredException Expired(string jobId, VideoGenException notFound) =>
        new($"{VendorName} no longer has job {jobId} (HTTP 404 for a job this client submitted): its record or result expired after the vendor's retention period. " +
            "If it completed, its file can no longer be fetched from the vendor; nothing was resubmitted.", VendorName, jobId, notFound)
        {
            ErrorCode = notFound.ErrorCode,
            RequestId = notFound.RequestId,
            ResponseExcerpt = notFound.ResponseExcerpt,
        };

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(VendorInfo))
        {
            return Vendor;
        }

        // The waiters (VideoJobOperation, VideoJobMonitor) log through the factory the adapter was given.
        if (serviceType == typeof(ILoggerFactory))
        {
            return _loggerFactory;
        }

        if (serviceType.IsInstanceOfType(this))
        {
            return this;
        }

        return serviceType.IsInstanceOfType(Client) ? Client : null;
    }

    /// <summary>Does nothing: the typed client belongs to whoever created it (the caller or the DI container).</summary>
    public void Dispose()
    {
    }

    /// <summary>Maps the neutral request onto the vendor's; adds a failure for every field that cannot be mapped.</summary>
    /// <returns>The vendor request; not sent when <paramref name="failures"/> is not empty.</returns>
    protected abstract TVendorRequest CreateVendorRequest(VideoGenerationRequest request, VideoGenerationOptions? options, string model, List<ValidationFailure> failures);

    /// <summary>Sends the vendor request and maps the vendor's answer.</summary>
    protected abstract Task<VideoJob> SendAsync(TVendorRequest vendorRequest, string model, CancellationToken cancellationToken);

    /// <summary>Parses the job id (throwing <see cref="ArgumentException"/> for a malformed one) and returns the read.</summary>
    protected abstract Func<CancellationToken, Task<VideoJob>> ReadJob(string jobId);

    /// <summary>A job id that is not of the vendor's form.</summary>
    protected ArgumentException InvalidJobId(string jobId, string expected) =>
        new($"'{jobId}' is not {(StartsWithVowelSound(VendorName) ? "an" : "a")} {VendorName} job id: {VendorName} job ids are {expected}.", nameof(jobId));

    // "an Elumenta job id", "an AIML API job id" (a letter name read as a vowel sound), "a NeuralBox job id".
    private static bool StartsWithVowelSound(string name) =>
        name.Length > 0 && ("AEIOU".Contains(char.ToUpperInvariant(name[0]), StringComparison.Ordinal)
            || (name.Length > 1 && char.IsUpper(name[1]) && "FHLMNRSX".Contains(name[0], StringComparison.Ordinal)));

    /// <summary>Adds a failure for each field of <paramref name="request"/> and <paramref name="options"/> the vendor's contract has no place for.</summary>
    protected void RefuseUnsupported(VideoGenerationRequest request, VideoGenerationOptions? options, MappedFields supported, List<ValidationFailure> failures)
    {
        Refuse(MappedFields.StartImage, nameof(request.StartImage), request.StartImage, "a start image");
        Refuse(MappedFields.EndImage, nameof(request.EndImage), request.EndImage, "an end image (last frame)");
        Refuse(MappedFields.NegativePrompt, nameof(request.NegativePrompt), request.NegativePrompt, "a negative prompt");
        Refuse(MappedFields.Loop, nameof(request.Loop), request.Loop, "looping");
        Refuse(MappedFields.Extend, nameof(request.Extend), request.Extend?.GenerationId, "extending an earlier generation");
        Refuse(MappedFields.Resolution, nameof(request.Resolution), request.Resolution, "choosing a resolution");
        Refuse(MappedFields.Webhook, "WebhookUrl", options?.WebhookUrl, "webhooks");
        if (!supported.HasFlag(MappedFields.AdditionalProperties) && options?.AdditionalProperties is { Count: > 0 } extra)
        {
            failures.Add(new ValidationFailure(
                "AdditionalProperties",
                string.Join(", ", extra.Keys),
                $"{VendorName}'s request body is closed: it takes no fields beyond its contract"));
        }

        void Refuse(MappedFields field, string name, object? value, string what)
        {
            if (!supported.HasFlag(field) && value is not null)
            {
                failures.Add(new ValidationFailure(name, Text(value), $"{VendorName}'s contract does not support {what}"));
            }
        }
    }

    /// <summary>Parses an enum by its wire value, adding a failure that lists the allowed values when it is not one.</summary>
    protected TEnum? ParseWire<TEnum>(string? value, string field, List<ValidationFailure> failures)
        where TEnum : struct, Enum
    {
        if (value is null)
        {
            return null;
        }

        if (WireNames.TryParse<TEnum>(value, out var parsed))
        {
            return parsed;
        }

        failures.Add(new ValidationFailure(field, value, $"{VendorName} accepts {string.Join(", ", WireNames.Values<TEnum>())}"));
        return null;
    }

    /// <summary>
    /// Copies <paramref name="extra"/> into <paramref name="target"/>; a key the request already writes
    /// (in <paramref name="taken"/>) is a failure rather than a silent overwrite or a duplicate JSON field.
    /// </summary>
    protected void PassThrough(IDictionary<string, object?>? extra, IDictionary<string, object> target, IEnumerable<string> taken, string field, List<ValidationFailure> failures)
    {
        if (extra is null)
        {
            return;
        }

        var reserved = taken.ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in extra)
        {
            if (reserved.Contains(key))
            {
                failures.Add(new ValidationFailure(
                    $"{field}[{key}]",
                    Text(value),
                    $"'{key}' is already set from the request; set it there, not as an additional property"));
            }
            else
            {
                target[key] = value!;
            }
        }
    }

    private static string? Text(object? value) => value switch
    {
        null => null,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>
    /// Runs a vendor call, turning generated-code and transport exceptions into <see cref="VideoGenException"/>s
    /// that name the vendor (<see cref="VendorExceptionTranslator"/>), and logs the failure at the level its kind calls for.
    /// </summary>
    protected async Task<T> InvokeAsync<T>(Func<Task<T>> call, string operation, string? jobId)
    {
        var read = VendorJson.BeginRead();
        try
        {
            return await _errors.TranslateAsync(call, operation, jobId, read).ConfigureAwait(false);
        }
        catch (VideoGenException e)
        {
            VideoGenLog.Failure(Logger, e, VendorName, operation);
            throw;
        }
        finally
        {
            foreach (var field in read.SkippedFields)
            {
                VideoGenLog.FieldUnreadable(Logger, VendorName, operation, VendorText(field)!);
            }
        }
    }

    /// <summary>
    /// The answer to a status read of <paramref name="jobId"/>, checked to be about that job: an answer that names
    /// another job (a vendor bug, a proxy or cache that mixed answers up) is an error naming both ids, never taken as
    /// this job's status or video. An answer that names no job (id absent, or the type's empty value) is read as the
    /// job asked for (tolerant reader).
    /// </summary>
    /// <exception cref="VideoGenException">The answer names another job; <see cref="VideoGenException.JobId"/> is <paramref name="jobId"/>.</exception>
    protected VideoJob AnswerFor(string jobId, VideoJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (!NamesAJob(job.Id))
        {
            return job with { Id = jobId };
        }

        return SameJobId(jobId, job.Id)
            ? job
            : throw new VideoGenException(
                $"{VendorName} answered a status read of job {jobId} with job {job.Id}. The answer is not taken as job {jobId}'s status or video " +
                "(the vendor, a proxy or a cache mixed answers up); nothing was recorded, and the job id is kept: read it again.",
                VendorName)
            {
                JobId = jobId,
            };
    }

    /// <summary>
    /// The answers to a batch read of <paramref name="jobIds"/>, checked like <see cref="AnswerFor"/>: an answer naming
    /// a job not asked for is an error naming it; one naming no job cannot be matched to a job and is dropped (those
    /// jobs count as not returned, and are read again).
    /// </summary>
    /// <exception cref="VideoGenException">An answer names a job that was not asked for.</exception>
    protected IReadOnlyList<VideoJob> AnswersFor(IReadOnlyList<string> jobIds, IEnumerable<VideoJob> jobs)
    {
        ArgumentNullException.ThrowIfNull(jobIds);
        ArgumentNullException.ThrowIfNull(jobs);
        var answers = new List<VideoJob>();
        foreach (var job in jobs)
        {
            if (!NamesAJob(job.Id))
            {
                continue;
            }

            var asked = jobIds.FirstOrDefault(id => SameJobId(id, job.Id))
                ?? throw new VideoGenException(
                    $"{VendorName} answered a batch read of {jobIds.Count} jobs ({string.Join(", ", jobIds.Take(5))}{(jobIds.Count > 5 ? ", ..." : string.Empty)}) with job {job.Id}, which was not asked for. " +
                    "No answer of this read is taken (the vendor, a proxy or a cache mixed answers up); the jobs are read again.",
                    VendorName);
            answers.Add(job with { Id = asked });
        }

        return answers;
    }

    /// <summary>Whether a mapped id names a job: not empty, and not the empty value of a numeric or UUID id (an absent field).</summary>
    private static bool NamesAJob(string? id) =>
        !string.IsNullOrWhiteSpace(id) && id != "0" && !(Guid.TryParse(id, out var guid) && guid == Guid.Empty);

    /// <summary>The same job id: equal as UUIDs, as integers (18500 and 018500), or as text.</summary>
    private static bool SameJobId(string asked, string answered) =>
        string.Equals(asked, answered, StringComparison.Ordinal)
        || (Guid.TryParse(asked, out var a) && Guid.TryParse(answered, out var b) && a == b)
        || (long.TryParse(asked, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var x)
            && long.TryParse(answered, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var y) && x == y);

    /// <summary>Vendor text that lands in a job (a failure reason, a status word), with the key redacted: a vendor may echo it.</summary>
    protected string? VendorText(string? text) => _errors.Redact(text);

    /// <summary>
    /// A cost field as a vendor sent it, or none when it is no price: absent, not finite, negative, or past what a
    /// <see cref="decimal"/> holds (a 1e30 once made every read of the job throw <see cref="OverflowException"/>).
    /// The job is read either way: its status and result are what matter.
    /// </summary>
    internal static VideoCost? CostFrom(double? amount, string unit) =>
        amount is { } a && double.IsFinite(a) && a >= 0 && a <= (double)decimal.MaxValue ? new VideoCost((decimal)a, unit) : null;
}

/// <summary>The optional neutral fields an adapter can map onto its vendor's contract.</summary>
[Flags]
internal enum MappedFields
{
    None = 0,
    StartImage = 1,
    EndImage = 2,
    NegativePrompt = 4,
    Loop = 8,
    Extend = 16,
    Resolution = 32,
    Webhook = 64,
    AdditionalProperties = 128,
}
