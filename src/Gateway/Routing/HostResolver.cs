using System.Collections.Concurrent;
using Knative.Orleans.Contracts.Routing;

namespace Knative.Orleans.Gateway.Routing;

/// <summary>A host resolved to a service route; <see cref="Tag"/> is set for a tag host <c>{tag}-{name}</c>.</summary>
/// <param name="ServiceKey"><c>{namespace}/{service}</c>.</param>
/// <param name="Route">The service's route (exists).</param>
/// <param name="Tag">The tag of a tag host, or null for the service's main host.</param>
/// <param name="TagRevision">The revision of the tagged target when <see cref="Tag"/> is set.</param>
public sealed record ResolvedHost(string ServiceKey, RouteSnapshot Route, string? Tag, string? TagRevision);

/// <summary>
/// Resolves the first host label, which is ambiguous (<c>a-b</c> is service <c>a-b</c> or tag <c>a</c> of service
/// <c>b</c>): the service <c>{label}</c> wins when it exists; otherwise each split <c>{tag}-{service}</c> from the left
/// whose service exists and has that tag. The outcome for labels that are not a service (a tag host, or nothing) is
/// remembered for <see cref="ResolutionTtl"/>; a remembered tag host is checked against the cached route on every use,
/// and a service <c>{label}</c> that appears in the route cache (pushed by the hub) wins at once.
/// </summary>
public sealed class HostResolver(RouteCache cache, TimeProvider timeProvider)
{
    /// <summary>How long a non-service label's resolution is reused.</summary>
    public static readonly TimeSpan ResolutionTtl = TimeSpan.FromSeconds(5);

    /// <summary>At most this many remembered resolutions; beyond it they are all dropped (hosts are client input).</summary>
    public const int MaxResolutions = 10_000;

    private readonly ConcurrentDictionary<string, Resolution> _resolutions = new(StringComparer.Ordinal);

    /// <summary>
    /// The route for <c>{label}.{namespace}</c>, or null when neither a service nor a tag of a service has that name.
    /// </summary>
    public async ValueTask<ResolvedHost?> ResolveAsync(string @namespace, string label, CancellationToken cancellationToken)
    {
        var mainKey = RoutingKeys.Key(@namespace, label);
        if (cache.TryGetRoute(mainKey, out var main))
        {
            return new ResolvedHost(mainKey, main, null, null);
        }

        var now = timeProvider.GetTimestamp();
        if (_resolutions.TryGetValue(mainKey, out var known) && now < known.ExpiresAt)
        {
            if (known.ServiceKey is null)
            {
                return null;
            }

            if (cache.TryGetRoute(known.ServiceKey, out var tagged) && TrafficSplitter.FindTag(tagged, known.Tag) is { } revision)
            {
                return new ResolvedHost(known.ServiceKey, tagged, known.Tag, revision);
            }
        }

        var route = await cache.GetRouteAsync(mainKey, cancellationToken);
        if (route.Exists)
        {
            _resolutions.TryRemove(mainKey, out _);
            return new ResolvedHost(mainKey, route, null, null);
        }

        ResolvedHost? resolved = null;
        foreach (var (tag, service) in HostRouting.TagCandidates(label))
        {
            var serviceKey = RoutingKeys.Key(@namespace, service);
            var candidate = await cache.GetRouteAsync(serviceKey, cancellationToken);
            if (candidate.Exists && TrafficSplitter.FindTag(candidate, tag) is { } revision)
            {
                resolved = new ResolvedHost(serviceKey, candidate, tag, revision);
                break;
            }
        }

        if (_resolutions.Count >= MaxResolutions)
        {
            _resolutions.Clear();
        }

        var expiresAt = now + (long)(ResolutionTtl.TotalSeconds * timeProvider.TimestampFrequency);
        _resolutions[mainKey] = new Resolution(resolved?.ServiceKey, resolved?.Tag, expiresAt);
        return resolved;
    }

    /// <summary>
    /// The route of the service a DomainMapping points <paramref name="host"/> at, or null when no mapping routes it
    /// or its service does not exist. Only hosts that can be a DomainMapping's name are looked up (see
    /// <see cref="HostRouting.IsDomainMappingCandidate"/>).
    /// </summary>
    public async ValueTask<ResolvedHost?> ResolveDomainMappingAsync(string host, CancellationToken cancellationToken)
    {
        if (!HostRouting.IsDomainMappingCandidate(host))
        {
            return null;
        }

        var mapping = await cache.GetDomainMappingAsync(host.TrimEnd('.').ToLowerInvariant(), cancellationToken);
        if (mapping is not { Exists: true, ServiceKey: { } serviceKey })
        {
            return null;
        }

        var route = await cache.GetRouteAsync(serviceKey, cancellationToken);
        return route.Exists ? new ResolvedHost(serviceKey, route, null, null) : null;
    }

    private sealed record Resolution(string? ServiceKey, string? Tag, long ExpiresAt);
}
