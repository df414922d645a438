using Knative.Orleans.Contracts.Routing;

namespace Knative.Orleans.Gateway.Routing;

/// <summary>Chooses the revision for one request from a route snapshot: weighted random over the traffic percents.</summary>
public static class TrafficSplitter
{
    /// <summary>
    /// A revision name chosen with probability Percent / ΣPercent among targets with Percent &gt; 0; when no target
    /// takes traffic, the route's <see cref="RouteSnapshot.PendingRevision"/> (a first revision that is not ready yet);
    /// otherwise null.
    /// </summary>
    /// <param name="route">The service's route.</param>
    /// <param name="random">Returns a value in [0, maxExclusive).</param>
    /// <example>Targets a=90, b=10: <paramref name="random"/>(100) in 0..89 gives a, 90..99 gives b.</example>
    public static string? Choose(RouteSnapshot route, Random random)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(random);

        var total = 0;
        foreach (var target in route.Targets)
        {
            total += Math.Max(0, target.Percent);
        }

        if (total == 0)
        {
            return string.IsNullOrEmpty(route.PendingRevision) ? null : route.PendingRevision;
        }

        var roll = random.Next(total);
        foreach (var target in route.Targets)
        {
            if (target.Percent <= 0)
            {
                continue;
            }

            if (roll < target.Percent)
            {
                return target.RevisionName;
            }

            roll -= target.Percent;
        }

        // Unreachable: roll < total.
        return null;
    }

    /// <summary>The revision of the target tagged <paramref name="tag"/> (compared without regard to case), or null.</summary>
    public static string? FindTag(RouteSnapshot route, string? tag)
    {
        ArgumentNullException.ThrowIfNull(route);
        if (string.IsNullOrEmpty(tag))
        {
            return null;
        }

        foreach (var target in route.Targets)
        {
            if (string.Equals(target.Tag, tag, StringComparison.OrdinalIgnoreCase))
            {
                return target.RevisionName;
            }
        }

        return null;
    }
}
