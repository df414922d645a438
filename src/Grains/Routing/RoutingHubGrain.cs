using Knative.Orleans.Contracts.Routing;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace Knative.Orleans.Grains.Routing;

/// <summary>
/// Fans routing changes out to every subscribed gateway and tells gateways who else is live. Subscriptions live in
/// memory: gateways renew them every few seconds (<c>Gateway:SubscriptionRenewalPeriod</c>) and resync their caches when
/// the hub's epoch changed (a new activation, e.g. after its silo died), so a reactivated hub loses nothing that matters.
/// </summary>
// Reentrant: publishes only read the subscriber map and wait on gateways; letting them overlap keeps one slow gateway from
// delaying every revision's publish. Subscribe/unsubscribe mutate the map synchronously (no await inside).
[Reentrant]
[GrainType("routinghub")]
public sealed partial class RoutingHubGrain(TimeProvider time, ILogger<RoutingHubGrain> logger) : Grain, IRoutingHubGrain
{
    private static readonly TimeSpan Expiry = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(5);
    private readonly Dictionary<IRouteObserver, (string GatewayId, DateTimeOffset Renewed)> _observers = [];

    // A new activation has no subscribers: gateways that see a new epoch resync what they may have missed.
    private readonly string _epoch = Guid.NewGuid().ToString("N");

    /// <inheritdoc />
    public async Task<HubSubscription> SubscribeAsync(string gatewayId, IRouteObserver observer)
    {
        ArgumentException.ThrowIfNullOrEmpty(gatewayId);
        _observers[observer] = (gatewayId, time.GetUtcNow());
        return new HubSubscription { Gateways = await GetGatewaysAsync(), Epoch = _epoch };
    }

    /// <inheritdoc />
    public Task UnsubscribeAsync(IRouteObserver observer)
    {
        _observers.Remove(observer);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<string[]> GetGatewaysAsync()
    {
        RemoveExpired();
        var ids = _observers.Values.Select(o => o.GatewayId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return Task.FromResult(ids.ToArray());
    }

    /// <inheritdoc />
    public Task PublishRouteAsync(RouteSnapshot snapshot) => FanOutAsync(o => o.RouteChangedAsync(snapshot));

    /// <inheritdoc />
    public Task PublishEndpointsAsync(RevisionEndpoints endpoints) => FanOutAsync(o => o.EndpointsChangedAsync(endpoints));

    /// <inheritdoc />
    public Task PublishDomainMappingAsync(DomainMappingSnapshot snapshot) => FanOutAsync(o => o.DomainMappingChangedAsync(snapshot));

    private void RemoveExpired()
    {
        var now = time.GetUtcNow();
        foreach (var expired in _observers.Where(o => now - o.Value.Renewed > Expiry).Select(o => o.Key).ToList())
        {
            _observers.Remove(expired);
        }
    }

    private async Task FanOutAsync(Func<IRouteObserver, Task> send)
    {
        RemoveExpired();
        var targets = _observers.Keys.ToList();
        await Task.WhenAll(targets.Select(async o =>
        {
            try
            {
                await send(o).WaitAsync(PublishTimeout, time);
            }
            catch (Exception e)
            {
                // A gateway that does not answer is dropped; it resubscribes and resyncs on its next renewal.
                _observers.Remove(o);
                LogDropped(logger, e);
            }
        }));
    }

    [LoggerMessage(EventId = 3200, Level = LogLevel.Warning, Message = "Routing hub dropped a gateway that did not apply a change")]
    private static partial void LogDropped(ILogger logger, Exception exception);
}
