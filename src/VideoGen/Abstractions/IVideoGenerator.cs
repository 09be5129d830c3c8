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

    /// <summary>Asks for a service this generator or one it wraps provides (the typed vendor client, the metadata, ...).</summary>
    /// <param name="serviceType">The type wanted.</param>
    /// <param name="serviceKey">An optional key.</param>
    /// <returns>The service, or <see langword="null"/>.</returns>
    object? GetService(Type serviceType, object? serviceKey = null);
}
