namespace VideoGen.ReliabilityTests.Infrastructure;

/// <summary>
/// What the reliability tests expect of a vendor where vendors differ, in one place: the tests read it here instead of
/// branching on vendor ids (issue 13). These are expectations, written down, not read from the library under test.
/// </summary>
internal static class VendorExpectations
{
    /// <summary>
    /// Vendors whose adapter finds a submission of unknown outcome by listing the vendor's queue, which carries each
    /// job's prompt (Oxen): resume recovers the job. Apiframe lists jobs too, but with nothing unique to the request, so
    /// for the others the journal entry stays for a person to settle.
    /// </summary>
    private static readonly HashSet<string> ReconcilesByListing = new(StringComparer.Ordinal) { VendorIds.Oxen };

    /// <summary>Whether a submission of unknown outcome to <paramref name="vendorId"/> is found again by reconciliation.</summary>
    public static bool IsReconciledByListing(string vendorId) => ReconcilesByListing.Contains(VendorDescriptors.Get(vendorId).Id);
}
