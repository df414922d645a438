namespace Knative.Orleans.Grains.Autoscaling;

/// <summary>
/// The KPA scale decision, run every 2 s (and on a poke) per revision: a pure function of the previous state, the spec,
/// the window averages, the ready count and the time. Port of knative/serving <c>pkg/autoscaler/scaling/autoscaler.go</c>
/// (<c>Scale</c>) and of <c>multiscaler.go</c> (initial excess burst capacity, keeping the last decision without data).
/// </summary>
public static class Decider
{
    /// <summary>
    /// Decides the desired instance count. <paramref name="readyCount"/> is the number of ready instances,
    /// <paramref name="reachable"/> whether any route can send the revision traffic (unreachable: no down-rate limit and
    /// no scale-down delay). Returns the decision and the state for the next tick.
    /// </summary>
    public static (ScaleDecision Result, DeciderState Next) Decide(
        DeciderState state, DeciderSpec spec, MetricSnapshot metrics, int readyCount, bool reachable, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(spec);
        if (!metrics.HasData)
        {
            // No decision: the multiscaler leaves the Decider status (last desired scale and EBC) as it was.
            var unchanged = new ScaleDecision
            {
                HasData = false,
                DesiredScale = state.LastDesiredScale,
                Mode = state.Panicking ? DeciderMode.Panic : DeciderMode.Stable,
                ExcessBurstCapacity = state.LastExcessBurstCapacity ?? InitialExcessBurstCapacity(spec),
            };
            return (unchanged, state);
        }

        // Zero ready instances count as one, so a revision at zero can scale up and rates stay meaningful.
        double ready = Math.Max(1, readyCount);

        // ceil: with max-scale-up-rate 1.1 and 2 ready, 2.2 must still allow a third instance.
        var maxScaleUp = Math.Ceiling(spec.MaxScaleUpRate * ready);
        var maxScaleDown = reachable ? Math.Floor(ready / spec.MaxScaleDownRate) : 0;

        var stableWanted = Math.Ceiling(metrics.StableAverage / spec.TargetValue);
        var panicWanted = Math.Ceiling(metrics.PanicAverage / spec.TargetValue);
        var stableDesired = Clamp(stableWanted, maxScaleDown, maxScaleUp);
        var panicDesired = Clamp(panicWanted, maxScaleDown, maxScaleUp);
        if (spec.ActivationScale > 1)
        {
            // Any traffic at all asks for at least activation-scale instances.
            stableDesired = stableWanted > 0 ? Math.Max(stableDesired, spec.ActivationScale) : stableDesired;
            panicDesired = panicWanted > 0 ? Math.Max(panicDesired, spec.ActivationScale) : panicDesired;
        }

        var panicStart = state.PanicStart;
        var maxPanicPods = state.MaxPanicPods;
        if (panicWanted / ready >= spec.PanicThreshold)
        {
            // Enter panic, or extend it: it lasts a stable window after the last tick over the threshold.
            panicStart = now;
        }
        else if (panicStart is { } start && start + spec.StableWindow < now)
        {
            // The surge has made its way into the stable window.
            panicStart = null;
            maxPanicPods = 0;
        }

        var desired = stableDesired;
        if (panicStart is not null)
        {
            // Provision for the larger of the two windows and never scale down while panicking.
            desired = Math.Max(desired, panicDesired);
            maxPanicPods = Math.Max(maxPanicPods, desired);
            desired = maxPanicPods;
        }

        var delayWindow = state.DelayWindow;
        if (reachable && spec.ScaleDownDelay > TimeSpan.Zero)
        {
            // Notes 2.4/2.5: an unreachable revision scales down without delay. Upstream applies the delay regardless.
            delayWindow = delayWindow.Record(now, desired, spec.ScaleDownDelay);
            desired = delayWindow.Current ?? desired;
        }

        var ebc = ExcessBurstCapacity(spec, readyCount, metrics.PanicAverage);
        var result = new ScaleDecision
        {
            HasData = true,
            DesiredScale = desired,
            Mode = panicStart is null ? DeciderMode.Stable : DeciderMode.Panic,
            StableDesired = stableDesired,
            PanicDesired = panicDesired,
            ObservedStable = metrics.StableAverage,
            ObservedPanic = metrics.PanicAverage,
            ExcessBurstCapacity = ebc,
        };
        var next = state with
        {
            PanicStart = panicStart,
            MaxPanicPods = maxPanicPods,
            DelayWindow = delayWindow,
            LastDesiredScale = desired,
            LastExcessBurstCapacity = ebc,
        };
        return (result, next);
    }

    /// <summary>
    /// EBC = ready × total value − TBC − panic average, rounded down: the requests the ready instances could still take
    /// beyond the burst reserve. TBC 0 gives 0, TBC -1 (unlimited) gives -1.
    /// </summary>
    public static int ExcessBurstCapacity(DeciderSpec spec, int readyCount, double observedPanic)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.TargetBurstCapacity switch
        {
            0 => 0,
            > 0 => ToInt(Math.Floor((Math.Max(0, readyCount) * spec.TotalValue) - spec.TargetBurstCapacity - observedPanic)),
            _ => -1,
        };
    }

    /// <summary>
    /// EBC before any data: initial-scale × total value − TBC (−111 with the defaults, so the activator starts in the path),
    /// truncated like Knative's <c>int32(...)</c>; TBC 0 and -1 give themselves (knative/serving <c>multiscaler.go</c>).
    /// </summary>
    public static int InitialExcessBurstCapacity(DeciderSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.TargetBurstCapacity is 0 or -1
            ? (int)spec.TargetBurstCapacity
            : ToInt(Math.Truncate((spec.InitialScale * spec.TotalValue) - spec.TargetBurstCapacity));
    }

    private static int Clamp(double value, double min, double max) => ToInt(Math.Min(Math.Max(value, min), max));

    private static int ToInt(double value) => (int)Math.Clamp(value, int.MinValue, int.MaxValue);
}
