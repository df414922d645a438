using Knative.Orleans.Contracts.Routing;
using Knative.Orleans.Contracts.Serving;

namespace Knative.Orleans.Grains.Traffic;

/// <summary>A revision's share during a gradual rollout.</summary>
[GenerateSerializer, Immutable, Alias("kn.RolloutRevision")]
public sealed record RolloutRevision
{
    /// <summary>Revision name.</summary>
    [Id(0)] public required string Name { get; init; }

    /// <summary>Its current percent.</summary>
    [Id(1)] public int Percent { get; init; }
}

/// <summary>
/// The gradual rollout of one <c>latestRevision</c> target (knative/serving pkg/reconciler/route/traffic/rollout.go,
/// <c>ConfigurationRollout</c>): the revisions that share its percent, oldest first (the last one is the latest ready), and the
/// step parameters. Times are Unix milliseconds.
/// </summary>
[GenerateSerializer, Immutable, Alias("kn.ConfigurationRollout")]
public sealed record ConfigurationRollout
{
    /// <summary>The target's key: its tag ("" for none), which identifies it across reconciles.</summary>
    [Id(0)] public required string Key { get; init; }

    /// <summary>The target's percent P.</summary>
    [Id(1)] public int Percent { get; init; }

    /// <summary>Revisions sharing P, oldest first; the last is the newest (the latest ready revision).</summary>
    [Id(2)] public RolloutRevision[] Revisions { get; init; } = [];

    /// <summary>When the newest revision got its first 1%.</summary>
    [Id(3)] public long StartUnixMs { get; init; }

    /// <summary>Time between steps; 0 while the first 1% has not been observed ready.</summary>
    [Id(4)] public long StepDurationMs { get; init; }

    /// <summary>Points moved per step.</summary>
    [Id(5)] public int StepSize { get; init; }

    /// <summary>When the next step is due.</summary>
    [Id(6)] public long NextStepUnixMs { get; init; }

    /// <summary>True while more than one revision shares the target.</summary>
    public bool InProgress => Revisions.Length > 1;
}

/// <summary>
/// Gradual rollout planning (pure; knative/serving rollout.go as KNATIVE-NOTES 1.5 states it): (1) when the latest ready
/// revision changes, it gets 1% at once, taken from the newest older revision with traffic; (2) when that is first
/// observed ready, minStep = max(1 s, ceil(time since start)), D = max(1, duration − minStep), numSteps =
/// min(P − 1, max(1, D / minStep)), stepSize = round((P − 1) / numSteps), stepDuration = D / numSteps; (3) every
/// stepDuration, stepSize points move from the older revisions (newest older first) to the new one, capped at P, until one
/// revision is left. A newer revision mid-rollout starts a new rollout; the older ones drain the same way. If P changes, an
/// increase goes to the newest revision and a decrease comes out of the oldest.
/// </summary>
public static class RolloutPlanner
{
    /// <summary>
    /// The rollout of the target <paramref name="key"/> with percent <paramref name="percent"/> whose latest ready revision
    /// is <paramref name="latestReady"/>, at <paramref name="now"/>, given the <paramref name="previous"/> one (null: none yet,
    /// so nothing to roll from). Without a duration, or with P ≤ 1, all of P goes to the latest ready revision at once.
    /// </summary>
    public static ConfigurationRollout Next(
        ConfigurationRollout? previous, string key, int percent, string latestReady, TimeSpan duration, DateTimeOffset now)
    {
        if (duration <= TimeSpan.Zero || percent <= 1 || previous is null || previous.Revisions.Length == 0)
        {
            return Settled(key, percent, latestReady);
        }

        var revisions = Resize(previous.Revisions, previous.Percent, percent);
        if (revisions[^1].Name != latestReady)
        {
            // (1) A new latest ready revision: 1% now, from the newest older revision with traffic.
            var carried = revisions.Where(r => r.Name == latestReady).Sum(r => r.Percent);
            revisions.RemoveAll(r => r.Name == latestReady);
            var index = revisions.FindLastIndex(r => r.Percent > 0);
            if (carried == 0 && index >= 0)
            {
                revisions[index] = revisions[index] with { Percent = revisions[index].Percent - 1 };
                carried = 1;
            }

            revisions.RemoveAll(r => r.Percent == 0);
            revisions.Add(new RolloutRevision { Name = latestReady, Percent = Math.Max(carried, 1) });
            return revisions.Count == 1
                ? Settled(key, percent, latestReady)
                : new ConfigurationRollout { Key = key, Percent = percent, Revisions = [.. revisions], StartUnixMs = now.ToUnixTimeMilliseconds() };
        }

        if (revisions.Count == 1)
        {
            return Settled(key, percent, latestReady);
        }

        var rollout = previous with { Percent = percent, Revisions = [.. revisions] };
        var nowMs = now.ToUnixTimeMilliseconds();
        while (rollout.InProgress && rollout.StepDurationMs > 0 && nowMs >= rollout.NextStepUnixMs)
        {
            rollout = Step(rollout);
        }

        return rollout;
    }

