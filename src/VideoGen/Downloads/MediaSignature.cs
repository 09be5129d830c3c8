namespace VideoGen.Downloads;

/// <summary>
/// Tells a video container from anything else by its first bytes: ISO BMFF (MP4, MOV, 3GP: a box type at offset 4)
/// and Matroska/WebM (the EBML magic). A download or a file on disk that is not one of them is not a video, however
/// it is named.
/// </summary>
/// <remarks>
/// ISO/IEC 14496-12 §4.2: every file is a sequence of boxes, each a 32-bit size then a four-character type; a
/// conforming file starts with <c>ftyp</c> (QuickTime files written before it may start with <c>moov</c>, <c>mdat</c>,
/// <c>free</c>, <c>skip</c> or <c>wide</c>). Matroska (RFC 9559) and WebM files start with the EBML header, element id 0x1A45DFA3 (RFC 8794).
/// </remarks>
internal static class MediaSignature
{
    /// <summary>How many leading bytes <see cref="IsVideo"/> looks at.</summary>
    public const int HeadLength = 12;

    private static readonly string[] LeadingBoxes = ["ftyp", "moov", "mdat", "free", "skip", "wide"];

    /// <summary>Whether <paramref name="head"/> (the first bytes of a file) starts a video container.</summary>
    public static bool IsVideo(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 4 && head[0] == 0x1A && head[1] == 0x45 && head[2] == 0xDF && head[3] == 0xA3)
        {
            return true;
        }

        if (head.Length < 8)
        {
            return false;
        }

        var type = System.Text.Encoding.ASCII.GetString(head.Slice(4, 4));
        var size = (uint)(head[0] << 24 | head[1] << 16 | head[2] << 8 | head[3]);

        // A box's size is at least its 8-byte header; 1 means a 64-bit size follows, 0 means "to the end of the file".
        return LeadingBoxes.Contains(type, StringComparer.Ordinal) && size is 0 or 1 or >= 8;
    }

    /// <summary>Whether the file at <paramref name="path"/> exists and starts a video container.</summary>
    public static bool IsVideoFile(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            Span<byte> head = stackalloc byte[HeadLength];
            var read = file.ReadAtLeast(head, HeadLength, throwOnEndOfStream: false);
            return IsVideo(head[..read]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Whether a Content-Type names a document rather than media: text/*, HTML, JSON, XML.</summary>
    public static bool IsDocumentType(string? mediaType) =>
        mediaType is { } t
        && (t.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
            || t.Contains("html", StringComparison.OrdinalIgnoreCase)
            || t.Contains("json", StringComparison.OrdinalIgnoreCase)
            || t.Contains("xml", StringComparison.OrdinalIgnoreCase));
}
