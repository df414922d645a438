using Knative.Orleans.Contracts.Conditions;
using Knative.Orleans.Grains.Autoscaling;

namespace Knative.Orleans.Grains.Tests.Autoscaling;

/// <summary>
/// One scripted <see cref="ScaleBounds.Apply"/> tick: <paramref name="At"/> seconds after <see cref="DeciderScript.T0"/>,
/// the decider's desired scale and the ready count, then the expected replicas, reported desired scale, Active status
/// (T/F/U) and reason.
/// </summary>
internal sealed record BoundsTick(
    double At, int Desired, int Ready, int Replicas, int Want, char Active, string? Reason = null,
    bool Reachable = true, bool Failed = false);

/// <summary>Replays <see cref="BoundsTick"/> tables and checks every step.</summary>
internal static class ScaleBoundsScript
{
    public static ScaleBoundsState Run(DeciderSpec spec, ScaleBoundsState state, params BoundsTick[] ticks) =>
        Run(spec, state, ScaleBoundsInput.DefaultProgressDeadline, ticks);

    public static ScaleBoundsState Run(DeciderSpec spec, ScaleBoundsState state, TimeSpan progressDeadline, params BoundsTick[] ticks)
    {
        foreach (var tick in ticks)
        {
            var result = ScaleBounds.Apply(state, spec, new ScaleBoundsInput
            {
                DesiredScale = tick.Desired,
                ReadyCount = tick.Ready,
                Reachable = tick.Reachable,
                Failed = tick.Failed,
                Now = DeciderScript.T0.AddSeconds(tick.At),
                ProgressDeadline = progressDeadline,
            });
            var expected = (tick.Replicas, tick.Want, tick.Active, tick.Reason);
            var actual = (result.Replicas, result.DesiredScale, result.Active.Status[0], result.Active.Reason);
            Assert.True(expected == actual, $"t0+{tick.At}s: expected (replicas, want, active, reason) = {expected}, got {actual}");
            state = result.Next;
        }

        return state;
    }

    /// <summary>A revision that has been Active and initialized since <paramref name="since"/> with <paramref name="replicas"/>.</summary>
    public static ScaleBoundsState ActiveSince(double since, int replicas) => new()
    {
        Active = new ActiveCondition { Status = ConditionStatus.True, LastTransitionTime = DeciderScript.T0.AddSeconds(since) },
        Initialized = true,
        Replicas = replicas,
    };
}
