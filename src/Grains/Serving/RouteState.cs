using Knative.Orleans.Contracts.Routing;
using Knative.Orleans.Contracts.Serving;

namespace Knative.Orleans.Grains.Serving;

/// <summary>Persisted state of a <see cref="RouteGrain"/>.</summary>
[GenerateSerializer, Alias("kn.RouteState")]
public sealed class RouteState
{
    /// <summary>The route as stored: metadata and the defaulted spec; status below.</summary>
    [Id(0)] public Route? Route { get; set; }

    /// <summary>The computed status (kept so that lastTransitionTime is stable).</summary>
    [Id(1)] public RouteStatus? Status { get; set; }

    /// <summary>The last routing that resolved completely; it keeps serving while a newer one cannot resolve.</summary>
    [Id(2)] public RouteTarget[] LastGoodTargets { get; set; } = [];

    /// <summary>Bumped on every stored change (metadata.resourceVersion).</summary>
    [Id(3)] public long ResourceVersion { get; set; }

    /// <summary>The configurations this route is registered with as a watcher.</summary>
    [Id(4)] public HashSet<string> Watched { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The revision to hold requests for while no target is routable.</summary>
    [Id(5)] public string? PendingRevision { get; set; }

    /// <summary>Gradual rollouts of the latestRevision targets, keyed <c>{configuration}/{tag}</c>.</summary>
    [Id(6)] public List<Traffic.ConfigurationRollout> Rollouts { get; set; } = [];
}
