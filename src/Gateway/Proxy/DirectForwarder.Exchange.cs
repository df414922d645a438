using System.Buffers;
using System.Buffers.Text;
using System.Collections.Frozen;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using Knative.Orleans.Gateway.Throttling;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Yarp.ReverseProxy.Forwarder;

namespace Knative.Orleans.Gateway.Proxy;

public sealed partial class DirectForwarder
{
    // Hop-by-hop (RFC 9110 §7.6.1 and the obsolete ones YARP also drops), plus what the gateway sets itself.
    private static readonly FrozenSet<string> SkippedRequestHeaders = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
    [
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer",
        "Transfer-Encoding", "Upgrade", "Close", "HTTP2-Settings",
        .. ForwardingHeaders.PlatformHeaders, .. ForwardingHeaders.Replaced,
    ]);

    // Hop-by-hop, plus Content-Length (set as a number) and Alt-Svc (the gateway's protocols are not the instance's).
    private static readonly FrozenSet<string> SkippedResponseHeaders = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
    [
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "TE", "Trailer", "Transfer-Encoding",
        "Upgrade", "Close", "Content-Length", "Alt-Svc",
    ]);

    // Response header names seen often enough to be worth not allocating (the canonical spelling is used; names are
    // case-insensitive and Kestrel writes known ones in its own spelling anyway).
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> KnownResponseHeaders = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        [
            "Accept-Ranges", "Age", "Cache-Control", "Content-Encoding", "Content-Language", "Content-Location",
            "Content-Range", "Content-Type", "Date", "ETag", "Expires", "Last-Modified", "Location", "Server",
            "Set-Cookie", "Vary", "X-Content-Type-Options", "Access-Control-Allow-Origin", "Strict-Transport-Security",
        ]).GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();

    // tchar (RFC 9110 §5.6.2): what a header name is made of.
    private static readonly SearchValues<byte> TokenChars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    private enum BodyKind
    {
        None,
        Length,
        Chunked,
        UntilClose,
    }

    /// <summary>The client went away while the response was being written.</summary>
    private sealed class ClientGoneException : IOException
    {
        public ClientGoneException()
            : base("the client is gone")
        {
        }
    }

    /// <summary>One request and its response over one connection.</summary>
    private sealed class Exchange(HttpContext context, Connection connection, RequestTimers timers)
    {
        private bool _received;  // a byte of a response arrived
        private bool _responding; // the response's status and headers were applied to the client's response
        private bool _unflushed;  // body bytes were written to the client's pipe since the last flush

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        public async ValueTask<Outcome> RunAsync()
        {
            Outcome outcome;
            var onTimer = timers.Token.UnsafeRegister(static c => ((Connection)c!).Abort(), connection);
            var onClient = context.RequestAborted.UnsafeRegister(static c => ((Connection)c!).Abort(), connection);
            try
            {
                outcome = await ExchangeAsync();
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidDataException or OperationCanceledException)
            {
                outcome = Failed(e);
            }
            finally
            {
                // Dispose waits for a callback that is running: after this the connection is aborted or stays open.
                onTimer.Dispose();
                onClient.Dispose();
            }

            return connection.Aborted ? outcome with { Reusable = false } : outcome;
        }

        private Outcome Failed(Exception e)
        {
            if (e is ClientGoneException || context.RequestAborted.IsCancellationRequested)
            {
                return new Outcome(_responding ? ForwarderError.ResponseBodyClient : ForwarderError.RequestCanceled, e, false, false);
            }

            return _responding
                ? new Outcome(ForwarderError.ResponseBodyDestination, e, false, false)
                : new Outcome(ForwarderError.Request, e, false, Stale: !_received && e is IOException or SocketException);
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private async ValueTask<Outcome> ExchangeAsync()
        {
            WriteRequestHead();
            await connection.Socket.SendAsync(connection.Head.AsMemory(0, connection.HeadLength), SocketFlags.None);

            var isHead = HttpMethods.IsHead(context.Request.Method);
            int headLength;
            int status;
            bool http10;
            while (true)
            {
                headLength = await ReadHeadAsync();
                status = ParseStatus(connection.Buffer.AsSpan(connection.Start, headLength), out http10);
                if (status is >= 200 or 101)
                {
                    break;
                }

                connection.Start += headLength; // 1xx interim (100, 102, 103): not passed on over HTTP/1.1
            }

            if (status == 101)
            {
                throw new InvalidDataException("the instance switched protocols on a request that asked for no upgrade");
            }

            var head = connection.Buffer.AsSpan(connection.Start, headLength);
            var (kind, contentLength, keepAlive, named) = ParseHeaders(head, http10, isHead || status is 204 or 304);
            if (!timers.MarkResponseStarted())
            {
                return new Outcome(ForwarderError.Request, null, false, false); // a timer fired first: the caller answers it
            }

            try
            {
                ApplyHead(head, status, kind == BodyKind.Length || isHead ? contentLength : null, named);
            }
            catch (InvalidOperationException e)
            {
                // Kestrel refuses a header value it cannot send (non-ASCII or control characters).
                throw new InvalidDataException("the instance sent a response header the gateway cannot pass on: " + e.Message, e);
            }

            _responding = true;
            connection.Start += headLength;

            var complete = kind switch
            {
                BodyKind.Length => await CopyLengthAsync(contentLength!.Value),
                BodyKind.Chunked => await CopyChunkedAsync(),
                BodyKind.UntilClose => await CopyUntilCloseAsync(),
                _ => true,
            };

            // Bytes advanced in a PipeWriter are sent only by a flush; Kestrel flushes at the end of a response only
            // when it has not started yet, so the tail of a body that arrived after a flush would wait for the next
            // response on the same client connection.
            if (_unflushed)
            {
                await FlushToClientAsync();
            }

            return Outcome.Done(complete && keepAlive && connection.Buffered == 0);
        }

        private void WriteRequestHead()
        {
            var request = context.Request;
            connection.HeadLength = 0;
            connection.AppendHead(request.Method);
            connection.AppendHead(" "u8);
            var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
            connection.AppendHead(rawTarget is ['/', ..] ? rawTarget : request.Path.ToUriComponent() + request.QueryString.ToUriComponent());
            connection.AppendHead(" HTTP/1.1\r\n"u8);

            var headers = request.Headers;
            var named = headers.Connection is { Count: > 0 } connectionHeader ? ConnectionTokens(connectionHeader) : null;
            foreach (var (name, values) in headers)
            {
                if (SkippedRequestHeaders.Contains(name) || named?.Contains(name) == true)
                {
                    continue;
                }

                foreach (var value in values)
                {
                    AppendHeader(name, value);
                }
            }

            var forwarding = ForwardingHeaders.Of(context);
            if (forwarding.XForwardedFor is { } forwardedFor)
            {
                AppendHeader(ForwardingHeaders.XForwardedForName, forwardedFor);
            }

            AppendHeader(ForwardingHeaders.XForwardedProtoName, forwarding.XForwardedProto);
            if (forwarding.XForwardedHost is { } forwardedHost)
            {
                AppendHeader(ForwardingHeaders.XForwardedHostName, forwardedHost);
            }

            if (forwarding.Forwarded is { } forwarded)
            {
                AppendHeader(ForwardingHeaders.ForwardedName, forwarded);
            }

            connection.AppendHead("\r\n"u8);
        }

        private void AppendHeader(string name, string? value)
        {
            connection.AppendHead(name);
            connection.AppendHead(": "u8);
            connection.AppendHead(value ?? string.Empty);
            connection.AppendHead("\r\n"u8);
        }

        // Reads until the buffer holds a whole response head; returns its length including the blank line.
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private async ValueTask<int> ReadHeadAsync()
        {
            var searched = 0;
            while (true)
            {
                var buffered = connection.Buffer.AsSpan(connection.Start, connection.Buffered);
                var end = buffered[searched..].IndexOf(HeadEnd);
                if (end >= 0)
                {
                    return searched + end + HeadEnd.Length;
                }

                searched = Math.Max(0, buffered.Length - (HeadEnd.Length - 1));
                var read = await connection.Socket.ReceiveAsync(connection.FreeSpace(MaxResponseHeadBytes), SocketFlags.None);
                connection.End += read;
                if (read == 0)
                {
                    throw new IOException(_received
                        ? "the instance closed the connection in the middle of its response head"
                        : "the instance closed the connection without answering");
                }

                _received = true; // offsets are from Start, which compaction moves along with the bytes
            }
        }

        private static int ParseStatus(ReadOnlySpan<byte> head, out bool http10)
        {
            // HTTP/1.x SP 3DIGIT [SP reason] CRLF
            var line = head[..head.IndexOf("\r\n"u8)];
            if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || line[7] is not ((byte)'0' or (byte)'1') || line[8] != ' '
                || !Utf8Parser.TryParse(line.Slice(9, 3), out int status, out var consumed) || consumed != 3 || status < 100
                || (line.Length > 12 && line[12] != ' '))
            {
                throw new InvalidDataException("the instance sent a malformed status line");
            }

            http10 = line[7] == '0';
            return status;
        }

        // The reason phrase of a status line ParseStatus accepted ("HTTP/1.1 200 OK": "OK"), possibly empty.
        private static ReadOnlySpan<byte> ReasonOf(ReadOnlySpan<byte> head)
        {
            var line = head[..head.IndexOf("\r\n"u8)];
            return line.Length > 13 ? line[13..] : default;
        }

        // Reads the framing headers and notes where the others are. Returns the body's kind and length, whether the
        // connection stays open afterwards (RFC 9112 §6.3 and §9.3), and the headers the Connection header names (hop-by-hop).
        private (BodyKind Kind, long? ContentLength, bool KeepAlive, HashSet<string>? Named) ParseHeaders(ReadOnlySpan<byte> head, bool http10, bool bodiless)
        {
            HashSet<string>? named = null;
            var ranges = connection.HeaderRanges;
            ranges.Clear();
            long? contentLength = null;
            var chunked = false;
            var transferEncoding = false;
            bool? keepAlive = null;
            var lineStart = head.IndexOf("\r\n"u8) + 2;
            while (lineStart < head.Length - 2)
            {
                var lineLength = head[lineStart..].IndexOf("\r\n"u8);
                var line = head.Slice(lineStart, lineLength);
                var colon = line.IndexOf((byte)':');
                if (colon <= 0 || line[..colon].IndexOfAnyExcept(TokenChars) >= 0)
                {
                    throw new InvalidDataException("the instance sent a malformed header line");
                }

                var name = line[..colon];
                var value = line[(colon + 1)..].Trim(" \t"u8);
                var valueStart = lineStart + colon + 1 + line[(colon + 1)..].IndexOfAnyExcept(" \t"u8);
                if (value.IsEmpty)
                {
                    valueStart = lineStart + lineLength;
                }

                if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
                {
                    foreach (var range in value.Split((byte)','))
                    {
                        var number = value[range].Trim(" \t"u8);
                        if (!Utf8Parser.TryParse(number, out long parsed, out var used) || used != number.Length
                            || parsed < 0 || (contentLength is { } seen && seen != parsed))
                        {
                            throw new InvalidDataException("the instance sent an invalid Content-Length");
                        }

                        contentLength = parsed;
                    }
                }
                else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
                {
                    transferEncoding = true;
                    var last = value.LastIndexOf((byte)',');
                    chunked = Ascii.EqualsIgnoreCase(value[(last + 1)..].Trim(" \t"u8), "chunked"u8);
                }
                else if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
                {
                    foreach (var range in value.Split((byte)','))
                    {
                        var token = value[range].Trim(" \t"u8);
                        if (Ascii.EqualsIgnoreCase(token, "close"u8))
                        {
                            keepAlive = false;
                        }
                        else if (Ascii.EqualsIgnoreCase(token, "keep-alive"u8))
                        {
                            keepAlive ??= true;
                        }
                        else if (!token.IsEmpty)
                        {
                            (named ??= new HashSet<string>(StringComparer.OrdinalIgnoreCase)).Add(Encoding.Latin1.GetString(token));
                        }
                    }
                }

                ranges.Add((lineStart, colon, valueStart, value.Length));
                lineStart += lineLength + 2;
            }

            var open = keepAlive ?? !http10;
            if (bodiless)
            {
                return (BodyKind.None, contentLength, open, named);
            }

            if (transferEncoding)
            {
                // Transfer-Encoding wins over Content-Length; a response with both is not trusted with the connection.
                return (chunked ? BodyKind.Chunked : BodyKind.UntilClose, null, open && chunked && contentLength is null, named);
            }

            return contentLength is not null ? (BodyKind.Length, contentLength, open, named) : (BodyKind.UntilClose, null, false, named);
        }

        private void ApplyHead(ReadOnlySpan<byte> head, int status, long? contentLength, HashSet<string>? named)
        {
            var response = context.Response;
            response.StatusCode = status;
            var reason = ReasonOf(head);
            var standard = ReasonPhrases.GetReasonPhrase(status);
            if (!reason.IsEmpty && !Ascii.Equals(reason, standard))
            {
                context.Features.Get<IHttpResponseFeature>()!.ReasonPhrase = Encoding.Latin1.GetString(reason);
            }

            var headers = response.Headers;
            Span<char> chars = stackalloc char[64];
            foreach (var (nameStart, nameLength, valueStart, valueLength) in connection.HeaderRanges)
            {
                var nameBytes = head.Slice(nameStart, nameLength);
                string name;
                if (nameLength <= chars.Length && Encoding.Latin1.GetChars(nameBytes, chars) is var count
                    && KnownResponseHeaders.TryGetValue(chars[..count], out var known))
                {
                    name = known;
                }
                else
                {
                    name = Encoding.Latin1.GetString(nameBytes);
                }

                if (SkippedResponseHeaders.Contains(name) || named?.Contains(name) == true)
                {
                    continue;
                }

                headers.Append(name, Encoding.Latin1.GetString(head.Slice(valueStart, valueLength)));
            }

            if (contentLength is { } length)
            {
                response.ContentLength = length;
            }
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private async ValueTask<bool> CopyLengthAsync(long remaining)
        {
            while (remaining > 0)
            {
                if (connection.Buffered == 0 && !await ReceiveBodyAsync())
                {
                    throw new IOException($"the instance closed the connection {remaining} bytes before the end of its response body");
                }

                var take = (int)Math.Min(connection.Buffered, remaining);
                Write(connection.Buffer.AsSpan(connection.Start, take));
                connection.Start += take;
                remaining -= take;
            }

            return true;
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private async ValueTask<bool> CopyUntilCloseAsync()
        {
            do
            {
                Write(connection.Buffer.AsSpan(connection.Start, connection.Buffered));
                connection.Start = connection.End;
            }
            while (await ReceiveBodyAsync());

            return false; // the end of the body is the end of the connection
        }

        // chunk = size [;ext] CRLF data CRLF; last-chunk = 0 [;ext] CRLF; then trailer lines and CRLF (dropped: HTTP/1.1
        // responses from Kestrel cannot carry trailers).
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private async ValueTask<bool> CopyChunkedAsync()
        {
            while (true)
            {
                var size = ChunkSize((await ReadLineAsync()).Span);
                if (size == 0)
                {
                    while (!(await ReadLineAsync()).IsEmpty)
                    {
                        // a trailer field
                    }

                    return true;
                }

                await CopyLengthAsync(size);
                if (!(await ReadLineAsync()).IsEmpty)
                {
                    throw new InvalidDataException("the instance sent a chunk longer than its size");
                }
            }
        }

        private static long ChunkSize(ReadOnlySpan<byte> line)
        {
            var semicolon = line.IndexOf((byte)';');
            var text = line[..(semicolon >= 0 ? semicolon : line.Length)].Trim(" \t"u8);
            if (!Utf8Parser.TryParse(text, out long size, out var used, 'x') || used != text.Length || size < 0)
            {
                throw new InvalidDataException("the instance sent an invalid chunk size");
            }

            return size;
        }

        // The next CRLF-terminated line of the body framing, consumed; valid until the next read.
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private async ValueTask<ReadOnlyMemory<byte>> ReadLineAsync()
        {
            while (true)
            {
                var end = connection.Buffer.AsSpan(connection.Start, connection.Buffered).IndexOf("\r\n"u8);
                if (end >= 0)
                {
                    var line = connection.Buffer.AsMemory(connection.Start, end);
                    connection.Start += end + 2;
                    return line;
                }

                if (connection.Buffered > 4096)
                {
                    throw new InvalidDataException("the instance sent a chunk line or trailer longer than 4096 bytes");
                }

                if (!await ReceiveBodyAsync())
                {
                    throw new IOException("the instance closed the connection in the middle of a chunked body");
                }
            }
        }

        // Flushes what was written to the client (it sees what arrived so far), then reads more of the body.
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private async ValueTask<bool> ReceiveBodyAsync()
        {
            await FlushToClientAsync();
            var read = await connection.Socket.ReceiveAsync(connection.FreeSpace(connection.Buffer.Length), SocketFlags.None);
            connection.End += read;
            return read > 0;
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        private async ValueTask FlushToClientAsync()
        {
            _unflushed = false;
            var flushed = await context.Response.BodyWriter.FlushAsync();
            if (flushed.IsCompleted || flushed.IsCanceled)
            {
                throw new ClientGoneException();
            }
        }

        private void Write(ReadOnlySpan<byte> bytes)
        {
            if (!bytes.IsEmpty)
            {
                context.Response.BodyWriter.Write(bytes);
                _unflushed = true;
                timers.MarkActivity();
            }
        }

        private static HashSet<string> ConnectionTokens(Microsoft.Extensions.Primitives.StringValues values)
        {
            var tokens = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var value in values)
            {
                foreach (var token in (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    tokens.Add(token);
                }
            }

            return tokens;
        }
    }
}
