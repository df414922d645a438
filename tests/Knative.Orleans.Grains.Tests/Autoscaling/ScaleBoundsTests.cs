using Knative.Orleans.Grains.Autoscaling;

using static Knative.Orleans.Grains.Autoscaling.ActiveCondition;

namespace Knative.Orleans.Grains.Tests.Autoscaling;

/// <summary>
/// <see cref="ScaleBounds.Apply"/> on scripted time (notes 2.5; knative/serving <c>pkg/reconciler/autoscaling/kpa/scaler.go</c>
/// and <c>kpa.go</c>). Tables are (t, decider desired, ready ⇒ replicas, reported desired, Active T/F/U, reason).
/// </summary>
public sealed class ScaleBoundsTests
{
    private static readonly DeciderSpec Defaults = DeciderSpec.Default;

    [Fact]
    public void NewRevisionStartsAtInitialScaleAndScalesToZeroAfterAStableWindow()
    {
        var state = ScaleBoundsScript.Run(Defaults, ScaleBoundsState.Initial(Defaults, DeciderScript.T0),
            // No data yet: the Deployment's initial 1 instance stays; activating until it is ready.
            new BoundsTick(0, -1, 0, 1, -1, 'U', QueuedReason),
            new BoundsTick(10, -1, 1, 1, -1, 'T'),
            // Zeros arrive: Active for less than a stable window keeps 1.
            new BoundsTick(12, 0, 1, 1, 1, 'T'),
            new BoundsTick(69, 0, 1, 1, 1, 'T'),
            // Active for 60 s: Inactive, and (retention 0, gateway always in the path) the last instance stops.
            new BoundsTick(70, 0, 1, 0, 0, 'F', NoTrafficReason),
            new BoundsTick(72, 0, 0, 0, 0, 'F', NoTrafficReason),
            // Without data an Inactive revision stays as it is.
            new BoundsTick(200, -1, 0, 0, -1, 'F', NoTrafficReason),
            // A poke with traffic: activating until an instance is ready, then Active.
            new BoundsTick(300, 3, 0, 3, 3, 'U', QueuedReason),
            new BoundsTick(304, 3, 3, 3, 3, 'T'));

        Assert.True(state.Initialized);
        Assert.Equal(DeciderScript.T0.AddSeconds(304), state.Active.LastTransitionTime);
    }

    [Fact]
    public void InitialScaleIsTheMinimumUntilFirstReached()
    {
        var spec = Defaults with { InitialScale = 3 };

        ScaleBoundsScript.Run(spec, ScaleBoundsState.Initial(spec, DeciderScript.T0),
            new BoundsTick(0, -1, 0, 3, 3, 'U', QueuedReason),
            new BoundsTick(2, 1, 1, 3, 3, 'U', QueuedReason),
            new BoundsTick(4, 1, 3, 3, 3, 'T'),
            // Initialized: initial-scale no longer holds the revision up.
            new BoundsTick(6, 1, 3, 1, 1, 'T'));
    }

    [Fact]
    public void MinScaleAppliesOnlyWhileReachable()
    {
        var spec = Defaults with { MinScale = 2 };

        ScaleBoundsScript.Run(spec, ScaleBoundsScript.ActiveSince(-600, 2),
            new BoundsTick(0, 1, 2, 2, 2, 'T'),
            new BoundsTick(2, 0, 2, 2, 2, 'T'),
            // Failed but with instances ready: still reachable.
            new BoundsTick(4, 0, 2, 2, 2, 'T', Failed: true),
            // No route names it any more: no min-scale, no retention, 2 → 0 at once.
            new BoundsTick(6, 0, 2, 0, 0, 'F', NoTrafficReason, Reachable: false));
    }

    [Fact]
    public void FewerReadyThanMinScaleIsActivating()
    {
        var spec = Defaults with { MinScale = 2 };

        ScaleBoundsScript.Run(spec, ScaleBoundsScript.ActiveSince(-600, 2),
            new BoundsTick(0, 0, 1, 2, 2, 'U', QueuedReason),
            new BoundsTick(2, 0, 2, 2, 2, 'T'));
    }

    [Fact]
    public void FailedWithNoInstanceReadyIsUnreachable()
    {
        var spec = Defaults with { MinScale = 2 };

        ScaleBoundsScript.Run(spec, ScaleBoundsScript.ActiveSince(-600, 2),
            new BoundsTick(0, 0, 0, 0, 0, 'F', NoTrafficReason, Failed: true));
        Assert.False(ScaleBounds.IsReachable(routed: true, failed: true, readyCount: 0));
        Assert.True(ScaleBounds.IsReachable(routed: true, failed: true, readyCount: 1));
    }

