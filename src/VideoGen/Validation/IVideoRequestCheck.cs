namespace VideoGen.Validation;

/// <summary>
/// The whole check a vendor adapter makes before it sends a create request: the catalog's rules
/// (<see cref="VideoRequestValidation"/>) and the mapping onto the vendor's contract (a field the contract has no
/// place for, a value its enums lack). What <see cref="IVideoGenerator.SubmitAsync"/> refuses, this reports, with no
/// request sent. Reached through <c>generator.GetService(typeof(IVideoRequestCheck))</c>.
/// </summary>
internal interface IVideoRequestCheck
{
    /// <summary>Every failure of <paramref name="request"/>, at once; empty when the adapter would send it.</summary>
    /// <param name="request">The request.</param>
    /// <param name="options">The per-call options.</param>
    /// <returns>The failures (field as the request names it, value given, what is allowed).</returns>
    IReadOnlyList<ValidationFailure> Check(VideoGenerationRequest request, VideoGenerationOptions? options = null);

    /// <summary>
    /// The same check as <see cref="Check"/> for a submission about to be sent, with what the adapter made of the
    /// request, so that the rest of the submission reuses it (<see cref="CheckedSubmission"/>).
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="options">The per-call options.</param>
    /// <returns>The check's result.</returns>
    CheckedSubmission CheckSubmission(VideoGenerationRequest request, VideoGenerationOptions? options) =>
        new(this, request, options, Check(request, options), prepared: null);
}
