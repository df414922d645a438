using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Knative.Orleans.Contracts.Routing;

namespace Knative.Orleans.Gateway.Routing;

/// <summary>
/// The gateway's view of routing: one immutable <see cref="RouteSnapshot"/> per service and one
/// <see cref="RevisionEndpoints"/> per revision. An entry is only ever replaced by one with a higher version, and
/// nothing that does not exist is cached, so the cache is bounded by what exists in the cluster.
/// </summary>
/// <remarks>
/// Fed three ways: pulls on a cache miss, pushes from the routing hub (this class is the <see cref="IRouteObserver"/>)
/// for the services already cached, and the periodic resync in <see cref="RouteSubscription"/>. A service enters the
/// cache on its first request, so a cluster of 100,000 services costs the gateway only the ones that get traffic. Observer calls return after the swap, which is what
/// the hub waits for before it stops an instance.
/// </remarks>
public sealed class RouteCache(IRoutingSource source, TimeProvider? timeProvider = null) : IRouteObserver
{
    /// <summary>How long a host without a DomainMapping is remembered as such (a push replaces it at once).</summary>
    public static readonly TimeSpan UnmappedHostTtl = TimeSpan.FromSeconds(5);

    /// <summary>At most this many remembered hosts; beyond it they are all dropped (hosts are client input).</summary>
    public const int MaxDomainEntries = 10_000;

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, DomainEntry> _domains = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RouteSnapshot> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RevisionEndpoints> _endpoints = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<RouteSnapshot>> _loads = new(StringComparer.Ordinal);

    /// <summary>Keys of the cached services.</summary>
    public IReadOnlyCollection<string> ServiceKeys => [.. _routes.Keys];

    /// <summary>Raised with a revision key after its cached endpoints changed (replaced, removed, pruned); handlers re-read the cache.</summary>
    public event Action<string>? EndpointsChanged;

    /// <summary>Keys of the cached revisions.</summary>
    public IReadOnlyCollection<string> RevisionKeys => [.. _endpoints.Keys];

    /// <summary>The cached route of <paramref name="serviceKey"/>, if any.</summary>
    public bool TryGetRoute(string serviceKey, [NotNullWhen(true)] out RouteSnapshot? route) =>
        _routes.TryGetValue(serviceKey, out route);

    /// <summary>The cached endpoints of <paramref name="revisionKey"/>, if any.</summary>
    public bool TryGetEndpoints(string revisionKey, [NotNullWhen(true)] out RevisionEndpoints? endpoints) =>
        _endpoints.TryGetValue(revisionKey, out endpoints);

    /// <summary>
    /// The route of <paramref name="serviceKey"/>: cached, or pulled from the service grain. Concurrent misses for
    /// one key share one pull. A route with <c>Exists = false</c> is returned but not cached.
    /// </summary>
    public ValueTask<RouteSnapshot> GetRouteAsync(string serviceKey, CancellationToken cancellationToken)
    {
        if (_routes.TryGetValue(serviceKey, out var cached))
        {
            return ValueTask.FromResult(cached);
        }

        return new ValueTask<RouteSnapshot>(LoadRouteAsync(serviceKey).WaitAsync(cancellationToken));
    }

    /// <summary>Pulls the route of <paramref name="serviceKey"/> and applies it; returns the newest known route.</summary>
    public async Task<RouteSnapshot> RefreshRouteAsync(string serviceKey)
    {
        var pulled = await source.GetRouteSnapshotAsync(serviceKey);
        ApplyRoute(pulled);
        return _routes.TryGetValue(serviceKey, out var current) && current.Version >= pulled.Version ? current : pulled;
    }

    /// <summary>
    /// Applies <paramref name="route"/> if it is newer than the cached one; a newer route with <c>Exists = false</c>
    /// removes the entry. Returns true when the cache changed.
    /// </summary>
    public bool ApplyRoute(RouteSnapshot route)
    {
        ArgumentNullException.ThrowIfNull(route);
        return Apply(_routes, route.ServiceKey, route, route.Version, route.Exists, static r => r.Version);
    }

    /// <summary>
    /// Applies <paramref name="endpoints"/> if newer than the cached ones (a newer <c>Exists = false</c> removes the
    /// entry) and returns the newest known endpoints of that revision.
    /// </summary>
    public RevisionEndpoints ApplyEndpoints(RevisionEndpoints endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (Apply(_endpoints, endpoints.RevisionKey, endpoints, endpoints.Version, endpoints.Exists, static e => e.Version))
        {
            EndpointsChanged?.Invoke(endpoints.RevisionKey);
        }

        return _endpoints.TryGetValue(endpoints.RevisionKey, out var current) && current.Version > endpoints.Version
            ? current
            : endpoints;
    }

    /// <summary>Removes the cached endpoints of revisions that no cached route refers to; returns how many.</summary>
    public int PruneUnroutedRevisions()
    {
        var routed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var route in _routes.Values)
        {
            var ns = RoutingKeys.Namespace(route.ServiceKey);
            foreach (var target in route.Targets)
            {
                routed.Add(RoutingKeys.Key(ns, target.RevisionName));
            }

            if (route.PendingRevision is { } pending)
            {
                routed.Add(RoutingKeys.Key(ns, pending));
            }
        }

