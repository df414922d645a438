using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using Knative.Orleans.Contracts.Errors;
using Knative.Orleans.Contracts.Meta;
using static System.FormattableString;
using static Knative.Orleans.Contracts.Serving.AutoscalingAnnotations;

namespace Knative.Orleans.Contracts.Serving;

/// <summary>
/// Knative's checks of the autoscaling annotations on a revision template (knative/serving
/// <c>pkg/apis/autoscaling/annotation_validation.go</c>, <c>ValidateAnnotations</c>), with its messages; every error is
/// returned. Paths are the annotation keys as found (the legacy alias when only the alias is set); callers prefix them
/// with <c>metadata.annotations</c>. Like Knative, keys it does not know are accepted, and when a key and its alias are
/// both set the key wins without an error.
/// </summary>
public static partial class AutoscalingAnnotationValidation
{
    private const string WindowMin = "6s";
    private const string WindowMax = "1h0m0s";
    private const string DurationMin = "0s";
    private const long Hour = 3600 * GoDuration.Second;

    /// <summary>
    /// <see cref="Validate(IReadOnlyDictionary{string, string}?, AutoscalingLimits)"/> with the two cluster settings given
    /// one by one (defaults: Knative's, zero initial scale refused and no max-scale limit).
    /// </summary>
    public static FieldErrors Validate(
        IReadOnlyDictionary<string, string>? annotations, bool allowZeroInitialScale = false, int maxScaleLimit = 0) =>
        Validate(annotations, new AutoscalingLimits(allowZeroInitialScale, maxScaleLimit));

    /// <summary>
    /// Validates every <c>autoscaling.knative.dev/*</c> annotation Knative knows (legacy camelCase aliases included):
    /// <list type="bullet">
    /// <item><c>class</c>: a <c>*.knative.dev</c> value must be the KPA or HPA class (other domains are custom autoscalers).</item>
    /// <item><c>min-scale</c> / <c>max-scale</c>: integers in [0, 2147483647], max ≥ min unless max is 0; with
    /// <see cref="AutoscalingLimits.MaxScaleLimit"/> &gt; 0, max-scale in [1, limit].</item>
    /// <item><c>activation-scale</c>: an integer ≥ 2 within [min-scale, max-scale].</item>
    /// <item><c>target</c> ≥ 0.01; <c>target-utilization-percentage</c> and <c>panic-window-percentage</c> in [1, 100];
    /// <c>panic-threshold-percentage</c> in [110, 1000]; <c>target-burst-capacity</c> ≥ 0 or -1.</item>
    /// <item><c>window</c> in [6s, 1h] and <c>scale-down-delay</c> in [0s, 1h], both whole seconds;
    /// <c>scale-to-zero-pod-retention-period</c> in [0s, 1h].</item>
    /// <item><c>metric</c>: <c>concurrency</c> or <c>rps</c> under the KPA class (the default), any non-empty name under
    /// the HPA class, anything under another class.</item>
    /// <item><c>metric-aggregation-algorithm</c>: <c>linear</c> or <c>weighted-exponential</c> (<c>weightedExponential</c>),
    /// checked only when <c>class</c> is explicitly the KPA class, as Knative does.</item>
    /// <item><c>initial-scale</c>: an integer ≥ 0; 0 only with <see cref="AutoscalingLimits.AllowZeroInitialScale"/>.</item>
    /// </list>
    /// </summary>
    public static FieldErrors Validate(IReadOnlyDictionary<string, string>? annotations, AutoscalingLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (annotations is null || annotations.Count == 0)
        {
            return FieldErrors.None;
        }

        return ValidateClass(annotations)
            .Also(ValidateMinMaxScale(annotations, limits.MaxScaleLimit))
            .Also(ValidateFloats(annotations))
            .Also(ValidateWindow(annotations))
            .Also(ValidateLastPodRetention(annotations))
            .Also(ValidateScaleDownDelay(annotations))
            .Also(ValidateMetric(annotations))
            .Also(ValidateAlgorithm(annotations))
            .Also(ValidateInitialScale(annotations, limits.AllowZeroInitialScale));
    }

    // Values ending in ".knative.dev" are Knative's own classes; anything else is left to a custom autoscaler.
    private static FieldErrors ValidateClass(IReadOnlyDictionary<string, string> annotations) =>
        TryGet(annotations, Class, out var key, out var value)
        && value.EndsWith(".knative.dev", StringComparison.Ordinal) && value is not (KpaClass or HpaClass)
            ? FieldErrors.Invalid(value, key)
            : FieldErrors.None;

