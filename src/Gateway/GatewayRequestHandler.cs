using Knative.Orleans.Contracts.Routing;
using Knative.Orleans.Gateway.Ingress;
using Knative.Orleans.Gateway.Metrics;
using Knative.Orleans.Gateway.Proxy;
using Knative.Orleans.Gateway.Routing;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Utilities;

namespace Knative.Orleans.Gateway;

/// <summary>
/// The gateway's terminal handler: Host → service (or tag, see <see cref="HostResolver"/>) → revision (the tag's, or
/// weighted) → <see cref="RevisionProxy"/>. Requests whose
/// host is not under the domain are the platform's: <c>GET /healthz</c>, <c>GET /readyz</c>, broker ingress
/// (<see cref="BrokerIngressHandler"/>) on <c>/{namespace}/{broker}</c>, otherwise 404.
/// </summary>
public sealed partial class GatewayRequestHandler(
    HostResolver resolver,
    RevisionProxy proxy,
    InFlightTracker tracker,
    IRandomFactory randomFactory,
    GatewayReadiness readiness,
    BrokerIngressHandler ingress,
    TimeProvider timeProvider,
    IOptions<GatewayOptions> options,
    ILogger<GatewayRequestHandler> logger)
{
    /// <summary>The header that picks a tag's revision on a service's main host when tag-header-based routing is enabled.</summary>
    public const string TagHeader = "Knative-Serving-Tag";

    private readonly string _domain = options.Value.Domain;
    private readonly bool _tagHeaderRouting = options.Value.TagHeaderBasedRoutingEnabled;

    /// <summary>Answers one request.</summary>
    /// <remarks>
    /// Not async itself: when the route is cached (the usual case) the request goes straight to
    /// <see cref="RevisionProxy.ForwardAsync"/>, one async state machine per request instead of two.
    /// A host outside the domain may be a DomainMapping; one that is neither is the platform's (health, broker ingress).
    /// </remarks>
    public Task HandleAsync(HttpContext context)
    {
        var arrival = timeProvider.GetTimestamp();
        var host = context.Request.Host.Host;
        var serviceHost = HostRouting.TryParse(host, _domain, out var ns, out var label);
        if (!serviceHost && !HostRouting.IsDomainMappingCandidate(host))
        {
            return HandlePlatformAsync(context, host);
        }

        var resolving = serviceHost
            ? resolver.ResolveAsync(ns!, label!, context.RequestAborted)
            : resolver.ResolveDomainMappingAsync(host, context.RequestAborted);
        return resolving.IsCompletedSuccessfully
            ? RouteAsync(context, serviceHost, resolving.Result, arrival)
            : ResolveThenRouteAsync(context, serviceHost, serviceHost ? RoutingKeys.Key(ns!, label!) : host, resolving, arrival);
    }

    private async Task ResolveThenRouteAsync(HttpContext context, bool serviceHost, string lookup, ValueTask<ResolvedHost?> resolving, long arrival)
    {
        ResolvedHost? resolved;
        try
        {
            resolved = await resolving;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            Log.RouteLookupFailed(logger, lookup, ex);
            await PlainText.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "routing unavailable");
            return;
        }

        await RouteAsync(context, serviceHost, resolved, arrival);
    }

    private Task RouteAsync(HttpContext context, bool serviceHost, ResolvedHost? resolved, long arrival)
    {
        if (resolved is null)
        {
            var host = context.Request.Host.Host;
            return serviceHost ? NoRouteAsync(context, host) : HandlePlatformAsync(context, host);
        }

        var revision = resolved.TagRevision ?? ChooseRevision(context, resolved.Route);
        if (revision is null)
        {
            return PlainText.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "no ready revision");
        }

        var revisionKey = RoutingKeys.Key(RoutingKeys.Namespace(resolved.ServiceKey), revision);
        return proxy.ForwardAsync(context, revisionKey, arrival, tracker.Begin(revisionKey));
    }

    /// <summary>
    /// The revision for a request on the main host: the one tagged by <see cref="TagHeader"/> when tag-header-based
    /// routing is enabled and the tag exists, otherwise the weighted split (Knative falls back the same way).
    /// </summary>
    private string? ChooseRevision(HttpContext context, RouteSnapshot route)
    {
        if (_tagHeaderRouting
            && context.Request.Headers.TryGetValue(TagHeader, out var tag)
            && TrafficSplitter.FindTag(route, tag.ToString()) is { } tagged)
        {
            return tagged;
        }

        return TrafficSplitter.Choose(route, randomFactory.CreateRandomInstance());
    }

    private static Task NoRouteAsync(HttpContext context, string host) =>
        PlainText.WriteAsync(context, StatusCodes.Status404NotFound, $"no route for host \"{host}\"");

    private Task HandlePlatformAsync(HttpContext context, string host)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method))
        {
            if (request.Path.Equals("/healthz", StringComparison.Ordinal))
            {
                return PlainText.WriteAsync(context, StatusCodes.Status200OK, "ok");
            }

            if (request.Path.Equals("/readyz", StringComparison.Ordinal))
            {
                return readiness.IsReady
                    ? PlainText.WriteAsync(context, StatusCodes.Status200OK, "ready")
                    : PlainText.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "not ready");
            }
        }

        // A two-segment path on a non-service host is broker ingress (POST /{namespace}/{broker}); any other path keeps
        // answering 404, so the platform's own paths on this port stay distinguishable from brokers.
        return BrokerIngressHandler.IsIngressPath(request.Path) ? ingress.HandleAsync(context) : NoRouteAsync(context, host);
    }
}
