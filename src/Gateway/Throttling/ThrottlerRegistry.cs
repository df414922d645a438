using System.Collections.Concurrent;
using Knative.Orleans.Contracts.Routing;
using Knative.Orleans.Gateway.Activation;
using Knative.Orleans.Gateway.Routing;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Utilities;
using Endpoint = Knative.Orleans.Contracts.Routing.Endpoint;

namespace Knative.Orleans.Gateway.Throttling;

/// <summary>
/// One <see cref="RevisionThrottler"/> per revision this gateway has served, kept in step with the route cache and the
/// live gateways, and the link to the activator for revisions without a ready instance.
/// </summary>
/// <remarks>
/// A throttler is created on a revision's first request and removed by <see cref="Prune"/> once it is idle and its
/// revision has left the cache, so memory follows what exists. A request that raced a prune may hold the removed
/// throttler: the activator refreshes the throttler it activates directly, so such a request is still served.
/// </remarks>
public sealed class ThrottlerRegistry
{
    private readonly ConcurrentDictionary<string, RevisionThrottler> _throttlers = new(StringComparer.Ordinal);
    private readonly RouteCache _cache;
    private readonly GatewayMembership _membership;
    private readonly IRandomFactory _randomFactory;
    private readonly RevisionActivator _activator;
    private readonly int _maxQueued;

    /// <summary>Creates the registry and subscribes it to endpoint and membership changes.</summary>
    public ThrottlerRegistry(
        RouteCache cache, GatewayMembership membership, IRandomFactory randomFactory, RevisionActivator activator,
        IOptions<GatewayOptions> options)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(membership);
        ArgumentNullException.ThrowIfNull(options);
        _cache = cache;
        _membership = membership;
        _randomFactory = randomFactory;
        _activator = activator;
        _maxQueued = options.Value.MaxQueuedPerRevision;
        cache.EndpointsChanged += OnEndpointsChanged;
        membership.Changed += OnMembershipChanged;
    }

    /// <summary>The throttler of <paramref name="revisionKey"/>, created on first use.</summary>
    public RevisionThrottler Get(string revisionKey) =>
        _throttlers.TryGetValue(revisionKey, out var existing)
            ? existing
            : _throttlers.GetOrAdd(revisionKey, static (key, self) => self.Create(key), this);

    /// <summary>A slot for one request to <paramref name="revisionKey"/> (see <see cref="RevisionThrottler.AcquireAsync"/>).</summary>
    public ValueTask<ThrottleResult> AcquireAsync(string revisionKey, RequestTimers timers, Endpoint? avoid, CancellationToken cancellationToken) =>
        Get(revisionKey).AcquireAsync(timers, avoid, cancellationToken);

    /// <summary>Per-instance in-flight counts of <paramref name="revisionKey"/> (empty without a throttler).</summary>
    public InstanceInFlight[] GetInstanceLoads(string revisionKey) =>
        _throttlers.TryGetValue(revisionKey, out var throttler) ? throttler.GetInstanceLoads() : [];

    /// <summary>Removes the throttlers that are idle and whose revision is no longer cached; returns how many.</summary>
    public int Prune()
    {
        var removed = 0;
        foreach (var (key, throttler) in _throttlers)
        {
            if (!_cache.TryGetEndpoints(key, out _) && throttler.IsIdle && _throttlers.TryRemove(new(key, throttler)))
            {
                removed++;
            }
        }

        return removed;
    }

    private RevisionThrottler Create(string revisionKey) =>
        new(revisionKey, _cache, _membership, _randomFactory, _maxQueued, _activator.EnsureActivating);

    private void OnEndpointsChanged(string revisionKey)
    {
        if (_throttlers.TryGetValue(revisionKey, out var throttler))
        {
            throttler.Refresh();
        }
    }

    private void OnMembershipChanged()
    {
        foreach (var throttler in _throttlers.Values)
        {
            throttler.Refresh();
        }
    }
}
