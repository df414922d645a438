using System.Diagnostics.CodeAnalysis;

namespace Knative.Orleans.Contracts.Serving;

/// <summary>
/// Keys and values of Knative's autoscaling annotations (knative/serving <c>pkg/apis/autoscaling/register.go</c>); they only
/// work on <c>spec.template.metadata.annotations</c>. The admission checks (<see cref="AutoscalingAnnotationValidation"/>)
/// and the autoscaler that reads them use these keys and <see cref="Aliases"/>, so both agree on what a key means.
/// </summary>
public static class AutoscalingAnnotations
{
    /// <summary>Every autoscaling annotation key starts with this (knative's <c>autoscaling.GroupName</c>).</summary>
    public const string Group = "autoscaling.knative.dev";

    /// <summary>Autoscaler class: <see cref="KpaClass"/> or <see cref="HpaClass"/>; another <c>*.knative.dev</c> value is refused.</summary>
    public const string Class = Group + "/class";

    /// <summary>Scaling metric: <see cref="Concurrency"/> or <see cref="Rps"/> for the KPA; any non-empty name for the HPA.</summary>
    public const string Metric = Group + "/metric";

    /// <summary>Per-instance target of the scaling metric (concurrent requests or requests per second; ≥ 0.01).</summary>
    public const string Target = Group + "/target";

    /// <summary>Share of the target to aim for, in percent, in [1, 100]. Alias <c>targetUtilizationPercentage</c>.</summary>
    public const string TargetUtilizationPercentage = Group + "/target-utilization-percentage";

    /// <summary>Spare capacity kept ahead of demand: ≥ 0, or -1 for unlimited. Alias <c>targetBurstCapacity</c>.</summary>
    public const string TargetBurstCapacity = Group + "/target-burst-capacity";

    /// <summary>Lower bound of instances (integer ≥ 0; default 0). Alias <c>minScale</c>.</summary>
    public const string MinScale = Group + "/min-scale";

    /// <summary>Upper bound of instances (integer ≥ 0; 0 = unlimited). Alias <c>maxScale</c>.</summary>
    public const string MaxScale = Group + "/max-scale";

    /// <summary>
    /// Instances started for a new revision (integer ≥ 0; 0 only when the cluster allows it). Alias <c>initialScale</c>.
    /// </summary>
    public const string InitialScale = Group + "/initial-scale";

    /// <summary>Instances started when a revision scales up from zero: an integer ≥ 2 within [min-scale, max-scale].</summary>
    public const string ActivationScale = Group + "/activation-scale";

    /// <summary>
    /// How long a lower scale must hold before scaling down: a Go duration in [0s, 1h], whole seconds. Alias <c>scaleDownDelay</c>.
    /// </summary>
    public const string ScaleDownDelay = Group + "/scale-down-delay";

    /// <summary>Stable window, a Go duration in [6s, 1h] with whole seconds (default <c>60s</c>).</summary>
    public const string Window = Group + "/window";

    /// <summary>Panic window as a percentage of the stable window, in [1, 100]. Alias <c>panicWindowPercentage</c>.</summary>
    public const string PanicWindowPercentage = Group + "/panic-window-percentage";

    /// <summary>Panic threshold as a percentage of the target, in [110, 1000]. Alias <c>panicThresholdPercentage</c>.</summary>
    public const string PanicThresholdPercentage = Group + "/panic-threshold-percentage";

    /// <summary>
    /// How long the last instance stays after the decision to scale to zero: a Go duration in [0s, 1h]. Alias
    /// <c>scaleToZeroPodRetentionPeriod</c>.
    /// </summary>
    public const string ScaleToZeroPodRetentionPeriod = Group + "/scale-to-zero-pod-retention-period";

    /// <summary>
    /// How the stable window averages samples: <see cref="Linear"/> or <see cref="WeightedExponential"/>. Alias
    /// <c>metricAggregationAlgorithm</c>.
    /// </summary>
    public const string MetricAggregationAlgorithm = Group + "/metric-aggregation-algorithm";

    /// <summary>The Knative pod autoscaler class (<see cref="Class"/>).</summary>
    public const string KpaClass = "kpa.autoscaling.knative.dev";

    /// <summary>The Kubernetes HPA class (<see cref="Class"/>); accepted, but scaled like the KPA here.</summary>
    public const string HpaClass = "hpa.autoscaling.knative.dev";

    /// <summary><see cref="Metric"/>: requests in flight.</summary>
    public const string Concurrency = "concurrency";

    /// <summary><see cref="Metric"/>: requests per second.</summary>
    public const string Rps = "rps";

    /// <summary><see cref="MetricAggregationAlgorithm"/>: the plain average (the default).</summary>
    public const string Linear = "linear";

    /// <summary><see cref="MetricAggregationAlgorithm"/>: newer samples weigh more.</summary>
    public const string WeightedExponential = "weighted-exponential";

    /// <summary>The older spelling of <see cref="WeightedExponential"/>, still accepted.</summary>
    public const string WeightedExponentialAlt = "weightedExponential";

    /// <summary>
    /// Canonical key → the legacy camelCase key Knative still reads (its <c>kmap.KeyPriority</c> lists). The canonical key
    /// wins when both are present, silently. <see cref="Class"/>, <see cref="Metric"/>, <see cref="Target"/>,
    /// <see cref="Window"/> and <see cref="ActivationScale"/> have no alias.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Aliases { get; } = new Dictionary<string, string>
    {
        [MinScale] = Group + "/minScale",
        [MaxScale] = Group + "/maxScale",
        [InitialScale] = Group + "/initialScale",
        [ScaleDownDelay] = Group + "/scaleDownDelay",
        [TargetUtilizationPercentage] = Group + "/targetUtilizationPercentage",
        [TargetBurstCapacity] = Group + "/targetBurstCapacity",
        [PanicWindowPercentage] = Group + "/panicWindowPercentage",
        [PanicThresholdPercentage] = Group + "/panicThresholdPercentage",
        [ScaleToZeroPodRetentionPeriod] = Group + "/scaleToZeroPodRetentionPeriod",
        [MetricAggregationAlgorithm] = Group + "/metricAggregationAlgorithm",
    };

    /// <summary>
    /// knative's <c>kmap.KeyPriority.Get</c>: the value under <paramref name="canonical"/>, else under its alias.
    /// <paramref name="key"/> is the key that was found (errors name it).
    /// </summary>
    public static bool TryGet(
        IReadOnlyDictionary<string, string>? annotations, string canonical,
        [NotNullWhen(true)] out string? key, [NotNullWhen(true)] out string? value)
    {
        key = null;
        value = null;
        if (annotations is null)
        {
            return false;
        }

        if (annotations.TryGetValue(canonical, out value))
        {
            key = canonical;
            return true;
        }

        if (Aliases.TryGetValue(canonical, out var alias) && annotations.TryGetValue(alias, out value))
        {
            key = alias;
            return true;
        }

        return false;
    }
}
