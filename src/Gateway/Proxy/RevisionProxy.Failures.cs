using System.Net;
using Knative.Orleans.Gateway.Throttling;
using Yarp.ReverseProxy.Forwarder;
using Endpoint = Knative.Orleans.Contracts.Routing.Endpoint;

namespace Knative.Orleans.Gateway.Proxy;

public sealed partial class RevisionProxy
{
    private static bool IsClientError(ForwarderError error) => error is
        ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.RequestBodyClient or
        ForwarderError.ResponseBodyCanceled or ForwarderError.ResponseBodyClient or
        ForwarderError.UpgradeRequestCanceled or ForwarderError.UpgradeRequestClient or
        ForwarderError.UpgradeResponseCanceled or ForwarderError.UpgradeResponseClient;

    private async Task WriteTimeoutAsync(HttpContext context, string revisionKey, Endpoint endpoint, TimeoutKind fired, bool responseStarted)
    {
        var started = responseStarted || context.Response.HasStarted;
        Log.TimedOut(logger, revisionKey, endpoint.Address, fired, started);
        if (started)
        {
            context.Abort();
            return;
        }

        context.Response.Clear();
        await PlainText.WriteAsync(context, StatusCodes.Status504GatewayTimeout, "request timeout");
    }

    private async Task WriteForwardFailureAsync(HttpContext context, string revisionKey, Endpoint endpoint, ForwarderError error, Exception? exception)
    {
        if (IsClientError(error))
        {
            // The client went away or sent a broken body: YARP has already answered or aborted as well as it can.
            Log.ClientError(logger, revisionKey, error, exception);
            return;
        }

        Log.ForwardFailed(logger, revisionKey, endpoint.Address, error, exception);
        if (context.Response.HasStarted || error == ForwarderError.ResponseBodyDestination)
        {
            // The instance's response had started (its headers arrived), even if no byte reached the client yet:
            // cut, not rewritten.
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

    // Our timers end the request (they count from arrival, which is earlier than YARP's activity timer starts), so
    // YARP's ActivityTimeout is only a backstop set just past timeoutSeconds; its 100 s default would cut slow requests.
    // h2c (a serving port named "h2c"): HTTP/2 with prior knowledge, exactly (RequestVersionOrLower would fall back to
    // HTTP/1.1 on a cleartext connection). Otherwise HTTP/1.1, which is also what carries WebSocket upgrades.
    private ForwarderRequestConfig ConfigFor(int timeoutSeconds, bool http2) =>
        _configs.GetOrAdd((timeoutSeconds, http2), static key => new ForwarderRequestConfig
        {
            ActivityTimeout = TimeSpan.FromSeconds(key.TimeoutSeconds + 1),
            Version = key.Http2 ? HttpVersion.Version20 : HttpVersion.Version11,
            VersionPolicy = key.Http2 ? HttpVersionPolicy.RequestVersionExact : HttpVersionPolicy.RequestVersionOrLower,
        });
}
