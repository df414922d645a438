using Knative.Orleans.Contracts.Conditions;
using Knative.Orleans.Grains.Autoscaling;

namespace Knative.Orleans.Grains.Tests.Autoscaling;

/// <summary>
/// The pure pieces together, the way the revision grain will chain them: gateway samples every second into a
/// <see cref="MetricWindow"/>, a decision every 2 s (and on the first poke), then <see cref="ScaleBounds"/>; instances
/// become ready one tick after they are asked for. Notes 2.6 "zero → N → zero" and the timing of notes 2.5.8.
/// </summary>
public sealed class AutoscalingPipelineTests
{
    [Fact]
    public void ZeroToActivationScaleAndBackToZeroAboutAMinuteAfterTheLastRequest()
    {
        var spec = DeciderSpecBuilder.Build(
            AutoscalerConfig.Default, new Dictionary<string, string> { ["autoscaling.knative.dev/activation-scale"] = "3" }, 0);
        var window = new MetricWindow(spec.StableWindow, spec.AggregationAlgorithm);
        var decider = DeciderState.Initial(0, DeciderScript.T0);
        var bounds = ScaleBoundsScript.ActiveSince(-600, 0) with
        {
            Active = new ActiveCondition { Status = ConditionStatus.False, LastTransitionTime = DeciderScript.T0.AddSeconds(-600) },
        };
        var replicas = new Dictionary<int, (int Replicas, char Active)>();
        var ready = 0;

        // One request in flight during [0 s, 10 s); the gateway sends zeros while the revision has instances.
        for (var t = 0; t <= 80; t++)
        {
            var now = DeciderScript.T0.AddSeconds(t);
            if (t < 10 || bounds.Replicas > 0)
            {
                window.Record(now, t < 10 ? 1 : 0);
            }

            if (t % 2 != 0)
            {
                continue;
            }

            var (decision, nextDecider) = Decider.Decide(
                decider, spec, window.Snapshot(now, spec.StableWindow, spec.PanicWindow), ready, reachable: true, now);
            var result = ScaleBounds.Apply(
                bounds, spec, new ScaleBoundsInput { DesiredScale = decision.DesiredScale, ReadyCount = ready, Now = now });
            (decider, bounds) = (nextDecider, result.Next);
            replicas[t] = (result.Replicas, result.Active.Status[0]);
            ready = result.Replicas;
        }

        // The poke asks for activation-scale at once; any traffic left in the 60 s window keeps 3.
        Assert.Equal((3, 'U'), replicas[0]);
        Assert.Equal((3, 'T'), replicas[2]);
        Assert.Equal((3, 'T'), replicas[68]);
        // The window is all zeros from t = 70: halve (3 → 1), then stop: 62 s after the last request.
        Assert.Equal((1, 'T'), replicas[70]);
        Assert.Equal((0, 'F'), replicas[72]);
        Assert.Equal((0, 'F'), replicas[80]);
        Assert.Equal(ActiveCondition.NoTrafficReason, bounds.Active.Reason);
    }
}
