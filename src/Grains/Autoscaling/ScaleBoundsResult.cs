namespace Knative.Orleans.Grains.Autoscaling;

/// <summary>The outcome of <see cref="ScaleBounds.Apply"/>.</summary>
/// <param name="Replicas">Instances the driver should run now (unchanged when nothing is applied this tick).</param>
/// <param name="DesiredScale">
/// The bounded desired scale Knative reports as the PodAutoscaler's (and the revision's) desired replicas; -1 = unknown.
/// It can differ from <paramref name="Replicas"/> while waiting (e.g. 0 during the retention period).
/// </param>
/// <param name="Next">The state for the next tick, including the new Active condition.</param>
public sealed record ScaleBoundsResult(int Replicas, int DesiredScale, ScaleBoundsState Next)
{
    /// <summary>The Active condition after this tick.</summary>
    public ActiveCondition Active => Next.Active;
}
