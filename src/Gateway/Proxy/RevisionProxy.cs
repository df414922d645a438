using System.Collections.Concurrent;
using System.Net.Sockets;
using Knative.Orleans.Gateway.Metrics;
using Knative.Orleans.Gateway.Routing;
using Knative.Orleans.Gateway.Throttling;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;
using Endpoint = Knative.Orleans.Contracts.Routing.Endpoint;

namespace Knative.Orleans.Gateway.Proxy;

/// <summary>
/// Sends one request to one instance of a revision through the revision's throttler (queued, and held through a cold
/// start, when no slot is free), under the revision's three timers.
/// </summary>
/// <remarks>
/// <para>
/// Every result maps to a status here (KNATIVE-NOTES §3): queue full → 503 <c>pending request queue full</c>; a timer
/// while queued or held → 504 <c>activator request timeout</c>; failed → 503 with the Ready message; missing → 503
/// <c>revision not found</c>. Once forwarded, a timer before the response start → 504 <c>request timeout</c>, after it
/// → the connection is aborted (HTTP/1.1 close without the final chunk, HTTP/2 RST) so the truncation is visible.
/// The response start is the instance's response headers or its 101; YARP passes headers on with the first body bytes,
/// so an instance that sent only headers before stalling shows up as a connection closed without a response (the
/// direct forwarder passes them on at once: the body then fails).
/// </para>
/// <para>
/// Plain requests (<see cref="DirectForwarder.CanForward"/>) go through <see cref="DirectForwarder"/> unless
/// <c>Gateway:Forwarder</c> is <c>Yarp</c>, the rest through YARP; both report YARP's <see cref="ForwarderError"/>.
/// A bodiless request whose connection is refused before any response byte (typically an instance that just stopped)
/// is retried once, after re-reading the revision's endpoints, preferring another instance. Other forwarding errors
/// become 502 before the response started and an aborted connection after.
/// </para>
/// </remarks>
public sealed partial class RevisionProxy(
    IHttpForwarder forwarder,
    HttpTransformer transformer,
    ProxyHttpClient client,
    DirectForwarder direct,
    IOptions<GatewayOptions> options,
    ThrottlerRegistry throttlers,
    IRoutingSource source,
    RouteCache cache,
    TimeProvider timeProvider,
    ILogger<RevisionProxy> logger)
{
    /// <summary>Body of the 503 when a revision's queue is full: Go's <c>http.Error</c> adds the newline.</summary>
    public const string QueueFullBody = "pending request queue full\n";

    private readonly ConcurrentDictionary<(int TimeoutSeconds, bool Http2), ForwarderRequestConfig> _configs = new();
    private readonly bool _direct = options.Value.DirectForwarding;

    /// <summary>Forwards <paramref name="context"/> to <paramref name="revisionKey"/> and writes the response.</summary>
    /// <param name="context">The client's request.</param>
    /// <param name="revisionKey"><c>{namespace}/{revision}</c>.</param>
    /// <param name="arrivalTimestamp">When the request arrived (<see cref="TimeProvider.GetTimestamp"/>); every timer counts from it.</param>
    /// <param name="lease">The request's in-flight count, ended (disposed) here when the request is done.</param>
    public async Task ForwardAsync(HttpContext context, string revisionKey, long arrivalTimestamp, InFlightLease lease = default)
    {
        using var counted = lease;
        using var timers = new RequestTimers(arrivalTimestamp, timeProvider);
        context.Features.Set(timers); // the transformer (ForwardingTransformer) marks the response start on it
        Endpoint? refused = null;
        var tracking = false;
        while (true)
        {
            var result = await throttlers.AcquireAsync(revisionKey, timers, refused, context.RequestAborted);
            if (result.Outcome != ThrottleOutcome.Acquired)
            {
                await WriteHoldFailureAsync(context, result);
                return;
            }

            var endpoint = result.Slot!.Endpoint;
            ForwarderError error;
            Exception? exception;
            using (result.Slot)
            {
                if (timers.Fired != TimeoutKind.None)
                {
                    // Fired between the slot being granted and now: the request never left the gateway.
                    await WriteHoldFailureAsync(context, ThrottleResult.TimedOut);
                    return;
                }

                var http2 = cache.TryGetEndpoints(revisionKey, out var endpoints) && endpoints.Http2;
                if (_direct && !tracking && DirectForwarder.CanForward(context, http2))
                {
                    (error, exception) = await direct.SendAsync(context, endpoint.Address, timers);
                }
                else
                {
                    tracking = tracking || TrackWorkloadBytes(context, timers);
                    var config = ConfigFor(timers.Timeouts.TimeoutSeconds, http2);
                    error = await forwarder.SendAsync(context, endpoint.Address, client.Invoker, config, transformer, timers.Token);
                    exception = error == ForwarderError.None ? null : context.Features.Get<IForwarderErrorFeature>()?.Exception;
                }
            }

            if (error == ForwarderError.None)
            {
                return;
            }

            if (timers.Fired is var fired and not TimeoutKind.None)
            {
                await WriteTimeoutAsync(context, revisionKey, endpoint, fired, timers.ResponseStarted);
                return;
            }

            if (refused is null && CanRetry(context, error, exception))
            {
                Log.RetryingRefused(logger, revisionKey, endpoint.Address, exception);
                refused = endpoint;
                context.Response.Clear();
                context.Features.Set<IForwarderErrorFeature>(null);
                await RefreshEndpointsAsync(revisionKey);
                continue;
            }

            await WriteForwardFailureAsync(context, revisionKey, endpoint, error, exception);
            return;
        }
    }

    private static Task WriteHoldFailureAsync(HttpContext context, ThrottleResult result) => result.Outcome switch
    {
        ThrottleOutcome.QueueFull => PlainText.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, QueueFullBody),
        ThrottleOutcome.TimedOut => PlainText.WriteAsync(context, StatusCodes.Status504GatewayTimeout, "activator request timeout"),
        ThrottleOutcome.Failed => PlainText.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, result.Message ?? "revision failed"),
        ThrottleOutcome.NotFound => PlainText.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "revision not found"),
        _ => Task.CompletedTask, // Canceled: the client is gone.
    };

    // idleTimeoutSeconds counts bytes from the instance: watch what is written to the client, body or upgraded stream.
    private static bool TrackWorkloadBytes(HttpContext context, RequestTimers timers)
    {
        if (timers.Timeouts.IdleTimeoutSeconds <= 0)
        {
            return false;
        }

        context.Response.Body = new ActivityStream(context.Response.Body, timers);
        if (context.Features.Get<IHttpUpgradeFeature>() is { } upgrade)
        {
            context.Features.Set<IHttpUpgradeFeature>(new ActivityUpgradeFeature(upgrade, timers));
        }

        if (context.Features.Get<IHttpExtendedConnectFeature>() is { } connect)
        {
            context.Features.Set<IHttpExtendedConnectFeature>(new ActivityConnectFeature(connect, timers));
        }

        return true;
    }

    private static bool CanRetry(HttpContext context, ForwarderError error, Exception? exception) =>
        error == ForwarderError.Request
        && !context.Response.HasStarted
        && !HasBody(context)
        && IsConnectionError(exception);

    private static bool HasBody(HttpContext context) =>
        context.Request.ContentLength is { } length
            ? length > 0
            : context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? true;

    private static bool IsConnectionError(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } or SocketException)
            {
                return true;
            }
        }

        return false;
    }
}
