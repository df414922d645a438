using Knative.Orleans.Contracts.Conditions;

namespace Knative.Orleans.Grains.Autoscaling;

/// <summary>
/// The PodAutoscaler <c>Active</c> condition the revision mirrors: True (Active), Unknown (Activating) or False (Inactive),
/// with Knative's reasons and messages (knative/serving <c>pkg/reconciler/autoscaling/kpa/kpa.go</c>,
/// <c>computeActiveCondition</c>). Its transition time changes only when status, reason or message change.
/// </summary>
[GenerateSerializer, Immutable, Alias("kn.ActiveCondition")]
public sealed record ActiveCondition
{
    /// <summary>Reason when nothing is wanted.</summary>
    public const string NoTrafficReason = "NoTraffic";

    /// <summary>Message for <see cref="NoTrafficReason"/>.</summary>
    public const string NoTrafficMessage = "The target is not receiving traffic.";

    /// <summary>Reason while fewer instances are ready than needed (activating).</summary>
    public const string QueuedReason = "Queued";

    /// <summary>Message for <see cref="QueuedReason"/>.</summary>
    public const string QueuedMessage = "Requests to the target are being buffered as resources are provisioned.";

    /// <summary>Reason after activating for longer than the progress deadline plus 30 s.</summary>
    public const string TimedOutReason = "TimedOut";

    /// <summary>Message for <see cref="TimedOutReason"/>.</summary>
    public const string TimedOutMessage = "The target could not be activated.";

    /// <summary><see cref="ConditionStatus"/> True, False or Unknown.</summary>
    [Id(0)] public string Status { get; init; } = ConditionStatus.Unknown;

    /// <summary>CamelCase reason; null when Active.</summary>
    [Id(1)] public string? Reason { get; init; }

    /// <summary>Human-readable message; null when Active.</summary>
    [Id(2)] public string? Message { get; init; }

    /// <summary>When status, reason or message last changed.</summary>
    [Id(3)] public DateTimeOffset LastTransitionTime { get; init; }

    /// <summary>Active=True.</summary>
    public bool IsActive => Status == ConditionStatus.True;

    /// <summary>Active=Unknown: activating.</summary>
    public bool IsActivating => Status == ConditionStatus.Unknown;

    /// <summary>Active=False.</summary>
    public bool IsInactive => Status == ConditionStatus.False;

    /// <summary>The condition as a new PodAutoscaler has it: Unknown, no reason, since <paramref name="now"/>.</summary>
    public static ActiveCondition Initial(DateTimeOffset now) => new() { LastTransitionTime = now };

    /// <summary>How long the condition has had its current status.</summary>
    public TimeSpan For(DateTimeOffset now) => now - LastTransitionTime;

    /// <summary>Active=True.</summary>
    public ActiveCondition MarkActive(DateTimeOffset now) => Set(ConditionStatus.True, null, null, now);

    /// <summary>Active=Unknown with <paramref name="reason"/>.</summary>
    public ActiveCondition MarkActivating(string reason, string message, DateTimeOffset now) =>
        Set(ConditionStatus.Unknown, reason, message, now);

    /// <summary>Active=False with <paramref name="reason"/>.</summary>
    public ActiveCondition MarkInactive(string reason, string message, DateTimeOffset now) =>
        Set(ConditionStatus.False, reason, message, now);

    // knative.dev/pkg apis.ConditionSet.SetCondition: only a real change moves the transition time.
    private ActiveCondition Set(string status, string? reason, string? message, DateTimeOffset now) =>
        (Status, Reason, Message) == (status, reason, message)
            ? this
            : new ActiveCondition { Status = status, Reason = reason, Message = message, LastTransitionTime = now };
}
