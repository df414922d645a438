using System.Buffers.Text;

namespace Knative.Orleans.Silo.Eventing;

/// <summary>Response bodies: by length, chunked, or to the end of the connection.</summary>
internal sealed partial class PlainHttpClient
{
    /// <summary>The body readers of a connection.</summary>
    private sealed partial class Connection
    {
        // Reads more bytes after _end (compacting or growing the buffer first when full); 0 at the end of the stream.
        private async ValueTask<int> FillAsync(CancellationToken cancellationToken)
        {
            var read = await ReceiveAsync(cancellationToken).ConfigureAwait(false);
            _end += read;
            return read;
        }

        // Takes up to max buffered bytes (reading when none are buffered); 0 at the end of the stream.
        private async ValueTask<ReadOnlyMemory<byte>> TakeAsync(long max, CancellationToken cancellationToken)
        {
            if (_start == _end)
            {
                _start = _end = 0;
                if (await FillAsync(cancellationToken).ConfigureAwait(false) == 0)
                {
                    return ReadOnlyMemory<byte>.Empty;
                }
            }

            var n = (int)Math.Min(max, _end - _start);
            var taken = _buffer.AsMemory(_start, n);
            _start += n;
            return taken;
        }

        // As TakeAsync, for a body whose length is known: the end of the stream before it is an error.
        private async ValueTask<ReadOnlyMemory<byte>> TakeBodyAsync(long max, CancellationToken cancellationToken)
        {
            var chunk = await TakeAsync(max, cancellationToken).ConfigureAwait(false);
            return chunk.IsEmpty ? throw new IOException("the server closed the connection in the middle of the response body") : chunk;
        }

        private async ValueTask<(byte[] Body, bool Complete, bool Framed)> ReadLengthAsync(long length, int limit, CancellationToken cancellationToken)
        {
            var body = length == 0 ? [] : new byte[Math.Min(length, limit)];
            var filled = 0;
            while (filled < body.Length)
            {
                var chunk = await TakeBodyAsync(body.Length - filled, cancellationToken).ConfigureAwait(false);
                chunk.CopyTo(body.AsMemory(filled));
                filled += chunk.Length;
            }

            var rest = length - body.Length;
            if (rest > MaxDrainBytes)
            {
                return (body, false, false); // not worth reading: the connection is closed
            }

            for (var left = rest; left > 0;)
            {
                var chunk = await TakeBodyAsync(left, cancellationToken).ConfigureAwait(false);
                left -= chunk.Length;
            }

            return (body, rest == 0, true);
        }

        private async ValueTask<(byte[] Body, bool Complete, bool Framed)> ReadToEndAsync(int limit, CancellationToken cancellationToken)
        {
            using var body = new MemoryStream();
            while (true)
            {
                var chunk = await TakeAsync(limit + 1 - body.Length, cancellationToken).ConfigureAwait(false);
                if (chunk.IsEmpty)
                {
                    return (body.ToArray(), true, false);
                }

                body.Write(chunk.Span);
                if (body.Length > limit)
                {
                    return (body.ToArray()[..limit], false, false); // more than asked for: the connection is closed
                }
            }
        }

        private async ValueTask<(byte[] Body, bool Complete, bool Framed)> ReadChunkedAsync(int limit, CancellationToken cancellationToken)
        {
            using var body = new MemoryStream();
            long total = 0;
            while (true)
            {
                var size = await ReadChunkSizeAsync(cancellationToken).ConfigureAwait(false);
                if (size == 0)
                {
                    await SkipTrailersAsync(cancellationToken).ConfigureAwait(false);
                    return (body.ToArray(), total <= limit, true);
                }

                for (var left = size; left > 0;)
                {
                    var chunk = await TakeBodyAsync(left, cancellationToken).ConfigureAwait(false);
                    var keep = (int)Math.Clamp(limit - body.Length, 0, chunk.Length);
                    body.Write(chunk.Span[..keep]);
                    total += chunk.Length;
                    left -= chunk.Length;
                }

                if (total > (long)limit + MaxDrainBytes)
                {
                    return (body.ToArray(), false, false); // too much to drain: the connection is closed
                }

                await ExpectCrLfAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        private async ValueTask<long> ReadChunkSizeAsync(CancellationToken cancellationToken)
        {
            var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            var semicolon = line.IndexOf((byte)';');
            var digits = (semicolon >= 0 ? line[..semicolon] : line).Trim(" \t"u8);
            if (digits.Length is 0 or > 15 || !Utf8Parser.TryParse(digits, out long size, out var consumed, 'x') || consumed != digits.Length)
            {
                throw new HttpRequestException("the response has an invalid chunk size");
            }

            return size;
        }

        private async ValueTask SkipTrailersAsync(CancellationToken cancellationToken)
        {
            while ((await ReadLineAsync(cancellationToken).ConfigureAwait(false)).Length > 0)
            {
            }
        }

        private async ValueTask ExpectCrLfAsync(CancellationToken cancellationToken)
        {
            if ((await ReadLineAsync(cancellationToken).ConfigureAwait(false)).Length != 0)
            {
                throw new HttpRequestException("the response has a chunk without its line end");
            }
        }

        // One line of a chunked body (without its CRLF).
        private async ValueTask<byte[]> ReadLineAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var found = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8);
                if (found >= 0)
                {
                    var line = found == 0 ? [] : _buffer.AsSpan(_start, found).ToArray();
                    _start += found + 2;
                    return line;
                }

                if (_end - _start >= 4096)
                {
                    throw new HttpRequestException("the response has a chunk line longer than 4096 bytes");
                }

                if (await FillAsync(cancellationToken).ConfigureAwait(false) == 0)
                {
                    throw new IOException("the server closed the connection in the middle of the response body");
                }
            }
        }
    }
}
