namespace Knative.Orleans.Grains.Serving;

/// <summary>A revision as revision garbage collection sees it.</summary>
/// <param name="Name">Revision name.</param>
/// <param name="Created">Its creation time.</param>
/// <param name="RoutingStateModified">When it last changed between routed and not routed (Knative's
/// <c>serving.knative.dev/routingStateModified</c>); null when never.</param>
/// <param name="Routed">Traffic uses it: a route target (with percent or a tag) or the latest created revision
/// (Knative: routingState <c>active</c> or <c>pending</c>).</param>
/// <param name="Preserved">It carries <c>serving.knative.dev/no-gc: "true"</c>.</param>
public sealed record GcRevision(string Name, DateTimeOffset Created, DateTimeOffset? RoutingStateModified, bool Routed, bool Preserved)
{
    /// <summary>Knative's last active time: routingStateModified, else the creation time.</summary>
    public DateTimeOffset LastActive => RoutingStateModified ?? Created;
}

/// <summary>
/// Which revisions of one configuration to delete (pure): Knative's v2 collector, knative/serving
/// pkg/reconciler/gc/v2/gc.go <c>Collect</c>.
/// </summary>
/// <remarks>
/// Never deleted: the latest ready revision, routed revisions (targets, tags, the latest created one) and preserved
/// ones (<c>serving.knative.dev/no-gc</c>). The others are non-active. Nothing is deleted when every rule is disabled,
/// when there are at most <c>min-non-active-revisions</c> revisions in all, or at most that many non-active ones. Then,
/// oldest last-active first, stale revisions are deleted while more than <c>min</c> non-active remain (stale = older
/// than <c>retain-since-create-time</c> and inactive for longer than <c>retain-since-last-active-time</c>, each check
/// only when enabled; never stale when both are disabled). Finally, when more than <c>max-non-active-revisions</c>
/// non-stale non-active revisions remain, the oldest beyond that number are deleted too.
/// </remarks>
public static class RevisionGc
{
    /// <summary>The names to delete, in deletion order.</summary>
    public static IReadOnlyList<string> Collect(
        IReadOnlyList<GcRevision> revisions, string? latestReadyRevision, RevisionGcConfig config, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(revisions);
        ArgumentNullException.ThrowIfNull(config);
        var min = config.MinNonActiveRevisions;
        if (config.Disabled || revisions.Count <= min)
        {
            return [];
        }

        var nonActive = revisions
            .Where(r => r.Name != latestReadyRevision && !r.Routed && !r.Preserved)
            .OrderBy(r => r.LastActive)
            .ThenBy(r => r.Name, StringComparer.Ordinal)
            .ToList();
        if (nonActive.Count <= min)
        {
            return [];
        }

        var deleted = new List<string>();
        var kept = new List<GcRevision>();
        foreach (var revision in nonActive)
        {
            // At most Count - min deletions for staleness: min non-active revisions always remain.
            if (deleted.Count < nonActive.Count - min && IsStale(revision, config, now))
            {
                deleted.Add(revision.Name);
            }
            else
            {
                kept.Add(revision);
            }
        }

        if (config.MaxNonActiveRevisions is { } max && kept.Count > max)
        {
            // kept is in last-active order: the oldest beyond max go.
            deleted.AddRange(kept.Take(kept.Count - (int)max).Select(r => r.Name));
        }

        return deleted;
    }

    /// <summary>Knative's <c>isRevisionStale</c>.</summary>
    public static bool IsStale(GcRevision revision, RevisionGcConfig config, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(revision);
        ArgumentNullException.ThrowIfNull(config);
        if (config.RetainSinceCreateTime is null && config.RetainSinceLastActiveTime is null)
        {
            return false;
        }

        if (config.RetainSinceCreateTime is { } sinceCreate && now - revision.Created < sinceCreate)
        {
            return false;
        }

        return config.RetainSinceLastActiveTime is not { } sinceActive || now - revision.LastActive >= sinceActive;
    }
}
