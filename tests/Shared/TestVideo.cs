namespace VideoGen.Testing;

/// <summary>
/// Small whole MP4 files for tests that serve a "video": an <c>ftyp</c>, a <c>moov</c> and an <c>mdat</c> box whose
/// sizes add up to the file's length, so the downloader's container walk accepts them (a real player would not play
/// them: the boxes carry a pattern, not media).
/// </summary>
public static class TestVideo
{
    /// <summary>The smallest file <see cref="Mp4"/> makes: three bare box headers (ftyp, moov, mdat), 8 bytes each.</summary>
    public const int MinLength = 24;

    /// <summary>An MP4 of exactly <paramref name="length"/> bytes; the mdat payload is a repeatable pattern.</summary>
    public static byte[] Mp4(int length = 4096, int seed = 42)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, MinLength);
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return Stamp(bytes);
    }

    /// <summary>Writes the three box headers over the start of <paramref name="bytes"/> (at least <see cref="MinLength"/> long), keeping the rest.</summary>
    public static byte[] Stamp(byte[] bytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytes.Length, MinLength);
        if (bytes.Length < 48)
        {
            // Bare headers: what a tiny range test can afford.
            Box(bytes, 0, 8, "ftyp");
            Box(bytes, 8, 8, "moov");
            Box(bytes, 16, bytes.Length - 16, "mdat");
            return bytes;
        }

        Box(bytes, 0, 24, "ftyp");
        "mp42\0\0\0\0mp42isom"u8.CopyTo(bytes.AsSpan(8));
        Box(bytes, 24, 16, "moov");
        Box(bytes, 40, bytes.Length - 40, "mdat");
        return bytes;
    }

    private static void Box(byte[] bytes, int offset, int size, string type)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(offset), (uint)size);
        System.Text.Encoding.ASCII.GetBytes(type).CopyTo(bytes.AsSpan(offset + 4));
    }
}
