namespace VideoGen;

/// <summary>
/// A create request may or may not have reached the vendor (the connection dropped after it was
/// sent, or the answer could not be read). Do not resubmit blindly: the job may exist and be billed.
/// Reconcile first (<c>videogen resume</c>, or <c>JournalingVideoGenerator.ReconcileAsync</c> in the VideoGen package),
/// using <see cref="CorrelationId"/>.
/// </summary>
public sealed class SubmissionOutcomeUnknownException : VideoGenException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="vendor">The vendor.</param>
    /// <param name="correlationId">The client correlation id recorded in the journal.</param>
    /// <param name="innerException">What made the outcome unknown.</param>
    public SubmissionOutcomeUnknownException(string? vendor, string correlationId, Exception? innerException)
        : base($"The {vendor} submission {correlationId} may or may not have created a job ({Cause(innerException)}). It was not resent, to avoid paying twice; reconcile it (videogen resume) before submitting again.", vendor, (innerException as VideoGenException)?.StatusCode, innerException)
    {
        CorrelationId = correlationId;
    }

    /// <summary>The client correlation id of the submission, as recorded in the journal.</summary>
    public string CorrelationId { get; }

    // A resubmission of a still-unsettled client key has no exception of its own: the journal is the cause.
    private static string Cause(Exception? e) => e is null ? "the journal holds it unsettled from an earlier attempt" : $"{e.GetType().Name}: {e.Message}";
}
