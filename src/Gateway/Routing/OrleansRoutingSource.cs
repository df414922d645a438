using Knative.Orleans.Contracts.Routing;
using Knative.Orleans.Contracts.Serving;

namespace Knative.Orleans.Gateway.Routing;

/// <summary><see cref="IRoutingSource"/> over the service, revision and routing-hub grains.</summary>
public sealed class OrleansRoutingSource(IGrainFactory grainFactory) : IRoutingSource
{
    private readonly Lock _gate = new();

    // The runtime holds observer objects weakly: keep both the object and its reference alive for as long as we are
    // subscribed (the object is also a DI singleton).
    private IRouteObserver? _observer;
    private IRouteObserver? _reference;

    /// <summary>
    /// A host's route: the Service's of that name, else the standalone Route's (a Service owns the Route of its name, so
    /// at most one of them exists).
    /// </summary>
    public async Task<RouteSnapshot> GetRouteSnapshotAsync(string serviceKey)
    {
        var service = await grainFactory.GetGrain<IServiceGrain>(serviceKey).GetRouteSnapshotAsync();
        return service.Exists ? service : await grainFactory.GetGrain<IRouteGrain>(serviceKey).GetRouteSnapshotAsync();
    }

    public Task<DomainMappingSnapshot> GetDomainMappingAsync(string host) =>
        grainFactory.GetGrain<IDomainClaimGrain>(host).GetSnapshotAsync();

    public Task<RevisionEndpoints> GetEndpointsAsync(string revisionKey) =>
        grainFactory.GetGrain<IRevisionGrain>(revisionKey).GetEndpointsAsync();

    public Task<RevisionEndpoints> ActivateAsync(string revisionKey) =>
        grainFactory.GetGrain<IRevisionGrain>(revisionKey).ActivateAsync();

    public Task<RevisionEndpoints> WaitForReadyAsync(string revisionKey, TimeSpan timeout, CancellationToken cancellationToken) =>
        grainFactory.GetGrain<IRevisionGrain>(revisionKey).WaitForReadyAsync(timeout, cancellationToken);

    public Task ReportMetricsAsync(string revisionKey, RevisionMetricSample sample) =>
        grainFactory.GetGrain<IRevisionGrain>(revisionKey).ReportMetricsAsync(sample);

    public Task ReportMetricsBatchAsync(RevisionMetricBatch batch) =>
        grainFactory.GetGrain<IMetricsIngressGrain>(0).ReportBatchAsync(batch);

    public Task<HubSubscription> SubscribeAsync(string gatewayId, IRouteObserver observer) =>
        grainFactory.GetGrain<IRoutingHubGrain>(0).SubscribeAsync(gatewayId, GetReference(observer));

    public async Task UnsubscribeAsync(IRouteObserver observer)
    {
        IRouteObserver? reference;
        lock (_gate)
        {
            reference = ReferenceEquals(observer, _observer) ? _reference : null;
        }

        if (reference is null)
        {
            return;
        }

        await grainFactory.GetGrain<IRoutingHubGrain>(0).UnsubscribeAsync(reference);
        lock (_gate)
        {
            if (ReferenceEquals(reference, _reference))
            {
                grainFactory.DeleteObjectReference<IRouteObserver>(reference);
                _observer = null;
                _reference = null;
            }
        }
    }

    private IRouteObserver GetReference(IRouteObserver observer)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(observer, _observer))
            {
                if (_reference is not null)
                {
                    grainFactory.DeleteObjectReference<IRouteObserver>(_reference);
                }

                _reference = grainFactory.CreateObjectReference<IRouteObserver>(observer);
                _observer = observer;
            }

            return _reference!;
        }
    }
}
