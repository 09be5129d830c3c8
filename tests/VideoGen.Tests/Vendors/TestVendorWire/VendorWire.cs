namespace VideoGen.Tests.Vendors.TestVendorWire;

/// <summary>
/// What the tests serve as one vendor contract's wire answers (ids, status words, bodies) and how its client sends the
/// key: the test-side counterpart of a vendor's folder. Every test that needs a vendor-specific answer reads it here,
/// so adding a vendor means adding its wire (one file beside these) and not a case in each test.
/// </summary>
internal abstract class VendorWire
{
    /// <summary>The generated client of the contract (<see cref="VendorDescriptor.ClientType"/>): the key this wire is found by.</summary>
    public abstract Type ClientType { get; }

    /// <summary>The HTTP status of an accepted create (what the contract documents).</summary>
    public abstract int AcceptedStatus { get; }

    /// <summary>The request header that carries the key: <c>Authorization</c> (as a bearer token) or the vendor's own header.</summary>
    public virtual string KeyHeader => "Authorization";

    /// <summary>The status answer's typed field (a date) is read tolerantly: a key there is dropped, not an error.</summary>
    public virtual bool StatusTypedFieldIsTolerant => false;

    /// <summary>A result URL the contract serves from the API host itself (which redirects to storage), not from storage.</summary>
    public abstract bool ResultOnApiHost { get; }

    // The deviation suite (Deviations/): the documented job and its mutations.

    /// <summary>The job id of the deviation suite's job.</summary>
    public abstract string JobId { get; }

    /// <summary>Another job's id, in the same shape, for an answer about the wrong job.</summary>
    public abstract string OtherJobId { get; }

    /// <summary>The documented answer to an accepted create.</summary>
    public abstract string AcceptedBody { get; }

    /// <summary>A status answer with an unknown status word and the vendor's error words.</summary>
    public abstract string UnknownStatusWithError(string status, string words);

    /// <summary>The documented completed job (as in the specs' examples), with the mutation's values put in.</summary>
    /// <param name="mutation">The deviation's name.</param>
    /// <param name="url">The result URL as JSON (a string or <c>null</c>).</param>
    /// <param name="date">The dates as JSON.</param>
    /// <param name="error">Appended fields for an error member, or empty.</param>
    /// <param name="extra">Appended unknown fields, or empty.</param>
    public abstract string CompletedBody(string mutation, string url, string date, string error, string extra);

    // The secret-hygiene suite (Security/EchoingVendorApi): its own ids, bodies that may carry the key.

    /// <summary>The answer to an accepted create.</summary>
    public abstract string EchoAccepted { get; }

    /// <summary>A job still running.</summary>
    public abstract string EchoRunning { get; }

    /// <summary>A job finished with <paramref name="result"/>.</summary>
    public abstract string EchoFinished(Uri result);

    /// <summary>A job failed with the key in the vendor's reason.</summary>
    public abstract string EchoFailed(string key);

    /// <summary>A 200 whose typed field (a number, a UUID or a date) holds the key.</summary>
    public abstract string EchoKeyInTypedField(string key);
}
