namespace Knative.Orleans.Grains.Autoscaling;

/// <summary>
/// Turns the decider's desired scale into the replicas to run and the Active condition (notes 2.5): initial scale,
/// min-scale while reachable, max-scale, enable-scale-to-zero, the stable-window hold before going Inactive, the
/// scale-to-zero pod retention and the activation timeout. A pure port of knative/serving
/// <c>pkg/reconciler/autoscaling/kpa/scaler.go</c> (<c>scale</c>, <c>handleScaleToZero</c>) and <c>kpa.go</c>
/// (<c>computeActiveCondition</c>, <c>activeThreshold</c>).
/// </summary>
public static class ScaleBounds
{
    /// <summary>Knative's <c>activationTimeoutBuffer</c>: activating longer than progress deadline + this scales to 0.</summary>
    public static readonly TimeSpan ActivationTimeoutBuffer = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether min-scale, the down-rate, the scale-down delay and the retention apply: the revision is routed and not
    /// failed with no instance ready (Knative marks such a PodAutoscaler Unreachable). Pass it to <see cref="Decider.Decide"/>.
    /// </summary>
    public static bool IsReachable(bool routed, bool failed, int readyCount) => routed && !(failed && readyCount == 0);

    /// <summary>Bounds <see cref="ScaleBoundsInput.DesiredScale"/> and computes the Active condition for this tick.</summary>
    public static ScaleBoundsResult Apply(ScaleBoundsState state, DeciderSpec spec, ScaleBoundsInput input)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(input);
        var reachable = IsReachable(input.Reachable, input.Failed, input.ReadyCount);
        var min = reachable ? spec.MinScale : 0;
        var want = input.DesiredScale;
        var replicas = state.Replicas;

        // Without a decision there is nothing to apply, unless the revision is still activating (it may time out).
        if (want >= 0 || state.Active.IsActivating)
        {
            // Until the revision first reaches initial-scale, that is its minimum.
            var lower = spec.InitialScale > 1 && !state.Initialized ? Math.Max(min, spec.InitialScale) : min;
            (want, var apply) = HandleScaleToZero(state.Active, spec, input, reachable, Clamp(want, lower, spec.MaxScale));
            replicas = apply ? want : replicas;
        }

        // activeThreshold: the ready count that makes the revision Active.
        var minReady = state.Initialized ? Math.Max(min, 1) : Math.Max(min, spec.InitialScale);
        var next = state with
        {
            Active = ComputeActive(state.Active, want, input.ReadyCount, minReady, input.Now),
            Initialized = state.Initialized || input.ReadyCount >= minReady,
            Replicas = replicas,
        };
        return new ScaleBoundsResult(replicas, want, next);
    }

    // applyBounds: max only when set; a desired -1 becomes min.
    private static int Clamp(int desired, int min, int max) =>
        desired < min ? min : max > 0 && desired > max ? max : desired;

    // Returns the desired scale to report and whether to apply it now.
    private static (int Want, bool Apply) HandleScaleToZero(
        ActiveCondition active, DeciderSpec spec, ScaleBoundsInput input, bool reachable, int desired)
    {
        if (desired != 0)
        {
            return (desired, true);
        }

        if (!spec.EnableScaleToZero)
        {
            return (1, true);
        }

        var elapsed = active.For(input.Now);
        if (active.IsActivating)
        {
            // Stuck activating: presume it cannot succeed (Knative's CanFailActivation is strict).
            return elapsed > input.ProgressDeadline + ActivationTimeoutBuffer ? (0, true) : (-1, false);
        }

        if (active.IsActive)
        {
            if (elapsed < spec.StableWindow)
            {
                // Keep one instance until the revision has been Active for a whole stable window.
                return (1, true);
            }

            // It goes Inactive now. Our rule: the gateway is always in the path, so the scale-to-zero grace period is
            // met; Knative applies 0 on the next reconcile, we apply it now unless a retention period is to be waited.
            return (0, !reachable || spec.ScaleToZeroPodRetentionPeriod <= TimeSpan.Zero);
        }

        // Inactive: the last instance stops once Inactive for the retention period (none when unreachable).
        return (0, !reachable || elapsed >= spec.ScaleToZeroPodRetentionPeriod);
    }

    // kpa.go computeActiveCondition; want is the reported desired scale (-1 = unknown).
    private static ActiveCondition ComputeActive(ActiveCondition active, int want, int ready, int minReady, DateTimeOffset now)
    {
        if (want == 0 || minReady == 0)
        {
            // Scaling to zero while activating only happens on the activation timeout.
            return active.IsActivating && minReady > 0
                ? active.MarkInactive(ActiveCondition.TimedOutReason, ActiveCondition.TimedOutMessage, now)
                : active.MarkInactive(ActiveCondition.NoTrafficReason, ActiveCondition.NoTrafficMessage, now);
        }

        if (ready < minReady)
        {
            return want > 0 || !active.IsInactive
                ? active.MarkActivating(ActiveCondition.QueuedReason, ActiveCondition.QueuedMessage, now)
                : active.MarkInactive(ActiveCondition.NoTrafficReason, ActiveCondition.NoTrafficMessage, now);
        }

        return want > 0 || !active.IsInactive ? active.MarkActive(now) : active;
    }
}
