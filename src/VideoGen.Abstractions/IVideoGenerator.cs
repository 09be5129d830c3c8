namespace VideoGen;

/// <summary>
/// Generates videos through one vendor, behind one interface: submit a job, read it back by id.
/// Obtain one from a typed vendor client with <c>AsVideoGenerator()</c>, or from dependency injection.
/// </summary>
/// <remarks>
/// Modelled on Microsoft.Extensions.AI's <c>IImageGenerator</c>: a small interface, middleware by
/// delegation (<see cref="DelegatingVideoGenerator"/>, <see cref="VideoGeneratorBuilder"/>), and
/// <see cref="GetService"/> to reach the typed vendor client underneath.
/// </remarks>
public interface IVideoGenerator : IDisposable
{
    /// <summary>Validates the request, then submits one paid generation job.</summary>
    /// <param name="request">What to generate.</param>
    /// <param name="options">Per-call options (budget, webhook, vendor parameters); <see langword="null"/> for defaults.</param>
    /// <param name="cancellationToken">A token to cancel the submission.</param>
    /// <returns>The job as the vendor reported it right after submission.</returns>
    /// <exception cref="VideoGenValidationException">The request breaks the vendor's rules; nothing was sent.</exception>
    /// <exception cref="VideoGenException">The vendor refused or failed the request; the subtype says why.</exception>
    Task<VideoJob> SubmitAsync(VideoGenerationRequest request, VideoGenerationOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Reads a job by its vendor id, for example to pick it up again after a restart.</summary>
    /// <param name="jobId">The vendor's job id, as <see cref="VideoJob.Id"/> gave it.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>The job's current state.</returns>
    /// <exception cref="VideoGenException">The vendor refused or failed the request.</exception>
    Task<VideoJob> GetJobAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Asks the vendor to cancel a submitted job. Where the vendor documents cancel (Oxen.ai:
    /// <c>DELETE /api/ai/queue/{id}</c>) the job is cancelled and returned as the vendor reports it afterwards;
    /// elsewhere a <see cref="VideoGenNotSupportedException"/> names the vendor. Whether a cancelled job is
    /// charged is the vendor's rule; VideoGen does not assume a refund.
    /// </summary>
    /// <remarks>
    /// A default member, so generators written before cancel existed keep compiling; it throws
    /// <see cref="VideoGenNotSupportedException"/>. Middleware (<see cref="DelegatingVideoGenerator"/>) forwards it.
    /// </remarks>
    /// <param name="jobId">The vendor's job id, as <see cref="VideoJob.Id"/> gave it.</param>
    /// <param name="cancellationToken">A token to cancel the request (not the job).</param>
    /// <returns>The job after the cancel (normally <see cref="VideoJobStatus.Cancelled"/>).</returns>
    /// <exception cref="VideoGenNotSupportedException">The vendor has no cancel operation; nothing was sent.</exception>
    /// <exception cref="VideoGenException">The vendor refused or failed the request (for example the job had already finished).</exception>
    Task<VideoJob> CancelAsync(string jobId, CancellationToken cancellationToken = default) =>
        // CUSTOM: the vendor's name is not known here (the catalog is in the VideoGen package, not in these abstractions);
        // the vendor adapters override cancel and name the vendor themselves.
        throw new VideoGenNotSupportedException("cancelling a job", vendor: null);

    /// <summary>Asks for a service this generator or one it wraps provides (the typed vendor client, the metadata, ...).</summary>
    /// <param name="serviceType">The type wanted.</param>
    /// <param name="serviceKey">An optional key.</param>
    /// <returns>The service, or <see langword="null"/>.</returns>
    object? GetService(Type serviceType, object? serviceKey = null);
}
