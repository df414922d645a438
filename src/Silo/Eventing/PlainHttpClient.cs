using System.Buffers;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using Knative.Orleans.Contracts.Eventing;

namespace Knative.Orleans.Silo.Eventing;

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
internal sealed partial class PlainHttpClient : IDisposable
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
    private readonly ConcurrentDictionary<(Uri Target, string? Host), PlainHttpEndpoint?> _endpoints = new();
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
    public async ValueTask<PlainHttpResponse> PostAsync(PlainHttpEndpoint endpoint, ReadOnlyMemory<byte> headerLines, ReadOnlyMemory<byte> moreHeaderLines,
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
    private static async ValueTask SendRequestAsync(Connection connection, PlainHttpEndpoint endpoint, ReadOnlyMemory<byte> headerLines,
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
    public PlainHttpEndpoint? EndpointFor(Uri target, string? host)
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

    private static PlainHttpEndpoint? NewEndpoint(Uri target, string? host)
    {
        var authority = host ?? (target.IsAbsoluteUri ? target.Authority : "");
        if (!target.IsAbsoluteUri || target.Scheme != Uri.UriSchemeHttp || !string.IsNullOrEmpty(target.UserInfo) || authority.Length == 0
            || !OutgoingHttpEvent.IsPlainHeaderText(target.PathAndQuery) || !OutgoingHttpEvent.IsPlainHeaderText(authority))
        {
            return null;
        }

        var prefix = Encoding.ASCII.GetBytes($"POST {target.PathAndQuery} HTTP/1.1\r\nHost: {authority}\r\nContent-Length: ");
        return new PlainHttpEndpoint(target.IdnHost, target.Port, prefix);
    }
}
