using System.Runtime.CompilerServices;

namespace VideoGen.AimlApi;

/// <summary>
/// Extends an AIML API Luma generation several times in a row: submits an extension whose keyframe is the
/// previous generation, waits until it is completed, yields it, and extends that one next.
/// </summary>
/// <remarks>
/// <para>
/// Waiting uses AIML API's wait-for-state read (003_c929ef2f8a37e003.txt § Fetch generation):
/// <c>GetGenerationAsync(id, GenerationWaitState.Completed)</c> returns when the generation is completed or
/// failed, or after the server's 30 s timeout with its current state; the chain then asks again, until
/// <see cref="LumaExtensionChainOptions.StepTimeout"/>. The wait goes through the AIML API adapter (its state mapping
/// and server-side wait) and VideoGen's job poller, as every other wait does: a transient failure of a read (a 5xx,
/// 429 with its Retry-After, a dropped connection) is read again until the step's timeout rather than ending the chain.
/// </para>
/// <para>
/// Each extension is a paid generation: 500 000 AI/ML tokens each (003_c929ef2f8a37e003.txt § Overview), so a
/// chain of N extensions costs N × 500 000. The starting generation should be completed.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var chain = new LumaExtensionChain(aimlClient);
/// await foreach (var generation in chain.ExtendAsync(firstId, ["the jellyfish dives", "it glows"], cancellationToken))
/// {
///     Console.WriteLine($"{generation.Id}: {generation.Assets?.Video}");
/// }
/// </code>
/// </example>
public sealed class LumaExtensionChain
{
    private readonly IAimlApiClient _client;
    private readonly AimlApiVideoGenerator _adapter;
    private readonly LumaExtensionChainOptions _options;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a chain that calls <paramref name="client"/>.</summary>
    /// <param name="client">The AIML API client.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults. Validated and copied.</param>
    /// <param name="timeProvider">The clock for timeouts and delays; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is invalid; the message lists every problem.</exception>
    public LumaExtensionChain(IAimlApiClient client, LumaExtensionChainOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        options?.EnsureValid(nameof(options));
        _client = client;

        // The adapter maps a generation's state, vendor name and failure reason, and does the server-side wait.
        _adapter = new AimlApiVideoGenerator(client, Catalog.VideoModelCatalog.Default.GetVendor(VendorIds.AimlApi));
        _options = options?.Clone() ?? new LumaExtensionChainOptions();
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Extends <paramref name="generationId"/> once per prompt, each extension continuing the previous one.</summary>
    /// <param name="generationId">The generation to start from, a UUID.</param>
    /// <param name="prompts">One prompt per extension, in order.</param>
    /// <param name="cancellationToken">A token to stop the chain; a running extension keeps running on the server.</param>
    /// <returns>Each extension once it is completed, in order.</returns>
    /// <exception cref="ArgumentException"><paramref name="generationId"/> is not a UUID, or <paramref name="prompts"/> is empty or holds a blank prompt.</exception>
    /// <exception cref="JobFailedException">An extension failed; <see cref="VideoGenException.JobId"/> is its generation id (thrown while enumerating).</exception>
    /// <exception cref="VideoGenException">An extension did not complete within <see cref="LumaExtensionChainOptions.StepTimeout"/> (its inner exception is the <see cref="JobTimeoutException"/>), or AIML API refused a request (thrown while enumerating).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (thrown while enumerating).</exception>
    public IAsyncEnumerable<Generation> ExtendAsync(string generationId, IEnumerable<string> prompts, CancellationToken cancellationToken = default)
    {
        var start = LumaKeyframes.Generation(generationId).Id!.Value;
        ArgumentNullException.ThrowIfNull(prompts);
        var steps = prompts.ToList();
        if (steps.Count == 0)
        {
            throw new ArgumentException("At least one prompt is needed: each prompt is one extension.", nameof(prompts));
        }

        for (var i = 0; i < steps.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(steps[i]))
            {
                throw new ArgumentException($"Prompt {i} is {(steps[i] is null ? "null" : "blank")}; every extension needs a prompt.", nameof(prompts));
            }
        }

        return RunAsync(start, steps, cancellationToken);
    }

