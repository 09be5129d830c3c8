using System.Net;
using Microsoft.Extensions.Logging;
using VideoGen.Catalog;
using VideoGen.Journal;
using VideoGen.Vendors;

namespace VideoGen.Oxen;

/// <summary>
/// <see cref="IVideoGenerator"/> over Oxen.ai's asynchronous queue (<c>specs/oxen.yaml</c>): EnqueueGeneration
/// to submit, GetQueuedGeneration to read. The synchronous GenerateVideo endpoint is not used: it holds the
/// connection for the whole generation (minutes), which does not fit a submit-then-poll interface.
/// </summary>
internal sealed class OxenVideoGenerator : VendorVideoGenerator<IOxenClient, EnqueueGenerationRequest>, ISubmissionReconciler
{
    /// <summary>How far before the journal's intent a matching generation may have been enqueued (clock skew between us and Oxen).</summary>
    private static readonly TimeSpan ReconcileSkew = TimeSpan.FromMinutes(2);

    private const MappedFields Supported = MappedFields.StartImage | MappedFields.NegativePrompt;

    public OxenVideoGenerator(IOxenClient client, VendorInfo vendor, ILoggerFactory? loggerFactory = null)
        : base(client, vendor, loggerFactory)
    {
    }

    /// <summary>Oxen.ai's words: <c>queued</c>, <c>processing</c>, <c>succeeded</c>, <c>failed</c>, <c>cancelled</c>; anything else is <see cref="VideoJobStatus.Unknown"/>.</summary>
    public static VideoJobStatus ToJobStatus(string? status) => status?.ToLowerInvariant() switch
    {
        "queued" => VideoJobStatus.Queued,
        "processing" => VideoJobStatus.Running,
        "succeeded" => VideoJobStatus.Succeeded,
        "failed" => VideoJobStatus.Failed,
        "cancelled" => VideoJobStatus.Cancelled,
        _ => VideoJobStatus.Unknown,
    };

    /// <summary>The listings that together show every generation: active ones first, then each final state.</summary>
    /// <remarks>
    /// Without <c>status</c> Oxen lists only active generations (queued, processing), so a submission whose job
    /// already finished would look absent. Active ones are read first: a job that finishes between two reads then
    /// shows in one of them, while the other order could miss it.
    /// </remarks>
    private static readonly QueueStatus?[] CompleteListing = [null, QueueStatus.Succeeded, QueueStatus.Failed, QueueStatus.Cancelled];

    /// <inheritdoc />
    /// <remarks>
    /// Oxen lists its queue by model (seed 004's cURL: <c>GET /api/ai/queue?model=</c>): the submission's
    /// generation is one with the same model and prompt, enqueued after the intent was recorded (less
    /// <see cref="ReconcileSkew"/>). The journal decides which of them other entries already own; when more
    /// than one is left, it claims none (a wrong claim could double-charge later).
    /// </remarks>
    public async Task<IReadOnlyList<VideoJob>?> FindCandidatesAsync(Journal.JournalEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var model = entry.Model ?? Vendor.DefaultModel;
        var candidates = new Dictionary<Guid, QueuedGeneration>();
        foreach (var status in CompleteListing)
        {
            var list = await InvokeAsync(() => Client.ListQueuedGenerationsAsync(model: model, status: status, cancellationToken: cancellationToken), "listing the queue", jobId: null).ConfigureAwait(false);
            var generations = list.Generations ?? [];
            if (list.Count > generations.Count)
            {
                // A shortened listing (the spec documents no paging, but a count above the items shown would be one):
                // a job's absence from it proves nothing.
                return null;
            }

            foreach (var generation in generations)
            {
                // CUSTOM: a null item in a hostile or broken listing is skipped, not dereferenced.
                if (generation is not null
                    && string.Equals(generation.Prompt, entry.Prompt, StringComparison.Ordinal)
                    && (FromUnixSeconds(generation.EnqueuedAt) is not { } at || at >= entry.CreatedAt - ReconcileSkew))
                {
                    candidates.TryAdd(generation.GenerationId, generation);
                }
            }
        }

        return candidates.Values.Select(ToJob).ToList();
    }

    /// <summary>A Unix time in seconds, or <see langword="null"/> when absent or out of range.</summary>
    public static DateTimeOffset? FromUnixSeconds(long? seconds) =>
        seconds is { } s && s >= DateTimeOffset.MinValue.ToUnixTimeSeconds() && s <= DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            ? DateTimeOffset.FromUnixTimeSeconds(s)
            : null;

