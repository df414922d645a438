using System.Collections.Concurrent;
using Knative.Orleans.Contracts.Routing;
using Knative.Orleans.Contracts.Serving;

namespace Knative.Orleans.Gateway.Tests.Orleans;

/// <summary>
/// Minimal stand-ins for the real grains (written elsewhere), enough to drive <see cref="Routing.OrleansRoutingSource"/>
/// on a real in-process cluster. Data is looked up by grain key in static maps, so tests use their own keys.
/// </summary>
internal static class TestGrainData
{
    public static ConcurrentDictionary<string, RouteSnapshot> Routes { get; } = new();

    public static ConcurrentDictionary<string, RouteSnapshot> StandaloneRoutes { get; } = new();

    public static ConcurrentDictionary<string, RevisionEndpoints> Endpoints { get; } = new();

    public static ConcurrentDictionary<string, RevisionMetricSample> LastSample { get; } = new();

    public static ConcurrentQueue<RevisionMetricBatch> Batches { get; } = new();
}

public sealed class TestRoutingHubGrain : Grain, IRoutingHubGrain
{
    private readonly Dictionary<IRouteObserver, string> _observers = [];

    private readonly string _epoch = Guid.NewGuid().ToString("N");

    public async Task<HubSubscription> SubscribeAsync(string gatewayId, IRouteObserver observer)
    {
        _observers[observer] = gatewayId;
        return new HubSubscription { Gateways = await GetGatewaysAsync(), Epoch = _epoch };
    }

    public Task<string[]> GetGatewaysAsync() => Task.FromResult(_observers.Values.Distinct().Order(StringComparer.Ordinal).ToArray());

    public Task UnsubscribeAsync(IRouteObserver observer)
    {
        _observers.Remove(observer);
        return Task.CompletedTask;
    }

    public Task PublishRouteAsync(RouteSnapshot snapshot) => Task.WhenAll(_observers.Keys.Select(o => o.RouteChangedAsync(snapshot)));

    public Task PublishDomainMappingAsync(DomainMappingSnapshot snapshot) =>
        Task.WhenAll(_observers.Keys.Select(o => o.DomainMappingChangedAsync(snapshot)));

    public Task PublishEndpointsAsync(RevisionEndpoints endpoints) => Task.WhenAll(_observers.Keys.Select(o => o.EndpointsChangedAsync(endpoints)));
}

/// <summary>Forwards each sample of a batch to its revision grain, as the real ingress does.</summary>
public sealed class TestMetricsIngressGrain : Grain, IMetricsIngressGrain
{
    public Task ReportBatchAsync(RevisionMetricBatch batch)
    {
        TestGrainData.Batches.Enqueue(batch);
        foreach (var entry in batch.Entries)
        {
            _ = GrainFactory.GetGrain<IRevisionGrain>(entry.RevisionKey).ReportMetricsAsync(entry.Sample);
        }

        return Task.CompletedTask;
    }
}

public sealed class TestServiceGrain : Grain, IServiceGrain
{
    public Task<RouteSnapshot> GetRouteSnapshotAsync()
    {
        var key = this.GetPrimaryKeyString();
        return Task.FromResult(TestGrainData.Routes.TryGetValue(key, out var route) ? route : new RouteSnapshot { ServiceKey = key });
    }

    public Task<ApplyResult<Service>> ApplyAsync(Service service, ApplyMode mode, string user) => throw new NotSupportedException();

    public Task<Service?> GetAsync() => throw new NotSupportedException();

    public Task<bool> DeleteAsync() => throw new NotSupportedException();

    public Task<Configuration?> GetConfigurationAsync() => throw new NotSupportedException();

    public Task<Route?> GetRouteAsync() => throw new NotSupportedException();

    public Task<string[]> GetRevisionNamesAsync() => throw new NotSupportedException();

    public Task RevisionChangedAsync(RevisionReadiness readiness) => Task.CompletedTask;

    public Task ChildReleasedAsync() => Task.CompletedTask;

    public Task RoutedByRouteAsync(string routeName, string[] revisionNames) => Task.CompletedTask;

    public Task<ConfigurationFacts> GetConfigurationFactsAsync() => throw new NotSupportedException();

    public Task WatchAsync(string routeName, bool watch) => throw new NotSupportedException();
}

public sealed class TestRouteGrain : Grain, IRouteGrain
{
    public Task<RouteSnapshot> GetRouteSnapshotAsync()
    {
        var key = this.GetPrimaryKeyString();
        return Task.FromResult(TestGrainData.StandaloneRoutes.TryGetValue(key, out var route) ? route : new RouteSnapshot { ServiceKey = key });
    }

    public Task<ApplyResult<Route>> ApplyAsync(Route route, ApplyMode mode, string user) => throw new NotSupportedException();

    public Task<Route?> GetAsync() => throw new NotSupportedException();

    public Task<bool> DeleteAsync() => throw new NotSupportedException();

    public Task ConfigurationChangedAsync(string configurationName) => Task.CompletedTask;

    public Task<bool> ExistsAsync() => throw new NotSupportedException();
}

public sealed class TestRevisionGrain : Grain, IRevisionGrain
{
    public Task<RevisionEndpoints> ActivateAsync() => GetEndpointsAsync();

    public Task<RevisionEndpoints> WaitForReadyAsync(TimeSpan timeout, CancellationToken cancellationToken = default) => GetEndpointsAsync();

    public Task<RevisionEndpoints> GetEndpointsAsync()
    {
        var key = this.GetPrimaryKeyString();
        return Task.FromResult(TestGrainData.Endpoints.TryGetValue(key, out var endpoints) ? endpoints : new RevisionEndpoints { RevisionKey = key, Exists = false });
    }

    public Task ReportMetricsAsync(RevisionMetricSample sample)
    {
        TestGrainData.LastSample[this.GetPrimaryKeyString()] = sample;
        return Task.CompletedTask;
    }

    public Task<bool> CreateAsync(Revision revision) => throw new NotSupportedException();

    public Task<Revision?> GetAsync() => throw new NotSupportedException();

    public Task DeleteAsync() => throw new NotSupportedException();

    public Task<string> GetLogsAsync(int tailLines) => throw new NotSupportedException();

    public Task SetRoutedAsync(bool routed) => Task.CompletedTask;
}