    /// <summary>Extends <paramref name="generationId"/> <paramref name="count"/> times with the same prompt.</summary>
    /// <param name="generationId">The generation to start from, a UUID.</param>
    /// <param name="prompt">The prompt of every extension.</param>
    /// <param name="count">How many extensions, 1 or more.</param>
    /// <param name="cancellationToken">A token to stop the chain.</param>
    /// <returns>Each extension once it is completed, in order.</returns>
    /// <exception cref="ArgumentException"><paramref name="generationId"/> is not a UUID or <paramref name="prompt"/> is blank.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    public IAsyncEnumerable<Generation> ExtendAsync(string generationId, string prompt, int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentException.ThrowIfNullOrWhiteSpace(prompt);
        return ExtendAsync(generationId, Enumerable.Repeat(prompt, count), cancellationToken);
    }

    private async IAsyncEnumerable<Generation> RunAsync(Guid start, List<string> prompts, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var previous = start;
        for (var step = 0; step < prompts.Count; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var generation = await ExtendOnceAsync(previous, prompts[step], step, prompts.Count, cancellationToken).ConfigureAwait(false);
            yield return generation;
            previous = generation.Id;
        }
    }

    private async Task<Generation> ExtendOnceAsync(Guid previous, string prompt, int step, int steps, CancellationToken cancellationToken)
    {
        var keyframe = LumaKeyframes.Generation(previous);
        var body = new CreateGenerationRequest
        {
            Prompt = prompt,

            // CUSTOM: the generated class defaults Loop to false and would send "loop": false with every
            // extension; the seed's extension examples send no loop, so the server's default applies.
            Loop = null,
            Keyframes = _options.Backward ? new Keyframes { Frame1 = keyframe } : new Keyframes { Frame0 = keyframe },
            Model = _options.Model,
            AspectRatio = _options.AspectRatio,
            Resolution = _options.Resolution,
            Duration = _options.Duration,
        };

        var generation = await _client.CreateGenerationAsync(body, cancellationToken).ConfigureAwait(false);

        // The one job poller waits, through the adapter's server-side wait (a long poll): it owns the gap between
        // reads that come back at once, transient failures, Retry-After and the step's deadline.
        var wait = new Waiting.WaitOptions
        {
            Timeout = _options.StepTimeout,
            // A zero minimum gap still backs off after a transient failure, from a millisecond.
            PollInterval = _options.MinimumPollInterval > TimeSpan.Zero ? _options.MinimumPollInterval : TimeSpan.FromMilliseconds(1),
            MaxPollInterval = _options.MinimumPollInterval > Waiting.WaitOptions.DefaultMaxPollInterval ? _options.MinimumPollInterval : Waiting.WaitOptions.DefaultMaxPollInterval,
            TimeProvider = _timeProvider,
        };
        var poller = new Waiting.JobPoller(generation.Id.ToString("D"), _adapter.ToJob(generation, model: null), wait);
        VideoJob job = poller.LastKnown!;
        try
        {
            await foreach (var update in poller.PollAsync(token => _adapter.WaitForCompletionOnServerAsync(poller.Id, token), longPoll: true, lastLookAtDeadline: false, cancellationToken).ConfigureAwait(false))
            {
                job = update.Job;
            }
        }
        catch (JobTimeoutException timeout)
        {
            var last = timeout.LastKnown ?? job;
            throw new VideoGenException(
                $"{last.Vendor} generation {poller.Id} (extension {step + 1} of {steps}) did not complete within {_options.StepTimeout}; " +
                $"its last state was '{last.VendorStatus}'. It may still complete: read it with GetGenerationAsync.",
                last.Vendor,
                innerException: timeout)
            {
                JobId = poller.Id,
            };
        }

        return job.Status == VideoJobStatus.Succeeded
            ? (Generation)job.RawRepresentation!
            : throw new JobFailedException(job);
    }
}
