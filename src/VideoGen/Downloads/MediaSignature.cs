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

    /// <summary>Whether the file at <paramref name="path"/> exists, starts a video container and is whole (<see cref="FindStructureProblem"/>).</summary>
    public static bool IsVideoFile(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            Span<byte> head = stackalloc byte[HeadLength];
            var read = file.ReadAtLeast(head, HeadLength, throwOnEndOfStream: false);
            return IsVideo(head[..read]) && FindStructureProblem(file) is null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Walks the top level of a whole container file and says what is wrong with it, so a file cut short (a
    /// Content-Length smaller than the real body, a connection closed early) or with bytes after its end is never
    /// taken for a video.
    /// </summary>
    /// <remarks>
    /// ISO BMFF (ISO/IEC 14496-12 §4.2): boxes of a 32-bit size, a 64-bit size when that is 1, or "to the end of the
    /// file" when it is 0; the walk must end exactly at the end of the file, the first box must be one
    /// <see cref="IsVideo"/> accepts (<c>ftyp</c> for MP4; older QuickTime files may start otherwise), and both
    /// <c>moov</c> (the index) and <c>mdat</c> (the media) must be there. Matroska/WebM (RFC 8794, RFC 9559): top-level
    /// elements of variable-length ids and sizes, an EBML header first and a Segment; the walk must end at the end of
    /// the file. Limit: a Segment of unknown size (live recordings write one) runs to the end of the file by
    /// definition, so a WebM cut inside such a Segment cannot be told from a whole one here.
    /// </remarks>
    /// <param name="file">The file, seekable; read from its start and left at an unspecified position.</param>
    /// <returns><see langword="null"/> when the structure is whole; otherwise what is wrong, in a sentence.</returns>
    public static string? FindStructureProblem(Stream file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var length = file.Length;
        file.Position = 0;
        Span<byte> head = stackalloc byte[16];
        if (file.ReadAtLeast(head, 4, throwOnEndOfStream: false) >= 4 && head[0] == 0x1A && head[1] == 0x45 && head[2] == 0xDF && head[3] == 0xA3)
        {
            return FindEbmlProblem(file, length);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        long offset = 0;
        while (offset < length)
        {
            file.Position = offset;
            if (length - offset < 8 || file.ReadAtLeast(head[..8], 8, throwOnEndOfStream: false) < 8)
            {
                return $"it ends inside a box header at byte {offset} of {length}: the file is cut short or has bytes after its last box";
            }

            var size = (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(head);
            var type = System.Text.Encoding.ASCII.GetString(head.Slice(4, 4));
            var header = 8L;
            if (size == 1)
            {
                if (length - offset < 16 || file.ReadAtLeast(head[8..16], 8, throwOnEndOfStream: false) < 8)
                {
                    return $"it ends inside the 64-bit size of box '{type}' at byte {offset}: the file is cut short";
                }

                var large = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(head[8..16]);
                size = large > long.MaxValue ? long.MaxValue : (long)large;
                header = 16;
            }
            else if (size == 0)
            {
                size = length - offset;
            }

            if (offset == 0 && !LeadingBoxes.Contains(type, StringComparer.Ordinal))
            {
                return $"its first box is '{type}', not 'ftyp'";
            }

            if (size < header)
            {
                return $"box '{type}' at byte {offset} declares {size} bytes, less than its own header";
            }

            if (size > length - offset)
            {
                return $"box '{type}' at byte {offset} declares {size} bytes but the file has only {length - offset} left: the file is cut short";
            }

            seen.Add(type);
            offset += size;
        }

        return !seen.Contains("moov") ? "it has no 'moov' box (the index a player needs)"
            : !seen.Contains("mdat") ? "it has no 'mdat' box (no media data)"
            : null;
    }

    /// <summary>The EBML walk of <see cref="FindStructureProblem"/> (RFC 8794 §4: variable-length integers).</summary>
    private static string? FindEbmlProblem(Stream file, long length)
    {
        const uint EbmlHeader = 0x1A45DFA3, Segment = 0x18538067;
        var segment = false;
        long offset = 0;
        while (offset < length)
        {
            file.Position = offset;
            if (ReadVint(file, keepMarker: true) is not { } id || ReadVint(file, keepMarker: false) is not { } size)
            {
                return $"it ends inside an element header at byte {offset} of {length}: the file is cut short or has bytes after its last element";
            }

            if (offset == 0 && id.Value != EbmlHeader)
            {
                return "its first element is not the EBML header";
            }

            segment |= id.Value == Segment;
            var body = file.Position;

            // All value bits set: "unknown size", which for a top-level element means "to the end of the file".
            if (size.Value == (1UL << (7 * size.Length)) - 1)
            {
                return segment ? null : "an element before the Segment has an unknown size";
            }

            if (size.Value > (ulong)(length - body))
            {
                return $"the element at byte {offset} declares {size.Value} bytes but the file has only {length - body} left: the file is cut short";
            }

            offset = body + (long)size.Value;
        }

        return segment ? null : "it has no Segment element (no media)";
    }

    private static (ulong Value, int Length)? ReadVint(Stream file, bool keepMarker)
    {
        var first = file.ReadByte();
        if (first <= 0)
        {
            return null;
        }

        var length = System.Numerics.BitOperations.LeadingZeroCount((uint)first) - 23;
        var value = keepMarker ? (ulong)first : (ulong)(first & (0xFF >> length));
        for (var i = 1; i < length; i++)
        {
            var next = file.ReadByte();
            if (next < 0)
            {
                return null;
            }

            value = value << 8 | (uint)next;
        }

        return (value, length);
    }

    /// <summary>Whether a Content-Type names a document rather than media: text/*, HTML, JSON, XML.</summary>
    public static bool IsDocumentType(string? mediaType) =>
        mediaType is { } t
        && (t.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
            || t.Contains("html", StringComparison.OrdinalIgnoreCase)
            || t.Contains("json", StringComparison.OrdinalIgnoreCase)
            || t.Contains("xml", StringComparison.OrdinalIgnoreCase));
}
