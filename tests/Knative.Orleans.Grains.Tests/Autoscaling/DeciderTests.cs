using Knative.Orleans.Grains.Autoscaling;

using static Knative.Orleans.Grains.Autoscaling.DeciderMode;

namespace Knative.Orleans.Grains.Tests.Autoscaling;

/// <summary>
/// Edges of <see cref="Decider.Decide"/> on scripted time (TargetValue 70, TotalValue 100, TBC 211, stable window 60 s
/// unless a test says otherwise); cross-checked with knative/serving <c>pkg/autoscaler/scaling/autoscaler.go</c>.
/// </summary>
public sealed class DeciderTests
{
    private static readonly DeciderSpec Defaults = DeciderSpec.Default;

    [Theory]
    // ready, panic average, threshold (fraction), mode: dP / ready ≥ threshold enters panic, exactly 2.0 included.
    [InlineData(2, 280, 2.0, Panic)]
    [InlineData(2, 280.5, 2.0, Panic)]
    [InlineData(2, 210, 2.0, Stable)]
    [InlineData(0, 140, 2.0, Panic)]
    [InlineData(0, 70, 2.0, Stable)]
    [InlineData(2, 210, 1.5, Panic)]
    public void PanicThresholdIsInclusive(int ready, double panic, double threshold, DeciderMode mode)
    {
        var (result, _) = DeciderScript.Decide(
            Defaults with { PanicThreshold = threshold }, new DeciderState(), new Tick(0, 0, panic, ready, 0));

        Assert.Equal(mode, result.Mode);
    }

    [Fact]
    public void PanicEndsAStableWindowAfterTheLastTickOverTheThreshold()
    {
        DeciderScript.Run(Defaults, new DeciderState(),
            new Tick(0, 70, 300, Ready: 1, Desired: 5, Panic),
            // 700 / 70 = 10 on 5 ready is exactly 2.0 again: panic is extended to t0+30.
            new Tick(30, 140, 700, Ready: 5, Desired: 10, Panic),
            new Tick(60, 140, 100, Ready: 10, Desired: 10, Panic),
            new Tick(90, 140, 100, Ready: 10, Desired: 10, Panic),
            // t0+30 + 60 s < t0+92: back to stable, dS = 2 and floor(10 / 2) = 5.
            new Tick(92, 140, 100, Ready: 10, Desired: 5, Stable));
    }

    [Fact]
    public void ScaleDownDelayHoldsTheHighestValueForTheDelay()
    {
        var spec = Defaults with { ScaleDownDelay = TimeSpan.FromSeconds(30) };

        DeciderScript.Run(spec, new DeciderState(),
            new Tick(0, 700, 700, Ready: 10, Desired: 10),
            // The rate-limited 5 waits until the 10 recorded at t0 is 30 s (15 ticks) old.
            new Tick(2, 140, 140, Ready: 10, Desired: 10),
            new Tick(28, 140, 140, Ready: 10, Desired: 10),
            new Tick(30, 140, 140, Ready: 10, Desired: 5),
            new Tick(32, 140, 140, Ready: 5, Desired: 5),
            new Tick(58, 140, 140, Ready: 5, Desired: 5),
            new Tick(60, 140, 140, Ready: 5, Desired: 2),
            // A higher value applies at once.
            new Tick(62, 700, 140, Ready: 2, Desired: 10));
    }

    [Fact]
    public void ScaleDownDelayDoesNotHoldAnUnreachableRevision()
    {
        var spec = Defaults with { ScaleDownDelay = TimeSpan.FromSeconds(30) };

        DeciderScript.Run(spec, new DeciderState(),
            new Tick(0, 700, 700, Ready: 10, Desired: 10),
            new Tick(2, 0, 0, Ready: 10, Desired: 0, Reachable: false));
    }

    [Theory]
    // max-scale-up-rate, ready, stable = panic average, desired: at most ceil(rate × max(1, ready)).
    [InlineData(2, 2, 700, 4)]
    [InlineData(2, 4, 700, 8)]
    [InlineData(2, 8, 700, 10)]
    [InlineData(2, 0, 700, 2)]
    // Knative's own case: rate 1.1 on 2 ready still allows a third instance (ceil(2.2) = 3).
    [InlineData(1.1, 2, 210, 3)]
    public void ScaleUpIsRateLimited(double rate, int ready, double average, int desired)
    {
        var (result, _) = DeciderScript.Decide(
            Defaults with { MaxScaleUpRate = rate }, new DeciderState(), new Tick(0, average, average, ready, desired));

        Assert.Equal(desired, result.DesiredScale);
    }

    [Theory]
    // TBC, initial scale, ready, panic average, EBC with data, EBC before any data.
    [InlineData(211, 1, 1, 300, -411, -111)]
    [InlineData(211, 3, 3, 50, 39, 89)]
    [InlineData(211, 1, 0, 0, -211, -111)]
    [InlineData(-1, 1, 5, 100, -1, -1)]
    [InlineData(0, 1, 5, 100, 0, 0)]
    [InlineData(100.5, 1, 1, 0.25, -1, 0)]
    public void ExcessBurstCapacity(double tbc, int initialScale, int ready, double panic, int withData, int beforeData)
    {
        var spec = Defaults with { TargetBurstCapacity = tbc, InitialScale = initialScale };

        var (before, state) = DeciderScript.Decide(spec, new DeciderState(), new Tick(0, null, null, ready, -1));
        var (after, _) = DeciderScript.Decide(spec, state, new Tick(2, 0, panic, ready, 0));

        Assert.Equal((false, -1, beforeData), (before.HasData, before.DesiredScale, before.ExcessBurstCapacity));
        Assert.Equal((true, withData), (after.HasData, after.ExcessBurstCapacity));
    }

    [Fact]
    public void ReactivatedDeciderWithThreeReadyKeepsThree()
    {
        var state = DeciderState.Initial(3, DeciderScript.T0);

        DeciderScript.Run(Defaults, state,
            // No history yet: no decision (-1: the driver keeps its 3 instances).
            new Tick(0, null, null, Ready: 3, Desired: -1, Panic),
            // Zeros only: the stable count is 1, but the restart began in panic with 3 as the maximum.
            new Tick(2, 0, 0, Ready: 3, Desired: 3, Panic),
            new Tick(60, 0, 0, Ready: 3, Desired: 3, Panic),
            new Tick(62, 0, 0, Ready: 3, Desired: 1, Stable),
            // Without data the last decision stands.
            new Tick(64, null, null, Ready: 1, Desired: 1, Stable));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(2, true)]
    public void NewDeciderPanicsOnlyWithMoreThanOneReady(int ready, bool panicking)
    {
        var state = DeciderState.Initial(ready, DeciderScript.T0);

        Assert.Equal((panicking, ready, -1), (state.Panicking, state.MaxPanicPods, state.LastDesiredScale));
    }

    [Fact]
    public void ActivationScaleAppliesOnlyWithTraffic()
    {
        var spec = Defaults with { ActivationScale = 3 };

        var (idle, _) = DeciderScript.Decide(spec, new DeciderState(), new Tick(0, 0, 0, 0, 0));
        var (busy, _) = DeciderScript.Decide(spec, new DeciderState(), new Tick(0, 0.01, 0.01, 0, 3));

        Assert.Equal((0, 0, 0), (idle.DesiredScale, idle.StableDesired, idle.PanicDesired));
        Assert.Equal((3, 3, 3), (busy.DesiredScale, busy.StableDesired, busy.PanicDesired));
    }
}
