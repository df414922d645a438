using Knative.Orleans.Contracts.Conditions;

namespace Knative.Orleans.Grains.Tests.Serving;

/// <summary>ConditionSet: lastTransitionTime moves only when the status changes; the list is sorted by type.</summary>
public sealed class ConditionSetTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private const string At0 = "2026-01-02T03:04:05Z";
    private const string At1 = "2026-01-02T03:05:05Z";

    private static Condition Ready(string status, string? reason = null, string? message = null, string time = At0, string? severity = null) =>
        new() { Type = "Ready", Status = status, Reason = reason, Message = message, LastTransitionTime = time, Severity = severity };

    /// <summary>An existing Ready condition set at T0, set again at T0+1m.</summary>
    public static TheoryData<string, Condition, string, string?, string?, string?, Condition> Updates => new()
    {
        {
            "same status, same reason: time kept",
            Ready("Unknown", "Deploying"), "Unknown", "Deploying", null, null,
            Ready("Unknown", "Deploying")
        },
        {
            "same status, new reason and message: time kept, reason and message replaced",
            Ready("Unknown", "Deploying"), "Unknown", "Queued", "buffered", null,
            Ready("Unknown", "Queued", "buffered")
        },
        {
            "same status, reason cleared",
            Ready("False", "ExitCode3", "Container failed with: boom"), "False", null, null, null,
            Ready("False")
        },
        {
            "Unknown to True: new time",
            Ready("Unknown", "Deploying"), "True", null, null, null,
            Ready("True", time: At1)
        },
        {
            "True to False: new time",
            Ready("True"), "False", "ExitCode1", "Container failed with: x", null,
            Ready("False", "ExitCode1", "Container failed with: x", At1)
        },
        {
            "False to Unknown: new time",
            Ready("False", "RevisionFailed"), "Unknown", null, null, null,
            Ready("Unknown", time: At1)
        },
        {
            "severity replaced",
            Ready("True", severity: "Info"), "True", null, null, null,
            Ready("True")
        },
        {
            "a condition without a time keeps none when its status is unchanged",
            Ready("True") with { LastTransitionTime = null }, "True", null, null, null,
            Ready("True") with { LastTransitionTime = null }
        },
    };

    [Theory]
    [MemberData(nameof(Updates))]
    public void Set_keeps_the_transition_time_while_the_status_is_unchanged(
        string scenario, Condition existing, string status, string? reason, string? message, string? severity, Condition expected)
    {
        var result = ConditionSet.Set([existing], "Ready", status, reason, message, T0.AddMinutes(1), severity);

        Assert.True(result.Count == 1 && expected == result[0], $"{scenario}: got {string.Join(", ", result)}");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Set_adds_a_missing_condition_at_now(bool nullList)
    {
        var result = ConditionSet.Set(nullList ? null : [], "Active", "False", "NoTraffic", "idle", T0.AddMilliseconds(999), "Info");

        Assert.Equal(
            [new Condition { Type = "Active", Status = "False", Reason = "NoTraffic", Message = "idle", LastTransitionTime = At0, Severity = "Info" }],
            result);
    }

    [Fact]
    public void Set_sorts_by_type_ordinally_and_does_not_change_its_input()
    {
        List<Condition> input =
        [
            Ready("True"),
            new() { Type = "ResourcesAvailable", Status = "True", LastTransitionTime = At0 },
            new() { Type = "Active", Status = "True", LastTransitionTime = At0 },
        ];

        var result = ConditionSet.Set(input, "ContainerHealthy", "True", null, null, T0);

        Assert.Equal(["Active", "ContainerHealthy", "Ready", "ResourcesAvailable"], result.Select(c => c.Type));
        Assert.Equal(["Ready", "ResourcesAvailable", "Active"], input.Select(c => c.Type));
        Assert.NotSame(input, result);

        // Ordinal: upper case before lower case, as Go's sort of strings.
        var mixed = ConditionSet.Set(ConditionSet.Set(null, "b", "True", null, null, T0), "C", "True", null, null, T0);
        Assert.Equal(["C", "b"], mixed.Select(c => c.Type));
    }

    [Fact]
    public void Time_is_UTC_with_second_precision()
    {
        var result = ConditionSet.Set(null, "Ready", "True", null, null, new DateTimeOffset(2026, 1, 2, 5, 4, 5, 678, TimeSpan.FromHours(2)));

        Assert.Equal(At0, result[0].LastTransitionTime);
    }

    public static TheoryData<string, string?, bool> Lookups => new()
    {
        { "Ready", "True", true },
        { "Active", "False", false },
        { "ContainerHealthy", "Unknown", false },
        { "Missing", null, false },
    };

    [Theory]
    [MemberData(nameof(Lookups))]
    public void Get_and_IsTrue(string type, string? status, bool isTrue)
    {
        List<Condition> conditions =
        [
            new() { Type = "Active", Status = "False" },
            new() { Type = "ContainerHealthy", Status = "Unknown" },
            new() { Type = "Ready", Status = "True" },
        ];

        Assert.Equal(status, ConditionSet.Get(conditions, type)?.Status);
        Assert.Equal(isTrue, ConditionSet.IsTrue(conditions, type));
        Assert.Null(ConditionSet.Get(null, type));
        Assert.False(ConditionSet.IsTrue(null, type));
    }
}
