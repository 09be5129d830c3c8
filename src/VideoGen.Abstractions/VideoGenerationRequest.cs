namespace VideoGen;

/// <summary>
/// A vendor-neutral video request. Each vendor adapter maps it onto its own contract and refuses,
/// before anything is sent, what that vendor or model does not support.
/// </summary>
public sealed class VideoGenerationRequest
{
    /// <summary>Creates a request for <paramref name="prompt"/>.</summary>
    /// <param name="prompt">Text description of the video.</param>
    public VideoGenerationRequest(string prompt)
    {
        Prompt = prompt;
    }

    /// <summary>Text description of the video.</summary>
    public string Prompt { get; set; }

    /// <summary>The vendor's model id (for example <c>kling-v2.1</c>).</summary>
    /// <value>The generator's default model.</value>
    public string? Model { get; set; }

    /// <summary>Video length in seconds.</summary>
    /// <value>The vendor's default.</value>
    public int? DurationSeconds { get; set; }

    /// <summary>Aspect ratio as width:height, for example <c>16:9</c>.</summary>
    /// <value>The vendor's default.</value>
    public string? AspectRatio { get; set; }

    /// <summary>Output resolution where the model offers a choice, for example <c>720p</c>.</summary>
    /// <value>The model's default.</value>
    public string? Resolution { get; set; }

    /// <summary>An image the video starts from (image-to-video): an absolute http(s) URL.</summary>
    public Uri? StartImage { get; set; }

    /// <summary>An image the video ends on: an absolute http(s) URL, where the model supports an end frame.</summary>
    public Uri? EndImage { get; set; }

    /// <summary>What to keep out of the video, where the vendor supports it.</summary>
    public string? NegativePrompt { get; set; }

    /// <summary>Whether the video should loop, where the vendor supports it (AIML's Luma).</summary>
    public bool? Loop { get; set; }

    /// <summary>Extends an earlier generation of the same vendor instead of starting from scratch (AIML's Luma).</summary>
    public VideoExtension? Extend { get; set; }
}

/// <summary>Which earlier generation to extend, and in which direction.</summary>
/// <param name="GenerationId">The earlier generation's id.</param>
/// <param name="Backward">
/// <see langword="false"/> to continue after it (it becomes the first frame, <c>frame0</c>);
/// <see langword="true"/> to lead into it (it becomes the last frame, <c>frame1</c>).
/// </param>
public sealed record VideoExtension(string GenerationId, bool Backward = false);
