namespace VideoGen;

/// <summary>
/// A vendor's response body was larger than <c>VendorClientConfiguration.MaxResponseBytes</c> (VideoGen.Clients): reading
/// stopped at the cap, so a vendor or proxy answering with megabytes cannot exhaust memory. The request itself may
/// have succeeded: <see cref="VideoGenException.JobId"/> keeps the job id when the read concerned a known job.
/// </summary>
public sealed class ResponseTooLargeException : VideoGenException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="vendor">The vendor that answered.</param>
    /// <param name="limit">The cap in bytes.</param>
    /// <param name="announced">The Content-Length the vendor announced, when it did.</param>
    public ResponseTooLargeException(string vendor, long limit, long? announced)
        : base(
            $"{vendor} sent a response body of {(announced is { } n ? $"{n:N0} bytes" : "more than the cap")}, over the {limit:N0}-byte cap " +
            "(VendorClientConfiguration.MaxResponseBytes); it was not read.",
            vendor)
    {
        Limit = limit;
    }

    /// <summary>The cap in bytes that the body exceeded.</summary>
    public long Limit { get; }
}
