using System.Globalization;

namespace VideoGen.AimlApi;

// CUSTOM: hand-written helpers over the generated Keyframes/Keyframe types. The spec flattens the
// vendor's anyOf ({type: image, url} | {type: generation, id}) into one Keyframe class with optional
// url and id; these factories only ever build the two valid shapes.

/// <summary>
/// Builds the <c>keyframes</c> of an AIML API Luma request (003_c929ef2f8a37e003.txt § Extend video):
/// <c>frame0</c> is the first frame, <c>frame1</c> the last, each an image URL or an earlier generation.
/// </summary>
/// <example>
/// <code>
/// var body = new CreateGenerationRequest
/// {
///     Prompt = "Flying jellyfish",
///     AspectRatio = AspectRatio.Landscape16x9,
///     Keyframes = LumaKeyframes.ExtendForward("0f3ea4aa-10e7-4dae-af0b-263ab4ac45f9"),
/// };
/// </code>
/// </example>
/// <remarks>
/// The generated <see cref="CreateGenerationRequest"/> starts with <c>Loop = false</c>, so the client sends
/// <c>"loop": false</c> unless you set <c>Loop = null</c>; the seed's examples send no <c>loop</c>.
/// </remarks>
public static class LumaKeyframes
{
    /// <summary>A keyframe that is an image.</summary>
    /// <param name="imageUrl">The image: an absolute http(s) URL.</param>
    /// <returns><c>{"type": "image", "url": ...}</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="imageUrl"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="imageUrl"/> is not an absolute http or https URL.</exception>
    public static Keyframe Image(Uri imageUrl)
    {
        EnsureImageUrl(imageUrl, nameof(imageUrl));
        return new Keyframe { Type = KeyframeType.Image, Url = imageUrl };
    }

    /// <summary>A keyframe that is an earlier generation.</summary>
    /// <param name="generationId">The generation's id, a UUID as AIML API returns it.</param>
    /// <returns><c>{"type": "generation", "id": ...}</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="generationId"/> is null, empty or not a UUID.</exception>
    public static Keyframe Generation(string generationId) => Generation(ParseGenerationId(generationId, nameof(generationId)));

    /// <summary>A keyframe that is an earlier generation.</summary>
    /// <param name="generationId">The generation's id.</param>
    /// <returns><c>{"type": "generation", "id": ...}</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="generationId"/> is <see cref="Guid.Empty"/>.</exception>
    public static Keyframe Generation(Guid generationId)
    {
        if (generationId == Guid.Empty)
        {
            throw new ArgumentException(
                $"'{generationId}' is not a generation id; pass the id AIML API returned for an earlier generation.", nameof(generationId));
        }

        return new Keyframe { Type = KeyframeType.Generation, Id = generationId };
    }

    /// <summary>Starts the video from an image (image-to-video): <c>frame0</c> is the image.</summary>
    /// <param name="startImage">The first frame: an absolute http(s) URL.</param>
    /// <returns>The keyframes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="startImage"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="startImage"/> is not an absolute http or https URL.</exception>
    public static Keyframes StartFrom(Uri startImage)
    {
        EnsureImageUrl(startImage, nameof(startImage));
        return new Keyframes { Frame0 = Image(startImage) };
    }

    /// <summary>Ends the video on an image: <c>frame1</c> is the image.</summary>
    /// <param name="endImage">The last frame: an absolute http(s) URL.</param>
    /// <returns>The keyframes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endImage"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="endImage"/> is not an absolute http or https URL.</exception>
    public static Keyframes EndAt(Uri endImage)
    {
        EnsureImageUrl(endImage, nameof(endImage));
        return new Keyframes { Frame1 = Image(endImage) };
    }

    /// <summary>Interpolates between two images: <c>frame0</c> and <c>frame1</c> are images.</summary>
    /// <param name="startImage">The first frame: an absolute http(s) URL.</param>
    /// <param name="endImage">The last frame: an absolute http(s) URL.</param>
    /// <returns>The keyframes.</returns>
    /// <exception cref="ArgumentNullException">An image is null.</exception>
    /// <exception cref="ArgumentException">An image is not an absolute http or https URL.</exception>
    public static Keyframes Interpolate(Uri startImage, Uri endImage)
    {
        EnsureImageUrl(startImage, nameof(startImage));
        EnsureImageUrl(endImage, nameof(endImage));
        return new Keyframes { Frame0 = Image(startImage), Frame1 = Image(endImage) };
    }

    /// <summary>Continues an earlier generation (extend forward): <c>frame0</c> is the generation.</summary>
    /// <param name="generationId">The generation to continue, a UUID.</param>
    /// <returns>The keyframes.</returns>
    /// <exception cref="ArgumentException"><paramref name="generationId"/> is null, empty or not a UUID.</exception>
    public static Keyframes ExtendForward(string generationId) =>
        new() { Frame0 = Generation(ParseGenerationId(generationId, nameof(generationId))) };

    /// <summary>Leads into an earlier generation (extend backward): <c>frame1</c> is the generation.</summary>
    /// <param name="generationId">The generation to lead into, a UUID.</param>
    /// <returns>The keyframes.</returns>
    /// <exception cref="ArgumentException"><paramref name="generationId"/> is null, empty or not a UUID.</exception>
    public static Keyframes ExtendBackward(string generationId) =>
        new() { Frame1 = Generation(ParseGenerationId(generationId, nameof(generationId))) };

    /// <summary>Whether <paramref name="url"/> is an absolute http or https URL.</summary>
    internal static bool IsHttpUrl(Uri? url) =>
        url is { IsAbsoluteUri: true } && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp);

    /// <summary>What an image URL must be, in words.</summary>
    internal const string ImageUrlRule = "an absolute http or https image URL (for example https://example.com/image1.png)";

    /// <summary>What a generation id must be, in words.</summary>
    internal const string GenerationIdRule = "the UUID AIML API returned for an earlier generation (for example 0f3ea4aa-10e7-4dae-af0b-263ab4ac45f9)";

    /// <summary>Parses a generation id; <see langword="null"/> when it is not a non-empty UUID.</summary>
    internal static Guid? TryParseGenerationId(string? generationId) =>
        Guid.TryParse(generationId?.Trim(), out var id) && id != Guid.Empty ? id : null;

    private static Guid ParseGenerationId(string? generationId, string parameterName)
    {
        if (string.IsNullOrWhiteSpace(generationId))
        {
            throw new ArgumentException($"A generation id is required; pass {GenerationIdRule}.", parameterName);
        }

        return TryParseGenerationId(generationId) ?? throw new ArgumentException(
            $"'{generationId}' is not a generation id; pass {GenerationIdRule}.", parameterName);
    }

    private static void EnsureImageUrl(Uri imageUrl, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(imageUrl, parameterName);
        if (!IsHttpUrl(imageUrl))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"'{imageUrl.OriginalString}' is not allowed as a keyframe image; use {ImageUrlRule}."),
                parameterName);
        }
    }
}
