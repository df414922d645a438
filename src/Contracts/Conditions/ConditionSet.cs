namespace Knative.Orleans.Contracts.Conditions;

/// <summary>
/// Helpers that set a condition in a list, keeping <c>lastTransitionTime</c> when the status did not change
/// (Knative's <c>ConditionManager</c> semantics).
/// </summary>
public static class ConditionSet
{
    /// <summary>Returns <paramref name="conditions"/> with <paramref name="type"/> set; sorted by type.</summary>
    public static List<Condition> Set(
        IReadOnlyList<Condition>? conditions, string type, string status, string? reason, string? message,
        DateTimeOffset now, string? severity = null)
    {
        var list = conditions is null ? new List<Condition>() : new List<Condition>(conditions);
        var index = list.FindIndex(c => c.Type == type);
        var existing = index >= 0 ? list[index] : null;
        var time = existing is not null && existing.Status == status
            ? existing.LastTransitionTime
            : Timestamps.Format(now);
        var updated = new Condition
        {
            Type = type,
            Status = status,
            Reason = reason,
            Message = message,
            LastTransitionTime = time,
            Severity = severity,
        };
        if (index >= 0)
        {
            list[index] = updated;
        }
        else
        {
            list.Add(updated);
        }

        list.Sort((a, b) => string.CompareOrdinal(a.Type, b.Type));
        return list;
    }

    /// <summary>Finds a condition by type.</summary>
    public static Condition? Get(IReadOnlyList<Condition>? conditions, string type) =>
        conditions?.FirstOrDefault(c => c.Type == type);

    /// <summary>True when the condition exists with status True.</summary>
    public static bool IsTrue(IReadOnlyList<Condition>? conditions, string type) =>
        Get(conditions, type)?.Status == ConditionStatus.True;
}
