namespace VideoGen.Validation;

/// <summary>
/// The job id form of AIML API's video route (models <c>luma/...</c>, specs/aimlapi.yaml LumaVideoKeyframe): a UUID, a
/// colon and the model id, for example <c>7c880e75-9892-4238-8464-49cb0c6deabd:luma/ray-2</c>. Stated here, where the
/// extension rule (VideoGenerationRequestValidator) reads it; the AIML API adapter reads jobs on the route by the same test.
/// </summary>
internal static class VideoRouteJobId
{
    /// <summary>Whether <paramref name="jobId"/> has the video route's form.</summary>
    /// <param name="jobId">A job id.</param>
    /// <returns><see langword="true"/> for a UUID, a colon and a non-empty model id.</returns>
    public static bool IsMatch(string jobId) =>
        jobId.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 && colon < jobId.Length - 1 && Guid.TryParse(jobId.AsSpan(0, colon), out _);
}
