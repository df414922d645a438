using System.Globalization;
using Knative.Orleans.Contracts.Conditions;
using Knative.Orleans.Grains.Serving;

namespace Knative.Orleans.Grains.Tests.Serving;

/// <summary>RevisionConditions: Ready = ResourcesAvailable ∧ ContainerHealthy; Active is informational (KNATIVE-NOTES 1.4).</summary>
public sealed class RevisionConditionsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private const string QueuedMessage = "Requests to the target are being buffered as resources are provisioned.";
    private const string NoTrafficMessage = "The target is not receiving traffic.";

    /// <summary>An expected condition (the time is checked separately).</summary>
    public sealed record Cond(string Type, string Status, string? Reason = null, string? Message = null, string? Severity = null);

    private static Cond Active(string status, string? reason = null, string? message = null) => new("Active", status, reason, message, "Info");

    private static Cond[] Rest(string status, string? reason = null, string? message = null) =>
    [
        new("ContainerHealthy", status, reason, message),
        new("Ready", status, reason, message),
        new("ResourcesAvailable", status, reason, message),
    ];

    public static TheoryData<string, RevisionFacts, Cond[]> Cases => new()
    {
        {
            "deploying: a new revision wants its initial scale",
            new(Ready: 0, Desired: 1, EverReady: false, null, null),
            [Active("Unknown", "Queued", QueuedMessage), .. Rest("Unknown", "Deploying")]
        },
        {
            "deploying several instances, one ready",
            new(Ready: 1, Desired: 3, EverReady: true, null, null),
            [Active("True"), .. Rest("True")]
        },
        {
            "ready",
            new(Ready: 1, Desired: 1, EverReady: true, null, null),
            [Active("True"), .. Rest("True")]
        },
        {
            "ready while another instance failed to start",
            new(Ready: 2, Desired: 3, EverReady: true, "ExitCode1", "Container failed with: x"),
            [Active("True"), .. Rest("True")]
        },
        {
            "at zero: Active False NoTraffic, still Ready",
            new(Ready: 0, Desired: 0, EverReady: true, null, null),
            [Active("False", "NoTraffic", NoTrafficMessage), .. Rest("True")]
        },
        {
            "cold start from zero: Active Unknown Queued, still Ready",
            new(Ready: 0, Desired: 1, EverReady: true, null, null),
            [Active("Unknown", "Queued", QueuedMessage), .. Rest("True")]
        },
        {
            "failed before becoming ready",
            new(Ready: 0, Desired: 1, EverReady: false, "ExitCode3", "Container failed with: boom"),
            [Active("Unknown", "Queued", QueuedMessage), .. Rest("False", "ExitCode3", "Container failed with: boom")]
        },
        {
            "failed and scaled to zero",
            new(Ready: 0, Desired: 0, EverReady: false, "ExitCode137", "Container failed with: killed"),
            [Active("False", "NoTraffic", NoTrafficMessage), .. Rest("False", "ExitCode137", "Container failed with: killed")]
        },
        {
            "a cold start that fails after the revision was ready once",
            new(Ready: 0, Desired: 1, EverReady: true, "ExitCode1", "Container failed with: port in use"),
            [Active("Unknown", "Queued", QueuedMessage), .. Rest("False", "ExitCode1", "Container failed with: port in use")]
        },
        {
            "the process could not be spawned",
            new(Ready: 0, Desired: 1, EverReady: false, "ExitCode-1", "Container failed with: No such file or directory"),
            [Active("Unknown", "Queued", QueuedMessage), .. Rest("False", "ExitCode-1", "Container failed with: No such file or directory")]
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Builds_the_four_conditions(string scenario, RevisionFacts facts, Cond[] expected)
    {
        var conditions = RevisionConditions.Build(null, facts, T0);

        Assert.True(
            expected.SequenceEqual(conditions.Select(c => new Cond(c.Type, c.Status, c.Reason, c.Message, c.Severity))),
            $"{scenario}: got {string.Join("; ", conditions)}");
        Assert.All(conditions, c => Assert.Equal("2026-01-02T03:04:05Z", c.LastTransitionTime));
    }

    /// <summary>Seconds after T0, the facts, and the expected transition second of Active, ContainerHealthy, Ready, ResourcesAvailable.</summary>
    public sealed record Step(int At, RevisionFacts Facts, int Active, int Healthy, int Ready, int Resources);

    [Fact]
    public void Transition_times_move_only_with_the_status()
    {
        Step[] timeline =
        [
            new(0, new(0, 1, false, null, null), 0, 0, 0, 0), // deploying
            new(2, new(0, 1, false, null, null), 0, 0, 0, 0), // still deploying
            new(4, new(1, 1, true, null, null), 4, 4, 4, 4), // ready
            new(70, new(0, 0, true, null, null), 70, 4, 4, 4), // scaled to zero
            new(80, new(0, 1, true, null, null), 80, 4, 4, 4), // cold start queued
            new(82, new(1, 1, true, null, null), 82, 4, 4, 4), // active again
            new(84, new(1, 1, true, null, null), 82, 4, 4, 4), // nothing changed
            new(90, new(0, 1, true, "ExitCode1", "Container failed with: x"), 90, 90, 90, 90), // crashed on the next cold start
        ];

        List<Condition>? conditions = null;
        foreach (var step in timeline)
        {
            conditions = RevisionConditions.Build(conditions, step.Facts, T0.AddSeconds(step.At));

            int Second(string type) => (int)(DateTimeOffset.Parse(ConditionSet.Get(conditions, type)!.LastTransitionTime!, CultureInfo.InvariantCulture) - T0).TotalSeconds;
            Assert.Equal(
                (step.Active, step.Healthy, step.Ready, step.Resources),
                (Second("Active"), Second("ContainerHealthy"), Second("Ready"), Second("ResourcesAvailable")));
        }
    }
}
