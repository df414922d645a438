using Knative.Orleans.Grains.Autoscaling;

using static Knative.Orleans.Grains.Autoscaling.DeciderMode;

namespace Knative.Orleans.Grains.Tests.Autoscaling;

/// <summary>
/// The worked examples of notes 2.6 on scripted time (defaults: concurrency, CC 0 ⇒ TargetValue 70, TotalValue 100,
/// TBC 211, stable window 60 s). Each table is (t, stable, panic, ready, desired, mode, EBC).
/// </summary>
public sealed class DeciderWorkedExamplesTests
{
    private static readonly DeciderSpec Defaults = DeciderSpec.Default;

    [Fact]
    public void BurstEntersPanicAndHoldsTheMaximumForAStableWindow()
    {
        var state = DeciderScript.Run(Defaults, new DeciderState(),
            // dS = 2, dP = ceil(300 / 70) = 5, 5 / 1 ≥ 2 ⇒ panic at 5; EBC = floor(100 − 211 − 300).
            new Tick(0, 80, 300, Ready: 1, Desired: 5, Panic, Ebc: -411),
            // 5 ready, dP = 2 and 2 / 5 < 2, but panic never scales down: stays 5.
            new Tick(2, 90, 100, Ready: 5, Desired: 5, Panic, Ebc: 189),
            // Panic ends only once the last over-threshold tick (t0) is more than a stable window old.
            new Tick(60, 100, 100, Ready: 5, Desired: 5, Panic),
            new Tick(62, 100, 100, Ready: 5, Desired: 2, Stable));

        Assert.Equal((null, 0), (state.PanicStart, state.MaxPanicPods));
    }

    [Fact]
    public void ScaleDownIsRateLimited()
    {
        DeciderScript.Run(Defaults, new DeciderState(),
            // dS = 2, but at most halve per tick: floor(10 / 2) = 5, then floor(5 / 2) = 2.
            new Tick(0, 140, 140, Ready: 10, Desired: 5),
            new Tick(2, 140, 140, Ready: 5, Desired: 2),
            new Tick(4, 140, 140, Ready: 2, Desired: 2));
    }

    [Fact]
    public void ContainerConcurrency10TargetsSeven()
    {
        var spec = DeciderSpecBuilder.Build(AutoscalerConfig.Default, null, containerConcurrency: 10);

        // dS = dP = ceil(50 / 7) = 8; 8 / 3 = 2.67 ≥ 2 ⇒ panic; EBC = floor(3 × 10 − 211 − 50).
        DeciderScript.Run(spec, new DeciderState(), new Tick(0, 50, 50, Ready: 3, Desired: 8, Panic, Ebc: -231));
        Assert.Equal(7, spec.TargetValue);
    }

    [Fact]
    public void ZeroToActivationScaleAndBackToZero()
    {
        var spec = Defaults with { ActivationScale = 3 };

        DeciderScript.Run(spec, DeciderState.Initial(0, DeciderScript.T0),
            // The poke for the first held request: ready counts as 1, S = 1 ⇒ dS = 1 > 0 ⇒ raised to 3; 1 / 1 < 2, no panic.
            new Tick(0, 1, 1, Ready: 0, Desired: 3),
            new Tick(2, 1.5, 10, Ready: 3, Desired: 3),
            // Any traffic in the stable window keeps at least activation-scale.
            new Tick(30, 0.5, 0, Ready: 3, Desired: 3),
            // S = 0 a window after the last request: clamp(0, floor(3 / 2), …) = 1, then 0.
            new Tick(100, 0, 0, Ready: 3, Desired: 1),
            new Tick(102, 0, 0, Ready: 1, Desired: 0));
    }

    [Fact]
    public void UnreachableRevisionDropsToZeroInOneTick()
    {
        // Min-scale 2 is a bound (ScaleBounds); the decider itself only sees the down-rate: halve while reachable,
        // and nothing at all once no route names the revision any more.
        var spec = Defaults with { MinScale = 2 };

        DeciderScript.Run(spec, new DeciderState(),
            new Tick(0, 0, 0, Ready: 2, Desired: 1),
            new Tick(2, 0, 0, Ready: 2, Desired: 0, Reachable: false));
    }
}
