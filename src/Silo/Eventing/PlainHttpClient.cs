using System.Buffers;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Knative.Orleans.Contracts.Eventing;

namespace Knative.Orleans.Silo.Eventing;

/// <summary>What a delivery needs of a response.</summary>
/// <param name="StatusCode">The final status (1xx skipped).</param>
/// <param name="Body">The body, cut at the limit the request asked for.</param>
/// <param name="Complete">Whether <paramref name="Body"/> is the whole body.</param>
/// <param name="ReplyExpected">Whether the reply limit applied (a 2xx other than 202 to a request that takes replies).</param>
/// <param name="ContentType">The <c>Content-Type</c> as received.</param>
/// <param name="HasSpecVersion">Whether a <c>ce-specversion</c> header came.</param>
/// <param name="Headers">Every header (first value per name), when asked for.</param>
internal sealed record PlainHttpResponse(int StatusCode, byte[] Body, bool Complete, bool ReplyExpected, string? ContentType, bool HasSpecVersion,
    List<KeyValuePair<string, string?>>? Headers);

/// <summary>Where to connect (connections are pooled per host and port) and the request's first lines, for one target (<see cref="PlainHttpClient.EndpointFor"/>).</summary>
/// <param name="Host">The host to connect to.</param>
/// <param name="Port">The port.</param>
/// <param name="RequestPrefix">The request line, <c>Host</c>, and <c>Content-Length: </c> (its value follows).</param>
internal sealed record Endpoint(string Host, int Port, byte[] RequestPrefix)
{
    /// <summary>The connection pool's key.</summary>
    public (string Host, int Port) Key { get; } = (Host, Port);
}

/// <summary>
/// A small HTTP/1.1 client for event deliveries over plain <c>http</c>: one POST per event on pooled keep-alive
/// connections, the event's header lines written once per event and shared by every delivery of it
/// (<see cref="OutgoingHttpEvent.HeaderLines"/>). It exists because SocketsHttpHandler's request, header
/// and content objects per request were the largest share of the silo's allocations and a large share of its CPU per
/// delivery with many triggers (bench/README.md). <see cref="HttpEventDispatcher"/> sends everything else (https, headers
/// that need encoding) through HttpClient.
/// </summary>
/// <remarks>
/// Responses: status line and headers up to <see cref="MaxHeadBytes"/>, 1xx skipped, bodies framed by
/// <c>Content-Length</c>, <c>chunked</c> or the end of the connection. A connection is reused only after a complete
/// HTTP/1.1 response without <c>Connection: close</c>; what is left of a body beyond the caller's limit is read and
/// dropped up to <see cref="MaxDrainBytes"/>, else the connection is closed. Idle connections are dropped after
/// <see cref="IdleTimeout"/> and every connection after <see cref="Lifetime"/> (as the handler before it: DNS changes are
/// picked up); one the server closed while idle is noticed before use, and a request that fails on a reused connection
/// before any byte of a response arrived is sent once more on a new one (as SocketsHttpHandler does). No redirects, no
/// cookies, no proxy. Cancelling the token aborts the exchange and closes its connection.
/// </remarks>
internal sealed class PlainHttpClient : IDisposable
{
    /// <summary>Longest status line plus headers accepted.</summary>
    public const int MaxHeadBytes = 64 * 1024;

    /// <summary>Most body bytes beyond the caller's limit read to keep a connection.</summary>
    public const int MaxDrainBytes = 64 * 1024;

    /// <summary>How long a connection may sit idle in the pool.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How long a connection is used at most.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    // Idle connections per host and port, most recently used on top (a lock and an array stack: nothing allocated per
    // request, unlike ConcurrentStack's node per push). As many as were ever in flight at once, like SocketsHttpHandler's.
    private readonly ConcurrentDictionary<(string Host, int Port), Stack<Connection>> _idle = new();
    private readonly ConcurrentDictionary<(Uri Target, string? Host), Endpoint?> _endpoints = new();
    private readonly TimeProvider _time;
    private readonly ITimer _scavenger;
    private volatile bool _disposed;
    private int _opened;

