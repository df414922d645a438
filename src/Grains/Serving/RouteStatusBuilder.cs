using Knative.Orleans.Contracts.Routing;
using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Grains.Traffic;

namespace Knative.Orleans.Grains.Serving;

/// <summary>A standalone route's observed state.</summary>
/// <param name="Status">Route status.</param>
/// <param name="Targets">Routing targets in effect (the last good ones while the traffic cannot resolve).</param>
/// <param name="PendingRevision">The revision to hold requests for while no target is routable.</param>
public sealed record RouteObservation(RouteStatus Status, RouteTarget[] Targets, string? PendingRevision);

/// <summary>Computes a standalone Route's status and routing from the facts of the configurations and revisions it names (pure).</summary>
public static class RouteStatusBuilder
{
    /// <summary>
    /// The configurations the route depends on: every <c>configurationName</c>, and the configuration (label
    /// <c>serving.knative.dev/configuration</c>) of every named revision, given as <paramref name="revisionConfigurations"/>.
    /// </summary>
    public static SortedSet<string> Dependencies(Route route, IReadOnlyDictionary<string, string?> revisionConfigurations)
    {
        ArgumentNullException.ThrowIfNull(route);
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var target in route.Spec?.Traffic ?? [])
        {
            if (!string.IsNullOrEmpty(target.ConfigurationName))
            {
                names.Add(target.ConfigurationName);
            }
            else if (!string.IsNullOrEmpty(target.RevisionName) && revisionConfigurations.GetValueOrDefault(target.RevisionName) is { Length: > 0 } owner)
            {
                names.Add(owner);
            }
        }

        return names;
    }

    /// <summary>
    /// Resolves the route: status (conditions, url, address, traffic), the routing targets (the last good ones while the
    /// traffic does not resolve) and the revision to hold requests for while none is routable (the latest created
    /// revision of the first configuration target, or the first named revision that exists).
    /// </summary>
    public static RouteObservation Build(
        Route route, RouteStatus? previous, RouteTarget[] lastGood, IReadOnlyDictionary<string, ConfigurationFacts> configurations,
        IReadOnlyList<RevisionFact> revisions, string domain, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(route);
        var meta = route.Metadata!;
        var name = meta.Name!;
        var ns = meta.Namespace!;
        var facts = configurations.Where(c => c.Value.Exists).ToDictionary(c => c.Key, c => new ConfigurationFact(
            c.Value.LatestReadyRevisionName,
            c.Value.Revisions.Any(r => r.RevisionName == c.Value.LatestCreatedRevisionName && r.Ready == Contracts.Conditions.ConditionStatus.False)),
            StringComparer.Ordinal);
        var traffic = TrafficResolver.Resolve(name, ns, domain, route.Spec?.Traffic ?? [], revisions, facts, implicitConfiguration: null);
        var targets = traffic.Targets ?? lastGood;
        var status = new RouteStatus
        {
            ObservedGeneration = meta.Generation,
            Conditions = ServiceStatusBuilder.RouteConditions(previous?.Conditions, traffic, now),
            Url = $"http://{name}.{ns}.{domain}",
            Address = new Addressable { Url = $"http://{name}.{ns}.svc.cluster.local" },
            Traffic = traffic.StatusTraffic ?? previous?.Traffic,
        };
        string? pending = null;
        if (!targets.Any(t => t.Percent > 0))
        {
            pending = (route.Spec?.Traffic ?? []).Where(t => (t.Percent ?? 0) > 0)
                .Select(t => string.IsNullOrEmpty(t.ConfigurationName)
                    ? revisions.Any(r => r.Name == t.RevisionName) ? t.RevisionName : null
                    : configurations.GetValueOrDefault(t.ConfigurationName)?.LatestCreatedRevisionName)
                .FirstOrDefault(n => n is not null);
        }

        return new RouteObservation(status, targets, pending);
    }
}
