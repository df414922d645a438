using Knative.Orleans.Contracts.Conditions;
using Knative.Orleans.Contracts.Routing;
using Knative.Orleans.Contracts.Serving;

namespace Knative.Orleans.Grains.Traffic;

/// <summary>A revision as the route resolver sees it.</summary>
/// <param name="Name">Revision name.</param>
/// <param name="Ready">The revision's Ready status (True/False/Unknown).</param>
public readonly record struct RevisionFact(string Name, string Ready);

/// <summary>A configuration as the route resolver sees it.</summary>
/// <param name="LatestReady">Its latest ready revision, or null.</param>
/// <param name="LatestCreatedFailed">True when its latest created revision failed (and so it has no ready one coming).</param>
public readonly record struct ConfigurationFact(string? LatestReady, bool LatestCreatedFailed);

/// <summary>The result of resolving <c>spec.traffic</c>.</summary>
public sealed record TrafficResolution
{
    /// <summary>True when every target names a ready revision.</summary>
    public required bool AllAssigned { get; init; }

    /// <summary>AllTrafficAssigned status: True, False or Unknown.</summary>
    public required string Status { get; init; }

    /// <summary>Reason when not True (<c>RevisionMissing</c>).</summary>
    public string? Reason { get; init; }

    /// <summary>Message when not True.</summary>
    public string? Message { get; init; }

    /// <summary><c>status.traffic</c>, one entry per spec entry, when all targets are assigned.</summary>
    public List<TrafficTarget>? StatusTraffic { get; init; }

    /// <summary>Routing targets (percent summed per revision and tag), when all targets are assigned.</summary>
    public RouteTarget[]? Targets { get; init; }
}

/// <summary>
/// Resolves a route's traffic targets against the revisions that exist (pure; knative/serving pkg/reconciler/route/traffic).
/// <c>latestRevision</c> resolves to the latest ready revision; <c>percent</c> is always set in status; tags get their URL.
/// </summary>
public static class TrafficResolver
{
    /// <summary>Resolves a Service's <paramref name="traffic"/> (already defaulted) against its one configuration.</summary>
    public static TrafficResolution Resolve(
        string routeName, string @namespace, string domain, string configurationName,
        IReadOnlyList<TrafficTarget> traffic, IReadOnlyList<RevisionFact> revisions, string? latestReady, string? latestCreated)
    {
        var failed = latestCreated is not null && revisions.Any(r => r.Name == latestCreated && r.Ready == ConditionStatus.False);
        var configurations = new Dictionary<string, ConfigurationFact>(StringComparer.Ordinal)
        {
            [configurationName] = new ConfigurationFact(latestReady, failed),
        };
        return Resolve(routeName, @namespace, domain, traffic, revisions, configurations, configurationName);
    }

    /// <summary>
    /// Resolves a Route's <paramref name="traffic"/> (already defaulted): a <c>configurationName</c> target (or, with
    /// <paramref name="implicitConfiguration"/>, a target naming nothing) follows that configuration's latest ready revision;
    /// a <c>revisionName</c> target must name a ready revision in <paramref name="revisions"/>. Configurations absent from
    /// <paramref name="configurations"/> do not exist.
    /// </summary>
    public static TrafficResolution Resolve(
        string routeName, string @namespace, string domain, IReadOnlyList<TrafficTarget> traffic, IReadOnlyList<RevisionFact> revisions,
        IReadOnlyDictionary<string, ConfigurationFact> configurations, string? implicitConfiguration)
    {
        var status = new List<TrafficTarget>();
        (string Status, string Reason, string Message)? problem = null;
        foreach (var target in traffic)
        {
            var latest = target.LatestRevision ?? string.IsNullOrEmpty(target.RevisionName);
            string? name;
            if (latest)
            {
                var configurationName = string.IsNullOrEmpty(target.ConfigurationName) ? implicitConfiguration ?? "" : target.ConfigurationName;
                if (!configurations.TryGetValue(configurationName, out var configuration))
                {
                    Defer(ref problem, (ConditionStatus.False, "ConfigurationMissing", $"Configuration \"{configurationName}\" referenced in traffic not found."));
                    continue;
                }

                name = configuration.LatestReady;
                if (name is null)
                {
                    Defer(ref problem, configuration.LatestCreatedFailed
                        ? (ConditionStatus.False, "RevisionMissing", $"Configuration \"{configurationName}\" does not have any ready Revision.")
                        : (ConditionStatus.Unknown, "RevisionMissing", $"Configuration \"{configurationName}\" is waiting for a Revision to become ready."));
                    continue;
                }
            }
            else
            {
                name = target.RevisionName!;
                var fact = revisions.FirstOrDefault(r => r.Name == name);
                if (fact.Name is null)
                {
                    Defer(ref problem, (ConditionStatus.False, "RevisionMissing", $"Revision \"{name}\" referenced in traffic not found."));
                    continue;
                }

                if (fact.Ready != ConditionStatus.True)
                {
                    Defer(ref problem, fact.Ready == ConditionStatus.False
                        ? (ConditionStatus.False, "RevisionMissing", $"Revision \"{name}\" failed to become ready.")
                        : (ConditionStatus.Unknown, "RevisionMissing", $"Revision \"{name}\" is not yet ready."));
                    continue;
                }
            }

            status.Add(new TrafficTarget
            {
                Tag = target.Tag,
                RevisionName = name,
                LatestRevision = latest,
                Percent = target.Percent ?? 0,
                Url = string.IsNullOrEmpty(target.Tag) ? null : $"http://{target.Tag}-{routeName}.{@namespace}.{domain}",
            });
        }

        if (problem is { } p)
        {
            return new TrafficResolution { AllAssigned = false, Status = p.Status, Reason = p.Reason, Message = p.Message };
        }

        var targets = status
            .GroupBy(t => (t.RevisionName!, t.Tag))
            .Select(g => new RouteTarget { RevisionName = g.Key.Item1, Tag = g.Key.Tag, Percent = (int)g.Sum(t => t.Percent ?? 0) })
            .ToArray();
        return new TrafficResolution { AllAssigned = true, Status = ConditionStatus.True, StatusTraffic = status, Targets = targets };
    }

    /// <summary>
    /// Keeps the first problem, but a failure (False) replaces any earlier one, as knative's <c>deferTargetError</c> does:
    /// a route with one missing or failed target is False even when an earlier target is merely not ready yet.
    /// </summary>
    private static void Defer(ref (string Status, string Reason, string Message)? problem, (string Status, string Reason, string Message) next)
    {
        if (problem is null || next.Status == ConditionStatus.False)
        {
            problem = next;
        }
    }
}
