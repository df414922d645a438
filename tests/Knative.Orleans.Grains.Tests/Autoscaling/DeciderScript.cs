using Knative.Orleans.Grains.Autoscaling;

namespace Knative.Orleans.Grains.Tests.Autoscaling;

/// <summary>
/// One scripted tick: <paramref name="At"/> seconds after <see cref="DeciderScript.T0"/>, the window averages
/// (<paramref name="Stable"/> null = no data; <paramref name="Panic"/> null = same as stable), the ready count, and the
/// expected desired scale and mode (and EBC when given).
/// </summary>
internal sealed record Tick(
    double At, double? Stable, double? Panic, int Ready, int Desired, DeciderMode Mode = DeciderMode.Stable,
    int? Ebc = null, bool Reachable = true);

/// <summary>Replays <see cref="Tick"/> tables through <see cref="Decider.Decide"/> and checks every step.</summary>
internal static class DeciderScript
{
    /// <summary>An even Unix second, so 2 s delay-window steps line up with the ticks.</summary>
    public static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static DeciderState Run(DeciderSpec spec, DeciderState state, params Tick[] ticks)
    {
        foreach (var tick in ticks)
        {
            var (result, next) = Decide(spec, state, tick);
            var actual = (result.DesiredScale, result.Mode, tick.Ebc is null ? null : (int?)result.ExcessBurstCapacity);
            Assert.True(
                (tick.Desired, tick.Mode, tick.Ebc) == actual,
                $"t0+{tick.At}s: expected (desired, mode, ebc) = {(tick.Desired, tick.Mode, tick.Ebc)}, got {actual}");
            state = next;
        }

        return state;
    }

    public static (ScaleDecision Result, DeciderState Next) Decide(DeciderSpec spec, DeciderState state, Tick tick)
    {
        var metrics = tick.Stable is { } stable ? MetricSnapshot.Of(stable, tick.Panic ?? stable) : MetricSnapshot.NoData;
        return Decider.Decide(state, spec, metrics, tick.Ready, tick.Reachable, T0.AddSeconds(tick.At));
    }
}