    private static FieldErrors ValidateMinMaxScale(IReadOnlyDictionary<string, string> annotations, int maxScaleLimit)
    {
        var errors = IntAtLeastZero(annotations, MinScale, out var min)
            .Also(IntAtLeastZero(annotations, MaxScale, out var max));
        if (max != 0 && max < min)
        {
            // Knative names the canonical keys here, whichever spelling was used.
            errors = errors.Also(FieldErrors.Of(
                string.Create(CultureInfo.InvariantCulture, $"max-scale={max} is less than min-scale={min}"), null, MaxScale, MinScale));
        }

        if (maxScaleLimit > 0 && TryGet(annotations, MaxScale, out var maxKey, out _))
        {
            if (max > maxScaleLimit)
            {
                errors = errors.Also(FieldErrors.OutOfBounds(max, 1, maxScaleLimit, maxKey));
            }

            if (max == 0)
            {
                errors = errors.Also(FieldErrors.Of(
                    string.Create(CultureInfo.InvariantCulture, $"max-scale=0 (unlimited), must be less than {maxScaleLimit}"), null, maxKey));
            }
        }

        // Only the first failing rule is reported, in Knative's order.
        if (TryGet(annotations, ActivationScale, out var key, out var text))
        {
            errors = errors.Also(
                !TryParseInt32(text, out var activation) ? FieldErrors.Invalid(text, key)
                : min > activation ? Error(Invariant($"min-scale={min} is greater than activation-scale={activation}"), key)
                : max < activation && max != 0 ? Error(Invariant($"max-scale={max} is less than activation-scale={activation}"), key)
                : activation < 2 ? Error(Invariant($"activation-scale={activation} must be greater than 1"), key)
                : FieldErrors.None);
        }

        return errors;
    }

    // Go's strconv.ParseInt(v, 10, 32): a syntax error is "invalid value", a range error or a negative value is out of bounds.
    private static FieldErrors IntAtLeastZero(IReadOnlyDictionary<string, string> annotations, string canonical, out int value)
    {
        value = 0;
        if (!TryGet(annotations, canonical, out var key, out var text))
        {
            return FieldErrors.None;
        }

        if (!GoInteger().IsMatch(text))
        {
            return FieldErrors.Invalid(text, key);
        }

        var parsed = BigInteger.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        if (parsed < 0 || parsed > int.MaxValue)
        {
            return FieldErrors.Of($"expected 0 <= {text} <= {int.MaxValue}", null, key);
        }

        value = (int)parsed;
        return FieldErrors.None;
    }

    private static FieldErrors ValidateFloats(IReadOnlyDictionary<string, string> annotations)
    {
        var errors = FloatInRange(annotations, PanicWindowPercentage, 1, 100)
            .Also(FloatInRange(annotations, PanicThresholdPercentage, 110, 1000));
        if (TryGet(annotations, Target, out var key, out var text))
        {
            errors = errors.Also(
                !GoFloat.TryParse(text, out var target) ? FieldErrors.Invalid(text, key)
                : target < 0.01 ? Error($"target {text} should be at least 0.01", key)
                : FieldErrors.None);
        }

        errors = errors.Also(FloatInRange(annotations, TargetUtilizationPercentage, 1, 100));
        if (TryGet(annotations, TargetBurstCapacity, out key, out text)
            && (!GoFloat.TryParse(text, out var burst) || (burst < 0 && burst != -1)))
        {
            errors = errors.Also(FieldErrors.Invalid(text, key));
        }

        return errors;
    }

    // The value is echoed as written ("expected 1 <= 200 <= 100"); NaN passes, as it does in Knative's comparisons.
    private static FieldErrors FloatInRange(IReadOnlyDictionary<string, string> annotations, string canonical, int lower, int upper)
    {
        if (!TryGet(annotations, canonical, out var key, out var text))
        {
            return FieldErrors.None;
        }

        if (!GoFloat.TryParse(text, out var value))
        {
            return FieldErrors.Invalid(text, key);
        }

        return value < lower || value > upper
            ? Error(Invariant($"expected {lower} <= {text} <= {upper}"), key)
            : FieldErrors.None;
    }

