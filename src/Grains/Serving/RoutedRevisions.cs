using Knative.Orleans.Contracts.Routing;

namespace Knative.Orleans.Grains.Serving;

/// <summary>Which of a service's revisions are routed (pure): min-scale applies only to those.</summary>
public static class RoutedRevisions
{
    /// <summary>
    /// Routed = named by a routing target, or by another route (<paramref name="routedElsewhere"/>: standalone routes'
    /// targets), or the latest created revision (Knative counts a latestRevision target's LCR).
    /// Updates <paramref name="revisions"/> in place and returns the records whose flag changed.
    /// </summary>
    public static List<RevisionRecord> Mark(List<RevisionRecord> revisions, IReadOnlyList<RouteTarget> targets, IEnumerable<string>? routedElsewhere = null)
    {
        var routed = targets.Select(t => t.RevisionName).ToHashSet(StringComparer.Ordinal);
        routed.UnionWith(routedElsewhere ?? []);
        if (revisions.LastOrDefault() is { } latest)
        {
            routed.Add(latest.Name);
        }

        var changed = new List<RevisionRecord>();
        for (var i = 0; i < revisions.Count; i++)
        {
            var record = revisions[i];
            if (record.Routed != routed.Contains(record.Name))
            {
                revisions[i] = record = record with { Routed = !record.Routed };
                changed.Add(record);
            }
        }

        return changed;
    }
}
