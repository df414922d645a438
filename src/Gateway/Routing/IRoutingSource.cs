using Knative.Orleans.Contracts.Routing;

namespace Knative.Orleans.Gateway.Routing;

/// <summary>
/// The grain calls the gateway makes, as one narrow port. <see cref="OrleansRoutingSource"/> is the real one;
/// tests use a fake so that most gateway behaviour runs without a cluster.
/// </summary>
/// <remarks>Keys are <c>{namespace}/{name}</c>, exactly as the grains are keyed.</remarks>
public interface IRoutingSource
{
    /// <summary>The route snapshot of a service (<see cref="RouteSnapshot.Exists"/> is false for an unknown service).</summary>
    Task<RouteSnapshot> GetRouteSnapshotAsync(string serviceKey);

    /// <summary>Where a DomainMapping's host goes (<see cref="DomainMappingSnapshot.Exists"/> is false when nowhere).</summary>
    Task<DomainMappingSnapshot> GetDomainMappingAsync(string host);

    /// <summary>The current endpoints of a revision, without scaling it.</summary>
    Task<RevisionEndpoints> GetEndpointsAsync(string revisionKey);

    /// <summary>Asks a revision to scale from zero if needed; returns its current endpoints at once.</summary>
    Task<RevisionEndpoints> ActivateAsync(string revisionKey);

    /// <summary>Waits until the revision has a ready instance, fails, or <paramref name="timeout"/> passes.</summary>
    Task<RevisionEndpoints> WaitForReadyAsync(string revisionKey, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Sends one load sample to the revision (one-way: completes once sent).</summary>
    Task ReportMetricsAsync(string revisionKey, RevisionMetricSample sample);

    /// <summary>Sends one second of samples of many revisions to the metrics ingress (one-way: completes once sent).</summary>
    Task ReportMetricsBatchAsync(RevisionMetricBatch batch);

    /// <summary>
    /// Subscribes, or renews the subscription of, <paramref name="observer"/> at the routing hub as the gateway
    /// <paramref name="gatewayId"/>; returns the ids of the live gateways and the hub's epoch.
    /// </summary>
    Task<HubSubscription> SubscribeAsync(string gatewayId, IRouteObserver observer);

    /// <summary>Removes <paramref name="observer"/> from the routing hub.</summary>
    Task UnsubscribeAsync(IRouteObserver observer);
}
