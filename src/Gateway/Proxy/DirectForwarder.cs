using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Knative.Orleans.Gateway.Throttling;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;

namespace Knative.Orleans.Gateway.Proxy;

/// <summary>
/// The gateway's own HTTP/1.1 forwarder for the plain requests that make up most traffic: an HTTP/1.x request without
/// a body, not an upgrade, to an instance that speaks HTTP/1.1. Everything else (request bodies, WebSockets and other
/// upgrades, HTTP/2 clients, h2c instances, <c>Expect</c>) goes through YARP as before.
/// </summary>
/// <remarks>
/// <para>
/// Why: YARP over <c>SocketsHttpHandler</c> costs about 20 µs per request on top of Kestrel here (bench/gateway:
/// "Where a .NET proxy can get on this machine"); this writes the request head once into a per-connection buffer,
/// parses the response head from the socket's bytes, and copies the body straight into Kestrel's response pipe.
/// </para>
/// <para>
/// What it keeps of the YARP path: the client's Host, headers (each value on its own line, as the client sent them),
/// method and raw target; the forwarding headers of <see cref="ForwardingHeaders"/>; hop-by-hop headers dropped both
/// ways (RFC 9110 §7.6.1, and every header the Connection header names); response bodies by Content-Length, chunked
/// (decoded; Kestrel re-frames) or until close, streamed: what arrived is flushed to the client before waiting for
/// more; 1xx interim responses skipped; no body for HEAD, 204 and 304. Response trailers are dropped, as Kestrel
/// cannot send them on HTTP/1.1 (YARP drops them there too).
/// </para>
/// <para>
/// Errors are YARP's <see cref="ForwarderError"/> values so that <see cref="RevisionProxy"/> maps them the same way:
/// a failed connect or a connection closed before any response byte is <see cref="ForwarderError.Request"/> (502, or
/// the one retry on another instance when the connect was refused); a malformed response head is
/// <see cref="ForwarderError.Request"/> too; a broken body after the response started aborts the client connection.
/// A pooled connection the instance closed while idle (keep-alive timeout) is detected by the failed exchange before
/// any response byte and the request is sent once more on a new connection, as <c>SocketsHttpHandler</c> does.
/// Timers (<see cref="RequestTimers"/>) and the client going away abort the instance connection; the caller reads
/// <see cref="RequestTimers.Fired"/> to tell a timeout from an error.
/// </para>
/// </remarks>
public sealed partial class DirectForwarder : IDisposable
{
    /// <summary>Longest response head accepted (status line and headers), as <c>SocketsHttpHandler</c>'s default.</summary>
    public const int MaxResponseHeadBytes = 64 * 1024;

    private readonly ConnectionPools _pools;

    /// <summary>Creates the forwarder; idle connections are closed after a minute (checked on <paramref name="timeProvider"/>'s clock).</summary>
    public DirectForwarder(TimeProvider timeProvider) => _pools = new ConnectionPools(timeProvider);

    /// <summary>Idle connections held for reuse, over all instances (tests and diagnostics).</summary>
    public int IdleConnections => _pools.IdleCount;

    /// <summary>True when <paramref name="context"/>'s request is one this forwarder handles (see the class remarks).</summary>
    /// <param name="context">The client's request.</param>
    /// <param name="http2Instance">True when the instance speaks h2c.</param>
    public static bool CanForward(HttpContext context, bool http2Instance)
    {
        var request = context.Request;
        if (http2Instance || !(HttpProtocol.IsHttp11(request.Protocol) || HttpProtocol.IsHttp10(request.Protocol)))
        {
            return false;
        }

        var bodiless = request.ContentLength is { } length
            ? length == 0
            : context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == false;
        return bodiless
            && context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest != true
            && !request.Headers.ContainsKey("Expect");
    }

    /// <summary>Forwards the request to the instance at <paramref name="address"/> and writes its response.</summary>
    /// <param name="context">The client's request; <see cref="CanForward"/> must have said yes.</param>
    /// <param name="address">The instance's base address, e.g. <c>http://127.0.0.1:41234</c>.</param>
    /// <param name="timers">The request's timers: marked at the response start and on every byte written to the client.</param>
    /// <returns>None, or the error and its exception.</returns>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<(ForwarderError Error, Exception? Exception)> SendAsync(HttpContext context, string address, RequestTimers timers)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(timers);
        var pool = _pools.For(address);
        var connection = pool.TryTake();
        var reused = connection is not null;
        while (true)
        {
            if (connection is null)
            {
                try
                {
                    connection = await pool.ConnectAsync(context.RequestAborted, timers.Token);
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
                {
                    return (context.RequestAborted.IsCancellationRequested ? ForwarderError.RequestCanceled : ForwarderError.Request, e);
                }
            }

            var exchange = new Exchange(context, connection, timers);
            var outcome = await exchange.RunAsync();
            if (outcome.Error == ForwarderError.None && outcome.Reusable)
            {
                pool.Return(connection);
            }
            else
            {
                connection.Dispose();
            }

            if (outcome.Stale && reused && timers.Fired == TimeoutKind.None && !context.RequestAborted.IsCancellationRequested)
            {
                // A kept-alive connection the instance had closed: nothing of the request was processed. Once more, fresh.
                connection = null;
                reused = false;
                continue;
            }

            return (outcome.Error, outcome.Exception);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _pools.Dispose();

    // The result of one exchange on one connection. Stale: it failed before any byte of a response arrived.
    private readonly record struct Outcome(ForwarderError Error, Exception? Exception, bool Reusable, bool Stale)
    {
        public static Outcome Done(bool reusable) => new(ForwarderError.None, null, reusable, false);
    }
}