    [Theory]
    // max-scale, decider desired, replicas: max caps (0 = unlimited); min-scale 1 raises.
    [InlineData(5, 8, 5)]
    [InlineData(5, 5, 5)]
    [InlineData(0, 800, 800)]
    [InlineData(5, 0, 1)]
    public void MaxScaleCapsAndMinScaleRaises(int maxScale, int desired, int replicas)
    {
        var spec = Defaults with { MinScale = 1, MaxScale = maxScale };

        ScaleBoundsScript.Run(spec, ScaleBoundsScript.ActiveSince(-600, 3), new BoundsTick(0, desired, 3, replicas, replicas, 'T'));
    }

    [Fact]
    public void WithoutADecisionAnActiveRevisionKeepsItsReplicas()
    {
        ScaleBoundsScript.Run(Defaults, ScaleBoundsScript.ActiveSince(-600, 3), new BoundsTick(0, -1, 3, 3, -1, 'T'));
    }

    [Fact]
    public void ScaleToZeroDisabledKeepsOne()
    {
        var spec = Defaults with { EnableScaleToZero = false };

        ScaleBoundsScript.Run(spec, ScaleBoundsScript.ActiveSince(-600, 2), new BoundsTick(0, 0, 2, 1, 1, 'T'));
        ScaleBoundsScript.Run(spec, ScaleBoundsState.Initial(spec, DeciderScript.T0), new BoundsTick(700, -1, 0, 1, 1, 'U', QueuedReason));
    }

    [Fact]
    public void RetentionPeriodKeepsTheLastInstanceOnceInactive()
    {
        var spec = Defaults with { ScaleToZeroPodRetentionPeriod = TimeSpan.FromSeconds(30) };

        ScaleBoundsScript.Run(spec, ScaleBoundsScript.ActiveSince(-600, 1),
            new BoundsTick(0, 0, 1, 1, 0, 'F', NoTrafficReason),
            new BoundsTick(28, 0, 1, 1, 0, 'F', NoTrafficReason),
            new BoundsTick(30, 0, 1, 0, 0, 'F', NoTrafficReason));

        // Unreachable revisions get no retention.
        ScaleBoundsScript.Run(spec, ScaleBoundsScript.ActiveSince(-600, 1),
            new BoundsTick(0, 0, 1, 0, 0, 'F', NoTrafficReason, Reachable: false));
    }

    [Fact]
    public void ActivationTimesOutAfterProgressDeadlinePlus30Seconds()
    {
        var state = ScaleBoundsScript.Run(Defaults, ScaleBoundsState.Initial(Defaults, DeciderScript.T0),
            new BoundsTick(0, -1, 0, 1, -1, 'U', QueuedReason),
            new BoundsTick(630, -1, 0, 1, -1, 'U', QueuedReason),
            new BoundsTick(632, -1, 0, 0, 0, 'F', TimedOutReason));
        Assert.Equal(TimedOutMessage, state.Active.Message);

        // A shorter progress deadline; a held request (desired 1) keeps it activating past the timeout.
        ScaleBoundsScript.Run(Defaults, ScaleBoundsState.Initial(Defaults, DeciderScript.T0), TimeSpan.FromSeconds(60),
            new BoundsTick(0, -1, 0, 1, -1, 'U', QueuedReason),
            new BoundsTick(90, 1, 0, 1, 1, 'U', QueuedReason),
            new BoundsTick(92, 0, 0, 0, 0, 'F', TimedOutReason));
    }

    [Fact]
    public void ZeroInitialScaleStartsInactive()
    {
        var spec = Defaults with { InitialScale = 0 };

        ScaleBoundsScript.Run(spec, ScaleBoundsState.Initial(spec, DeciderScript.T0),
            new BoundsTick(0, -1, 0, 0, -1, 'F', NoTrafficReason),
            new BoundsTick(10, 2, 0, 2, 2, 'U', QueuedReason),
            new BoundsTick(14, 2, 1, 2, 2, 'T'));
    }

    [Fact]
    public void ConditionKeepsItsTransitionTimeWhenUnchanged()
    {
        var initial = ActiveCondition.Initial(DeciderScript.T0);
        var queued = initial.MarkActivating(QueuedReason, QueuedMessage, DeciderScript.T0.AddSeconds(1));

        Assert.Same(queued, queued.MarkActivating(QueuedReason, QueuedMessage, DeciderScript.T0.AddSeconds(5)));
        Assert.Equal(DeciderScript.T0.AddSeconds(1), queued.LastTransitionTime);
        Assert.Equal(DeciderScript.T0.AddSeconds(9), queued.MarkActive(DeciderScript.T0.AddSeconds(9)).LastTransitionTime);
    }
}
