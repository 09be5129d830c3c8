namespace VideoGen.AimlApi;

/// <summary>Options of a <see cref="LumaExtensionChain"/>.</summary>
public sealed class LumaExtensionChainOptions
{
    /// <summary>The default of <see cref="StepTimeout"/>: 15 minutes.</summary>
    public static readonly TimeSpan DefaultStepTimeout = TimeSpan.FromMinutes(15);

    /// <summary>The default of <see cref="MinimumPollInterval"/>: 2 seconds.</summary>
    public static readonly TimeSpan DefaultMinimumPollInterval = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Whether each extension leads into the previous generation (it becomes the last frame, <c>frame1</c>)
    /// instead of continuing after it (the first frame, <c>frame0</c>).
    /// </summary>
    /// <value><see langword="false"/>: extend forward.</value>
    public bool Backward { get; set; }

    /// <summary>The Luma model of each extension.</summary>
    /// <value>Not sent: the server's default (<c>ray-2</c>).</value>
    public LumaModel? Model { get; set; }

    /// <summary>The aspect ratio of each extension.</summary>
    /// <value>Not sent: the server's default.</value>
    public AspectRatio? AspectRatio { get; set; }

    /// <summary>The resolution of each extension.</summary>
    /// <value>Not sent: the server's default.</value>
    public VideoResolution? Resolution { get; set; }

    /// <summary>The duration of each extension.</summary>
    /// <value>Not sent: the server's default.</value>
    public VideoDuration? Duration { get; set; }

    /// <summary>
    /// How long one extension may take, from its submission until it is completed, before the chain gives
    /// up with a <see cref="VideoGenException"/> carrying the generation id (the generation may still finish).
    /// </summary>
    /// <value><see cref="DefaultStepTimeout"/> (15 minutes).</value>
    public TimeSpan StepTimeout { get; set; } = DefaultStepTimeout;

    /// <summary>
    /// The shortest time between two wait requests for the same generation. AIML API holds a wait request up
    /// to 30 s on the server; when an answer comes back sooner without the generation being completed or
    /// failed (a proxy that does not hold the request), the chain waits the rest of this interval before
    /// asking again, so it never polls in a tight loop.
    /// </summary>
    /// <value><see cref="DefaultMinimumPollInterval"/> (2 seconds).</value>
    public TimeSpan MinimumPollInterval { get; set; } = DefaultMinimumPollInterval;

    /// <summary>Throws when the options are invalid; called once, where they enter.</summary>
    /// <exception cref="ArgumentException">One or more options are invalid; the message lists every one.</exception>
    internal void EnsureValid(string parameterName)
    {
        var problems = new List<string>();
        if (StepTimeout <= TimeSpan.Zero)
        {
            problems.Add($"{nameof(StepTimeout)}: '{StepTimeout}' is not allowed; it must be positive.");
        }

        if (MinimumPollInterval < TimeSpan.Zero)
        {
            problems.Add($"{nameof(MinimumPollInterval)}: '{MinimumPollInterval}' is not allowed; it must be zero or positive.");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException(
                $"The extension chain options are not valid:{Environment.NewLine}" + string.Join(Environment.NewLine, problems.Select(p => "- " + p)),
                parameterName);
        }
    }

    /// <summary>A copy, so later changes to the caller's instance do not reach a running chain.</summary>
    internal LumaExtensionChainOptions Clone() => (LumaExtensionChainOptions)MemberwiseClone();
}
