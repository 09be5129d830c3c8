using System.Net;

namespace VideoGen.Http;

/// <summary>
/// A create request answered 2xx with an empty body and the new job's id only in <c>Location</c> or an id header
/// (a 201/202 the spec does not document). The vendor adapter turns it into a pending job with that id.
/// </summary>
internal sealed class AcceptedWithoutBodyException : VideoGenException
{
    public AcceptedWithoutBodyException(string vendor, string jobId, HttpStatusCode statusCode)
        : base($"{vendor} accepted the job ({(int)statusCode}) with an empty body; its id {jobId} came from a response header.", vendor, statusCode)
    {
        JobId = jobId;
    }
}
