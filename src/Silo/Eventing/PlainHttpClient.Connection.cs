using System.Net.Sockets;
using Knative.Orleans.Contracts.Eventing;

namespace Knative.Orleans.Silo.Eventing;

/// <summary>A connection of <see cref="PlainHttpClient"/>: its socket, buffer, and a response read.</summary>
internal sealed partial class PlainHttpClient
{
    /// <summary>One keep-alive connection: a socket and the bytes received but not yet used.</summary>
    private sealed partial class Connection(Socket socket, long opened) : IDisposable
    {
        private byte[] _buffer = new byte[4096];
        private int _start;
        private int _end;

        public long Opened { get; } = opened;

        public long IdleSince { get; set; } = opened;

        public bool Reused { get; set; }

        /// <summary>Whether a byte of the current response arrived.</summary>
        public bool ResponseStarted { get; private set; }

        /// <summary>Whether the last response left the connection fit for the next request.</summary>
        public bool Reusable { get; private set; }

        /// <summary>An idle connection is fine when nothing is readable: readable means closed by the server (or stray bytes).</summary>
        public bool StillOpen()
        {
            try
            {
                return _start == _end && !socket.Poll(0, SelectMode.SelectRead);
            }
            catch (SocketException)
            {
                return false;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }

        public async ValueTask SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
        {
            ResponseStarted = false;
            Reusable = false;
            while (!bytes.IsEmpty)
            {
                var sent = await socket.SendAsync(bytes, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                bytes = bytes[sent..];
            }
        }

        /// <summary>Reads into the free space after the buffered bytes (<see cref="Received"/> takes the count).</summary>
        public ValueTask<int> ReceiveAsync(CancellationToken cancellationToken) =>
            socket.ReceiveAsync(FreeSpace(), SocketFlags.None, cancellationToken);

        /// <summary>Counts what <see cref="ReceiveAsync"/> read; the end of the stream before a whole response is an error.</summary>
        public void Received(int read)
        {
            if (read == 0)
            {
                throw new IOException(_end == _start && !ResponseStarted
                    ? "the server closed the connection without a response"
                    : "the server closed the connection in the middle of the response");
            }

            _end += read;
            ResponseStarted = true;
        }

        /// <summary>
        /// The response, when all of it is buffered and its body is framed by <c>Content-Length</c> (or it has none);
        /// false with <paramref name="general"/> when its head is here but it needs <see cref="ReadResponseAsync"/>
        /// (chunked, to the end of the connection, or a body larger than the buffer should grow for), false alone
        /// when more bytes are needed. Nothing is consumed unless it returns true.
        /// </summary>
        public bool TryParseBuffered(int limit, int? replyLimit, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PlainHttpResponse? response, out bool general)
        {
            response = null;
            general = false;
            var at = _start;
            while (true)
            {
                var found = _buffer.AsSpan(at, _end - at).IndexOf("\r\n\r\n"u8);
                if (found < 0)
                {
                    general = _end - _start >= MaxHeadBytes; // the general path reports it
                    return false;
                }

                var headEnd = at + found + 4;
                var status = ParseStatus(_buffer.AsSpan(at, headEnd - at));
                if (status is >= 100 and < 200 && status != 101)
                {
                    at = headEnd; // 100 Continue, 103 Early Hints: the final response follows
                    continue;
                }

                var head = ParseHead(_buffer.AsSpan(at, headEnd - at), status);
                var length = head.Status is 204 or 304 ? 0 : head.Chunked ? null : head.ContentLength;
                if (status == 101 || length is not { } bodyLength || bodyLength > 16 * 1024)
                {
                    general = true;
                    return false;
                }

                if (_end - headEnd < bodyLength)
                {
                    return false; // the rest of the body is on its way
                }

                var replyExpected = replyLimit is not null && status is >= 200 and < 300 and not 202;
                var max = replyExpected ? replyLimit!.Value : limit;
                var headers = replyExpected && (bodyLength != 0 || CloudEventParser.LooksLikeCloudEvent(head.HasSpecVersion, head.ContentType))
                    ? Headers(_buffer.AsSpan(at, headEnd - at))
                    : null;
                var body = bodyLength == 0 ? [] : _buffer.AsSpan(headEnd, (int)Math.Min(bodyLength, max)).ToArray();
                _start = headEnd + (int)bodyLength;
                Reusable = head.KeepAlive && _start == _end;
                if (_start == _end)
                {
                    _start = _end = 0;
                }

                response = new PlainHttpResponse(status, body, body.Length == bodyLength, replyExpected, head.ContentType, head.HasSpecVersion, headers);
                return true;
            }
        }

        public async ValueTask<PlainHttpResponse> ReadResponseAsync(int limit, int? replyLimit, CancellationToken cancellationToken)
        {
            while (true)
            {
                int headEnd;
                while ((headEnd = HeadEnd()) < 0)
                {
                    Received(await ReceiveAsync(cancellationToken).ConfigureAwait(false));
                }

                var status = ParseStatus(_buffer.AsSpan(_start, headEnd - _start));
                var replyExpected = replyLimit is not null && status is >= 200 and < 300 and not 202;
                var head = ParseHead(_buffer.AsSpan(_start, headEnd - _start), status);
                var headers = replyExpected && (head.ContentLength != 0 || CloudEventParser.LooksLikeCloudEvent(head.HasSpecVersion, head.ContentType))
                    ? Headers(_buffer.AsSpan(_start, headEnd - _start)) // a reply may come: listed before the body's bytes reuse the buffer
                    : null;
                _start = headEnd;
                if (head.Status is >= 100 and < 200)
                {
                    if (head.Status == 101)
                    {
                        throw new HttpRequestException("the server switched protocols (101)");
                    }

                    continue; // 100 Continue, 103 Early Hints: the final response follows
                }

                var max = replyExpected ? replyLimit!.Value : limit;
                var (body, complete, framed) = head.Status is 204 or 304 ? ([], true, true)
                    : head.Chunked ? await ReadChunkedAsync(max, cancellationToken).ConfigureAwait(false)
                    : head.ContentLength is { } length ? await ReadLengthAsync(length, max, cancellationToken).ConfigureAwait(false)
                    : await ReadToEndAsync(max, cancellationToken).ConfigureAwait(false);
                Reusable = framed && head.KeepAlive && _start == _end;
                return new PlainHttpResponse(head.Status, body, complete, replyExpected, head.ContentType, head.HasSpecVersion, headers);
            }
        }

        public void Dispose()
        {
            Reusable = false;
            socket.Dispose();
        }

        // The index just past "\r\n\r\n" after _start, else -1.
        private int HeadEnd()
        {
            var found = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8);
            if (found >= 0)
            {
                return _start + found + 4;
            }

            if (_end - _start >= MaxHeadBytes)
            {
                throw new HttpRequestException($"the response headers are larger than {MaxHeadBytes} bytes");
            }

            return -1;
        }

        // Room after _end for the next read: the buffer compacted or, when nothing can move, grown.
        private Memory<byte> FreeSpace()
        {
            if (_end == _buffer.Length)
            {
                if (_start > 0)
                {
                    _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                    _end -= _start;
                    _start = 0;
                }
                else
                {
                    Array.Resize(ref _buffer, _buffer.Length * 2);
                }
            }

            return _buffer.AsMemory(_end);
        }
    }
}
