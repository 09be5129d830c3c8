namespace VideoGen.Waiting;

/// <summary>One observation of a job while waiting for it.</summary>
/// <param name="Job">The job as just read.</param>
/// <param name="Elapsed">The time since waiting started.</param>
/// <param name="Polls">The status requests made so far, this one included.</param>
public sealed record JobUpdate(VideoJob Job, TimeSpan Elapsed, int Polls)
{
    /// <summary>The normalized status.</summary>
    public VideoJobStatus Status => Job.Status;

    /// <summary>Progress from 0 to 1, where the vendor reports it.</summary>
    public double? Progress => Job.Progress;
}
