namespace Knative.Orleans.Grains.Autoscaling;

/// <summary>
/// Knative's <c>config-autoscaler</c> with Knative's key names and defaults (configuration section <c>Autoscaler</c>,
/// e.g. <c>Autoscaler:stable-window=60s</c>). Built by <see cref="AutoscalerConfigParser.Parse"/>, which validates every key.
/// </summary>
[GenerateSerializer, Immutable, Alias("kn.AutoscalerConfig")]
public sealed record AutoscalerConfig
{
    /// <summary><c>container-concurrency-target-percentage</c> as a fraction (70 → 0.7).</summary>
    [Id(0)] public double ContainerConcurrencyTargetFraction { get; init; } = 0.7;

    /// <summary><c>container-concurrency-target-default</c>: target concurrency per instance when CC is 0.</summary>
    [Id(1)] public double ContainerConcurrencyTargetDefault { get; init; } = 100;

    /// <summary><c>requests-per-second-target-default</c>.</summary>
    [Id(2)] public double RpsTargetDefault { get; init; } = 200;

    /// <summary><c>target-burst-capacity</c> (211; -1 = unlimited).</summary>
    [Id(3)] public double TargetBurstCapacity { get; init; } = 211;

    /// <summary><c>stable-window</c> (60 s, in [6 s, 1 h], whole seconds).</summary>
    [Id(4)] public TimeSpan StableWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary><c>panic-window-percentage</c> (10, in [1, 100]).</summary>
    [Id(5)] public double PanicWindowPercentage { get; init; } = 10;

    /// <summary><c>panic-threshold-percentage</c> (200, at least 110).</summary>
    [Id(6)] public double PanicThresholdPercentage { get; init; } = 200;

    /// <summary><c>max-scale-up-rate</c> (1000, &gt; 1).</summary>
    [Id(7)] public double MaxScaleUpRate { get; init; } = 1000;

    /// <summary><c>max-scale-down-rate</c> (2, &gt; 1).</summary>
    [Id(8)] public double MaxScaleDownRate { get; init; } = 2;

    /// <summary><c>enable-scale-to-zero</c> (true).</summary>
    [Id(9)] public bool EnableScaleToZero { get; init; } = true;

    /// <summary><c>scale-to-zero-grace-period</c> (30 s, &gt; 0).</summary>
    [Id(10)] public TimeSpan ScaleToZeroGracePeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>scale-to-zero-pod-retention-period</c> (0 s, ≥ 0).</summary>
    [Id(11)] public TimeSpan ScaleToZeroPodRetentionPeriod { get; init; } = TimeSpan.Zero;

    /// <summary><c>scale-down-delay</c> (0 s, ≥ 0, whole seconds).</summary>
    [Id(12)] public TimeSpan ScaleDownDelay { get; init; } = TimeSpan.Zero;

    /// <summary><c>activator-capacity</c> (100, ≥ 1).</summary>
    [Id(13)] public double ActivatorCapacity { get; init; } = 100;

    /// <summary><c>initial-scale</c> (1; 0 only with <see cref="AllowZeroInitialScale"/>).</summary>
    [Id(14)] public int InitialScale { get; init; } = 1;

    /// <summary><c>allow-zero-initial-scale</c> (false).</summary>
    [Id(15)] public bool AllowZeroInitialScale { get; init; }

    /// <summary><c>min-scale</c> (0).</summary>
    [Id(16)] public int MinScale { get; init; }

    /// <summary><c>max-scale</c> (0 = unlimited).</summary>
    [Id(17)] public int MaxScale { get; init; }

    /// <summary><c>max-scale-limit</c> (0 = none).</summary>
    [Id(18)] public int MaxScaleLimit { get; init; }

    /// <summary><c>pod-autoscaler-class</c> (<c>kpa.autoscaling.knative.dev</c>).</summary>
    [Id(19)] public string PodAutoscalerClass { get; init; } = "kpa.autoscaling.knative.dev";

    /// <summary>The defaults, as Knative ships them.</summary>
    public static AutoscalerConfig Default { get; } = new();
}
