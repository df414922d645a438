using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Grains.Traffic;

namespace Knative.Orleans.Grains.Tests.Traffic;

/// <summary>Gradual rollout steps (knative/serving rollout.go, KNATIVE-NOTES 1.5) on a scripted timeline.</summary>
public sealed class RolloutPlannerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static string Show(ConfigurationRollout r) => string.Join(" ", r.Revisions.Select(x => $"{x.Name}:{x.Percent}"));

    private static ConfigurationRollout Settled(string name, int percent = 100) =>
        RolloutPlanner.Next(null, "", percent, name, TimeSpan.FromSeconds(60), T0.AddHours(-1));

    /// <summary>(at seconds after T0, action: "lrr NAME" | "ready" | "tick", expected split after it).</summary>
    public static TheoryData<string, int, double, (double At, string Action, string Want)[]> Scripts => new()
    {
        {
            "60 s, observed ready after 0.5 s: 59 steps of 2 points every second", 100, 60,
            [
                (0, "lrr v2", "v1:99 v2:1"),
                (0.5, "ready", "v1:99 v2:1"),
                (1.4, "tick", "v1:99 v2:1"),
                (1.5, "tick", "v1:97 v2:3"),
                (2.5, "tick", "v1:95 v2:5"),
                (49.5, "tick", "v1:1 v2:99"),
                (50.5, "tick", "v2:100"),
                (51.5, "tick", "v2:100"),
            ]
        },
        {
            "10 s, observed after 2.2 s: minStep 3 s, D 7 s, 2.33 steps of 42 points every 3 s", 100, 10,
            [
                (0, "lrr v2", "v1:99 v2:1"),
                (2.2, "ready", "v1:99 v2:1"),
                (5.2, "tick", "v1:57 v2:43"),
                (8.2, "tick", "v1:15 v2:85"),
                (11.2, "tick", "v2:100"),
            ]
        },
        {
            "a newer revision mid-rollout takes 1% from the newest older one, then drains them newest older first", 100, 10,
            [
                (0, "lrr v2", "v1:99 v2:1"),
                (2.2, "ready", "v1:99 v2:1"),
                (5.2, "tick", "v1:57 v2:43"),
                (6, "lrr v3", "v1:57 v2:42 v3:1"),
                (7, "ready", "v1:57 v2:42 v3:1"),
                (8, "tick", "v1:57 v2:31 v3:12"),
                (10, "tick", "v1:57 v2:9 v3:34"),
                (11, "tick", "v1:55 v3:45"),
                (16, "tick", "v3:100"),
            ]
        },
        {
            "no duration: all at once", 100, 0,
            [
                (0, "lrr v2", "v2:100"),
            ]
        },
        {
            "P = 1 never rolls", 1, 60,
            [
                (0, "lrr v2", "v2:1"),
            ]
        },
    };

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Steps(string name, int percent, double durationSeconds, (double At, string Action, string Want)[] script)
    {
        var duration = TimeSpan.FromSeconds(durationSeconds);
        var rollout = Settled("v1", percent);
        var lrr = "v1";
        foreach (var (at, action, want) in script)
        {
            var now = T0.AddMilliseconds(Math.Round(at * 1000));
            var parts = action.Split(' ');
            switch (parts[0])
            {
                case "lrr":
                    lrr = parts[1];
                    break;
            }

            rollout = RolloutPlanner.Next(rollout, "", percent, lrr, duration, now);
            if (parts[0] == "ready")
            {
                rollout = RolloutPlanner.ObserveReady(rollout, duration, now);
            }

            Assert.True(want == Show(rollout), $"{name} at {at}s after {action}: {Show(rollout)}");
            Assert.Equal(percent, rollout.Revisions.Sum(r => r.Percent));
        }
    }

    [Fact]
    public void Percent_changes_mid_rollout()
    {
        var duration = TimeSpan.FromSeconds(60);
        var rollout = RolloutPlanner.Next(Settled("v1"), "", 100, "v2", duration, T0);
        Assert.Equal("v1:99 v2:1", Show(rollout));

        var smaller = RolloutPlanner.Next(rollout, "", 50, "v2", duration, T0.AddSeconds(0.1));
        Assert.Equal("v1:49 v2:1", Show(smaller));
        var larger = RolloutPlanner.Next(smaller, "", 80, "v2", duration, T0.AddSeconds(0.2));
        Assert.Equal("v1:49 v2:31", Show(larger));
    }

    [Fact]
    public void Next_step_time_and_expanded_status_traffic()
    {
        var duration = TimeSpan.FromSeconds(10);
        var rollout = RolloutPlanner.ObserveReady(RolloutPlanner.Next(Settled("v1"), "", 100, "v2", duration, T0), duration, T0.AddSeconds(2.2));
        Assert.Equal(T0.AddSeconds(5.2), RolloutPlanner.NextStepAt([rollout]));
        Assert.Null(RolloutPlanner.NextStepAt([Settled("v1")]));

        var status = RolloutPlanner.Expand(
            [new TrafficTarget { RevisionName = "v2", LatestRevision = true, Percent = 100 }, new TrafficTarget { Tag = "old", RevisionName = "v0", LatestRevision = false, Percent = 0 }],
            new Dictionary<string, ConfigurationRollout>(StringComparer.Ordinal) { [""] = rollout });
        Assert.Equal([("v1", 99L, false, (string?)null), ("v2", 1L, true, null), ("v0", 0L, false, "old")],
            status.Select(t => (t.RevisionName!, t.Percent!.Value, t.LatestRevision!.Value, t.Tag)));
        Assert.Equal([("v1", 99), ("v2", 1), ("v0", 0)], RolloutPlanner.Targets(status).Select(t => (t.RevisionName, t.Percent)));
    }
}
