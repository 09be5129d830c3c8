namespace VideoGen;

/// <summary>
/// The request breaks the vendor's or model's rules. Thrown before anything is sent: no request
/// left the machine and nothing was charged. The message lists every failure at once.
/// </summary>
public sealed class VideoGenValidationException : VideoGenException
{
    /// <summary>Creates the exception from its failures.</summary>
    /// <param name="vendor">The vendor the request was for.</param>
    /// <param name="failures">Every failure: field, value given and what is allowed.</param>
    public VideoGenValidationException(string? vendor, IReadOnlyList<ValidationFailure> failures)
        : base(BuildMessage(vendor, failures), vendor)
    {
        Failures = failures;
    }

    /// <summary>Every failure: field, value given and what is allowed.</summary>
    public IReadOnlyList<ValidationFailure> Failures { get; }

    private static string BuildMessage(string? vendor, IReadOnlyList<ValidationFailure> failures)
    {
        var target = vendor is null ? "The request" : $"The {vendor} request";
        var count = failures.Count == 1 ? "1 problem" : $"{failures.Count} problems";
        return $"{target} was not sent: {count}.{Environment.NewLine}" +
               string.Join(Environment.NewLine, failures.Select(f => "- " + f));
    }
}

/// <summary>One validation failure.</summary>
/// <param name="Field">The field, as the caller named it (for example <c>DurationSeconds</c> or <c>aspect_ratio</c>).</param>
/// <param name="Value">The value given, as text (<c>null</c> when missing).</param>
/// <param name="Allowed">What is allowed, in words.</param>
public sealed record ValidationFailure(string Field, string? Value, string Allowed)
{
    /// <summary>The failure as one line: field, value, what is allowed.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Field}: {(Value is null ? "(missing)" : $"'{Value}'")} is not allowed; {Allowed}.";
}

/// <summary>
/// Something about a request that does not stop it being sent but that the caller should know: a model slug
/// VideoGen's catalog does not know, on a vendor whose contract takes any slug (Elumenta, NeuralBox), is sent
/// as given, and its durations, aspect ratios and price are then not checked.
/// </summary>
/// <param name="Field">The field, as the caller named it (for example <c>Model</c> or <c>model</c>).</param>
/// <param name="Value">The value given, as text.</param>
/// <param name="Message">What the caller should know, in words.</param>
public sealed record ValidationWarning(string Field, string? Value, string Message)
{
    /// <summary>The warning as one line: field, value, message.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Field}: '{Value}': {Message}.";
}

/// <summary>The job reached a final failed state; the vendor's reason is in the message and <see cref="VendorReason"/>.</summary>
public sealed class JobFailedException : VideoGenException
{
    /// <summary>Creates the exception for a failed job.</summary>
    /// <param name="job">The failed job.</param>
    public JobFailedException(VideoJob job)
        : base($"{job?.Vendor} job {job?.Id} {job?.Status.ToString().ToLowerInvariant()}: {job?.Error ?? "the vendor gave no reason"}.", job?.Vendor)
    {
        ArgumentNullException.ThrowIfNull(job);
        Job = job;
        JobId = job.Id;
        VendorReason = job.Error;
    }

    /// <summary>The job as last read.</summary>
    public VideoJob Job { get; }

    /// <summary>The vendor's reason, if it gave one.</summary>
    public string? VendorReason { get; }
}