    /// <summary>
    /// (2) The first 1% is in effect (every gateway has it): compute the step size and duration from how long that took.
    /// Does nothing to a settled rollout or one already stepping.
    /// </summary>
    public static ConfigurationRollout ObserveReady(ConfigurationRollout rollout, TimeSpan duration, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        if (!rollout.InProgress || rollout.StepDurationMs > 0)
        {
            return rollout;
        }

        var nowMs = now.ToUnixTimeMilliseconds();
        var minStep = Math.Max(1, Math.Ceiling((nowMs - rollout.StartUnixMs) / 1000.0));
        var total = Math.Max(1, duration.TotalSeconds - minStep);
        var steps = Math.Min(rollout.Percent - 1, Math.Max(1, total / minStep));
        var stepSize = Math.Max(1, (int)Math.Round((rollout.Percent - 1) / steps, MidpointRounding.AwayFromZero));
        var stepDurationMs = Math.Max(1, (long)Math.Round(total / steps * 1000));
        return rollout with { StepSize = stepSize, StepDurationMs = stepDurationMs, NextStepUnixMs = nowMs + stepDurationMs };
    }

    /// <summary>The earliest time a step of <paramref name="rollouts"/> is due, or null when none is stepping.</summary>
    public static DateTimeOffset? NextStepAt(IEnumerable<ConfigurationRollout> rollouts) =>
        rollouts.Where(r => r.InProgress && r.StepDurationMs > 0).Select(r => (long?)r.NextStepUnixMs).Min() is { } ms
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;

    /// <summary>
    /// <c>status.traffic</c> with each rolling <c>latestRevision</c> entry (matched by its tag) replaced by one entry per revision:
    /// the older ones first without tag and with <c>latestRevision: false</c>, the newest keeps the tag, URL and flag.
    /// </summary>
    public static List<TrafficTarget> Expand(IReadOnlyList<TrafficTarget> statusTraffic, IReadOnlyDictionary<string, ConfigurationRollout> rollouts) =>
        Expand(statusTraffic, rollouts, (entry, _) => entry.Tag ?? "");

    /// <summary><see cref="Expand(IReadOnlyList{TrafficTarget}, IReadOnlyDictionary{string, ConfigurationRollout})"/> with the rollout key of entry i given by <paramref name="keyOf"/>.</summary>
    public static List<TrafficTarget> Expand(
        IReadOnlyList<TrafficTarget> statusTraffic, IReadOnlyDictionary<string, ConfigurationRollout> rollouts, Func<TrafficTarget, int, string> keyOf)
    {
        ArgumentNullException.ThrowIfNull(statusTraffic);
        ArgumentNullException.ThrowIfNull(keyOf);
        var result = new List<TrafficTarget>();
        for (var i = 0; i < statusTraffic.Count; i++)
        {
            var entry = statusTraffic[i];
            if (entry.LatestRevision == true && rollouts.TryGetValue(keyOf(entry, i), out var rollout) && rollout.InProgress
                && rollout.Revisions[^1].Name == entry.RevisionName)
            {
                result.AddRange(rollout.Revisions.SkipLast(1).Select(r => new TrafficTarget { RevisionName = r.Name, Percent = r.Percent, LatestRevision = false }));
                result.Add(entry with { Percent = rollout.Revisions[^1].Percent });
            }
            else
            {
                result.Add(entry);
            }
        }

        return result;
    }

    /// <summary>Routing targets of a <c>status.traffic</c>: percent summed per revision and tag.</summary>
    public static RouteTarget[] Targets(IEnumerable<TrafficTarget> statusTraffic) => statusTraffic
        .GroupBy(t => (t.RevisionName!, t.Tag))
        .Select(g => new RouteTarget { RevisionName = g.Key.Item1, Tag = g.Key.Tag, Percent = (int)g.Sum(t => t.Percent ?? 0) })
        .ToArray();

    private static ConfigurationRollout Settled(string key, int percent, string revision) =>
        new() { Key = key, Percent = percent, Revisions = [new RolloutRevision { Name = revision, Percent = percent }] };

    // (3) One step: the newest gains up to stepSize (capped at P), taken from the older ones, newest older first.
    private static ConfigurationRollout Step(ConfigurationRollout rollout)
    {
        var revisions = rollout.Revisions.ToList();
        var move = Math.Min(rollout.StepSize, rollout.Percent - revisions[^1].Percent);
        var moved = 0;
        for (var i = revisions.Count - 2; i >= 0 && moved < move; i--)
        {
            var take = Math.Min(revisions[i].Percent, move - moved);
            revisions[i] = revisions[i] with { Percent = revisions[i].Percent - take };
            moved += take;
        }

        revisions[^1] = revisions[^1] with { Percent = revisions[^1].Percent + moved };
        revisions.RemoveAll(r => r.Percent == 0);
        return revisions.Count == 1
            ? Settled(rollout.Key, rollout.Percent, revisions[0].Name)
            : rollout with { Revisions = [.. revisions], NextStepUnixMs = rollout.NextStepUnixMs + rollout.StepDurationMs };
    }

    // P changes: an increase goes to the newest revision, a decrease comes out of the oldest.
    private static List<RolloutRevision> Resize(RolloutRevision[] revisions, int from, int to)
    {
        var list = revisions.ToList();
        if (to > from)
        {
            list[^1] = list[^1] with { Percent = list[^1].Percent + (to - from) };
        }

        var excess = from - to;
        for (var i = 0; i < list.Count && excess > 0; i++)
        {
            var take = Math.Min(list[i].Percent, excess);
            list[i] = list[i] with { Percent = list[i].Percent - take };
            excess -= take;
        }

        list.RemoveAll(r => r.Percent == 0);
        return list.Count == 0 ? [revisions[^1] with { Percent = to }] : list;
    }
}