        var removed = 0;
        foreach (var entry in _endpoints)
        {
            if (!routed.Contains(entry.Key) && _endpoints.TryRemove(entry))
            {
                removed++;
                EndpointsChanged?.Invoke(entry.Key);
            }
        }

        return removed;
    }

    /// <summary>
    /// Where the DomainMapping host <paramref name="host"/> goes: cached (a mapped host until a push changes it, an
    /// unmapped one for <see cref="UnmappedHostTtl"/>), or pulled from the host's claim.
    /// </summary>
    public async ValueTask<DomainMappingSnapshot> GetDomainMappingAsync(string host, CancellationToken cancellationToken)
    {
        if (_domains.TryGetValue(host, out var entry) && (entry.Snapshot.Exists || _time.GetTimestamp() < entry.ExpiresAt))
        {
            return entry.Snapshot;
        }

        var pulled = await source.GetDomainMappingAsync(host).WaitAsync(cancellationToken);
        return ApplyDomainMapping(pulled);
    }

    /// <summary>Applies <paramref name="snapshot"/> if it is newer than the cached one; returns the newest known.</summary>
    public DomainMappingSnapshot ApplyDomainMapping(DomainMappingSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var expiresAt = _time.GetTimestamp() + (long)(UnmappedHostTtl.TotalSeconds * _time.TimestampFrequency);
        if (_domains.Count >= MaxDomainEntries)
        {
            foreach (var unmapped in _domains.Where(e => !e.Value.Snapshot.Exists))
            {
                _domains.TryRemove(unmapped);
            }
        }

        var updated = _domains.AddOrUpdate(
            snapshot.Host,
            static (_, arg) => new DomainEntry(arg.snapshot, arg.expiresAt),
            static (_, existing, arg) => existing.Snapshot.Version > arg.snapshot.Version
                ? existing with { ExpiresAt = arg.expiresAt }
                : new DomainEntry(arg.snapshot, arg.expiresAt),
            (snapshot, expiresAt));
        return updated.Snapshot;
    }

    Task IRouteObserver.DomainMappingChangedAsync(DomainMappingSnapshot snapshot)
    {
        ApplyDomainMapping(snapshot);
        return Task.CompletedTask;
    }

    Task IRouteObserver.RouteChangedAsync(RouteSnapshot snapshot)
    {
        // Only services this gateway has routed (cached, or being pulled now: the push may be newer than the pull's
        // answer). Others are pulled on their first request, so the cache holds what receives traffic, not every service
        // in the cluster, and the resync keeps no idle service grain awake.
        if (_routes.ContainsKey(snapshot.ServiceKey) || _loads.ContainsKey(snapshot.ServiceKey))
        {
            ApplyRoute(snapshot);
        }

        return Task.CompletedTask;
    }

    Task IRouteObserver.EndpointsChangedAsync(RevisionEndpoints endpoints)
    {
        ApplyEndpoints(endpoints);
        return Task.CompletedTask;
    }

    private Task<RouteSnapshot> LoadRouteAsync(string serviceKey)
    {
        if (_loads.TryGetValue(serviceKey, out var pending))
        {
            return pending;
        }

        var load = new TaskCompletionSource<RouteSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        var winner = _loads.GetOrAdd(serviceKey, load.Task);
        if (!ReferenceEquals(winner, load.Task))
        {
            return winner;
        }

        _ = CompleteLoadAsync(serviceKey, load);
        return load.Task;
    }

    private async Task CompleteLoadAsync(string serviceKey, TaskCompletionSource<RouteSnapshot> load)
    {
        try
        {
            var route = await RefreshRouteAsync(serviceKey);
            _loads.TryRemove(new KeyValuePair<string, Task<RouteSnapshot>>(serviceKey, load.Task));
            load.TrySetResult(route);
        }
        catch (Exception ex)
        {
            _loads.TryRemove(new KeyValuePair<string, Task<RouteSnapshot>>(serviceKey, load.Task));
            load.TrySetException(ex);
        }
    }

    private static bool Apply<T>(
        ConcurrentDictionary<string, T> map, string key, T value, long version, bool exists, Func<T, long> versionOf)
        where T : class
    {
        while (true)
        {
            if (map.TryGetValue(key, out var existing))
            {
                if (versionOf(existing) >= version)
                {
                    return false;
                }

                var swapped = exists
                    ? map.TryUpdate(key, value, existing)
                    : map.TryRemove(new KeyValuePair<string, T>(key, existing));
                if (swapped)
                {
                    return true;
                }
            }
            else
            {
                if (!exists)
                {
                    return false;
                }

                if (map.TryAdd(key, value))
                {
                    return true;
                }
            }
        }
    }

    private sealed record DomainEntry(DomainMappingSnapshot Snapshot, long ExpiresAt);
}
