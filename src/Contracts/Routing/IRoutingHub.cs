namespace Knative.Orleans.Contracts.Routing;

/// <summary>Receives routing changes; implemented by every gateway.</summary>
[Alias("kn.IRouteObserver")]
public interface IRouteObserver : IGrainObserver
{
    /// <summary>A service's route changed.</summary>
    [Alias("RouteChanged")]
    Task RouteChangedAsync(RouteSnapshot snapshot);

    /// <summary>A revision's endpoints changed. The gateway has switched to it when the call returns.</summary>
    [Alias("EndpointsChanged")]
    Task EndpointsChangedAsync(RevisionEndpoints endpoints);

    /// <summary>A DomainMapping's host changed (mapped, re-pointed or released).</summary>
    [Alias("DomainMappingChanged")]
    Task DomainMappingChangedAsync(DomainMappingSnapshot snapshot);
}

/// <summary>
/// Fans routing changes out to the gateways (key 0). Gateways subscribe and renew periodically; grains publish
/// and, for endpoints, wait until every live gateway has switched (so a stopped instance is never picked again).
/// </summary>
[Alias("kn.IRoutingHubGrain")]
public interface IRoutingHubGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Subscribes or renews the gateway <paramref name="gatewayId"/> (a stable id for the life of its process); returns
    /// the ids of the live gateways, ordinal-sorted, this one included, and the hub's epoch.
    /// </summary>
    [Alias("SubscribeGateway")]
    Task<HubSubscription> SubscribeAsync(string gatewayId, IRouteObserver observer);

    /// <summary>
    /// The ids of the live gateways (subscribed and renewed within the expiry), ordinal-sorted. Each instance of a
    /// revision is owned by one of them (see the gateway's README).
    /// </summary>
    [Alias("GetGateways")]
    Task<string[]> GetGatewaysAsync();

    /// <summary>Removes a gateway.</summary>
    [Alias("Unsubscribe")]
    Task UnsubscribeAsync(IRouteObserver observer);

    /// <summary>Sends a route change to every gateway.</summary>
    [Alias("PublishRoute")]
    Task PublishRouteAsync(RouteSnapshot snapshot);

    /// <summary>Sends an endpoints change to every gateway and waits (bounded) for them to apply it.</summary>
    [Alias("PublishEndpoints")]
    Task PublishEndpointsAsync(RevisionEndpoints endpoints);

    /// <summary>Sends a DomainMapping change to every gateway.</summary>
    [Alias("PublishDomainMapping")]
    Task PublishDomainMappingAsync(DomainMappingSnapshot snapshot);
}