    /// <inheritdoc />
    protected override EnqueueGenerationRequest CreateVendorRequest(VideoGenerationRequest request, VideoGenerationOptions? options, string model, List<ValidationFailure> failures)
    {
        RefuseUnsupported(request, options, Supported, failures);
        var vendorRequest = new EnqueueGenerationRequest
        {
            Model = model,
            Prompt = request.Prompt,
            Duration = request.DurationSeconds,
            AspectRatio = request.AspectRatio,

            // input_image takes a URL string or an array of them; one start image is the string form.
            InputImage = request.StartImage?.OriginalString,

            // Model-specific: Oxen passes it to models whose request_schema has it (specs/oxen.yaml negative_prompt).
            NegativePrompt = request.NegativePrompt,
        };
        return vendorRequest;
    }

    /// <inheritdoc />
    protected override async Task<VideoJob> SendAsync(EnqueueGenerationRequest vendorRequest, string model, CancellationToken cancellationToken)
    {
        var response = await Client.EnqueueGenerationAsync(vendorRequest, cancellationToken).ConfigureAwait(false);
        // The generation may exist (Oxen said 200), so the status goes with the error: the journal then
        // records the outcome as unknown instead of as never sent.
        var generation = response.Generations?.FirstOrDefault(g => g is not null)
            ?? throw new VideoGenException($"{VendorName} accepted the request but returned no generation id; nothing can be polled.", VendorName, HttpStatusCode.OK);
        return new VideoJob
        {
            Id = generation.GenerationId.ToString("D"),
            Vendor = VendorName,
            VendorId = Vendor.Id,
            Model = model,

            // CUSTOM: status is optional in the enqueue response; the reference says every new generation
            // starts queued, so a missing status is read as queued (an unknown word still maps to Unknown).
            Status = generation.Status is null ? VideoJobStatus.Queued : ToJobStatus(generation.Status),
            VendorStatus = VendorText(generation.Status),
            RawRepresentation = response,
        };
    }

    /// <inheritdoc />
    protected override Func<CancellationToken, Task<VideoJob>> ReadJob(string jobId)
    {
        if (!Guid.TryParse(jobId, out var id))
        {
            throw InvalidJobId(jobId, "UUIDs (for example 7cf9b23a-1234-5678-9abc-def012345678)");
        }

        return async cancellationToken => ToJob(await Client.GetQueuedGenerationAsync(id, cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc />
    /// <remarks>
    /// <c>DELETE /api/ai/queue/{id}</c> (https://docs.oxen.ai/fine-tuning-api/cancel-generation.md): Oxen keeps the
    /// generation with status <c>cancelled</c>, so the job is read back afterwards and returned as Oxen then reports it
    /// (a job that had already finished keeps its final state). A 404 for a job this client submitted is
    /// <see cref="VideoGenJobExpiredException"/>.
    /// </remarks>
    public override async Task<VideoJob> CancelAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        if (!Guid.TryParse(jobId, out var id))
        {
            throw InvalidJobId(jobId, "UUIDs (for example 7cf9b23a-1234-5678-9abc-def012345678)");
        }

        CancelledGeneration cancelled;
        try
        {
            cancelled = await InvokeAsync(() => Client.CancelQueuedGenerationAsync(id, cancellationToken), "cancelling job " + jobId, jobId).ConfigureAwait(false);
        }
        catch (VideoGenException e) when (e.StatusCode == HttpStatusCode.NotFound && IsKnownJob(jobId))
        {
            throw Expired(jobId, e);
        }

        try
        {
            return await GetJobAsync(jobId, cancellationToken).ConfigureAwait(false);
        }
        catch (VideoGenException) when (cancelled.Status is not null)
        {
            // The cancel was accepted; when the read-back fails, the cancel's own answer is the job's state.
            return new VideoJob
            {
                Id = jobId,
                Vendor = VendorName,
                VendorId = Vendor.Id,
                Status = ToJobStatus(cancelled.Status),
                VendorStatus = VendorText(cancelled.Status),
                RawRepresentation = cancelled,
            };
        }
    }

    /// <summary>Maps a queued generation onto the neutral job.</summary>
    public VideoJob ToJob(QueuedGeneration generation)
    {
        ArgumentNullException.ThrowIfNull(generation);
        return new VideoJob
        {
            Id = generation.GenerationId.ToString("D"),
            Vendor = VendorName,
            VendorId = Vendor.Id,
            Model = generation.ModelName,
            Status = ToJobStatus(generation.Status),
            VendorStatus = VendorText(generation.Status),
            ResultUri = generation.ResultUrl,
            ResultUris = generation.ResultUrl is { } url ? [url] : [],
            Error = VendorText(generation.ErrorMessage),
            CreatedAt = FromUnixSeconds(generation.EnqueuedAt),
            CompletedAt = FromUnixSeconds(generation.CompletedAt),
            RawRepresentation = generation,
        };
    }
}
