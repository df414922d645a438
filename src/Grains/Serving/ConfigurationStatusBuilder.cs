using Knative.Orleans.Contracts.Conditions;
using Knative.Orleans.Contracts.Serving;

namespace Knative.Orleans.Grains.Serving;

/// <summary>A standalone Configuration's status from its stamped revisions (pure; knative/serving <c>configuration_lifecycle.go</c>).</summary>
public static class ConfigurationStatusBuilder
{
    /// <summary>
    /// latestCreatedRevisionName = the newest stamped revision; latestReadyRevisionName = the newest Ready one. Ready is True
    /// when they are the same, False (<c>RevisionFailed</c>, "Revision "x" failed with message: m.") when the latest created
    /// failed, else Unknown.
    /// </summary>
    /// <remarks>
    /// With <paramref name="revisionNameTaken"/> (the template's BYO name is held by a conflicting revision) Ready is False,
    /// <c>RevisionFailed</c>, <see cref="CreationFailedMessage"/>.
    /// </remarks>
    public static ConfigurationStatus Build(
        ConfigurationStatus? previous, long generation, IReadOnlyList<RevisionRecord> revisions, DateTimeOffset now, string? revisionNameTaken = null)
    {
        ArgumentNullException.ThrowIfNull(revisions);
        var latestCreated = revisions.Count > 0 ? revisions[^1] : null;
        var latestReady = revisions.LastOrDefault(r => r.Ready == ConditionStatus.True);
        var conditions = revisionNameTaken is not null
            ? ConditionSet.Set(previous?.Conditions, ServingConditions.Ready, ConditionStatus.False, "RevisionFailed", CreationFailedMessage(revisionNameTaken), now)
            : latestCreated switch
            {
                { Ready: ConditionStatus.True } => ConditionSet.Set(previous?.Conditions, ServingConditions.Ready, ConditionStatus.True, null, null, now),
                { Ready: ConditionStatus.False } r => ConditionSet.Set(previous?.Conditions, ServingConditions.Ready, ConditionStatus.False,
                    "RevisionFailed", $"Revision \"{r.Name}\" failed with message: {r.Message}.", now),
                _ => ConditionSet.Set(previous?.Conditions, ServingConditions.Ready, ConditionStatus.Unknown, null, null, now),
            };
        return new ConfigurationStatus
        {
            ObservedGeneration = generation,
            Conditions = conditions,
            LatestCreatedRevisionName = latestCreated?.Name,
            LatestReadyRevisionName = latestReady?.Name,
        };
    }

    /// <summary>
    /// Knative's <c>MarkRevisionCreationFailed</c> for the AlreadyExists error of a revision create:
    /// <c>Revision creation failed with message: revisions.serving.knative.dev "name" already exists.</c>
    /// </summary>
    public static string CreationFailedMessage(string revisionName) =>
        $"Revision creation failed with message: revisions.serving.knative.dev \"{revisionName}\" already exists.";

    /// <summary>The facts a route resolves against.</summary>
    public static ConfigurationFacts Facts(ConfigurationStatus? status, IReadOnlyList<RevisionRecord> revisions) => new()
    {
        Exists = true,
        LatestCreatedRevisionName = status?.LatestCreatedRevisionName,
        LatestReadyRevisionName = status?.LatestReadyRevisionName,
        Revisions = revisions.Select(r => new RevisionReadiness { RevisionName = r.Name, Ready = r.Ready, Reason = r.Reason, Message = r.Message })
            .ToArray(),
    };
}
