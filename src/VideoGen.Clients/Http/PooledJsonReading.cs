using System.Buffers;
using System.Text;
using Newtonsoft.Json;

namespace VideoGen.Http;

// CUSTOM: build/templates/Client.Class.ReadObjectResponse.liquid reads every response body through these, so a
// status call does not allocate a StreamReader's byte and char buffers, nor JSON.NET's token buffer, per call
// (issue 17 item 4). The body reaching the parser is already the bounded in-memory copy made by
// VendorClientBase.ProcessResponseAsync (cap and caller's token applied there), so reading it here is synchronous.

/// <summary>Pooled buffers for the generated clients' Newtonsoft.Json response reading.</summary>
internal static class PooledJsonReading
{
    /// <summary>The pool <see cref="JsonTextReader.ArrayPool"/> rents its character buffers from.</summary>
    internal static IArrayPool<char> CharPool { get; } = new SharedCharPool();

    /// <summary>
    /// A reader of <paramref name="stream"/>'s text: the encoding is taken from a byte order mark (UTF-8, UTF-16 LE/BE,
    /// UTF-32 LE/BE) and is UTF-8 without one, as <see cref="StreamReader"/>'s defaults; invalid bytes read as U+FFFD.
    /// Its byte buffer is rented from <see cref="ArrayPool{T}.Shared"/> and returned on dispose, which also disposes
    /// <paramref name="stream"/>.
    /// </summary>
    /// <param name="stream">The response body.</param>
    /// <returns>The reader; the caller disposes it.</returns>
    internal static TextReader CreateReader(Stream stream) => new PooledStreamTextReader(stream);

    /// <summary><see cref="ArrayPool{T}.Shared"/> in the shape JSON.NET asks for.</summary>
    private sealed class SharedCharPool : IArrayPool<char>
    {
        public char[] Rent(int minimumLength) => ArrayPool<char>.Shared.Rent(minimumLength);

        public void Return(char[]? array)
        {
            if (array is not null)
            {
                ArrayPool<char>.Shared.Return(array);
            }
        }
    }

    /// <summary>
    /// Decodes a stream straight into the caller's character buffer (JSON.NET's pooled one) through one pooled byte
    /// buffer. Only <see cref="Read(char[], int, int)"/> and <see cref="Read(Span{char})"/> decode; JSON.NET uses the first.
    /// </summary>
    private sealed class PooledStreamTextReader : TextReader
    {
        private const int BufferSize = 4096;

        private readonly Stream _stream;
        private byte[]? _bytes = ArrayPool<byte>.Shared.Rent(BufferSize);
        private Decoder? _decoder;
        private int _start;
        private int _end;
        private bool _endOfStream;
        private int _pending = -1;

        public PooledStreamTextReader(Stream stream)
        {
            ArgumentNullException.ThrowIfNull(stream);
            _stream = stream;
        }

        public override int Read(char[] buffer, int index, int count)
        {
            ArgumentNullException.ThrowIfNull(buffer);
            return Read(buffer.AsSpan(index, count));
        }

        public override int Read(Span<char> buffer)
        {
            var bytes = _bytes ?? throw new ObjectDisposedException(nameof(PooledStreamTextReader));
            if (buffer.IsEmpty)
            {
                return 0;
            }

            if (_pending >= 0)
            {
                buffer[0] = (char)_pending;
                _pending = -1;
                return 1;
            }

            if (buffer.Length == 1)
            {
                // JSON.NET asks for a single character when its buffer is nearly full, and one decoded character can be
                // a surrogate pair: decode into two and keep the second for the next read (StreamReader keeps a char buffer).
                Span<char> two = stackalloc char[2];
                var decoded = Read(two);
                if (decoded == 0)
                {
                    return 0;
                }

                buffer[0] = two[0];
                if (decoded == 2)
                {
                    _pending = two[1];
                }

                return 1;
            }

            while (true)
            {
                if (_start == _end && !_endOfStream)
                {
                    Fill(bytes);
                }

                _decoder ??= DetectEncoding(bytes);
                if (_start == _end && !_endOfStream)
                {
                    // The byte order mark was the whole chunk.
                    continue;
                }

                // A character split across two chunks stays in the decoder until its last byte arrives; at the end
                // of the stream flush turns an incomplete one into U+FFFD, as StreamReader does.
                _decoder.Convert(bytes.AsSpan(_start, _end - _start), buffer, flush: _endOfStream, out var used, out var written, out _);
                _start += used;
                if (written > 0 || (_endOfStream && _start == _end))
                {
                    return written;
                }
            }
        }

        public override int Read()
        {
            Span<char> one = stackalloc char[1];
            return Read(one) == 0 ? -1 : one[0];
        }

        public override int Peek() => throw new NotSupportedException("JSON.NET does not peek.");

        protected override void Dispose(bool disposing)
        {
            if (disposing && _bytes is { } bytes)
            {
                _bytes = null;
                ArrayPool<byte>.Shared.Return(bytes);
                _stream.Dispose();
            }

            base.Dispose(disposing);
        }

        private void Fill(byte[] bytes)
        {
            _start = 0;
            _end = 0;
            while (_end < bytes.Length)
            {
                var read = _stream.Read(bytes, _end, bytes.Length - _end);
                if (read == 0)
                {
                    _endOfStream = true;
                    return;
                }

                _end += read;
                if (_decoder is not null)
                {
                    return;
                }
            }
        }

        /// <summary>Picks the decoder from a byte order mark at the start (skipping it), UTF-8 without one.</summary>
        private Decoder DetectEncoding(byte[] bytes)
        {
            var head = bytes.AsSpan(_start, _end - _start);
            (Encoding encoding, int skip) = head switch
            {
                [0xEF, 0xBB, 0xBF, ..] => (Encoding.UTF8, 3),
                [0xFF, 0xFE, 0x00, 0x00, ..] => (Encoding.UTF32, 4),
                [0x00, 0x00, 0xFE, 0xFF, ..] => (new UTF32Encoding(bigEndian: true, byteOrderMark: false), 4),
                [0xFF, 0xFE, ..] => (Encoding.Unicode, 2),
                [0xFE, 0xFF, ..] => (Encoding.BigEndianUnicode, 2),
                _ => (Encoding.UTF8, 0),
            };
            _start += skip;
            return encoding.GetDecoder();
        }
    }
}
