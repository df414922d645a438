using System.Collections.Concurrent;
using System.Net.Sockets;
using Knative.Orleans.Contracts.Routing;
using Knative.Orleans.Gateway.Activation;
using Knative.Orleans.Gateway.Routing;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;
using Endpoint = Knative.Orleans.Contracts.Routing.Endpoint;

namespace Knative.Orleans.Gateway.Proxy;

/// <summary>
/// Sends one request to one ready instance of a revision, holding it through a cold start first when needed.
/// </summary>
/// <remarks>
/// A bodiless request whose connection is refused before any response byte (typically an instance that just
/// stopped) is retried once, after re-reading the revision's endpoints and through the cold-start path again.
/// Other forwarding errors become 502 (504 <c>request timeout</c> when the instance went quiet for longer than the
/// revision's timeoutSeconds) before the response started, and an aborted connection after.
/// </remarks>
public sealed partial class RevisionProxy(
    IHttpForwarder forwarder,
    ProxyHttpClient client,
    EndpointBalancer balancer,
    RevisionActivator activator,
    IRoutingSource source,
    RouteCache cache,
    ILogger<RevisionProxy> logger)
{
    private readonly ConcurrentDictionary<int, ForwarderRequestConfig> _configs = new();

    /// <summary>Forwards <paramref name="context"/> to <paramref name="revisionKey"/> and writes the response.</summary>
    /// <param name="context">The client's request.</param>
    /// <param name="revisionKey"><c>{namespace}/{revision}</c>.</param>
    /// <param name="arrivalTimestamp">When the request arrived (<see cref="TimeProvider.GetTimestamp"/>); bounds the hold.</param>
    public async Task ForwardAsync(HttpContext context, string revisionKey, long arrivalTimestamp)
    {
        Endpoint? refused = null;
        while (true)
        {
            var ready = await activator.GetReadyEndpointsAsync(revisionKey, arrivalTimestamp, context.RequestAborted);
            if (ready.Outcome != ActivationOutcome.Ready)
            {
                await WriteHoldFailureAsync(context, ready);
                return;
            }

            var endpoints = ready.Endpoints!;
            var endpoint = balancer.Choose(endpoints.Ready, refused);
            ForwarderError error;
            using (balancer.Acquire(endpoint))
            {
                error = await forwarder.SendAsync(context, endpoint.Address, client.Invoker, ConfigFor(endpoints), ForwardingTransformer.Instance);
            }

            if (error == ForwarderError.None)
            {
                return;
            }

            var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
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

    private static Task WriteHoldFailureAsync(HttpContext context, ActivationResult result) => result.Outcome switch
    {
        ActivationOutcome.TimedOut => PlainText.WriteAsync(context, StatusCodes.Status504GatewayTimeout, "activator request timeout"),
        ActivationOutcome.Failed => PlainText.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, result.Message ?? "revision failed"),
        ActivationOutcome.NotFound => PlainText.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "revision not found"),
        _ => Task.CompletedTask, // Canceled: the client is gone.
    };

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

    private static bool IsClientError(ForwarderError error) => error is
        ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.RequestBodyClient or
        ForwarderError.ResponseBodyCanceled or ForwarderError.ResponseBodyClient or
        ForwarderError.UpgradeRequestCanceled or ForwarderError.UpgradeRequestClient or
        ForwarderError.UpgradeResponseCanceled or ForwarderError.UpgradeResponseClient;

    private async Task WriteForwardFailureAsync(HttpContext context, string revisionKey, Endpoint endpoint, ForwarderError error, Exception? exception)
    {
        if (IsClientError(error))
        {
            // The client went away or sent a broken body: YARP has already answered or aborted as well as it can.
            Log.ClientError(logger, revisionKey, error, exception);
            return;
        }

        Log.ForwardFailed(logger, revisionKey, endpoint.Address, error, exception);
        if (context.Response.HasStarted)
        {
            context.Abort();
            return;
        }

        context.Response.Clear();
        if (error == ForwarderError.RequestTimedOut)
        {
            await PlainText.WriteAsync(context, StatusCodes.Status504GatewayTimeout, "request timeout");
            return;
        }

        context.Response.StatusCode = StatusCodes.Status502BadGateway;
    }

    private async Task RefreshEndpointsAsync(string revisionKey)
    {
        try
        {
            cache.ApplyEndpoints(await source.GetEndpointsAsync(revisionKey));
        }
        catch (Exception ex)
        {
            Log.RefreshFailed(logger, revisionKey, ex);
        }
    }

    // The full timeoutSeconds / responseStartTimeoutSeconds / idleTimeoutSeconds timers come with the queue and
    // containerConcurrency work. Until then YARP's activity timeout (idle time between reads or writes) is the
    // revision's timeoutSeconds rather than YARP's 100 s default, which would cut legitimately slow requests.
    private ForwarderRequestConfig ConfigFor(RevisionEndpoints endpoints)
    {
        var seconds = endpoints.TimeoutSeconds > 0 ? endpoints.TimeoutSeconds : RevisionActivator.DefaultTimeoutSeconds;
        return _configs.GetOrAdd(seconds, static s => new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(s) });
    }
}
