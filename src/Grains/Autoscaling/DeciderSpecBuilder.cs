using Knative.Orleans.Contracts.Serving;
using static Knative.Orleans.Contracts.Serving.AutoscalingAnnotations;

namespace Knative.Orleans.Grains.Autoscaling;

/// <summary>
/// Builds a revision's <see cref="DeciderSpec"/> from <see cref="AutoscalerConfig"/>, the revision template's
/// annotations and its <c>containerConcurrency</c>: every <c>autoscaling.knative.dev/*</c> annotation overrides the config.
/// Mirrors knative/serving <c>pkg/reconciler/autoscaling/kpa/resources/decider.go</c> (<c>MakeDecider</c>,
/// <c>GetInitialScale</c>), <c>pkg/reconciler/autoscaling/resources/target.go</c> (<c>ResolveMetricTarget</c>) and
/// <c>resources/metric.go</c> (<c>MakeMetric</c>: the panic window).
/// </summary>
public static class DeciderSpecBuilder
{
    /// <summary>The Knative pod autoscaler class (<c>autoscaling.knative.dev/class</c>).</summary>
    public const string KpaClass = AutoscalingAnnotations.KpaClass;

    /// <summary>The Kubernetes HPA class; accepted, but scaled like KPA here.</summary>
    public const string HpaClass = AutoscalingAnnotations.HpaClass;

    /// <summary>
    /// Target utilization for metrics other than concurrency. Knative does not expose it in config-autoscaler
    /// (<c>pkg/autoscaler/config/config.go</c>, <c>defaultTargetUtilization</c>); the annotation still overrides it.
    /// </summary>
    public const double RpsTargetUtilization = 0.7;

    /// <summary>Knative's <c>autoscaling.TargetMin</c>: the smallest target value.</summary>
    public const double TargetMin = 0.01;

    private static readonly TimeSpan WindowMin = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan WindowMax = TimeSpan.FromHours(1);

    /// <summary>
    /// Resolves the spec. <paramref name="templateAnnotations"/> are the revision template's annotations (assumed validated
    /// by <c>AutoscalingAnnotationValidation</c>; unparsable or out-of-range values fall back to the config).
    /// <paramref name="containerConcurrency"/> is the revision's CC (0 = unlimited).
    /// </summary>
    public static DeciderSpec Build(
        AutoscalerConfig config, IReadOnlyDictionary<string, string>? templateAnnotations, long containerConcurrency)
    {
        ArgumentNullException.ThrowIfNull(config);
        var a = new AutoscalingAnnotationReader(templateAnnotations);
        var metric = a.String(Metric) switch
        {
            Rps => ScalingMetric.Rps,
            _ => ScalingMetric.Concurrency,
        };
        var (target, total) = ResolveTarget(config, a, metric, Math.Max(0, containerConcurrency));
        var stableWindow = a.Duration(Window, w => w >= WindowMin && w <= WindowMax && WholeSeconds(w)) ?? config.StableWindow;
        var panicPercentage = a.Double(PanicWindowPercentage, p => p is >= 1 and <= 100) ?? config.PanicWindowPercentage;
        var panicThreshold = a.Double(PanicThresholdPercentage, p => p is >= 110 and <= 1000) ?? config.PanicThresholdPercentage;
        return new DeciderSpec
        {
            Class = a.String(AutoscalingAnnotations.Class) is KpaClass or HpaClass
                ? a.String(AutoscalingAnnotations.Class)!
                : config.PodAutoscalerClass,
            ScalingMetric = metric,
            TargetValue = target,
            TotalValue = total,
            TargetBurstCapacity = a.Double(AutoscalingAnnotations.TargetBurstCapacity, t => t >= 0 || t == -1)
                ?? config.TargetBurstCapacity,
            ActivatorCapacity = config.ActivatorCapacity,
            PanicThreshold = panicThreshold / 100,
            StableWindow = stableWindow,
            PanicWindow = PanicWindow(stableWindow, panicPercentage),
            MaxScaleUpRate = config.MaxScaleUpRate,
            MaxScaleDownRate = config.MaxScaleDownRate,
            ScaleDownDelay = a.Duration(
                    AutoscalingAnnotations.ScaleDownDelay, d => d >= TimeSpan.Zero && d <= WindowMax && WholeSeconds(d))
                ?? config.ScaleDownDelay,
            InitialScale = InitialScale(config, a),
            ActivationScale = a.Int(AutoscalingAnnotations.ActivationScale, s => s >= 1) ?? 1,
            MinScale = a.Int(AutoscalingAnnotations.MinScale, s => s >= 0) ?? config.MinScale,
            MaxScale = a.Int(AutoscalingAnnotations.MaxScale, s => s >= 0) ?? config.MaxScale,
            EnableScaleToZero = config.EnableScaleToZero,
            ScaleToZeroGracePeriod = config.ScaleToZeroGracePeriod,
            ScaleToZeroPodRetentionPeriod = a.Duration(
                    AutoscalingAnnotations.ScaleToZeroPodRetentionPeriod, d => d >= TimeSpan.Zero && d <= WindowMax)
                ?? config.ScaleToZeroPodRetentionPeriod,
            AggregationAlgorithm =
                a.String(AutoscalingAnnotations.MetricAggregationAlgorithm) is WeightedExponential or WeightedExponentialAlt
                ? MetricAggregationAlgorithm.WeightedExponential
                : MetricAggregationAlgorithm.Linear,
        };
    }

