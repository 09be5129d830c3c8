using System.Buffers.Binary;
using System.Text;

namespace VideoGen.Sandbox.Tests.Infrastructure;

/// <summary>Just enough MP4 (ISO BMFF) reading to check a file: top-level boxes and the video track's size.</summary>
internal static class Mp4
{
    /// <summary>The top-level boxes: type and size, in order.</summary>
    public static IReadOnlyList<(string Type, long Size)> TopLevelBoxes(byte[] file)
    {
        var boxes = new List<(string, long)>();
        long offset = 0;
        while (offset + 8 <= file.Length)
        {
            long size = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan((int)offset));
            var type = Encoding.ASCII.GetString(file, (int)offset + 4, 4);
            if (size == 1)
            {
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(file.AsSpan((int)offset + 8));
            }

            if (size < 8 || offset + size > file.Length)
            {
                throw new FormatException($"box '{type}' at {offset} has size {size}, past the end of the {file.Length}-byte file");
            }

            boxes.Add((type, size));
            offset += size;
        }

        if (offset != file.Length)
        {
            throw new FormatException($"{file.Length - offset} trailing bytes after the last box");
        }

        return boxes;
    }

    /// <summary>Width and height of the first track with a picture, from its tkhd box (16.16 fixed point).</summary>
    public static (int Width, int Height) VideoSize(byte[] file)
    {
        var tkhd = Encoding.ASCII.GetBytes("tkhd");
        for (var i = 4; i + 4 <= file.Length; i++)
        {
            if (!file.AsSpan(i, 4).SequenceEqual(tkhd))
            {
                continue;
            }

            var box = i - 4;
            var version = file[i + 4];
            // header(8) + version/flags(4) + times/track/reserved/duration (20 or 32) + reserved(8) + layer/group/volume/reserved(8) + matrix(36)
            var sizeOffset = box + 8 + 4 + (version == 1 ? 32 : 20) + 8 + 8 + 36;
            var width = (int)(BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(sizeOffset)) >> 16);
            var height = (int)(BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(sizeOffset + 4)) >> 16);
            if (width > 0 && height > 0)
            {
                return (width, height);
            }
        }

        throw new FormatException("no video track header (tkhd) found");
    }
}