    private static FieldErrors ValidateWindow(IReadOnlyDictionary<string, string> annotations)
    {
        if (!TryGet(annotations, Window, out var key, out var text))
        {
            return FieldErrors.None;
        }

        if (!GoDuration.TryParse(text, out var window))
        {
            return FieldErrors.Invalid(text, key);
        }

        if (window < 6 * GoDuration.Second || window > Hour)
        {
            return Error($"expected {WindowMin} <= {text} <= {WindowMax}", key);
        }

        return window % GoDuration.Second != 0 ? Error("must be specified with at most second precision", key) : FieldErrors.None;
    }

    // Knative checks only the range here, not the precision.
    private static FieldErrors ValidateLastPodRetention(IReadOnlyDictionary<string, string> annotations)
    {
        if (!TryGet(annotations, ScaleToZeroPodRetentionPeriod, out var key, out var text))
        {
            return FieldErrors.None;
        }

        if (!GoDuration.TryParse(text, out var retention))
        {
            return FieldErrors.Invalid(text, key);
        }

        return retention < 0 || retention > Hour ? Error($"expected {DurationMin} <= {text} <= {WindowMax}", key) : FieldErrors.None;
    }

    private static FieldErrors ValidateScaleDownDelay(IReadOnlyDictionary<string, string> annotations)
    {
        if (!TryGet(annotations, ScaleDownDelay, out var key, out var text))
        {
            return FieldErrors.None;
        }

        if (!GoDuration.TryParse(text, out var delay))
        {
            return FieldErrors.Invalid(text, key);
        }

        if (delay < 0 || delay > Hour)
        {
            return Error($"expected {DurationMin} <= {text} <= {WindowMax}", key);
        }

        return delay % GoDuration.Second != 0 ? Error("must be specified with at most second precision", key) : FieldErrors.None;
    }

    // The class decides which metrics exist: the KPA (also when no class is set) knows two, the HPA takes any named metric
    // (cpu, memory or a custom one), other classes are left alone.
    private static FieldErrors ValidateMetric(IReadOnlyDictionary<string, string> annotations)
    {
        if (!TryGet(annotations, Metric, out _, out var metric))
        {
            return FieldErrors.None;
        }

        var autoscalerClass = TryGet(annotations, Class, out _, out var value) ? value : KpaClass;
        var valid = autoscalerClass switch
        {
            KpaClass => metric is Concurrency or Rps,
            HpaClass => metric.Length > 0,
            _ => true,
        };
        return valid ? FieldErrors.None : FieldErrors.Invalid(metric, Metric);
    }

    // Knative checks the algorithm only when the class annotation says KPA: custom autoscalers may have their own values.
    private static FieldErrors ValidateAlgorithm(IReadOnlyDictionary<string, string> annotations)
    {
        if (!TryGet(annotations, Class, out _, out var autoscalerClass) || autoscalerClass != KpaClass
            || !TryGet(annotations, MetricAggregationAlgorithm, out var key, out var algorithm) || algorithm.Length == 0)
        {
            return FieldErrors.None;
        }

        return algorithm is Linear or WeightedExponential or WeightedExponentialAlt ? FieldErrors.None : FieldErrors.Invalid(algorithm, key);
    }

    private static FieldErrors ValidateInitialScale(IReadOnlyDictionary<string, string> annotations, bool allowZero)
    {
        if (!TryGet(annotations, InitialScale, out var key, out var text))
        {
            return FieldErrors.None;
        }

        // Go's strconv.Atoi: a 64-bit integer.
        if (!GoInteger().IsMatch(text) || !long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var scale))
        {
            return FieldErrors.Invalid(text, key);
        }

        // Knative puts the explanation into the path: "invalid value: -1: ...initial-scale must be greater than 0".
        return scale < 0 ? FieldErrors.Invalid(text, key + " must be greater than 0")
            : scale == 0 && !allowZero ? FieldErrors.Invalid(text, key + "=0 not allowed by cluster")
            : FieldErrors.None;
    }

    // Go's strconv.ParseInt(v, 10, 32); any error (syntax or range) is reported as an invalid value by the caller.
    private static bool TryParseInt32(string text, out int value)
    {
        value = 0;
        return GoInteger().IsMatch(text) && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    private static FieldErrors Error(string message, string key) => FieldErrors.Of(message, null, key);

    [GeneratedRegex(@"^[-+]?[0-9]+\z")]
    private static partial Regex GoInteger();
}