    /// <summary>
    /// round(stable window × percentage / 100) to whole seconds (halves away from zero, like Go's <c>Duration.Round</c>),
    /// at least 1 s (knative/serving <c>pkg/reconciler/autoscaling/resources/metric.go</c>).
    /// </summary>
    public static TimeSpan PanicWindow(TimeSpan stableWindow, double panicWindowPercentage)
    {
        var seconds = Math.Round(stableWindow.TotalSeconds * panicWindowPercentage / 100, MidpointRounding.AwayFromZero);
        return TimeSpan.FromSeconds(Math.Max(1, seconds));
    }

    // pkg/reconciler/autoscaling/resources/target.go ResolveMetricTarget (notes 2.3).
    private static (double Target, double Total) ResolveTarget(
        AutoscalerConfig config, AutoscalingAnnotationReader a, ScalingMetric metric, long containerConcurrency)
    {
        double total, utilization;
        if (metric == ScalingMetric.Rps)
        {
            total = config.RpsTargetDefault;
            utilization = RpsTargetUtilization;
        }
        else
        {
            total = containerConcurrency > 0 ? containerConcurrency : config.ContainerConcurrencyTargetDefault;
            utilization = config.ContainerConcurrencyTargetFraction;
        }

        if (a.Double(Target, t => t >= TargetMin) is { } annotated)
        {
            // Never aim above what the container accepts (containerConcurrency).
            total = metric == ScalingMetric.Concurrency && containerConcurrency > 0
                ? Math.Min(annotated, containerConcurrency)
                : annotated;
        }

        if (a.Double(TargetUtilizationPercentage, p => p is >= 1 and <= 100) is { } percentage)
        {
            utilization = percentage / 100;
        }

        return (Math.Max(TargetMin, total * utilization), total);
    }

    // GetInitialScale: the annotation wins unless it is 0 and the cluster does not allow a zero initial scale.
    private static int InitialScale(AutoscalerConfig config, AutoscalingAnnotationReader a) =>
        a.Int(AutoscalingAnnotations.InitialScale, s => s > 0 || (s == 0 && config.AllowZeroInitialScale))
        ?? config.InitialScale;

    private static bool WholeSeconds(TimeSpan value) => value.Ticks % TimeSpan.TicksPerSecond == 0;
}
