namespace Knative.Orleans.Contracts.Serving;

/// <summary>
/// The cluster settings (<c>config-autoscaler</c>) that autoscaling annotations are checked against. Only the platform knows
/// them: the silo passes its Autoscaler configuration; a client that does not know them checks with
/// <see cref="Permissive"/> and leaves the last word to the silo.
/// </summary>
/// <param name="AllowZeroInitialScale"><c>allow-zero-initial-scale</c>: whether <c>initial-scale: "0"</c> is accepted (Knative: false).</param>
/// <param name="MaxScaleLimit"><c>max-scale-limit</c>: when &gt; 0, every max-scale must be in [1, limit] (Knative: 0, no limit).</param>
public sealed record AutoscalingLimits(bool AllowZeroInitialScale, int MaxScaleLimit)
{
    /// <summary>Knative's defaults: zero initial scale refused, no max-scale limit.</summary>
    public static AutoscalingLimits Default { get; } = new(AllowZeroInitialScale: false, MaxScaleLimit: 0);

    /// <summary>What any cluster might allow: zero initial scale accepted, no max-scale limit. For checks ahead of the silo's.</summary>
    public static AutoscalingLimits Permissive { get; } = new(AllowZeroInitialScale: true, MaxScaleLimit: 0);
}
