namespace VideoGen.Sandbox.Core;

/// <summary>One embedded sample clip (see Media/README.md).</summary>
/// <param name="AspectRatio">The aspect ratio it stands for.</param>
/// <param name="Width">Its width in pixels.</param>
/// <param name="Height">Its height in pixels.</param>
/// <param name="Bytes">The MP4 file.</param>
internal sealed record SampleClip(string AspectRatio, int Width, int Height, byte[] Bytes);

/// <summary>The sample clips served as result videos, one per aspect ratio.</summary>
internal static class SampleClips
{
    /// <summary>The aspect ratio used when a request names none, or names one without a clip.</summary>
    public const string DefaultAspectRatio = "16:9";

    /// <summary>Length of every clip, in seconds.</summary>
    public const int ClipSeconds = 1;

    private static readonly Lazy<IReadOnlyDictionary<string, SampleClip>> Clips = new(Load);

    /// <summary>The aspect ratios that have a clip.</summary>
    public static IReadOnlyList<string> AspectRatios { get; } = ["16:9", "9:16", "1:1", "4:3", "3:4", "21:9", "9:21"];

    public static bool Has(string? aspectRatio) => aspectRatio is not null && AspectRatios.Contains(aspectRatio);

    public static SampleClip For(string? aspectRatio) =>
        Clips.Value.TryGetValue(aspectRatio ?? DefaultAspectRatio, out var clip) ? clip : Clips.Value[DefaultAspectRatio];

    private static IReadOnlyDictionary<string, SampleClip> Load()
    {
        (string Ratio, int Width, int Height)[] sizes =
        [
            ("16:9", 64, 36), ("9:16", 36, 64), ("1:1", 48, 48), ("4:3", 64, 48), ("3:4", 48, 64), ("21:9", 84, 36), ("9:21", 36, 84),
        ];
        return sizes.ToDictionary(s => s.Ratio, s => new SampleClip(s.Ratio, s.Width, s.Height, Read(s.Ratio.Replace(':', 'x') + ".mp4")));
    }

    private static byte[] Read(string file)
    {
        var name = "VideoGen.Sandbox.Media." + file;
        using var stream = typeof(SampleClips).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The sample clip {name} is not embedded in the sandbox assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
