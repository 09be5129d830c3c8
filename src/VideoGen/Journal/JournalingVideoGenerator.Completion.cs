using VideoGen.Waiting;

namespace VideoGen.Journal;

/// <summary>
/// The middleware records a journaled job's end itself, so no caller has to reach into it after waiting: a job it
/// reads in a final state without a video (failed, cancelled, expired) is recorded <see cref="JournalState.Failed"/>
/// at once, whichever read saw it (<see cref="GetJobAsync"/>, or the long-poll and batch readers that waits find
/// through <see cref="GetService"/>); a succeeded job is recorded <see cref="JournalState.Completed"/> once its file is
/// on disk (<see cref="Downloads.VideoDownloader.DownloadJobAsync"/> through this pipeline tells it), so
/// <c>videogen resume</c> still downloads a job whose download failed.
/// </summary>
public sealed partial class JournalingVideoGenerator
{
    /// <inheritdoc />
    /// <remarks>A job read in a final state without a video is recorded as finished in the journal.</remarks>
    public override async Task<VideoJob> GetJobAsync(string jobId, CancellationToken cancellationToken = default)
    {
        var job = await InnerGenerator.GetJobAsync(jobId, cancellationToken).ConfigureAwait(false);
        await RecordEndedWithoutVideoAsync(job).ConfigureAwait(false);
        return job;
    }

    /// <inheritdoc />
    /// <remarks>The long-poll and batch readers of the generator below are wrapped, so what they read is recorded too.</remarks>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is null && serviceType == typeof(IJobCompletionRecorder))
        {
            return new DownloadRecorder(this);
        }

        var service = base.GetService(serviceType, serviceKey);
        return service switch
        {
            _ when ReferenceEquals(service, this) => service,
            ILongPollingJobReader longPoll when serviceType == typeof(ILongPollingJobReader) => new RecordingLongPollReader(this, longPoll),
            IBatchJobReader batch when serviceType == typeof(IBatchJobReader) => new RecordingBatchReader(this, batch),
            _ => service,
        };
    }

    private sealed class DownloadRecorder(JournalingVideoGenerator owner) : IJobCompletionRecorder
    {
        // A journal write after the file is on disk must not be cut by the download's deadline.
        public Task RecordDownloadedAsync(VideoJob job) => owner.RecordFinishedAsync(job, CancellationToken.None);
    }

    /// <summary>Records a job read as failed, cancelled or expired; a journal that cannot be written now leaves the entry for resume to read again.</summary>
    private async Task RecordEndedWithoutVideoAsync(VideoJob job)
    {
        if (!job.HasCompleted || job.Status == VideoJobStatus.Succeeded)
        {
            return;
        }

        try
        {
            await RecordFinishedAsync(job, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The entry keeps its earlier state (Submitted): resume reads the job again and finds it ended.
        }
    }

    private sealed class RecordingLongPollReader(JournalingVideoGenerator owner, ILongPollingJobReader inner) : ILongPollingJobReader
    {
        public TimeSpan ServerWait => inner.ServerWait;

        public bool CanWaitOnServer(string jobId) => inner.CanWaitOnServer(jobId);

        public async Task<VideoJob> WaitForCompletionOnServerAsync(string jobId, CancellationToken cancellationToken)
        {
            var job = await inner.WaitForCompletionOnServerAsync(jobId, cancellationToken).ConfigureAwait(false);
            await owner.RecordEndedWithoutVideoAsync(job).ConfigureAwait(false);
            return job;
        }
    }

    private sealed class RecordingBatchReader(JournalingVideoGenerator owner, IBatchJobReader inner) : IBatchJobReader
    {
        public int MaxBatchSize => inner.MaxBatchSize;

        public async Task<IReadOnlyList<VideoJob>> GetJobsAsync(IReadOnlyList<string> jobIds, CancellationToken cancellationToken)
        {
            var jobs = await inner.GetJobsAsync(jobIds, cancellationToken).ConfigureAwait(false);
            foreach (var job in jobs)
            {
                await owner.RecordEndedWithoutVideoAsync(job).ConfigureAwait(false);
            }

            return jobs;
        }
    }
}

/// <summary>A pipeline part that records a job's end once its video is on disk (the journal middleware).</summary>
internal interface IJobCompletionRecorder
{
    /// <summary>Records that <paramref name="job"/> succeeded and its file was written whole.</summary>
    Task RecordDownloadedAsync(VideoJob job);
}
