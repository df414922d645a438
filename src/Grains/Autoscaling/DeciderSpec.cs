namespace Knative.Orleans.Grains.Autoscaling;

/// <summary>
/// Everything the KPA decision and its bounds need for one revision, resolved from <see cref="AutoscalerConfig"/> and the
/// <c>autoscaling.knative.dev/*</c> annotations by <see cref="DeciderSpecBuilder.Build"/> (knative/serving
/// <c>pkg/autoscaler/scaling/multiscaler.go</c> <c>DeciderSpec</c>, plus the bounds the KPA reconciler reads from the PA).
/// </summary>
[GenerateSerializer, Immutable, Alias("kn.DeciderSpec")]
public sealed record DeciderSpec
{
    /// <summary><c>class</c>: <c>kpa.autoscaling.knative.dev</c> or <c>hpa.autoscaling.knative.dev</c>.</summary>
    [Id(0)] public string Class { get; init; } = DeciderSpecBuilder.KpaClass;

    /// <summary><c>metric</c>: concurrency (default) or rps.</summary>
    [Id(1)] public ScalingMetric ScalingMetric { get; init; }

    /// <summary>Per-instance value the autoscaler aims for: max(0.01, total × utilization) (70 with the defaults).</summary>
    [Id(2)] public double TargetValue { get; init; } = 70;

    /// <summary>Per-instance maximum of the metric (CC, the target annotation or the default: 100).</summary>
    [Id(3)] public double TotalValue { get; init; } = 100;

    /// <summary><c>target-burst-capacity</c>: 211 by default, 0 = none, -1 = unlimited.</summary>
    [Id(4)] public double TargetBurstCapacity { get; init; } = 211;

    /// <summary><c>activator-capacity</c> (requests one activator takes; informational here).</summary>
    [Id(5)] public double ActivatorCapacity { get; init; } = 100;

    /// <summary>Panic when the panic-desired count divided by the ready count reaches this (2.0 = 200%).</summary>
    [Id(6)] public double PanicThreshold { get; init; } = 2.0;

    /// <summary>Stable window (<c>window</c>; 60 s).</summary>
    [Id(7)] public TimeSpan StableWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Panic window: round(stable window × <c>panic-window-percentage</c> / 100), at least 1 s (6 s).</summary>
    [Id(8)] public TimeSpan PanicWindow { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary><c>max-scale-up-rate</c> (1000): at most ceil(rate × ready) instances.</summary>
    [Id(9)] public double MaxScaleUpRate { get; init; } = 1000;

    /// <summary><c>max-scale-down-rate</c> (2): at least floor(ready / rate) instances while reachable.</summary>
    [Id(10)] public double MaxScaleDownRate { get; init; } = 2;

    /// <summary><c>scale-down-delay</c> (0 s): a lower desired count applies only once higher ones are this old.</summary>
    [Id(11)] public TimeSpan ScaleDownDelay { get; init; }

    /// <summary><c>initial-scale</c> (1; 0 only with <c>allow-zero-initial-scale</c>).</summary>
    [Id(12)] public int InitialScale { get; init; } = 1;

    /// <summary><c>activation-scale</c> (1): the least instances when scaling up from zero traffic.</summary>
    [Id(13)] public int ActivationScale { get; init; } = 1;

    /// <summary><c>min-scale</c> (0); applies only while the revision is reachable.</summary>
    [Id(14)] public int MinScale { get; init; }

    /// <summary><c>max-scale</c> (0 = unlimited).</summary>
    [Id(15)] public int MaxScale { get; init; }

    /// <summary><c>enable-scale-to-zero</c> (true); when false a desired 0 becomes 1.</summary>
    [Id(16)] public bool EnableScaleToZero { get; init; } = true;

    /// <summary><c>scale-to-zero-grace-period</c> (30 s); always met here because the gateway is always in the path.</summary>
    [Id(17)] public TimeSpan ScaleToZeroGracePeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>scale-to-zero-pod-retention-period</c> (0 s): how long the last instance stays once Inactive.</summary>
    [Id(18)] public TimeSpan ScaleToZeroPodRetentionPeriod { get; init; }

    /// <summary><c>metric-aggregation-algorithm</c> (linear).</summary>
    [Id(19)] public MetricAggregationAlgorithm AggregationAlgorithm { get; init; }

    /// <summary>The spec for the default config and no annotations.</summary>
    public static DeciderSpec Default { get; } = new();
}
