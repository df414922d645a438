using Knative.Orleans.Contracts.Conditions;
using Knative.Orleans.Contracts.Serving;

namespace Knative.Orleans.Grains.Serving;

/// <summary>Facts about a revision's instances.</summary>
/// <param name="Ready">Ready instances.</param>
/// <param name="Desired">Desired instances.</param>
/// <param name="EverReady">An instance was ready at least once.</param>
/// <param name="FailureReason">Set when the last start failed before becoming ready (<c>ExitCode3</c>).</param>
/// <param name="FailureMessage">The failure's message.</param>
/// <param name="Active">The autoscaler's Active condition; when null it is derived from <paramref name="Ready"/> and <paramref name="Desired"/>.</param>
public readonly record struct RevisionFacts(
    int Ready, int Desired, bool EverReady, string? FailureReason, string? FailureMessage, Autoscaling.ActiveCondition? Active = null);

/// <summary>Revision conditions as Knative reports them (pure; knative/serving revision_lifecycle.go).</summary>
public static class RevisionConditions
{
    /// <summary>Reason while instances come up.</summary>
    public const string Deploying = "Deploying";

    /// <summary>Computes the four conditions.</summary>
    public static List<Condition> Build(IReadOnlyList<Condition>? current, RevisionFacts f, DateTimeOffset now)
    {
        var list = current;
        if (f.Ready > 0 || (f.EverReady && f.FailureReason is null))
        {
            list = ConditionSet.Set(list, ServingConditions.ContainerHealthy, ConditionStatus.True, null, null, now);
            list = ConditionSet.Set(list, ServingConditions.ResourcesAvailable, ConditionStatus.True, null, null, now);
        }
        else if (f.FailureReason is not null)
        {
            list = ConditionSet.Set(list, ServingConditions.ContainerHealthy, ConditionStatus.False, f.FailureReason, f.FailureMessage, now);
            list = ConditionSet.Set(list, ServingConditions.ResourcesAvailable, ConditionStatus.False, f.FailureReason, f.FailureMessage, now);
        }
        else
        {
            list = ConditionSet.Set(list, ServingConditions.ContainerHealthy, ConditionStatus.Unknown, Deploying, null, now);
            list = ConditionSet.Set(list, ServingConditions.ResourcesAvailable, ConditionStatus.Unknown, Deploying, null, now);
        }

        list = f.Active is { } active
            ? ConditionSet.Set(list, ServingConditions.Active, active.Status, active.Reason, active.Message, now, "Info")
            : f.Ready > 0
            ? ConditionSet.Set(list, ServingConditions.Active, ConditionStatus.True, null, null, now, "Info")
            : f.Desired == 0
                ? ConditionSet.Set(list, ServingConditions.Active, ConditionStatus.False, "NoTraffic", "The target is not receiving traffic.", now, "Info")
                : ConditionSet.Set(list, ServingConditions.Active, ConditionStatus.Unknown, "Queued",
                    "Requests to the target are being buffered as resources are provisioned.", now, "Info");

        var healthy = ConditionSet.Get(list, ServingConditions.ContainerHealthy)!;
        var resources = ConditionSet.Get(list, ServingConditions.ResourcesAvailable)!;
        var source = new[] { resources, healthy }.FirstOrDefault(c => c.Status == ConditionStatus.False)
            ?? new[] { resources, healthy }.FirstOrDefault(c => c.Status == ConditionStatus.Unknown);
        return source is null
            ? ConditionSet.Set(list, ServingConditions.Ready, ConditionStatus.True, null, null, now)
            : ConditionSet.Set(list, ServingConditions.Ready, source.Status, source.Reason, source.Message, now);
    }
}