    /// <summary>A client; <paramref name="time"/> drives idle and lifetime checks.</summary>
    public PlainHttpClient(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _scavenger = _time.CreateTimer(_ => Scavenge(), null, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30));
    }

    /// <summary>Connections opened so far (tests: reuse).</summary>
    public int Opened => _opened;

    /// <summary>
    /// POSTs <paramref name="body"/> to <paramref name="endpoint"/> (<see cref="EndpointFor"/>) with its
    /// <c>Content-Length</c>, then <paramref name="headerLines"/> and <paramref name="moreHeaderLines"/> (complete
    /// <c>name: value\r\n</c> lines, ASCII), and reads the response: at most <paramref name="limit"/> body bytes, or
    /// <paramref name="replyLimit"/> (and every header) for a 2xx other than 202 when one is given (a reply may come).
    /// </summary>
    /// <exception cref="HttpRequestException">No connection, or a response that is not HTTP/1.x.</exception>
    /// <exception cref="IOException">The connection failed or closed early.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask<PlainHttpResponse> PostAsync(Endpoint endpoint, ReadOnlyMemory<byte> headerLines, ReadOnlyMemory<byte> moreHeaderLines,
        byte[] body, int limit, int? replyLimit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(body);
        ObjectDisposedException.ThrowIf(_disposed, this);
        for (var attempt = 0; ; attempt++)
        {
            var connection = TakeIdle(endpoint) ?? await ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
            try
            {
                await SendRequestAsync(connection, endpoint, headerLines, moreHeaderLines, body, cancellationToken).ConfigureAwait(false);
                // Most answers are small and arrive whole: read and parsed here without another async method (and its
                // state machine); anything else (chunked, to the end, a large body) takes the general path.
                PlainHttpResponse? response;
                while (!connection.TryParseBuffered(limit, replyLimit, out response, out var general))
                {
                    if (general)
                    {
                        response = await connection.ReadResponseAsync(limit, replyLimit, cancellationToken).ConfigureAwait(false);
                        break;
                    }

                    connection.Received(await connection.ReceiveAsync(cancellationToken).ConfigureAwait(false));
                }

                if (connection.Reusable && !_disposed)
                {
                    Return(endpoint, connection);
                }
                else
                {
                    connection.Dispose();
                }

                return response;
            }
            catch (Exception e) when (connection.Reused && !connection.ResponseStarted && attempt == 0 && e is IOException or SocketException
                && !cancellationToken.IsCancellationRequested)
            {
                connection.Dispose(); // closed by the server while idle: once more on a new connection
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _disposed = true;
        _scavenger.Dispose();
        foreach (var stack in _idle.Values)
        {
            lock (stack)
            {
                while (stack.TryPop(out var connection))
                {
                    connection.Dispose();
                }
            }
        }
    }

    // The request head (and a body up to 16 KiB) in one pooled buffer and one send; the buffer goes back to the pool as
    // soon as it is sent (held across the whole exchange, hundreds in flight emptied the pool and it allocated).
    private static async ValueTask SendRequestAsync(Connection connection, Endpoint endpoint, ReadOnlyMemory<byte> headerLines,
        ReadOnlyMemory<byte> moreHeaderLines, byte[] body, CancellationToken cancellationToken)
    {
        var bodySeparate = body.Length > 16 * 1024;
        var buffer = ArrayPool<byte>.Shared.Rent(endpoint.RequestPrefix.Length + 11 + 2 + headerLines.Length + moreHeaderLines.Length + 2
            + (bodySeparate ? 0 : body.Length));
        try
        {
            var span = buffer.AsSpan();
            endpoint.RequestPrefix.CopyTo(span);
            var at = endpoint.RequestPrefix.Length;
            Utf8Formatter.TryFormat(body.Length, span[at..], out var written);
            at += written;
            "\r\n"u8.CopyTo(span[at..]);
            at += 2;
            headerLines.Span.CopyTo(span[at..]);
            at += headerLines.Length;
            moreHeaderLines.Span.CopyTo(span[at..]);
            at += moreHeaderLines.Length;
            "\r\n"u8.CopyTo(span[at..]);
            at += 2;
            if (!bodySeparate)
            {
                body.CopyTo(span[at..]);
                at += body.Length;
            }

            await connection.SendAsync(buffer.AsMemory(0, at), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (bodySeparate)
        {
            await connection.SendAsync(body, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Where and how to send to <paramref name="target"/> with <c>Host: <paramref name="host"/></c> (its authority when
    /// null); null when this client cannot: not plain <c>http</c>, user info, or a path or host that is not plain ASCII.
    /// Kept per target and host, the answer included (a trigger sends every event to the same one); cleared past 4,096.
    /// </summary>
    public Endpoint? EndpointFor(Uri target, string? host)
    {
        ArgumentNullException.ThrowIfNull(target);
        var key = (target, host);
        if (_endpoints.TryGetValue(key, out var endpoint))
        {
            return endpoint;
        }

        if (_endpoints.Count >= 4096)
        {
            _endpoints.Clear();
        }

        return _endpoints.GetOrAdd(key, static key => NewEndpoint(key.Target, key.Host));
    }

    private static Endpoint? NewEndpoint(Uri target, string? host)
    {
        var authority = host ?? (target.IsAbsoluteUri ? target.Authority : "");
        if (!target.IsAbsoluteUri || target.Scheme != Uri.UriSchemeHttp || !string.IsNullOrEmpty(target.UserInfo) || authority.Length == 0
            || !OutgoingHttpEvent.IsPlainHeaderText(target.PathAndQuery) || !OutgoingHttpEvent.IsPlainHeaderText(authority))
        {
            return null;
        }

        var prefix = Encoding.ASCII.GetBytes($"POST {target.PathAndQuery} HTTP/1.1\r\nHost: {authority}\r\nContent-Length: ");
        return new Endpoint(target.IdnHost, target.Port, prefix);
    }

    private Connection? TakeIdle(Endpoint endpoint)
    {
        if (!_idle.TryGetValue(endpoint.Key, out var stack))
        {
            return null;
        }

        var now = _time.GetTimestamp();
        while (true)
        {
            Connection? connection;
            lock (stack)
            {
                if (!stack.TryPop(out connection))
                {
                    return null;
                }
            }

            if (Fresh(connection, now) && connection.StillOpen())
            {
                connection.Reused = true;
                return connection;
            }

            connection.Dispose();
        }
    }

    private void Return(Endpoint endpoint, Connection connection)
    {
        var stack = _idle.GetOrAdd(endpoint.Key, static _ => new Stack<Connection>());
        connection.IdleSince = _time.GetTimestamp();
        lock (stack)
        {
            stack.Push(connection);
        }
    }

    private bool Fresh(Connection connection, long now) =>
        _time.GetElapsedTime(connection.IdleSince, now) < IdleTimeout && _time.GetElapsedTime(connection.Opened, now) < Lifetime;

    private void Scavenge()
    {
        var now = _time.GetTimestamp();
        foreach (var stack in _idle.Values)
        {
            Connection[] idle;
            lock (stack)
            {
                idle = stack.ToArray(); // top first
                stack.Clear();
                for (var i = idle.Length - 1; i >= 0; i--)
                {
                    if (Fresh(idle[i], now))
                    {
                        stack.Push(idle[i]); // the most recently used back on top
                    }
                }
            }

            foreach (var connection in idle)
            {
                if (!Fresh(connection, now))
                {
                    connection.Dispose();
                }
            }
        }
    }

    private async Task<Connection> ConnectAsync(Endpoint endpoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (IPAddress.TryParse(endpoint.Host, out var address))
            {
                await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await socket.ConnectAsync(new DnsEndPoint(endpoint.Host, endpoint.Port), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new HttpRequestException($"{e.Message} ({endpoint.Host}:{endpoint.Port})", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        Interlocked.Increment(ref _opened);
        return new Connection(socket, _time.GetTimestamp());
    }

    /// <summary>One keep-alive connection: a socket and the bytes received but not yet used.</summary>
    private sealed class Connection(Socket socket, long opened) : IDisposable
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

        private async ValueTask<(byte[] Body, bool Complete, bool Framed)> ReadLengthAsync(long length, int limit, CancellationToken cancellationToken)
        {
            var body = length == 0 ? [] : new byte[Math.Min(length, limit)];
            var filled = 0;
            while (filled < body.Length)
            {
                var chunk = await TakeAsync(body.Length - filled, cancellationToken).ConfigureAwait(false);
                if (chunk.IsEmpty)
                {
                    throw new IOException("the server closed the connection in the middle of the response body");
                }

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
                var chunk = await TakeAsync(left, cancellationToken).ConfigureAwait(false);
                if (chunk.IsEmpty)
                {
                    throw new IOException("the server closed the connection in the middle of the response body");
                }

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
                    var chunk = await TakeAsync(left, cancellationToken).ConfigureAwait(false);
                    if (chunk.IsEmpty)
                    {
                        throw new IOException("the server closed the connection in the middle of the response body");
                    }

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

    /// <summary>A response head: <paramref name="ContentLength"/> null and not <paramref name="Chunked"/> means the body runs to the end of the connection.</summary>
    private readonly record struct Head(int Status, long? ContentLength, bool Chunked, bool KeepAlive, string? ContentType, bool HasSpecVersion);

    /// <summary>Every header of a response head, first value per name (a reply needs them; listed only then).</summary>
    private static List<KeyValuePair<string, string?>> Headers(ReadOnlySpan<byte> head)
    {
        var headers = new List<KeyValuePair<string, string?>>();
        var rest = head[(head.IndexOf("\r\n"u8) + 2)..];
        while (NextHeader(ref rest, out var name, out var value))
        {
            var key = Encoding.Latin1.GetString(name);
            if (!headers.Exists(h => string.Equals(h.Key, key, StringComparison.OrdinalIgnoreCase)))
            {
                headers.Add(KeyValuePair.Create(key, (string?)Encoding.Latin1.GetString(value)));
            }
        }

        return headers;
    }

    // The next "name: value" line of a head (value trimmed); false at the empty line that ends it.
    private static bool NextHeader(ref ReadOnlySpan<byte> rest, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        var end = rest.IndexOf("\r\n"u8);
        var line = rest[..end];
        rest = rest[(end + 2)..];
        if (line.IsEmpty)
        {
            name = value = default;
            return false;
        }

        var colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            throw new HttpRequestException("the response has a malformed header line");
        }

        name = line[..colon];
        value = line[(colon + 1)..].Trim(" \t"u8);
        return true;
    }

    private static int ParseStatus(ReadOnlySpan<byte> head)
    {
        var statusLine = head[..head.IndexOf("\r\n"u8)];
        if (statusLine.Length < 12 || !statusLine.StartsWith("HTTP/1."u8) || statusLine[8] != (byte)' '
            || !Utf8Parser.TryParse(statusLine.Slice(9, 3), out int status, out var consumed) || consumed != 3 || status < 100
            || (statusLine.Length > 12 && statusLine[12] != (byte)' '))
        {
            throw new HttpRequestException("the response is not HTTP/1.x: " + Encoding.Latin1.GetString(statusLine[..Math.Min(statusLine.Length, 64)]));
        }

        return status;
    }

    private static Head ParseHead(ReadOnlySpan<byte> head, int status)
    {
        var keepAlive = head[7] == (byte)'1'; // HTTP/1.0 connections are not kept
        long? contentLength = null;
        var chunked = false;
        var encoded = false;
        string? contentType = null;
        var hasSpecVersion = false;
        var rest = head[(head.IndexOf("\r\n"u8) + 2)..];
        while (NextHeader(ref rest, out var name, out var value))
        {
            if (Ascii.EqualsIgnoreCase(name, "content-length"u8))
            {
                if (!Utf8Parser.TryParse(value, out long length, out var used) || used != value.Length || length < 0
                    || (contentLength is { } earlier && earlier != length))
                {
                    throw new HttpRequestException("the response has an invalid Content-Length");
                }

                contentLength = length;
            }
            else if (Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8))
            {
                encoded = true; // without chunked last, the body runs to the end of the connection (RFC 9112 §6.3)
                chunked = Ascii.EqualsIgnoreCase(LastToken(value), "chunked"u8);
            }
            else if (Ascii.EqualsIgnoreCase(name, "connection"u8))
            {
                keepAlive &= !ContainsToken(value, "close"u8);
            }
            else if (Ascii.EqualsIgnoreCase(name, "content-type"u8))
            {
                contentType ??= Encoding.Latin1.GetString(value);
            }
            else if (Ascii.EqualsIgnoreCase(name, "ce-specversion"u8))
            {
                hasSpecVersion = true;
            }
        }

        return new Head(status, encoded ? null : contentLength, chunked, keepAlive, contentType, hasSpecVersion);
    }

    private static ReadOnlySpan<byte> LastToken(ReadOnlySpan<byte> value)
    {
        var comma = value.LastIndexOf((byte)',');
        return (comma >= 0 ? value[(comma + 1)..] : value).Trim(" \t"u8);
    }

    private static bool ContainsToken(ReadOnlySpan<byte> value, ReadOnlySpan<byte> token)
    {
        foreach (var range in value.Split((byte)','))
        {
            if (Ascii.EqualsIgnoreCase(value[range].Trim(" \t"u8), token))
            {
                return true;
            }
        }

        return false;
    }
}
