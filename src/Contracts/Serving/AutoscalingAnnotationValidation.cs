using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using Knative.Orleans.Contracts.Errors;
using Knative.Orleans.Contracts.Meta;

namespace Knative.Orleans.Contracts.Serving;

/// <summary>
/// Knative's checks of the autoscaling annotations on a revision template (knative/serving
/// <c>pkg/apis/autoscaling/annotation_validation.go</c>), with its messages. Paths are the annotation keys; callers prefix
/// them with <c>metadata.annotations</c>.
/// </summary>
public static partial class AutoscalingAnnotationValidation
{
    private const string WindowMin = "6s";
    private const string WindowMax = "1h0m0s";

    /// <summary>
    /// Validates min-scale / max-scale (integers in [0, 2147483647], max ≥ min unless max is 0), initial-scale (an integer
    /// ≥ 0; 0 only when <paramref name="allowZeroInitialScale"/>, Knative's <c>allow-zero-initial-scale</c>, default false),
    /// target (a number ≥ 0.01) and window (a duration in [6s, 1h] with whole seconds). With
    /// <paramref name="maxScaleLimit"/> &gt; 0 (<c>max-scale-limit</c>), max-scale must also be in [1, limit].
    /// </summary>
    public static FieldErrors Validate(
        IReadOnlyDictionary<string, string>? annotations, bool allowZeroInitialScale = false, int maxScaleLimit = 0)
    {
        if (annotations is null || annotations.Count == 0)
        {
            return FieldErrors.None;
        }

        return ValidateMinMaxScale(annotations, maxScaleLimit)
            .Also(ValidateTarget(annotations))
            .Also(ValidateWindow(annotations))
            .Also(ValidateInitialScale(annotations, allowZeroInitialScale));
    }

    private static FieldErrors ValidateMinMaxScale(IReadOnlyDictionary<string, string> annotations, int maxScaleLimit)
    {
        var errors = IntAtLeastZero(annotations, AutoscalingAnnotations.MinScale, out var min)
            .Also(IntAtLeastZero(annotations, AutoscalingAnnotations.MaxScale, out var max));
        if (max != 0 && max < min)
        {
            errors = errors.Also(FieldErrors.Of(
                string.Create(CultureInfo.InvariantCulture, $"max-scale={max} is less than min-scale={min}"),
                null, AutoscalingAnnotations.MaxScale, AutoscalingAnnotations.MinScale));
        }

        if (maxScaleLimit > 0 && Get(annotations, AutoscalingAnnotations.MaxScale) is var (key, _))
        {
            if (max > maxScaleLimit)
            {
                errors = errors.Also(FieldErrors.OutOfBounds(max, 1, maxScaleLimit, key));
            }

            if (max == 0)
            {
                errors = errors.Also(FieldErrors.Of(
                    string.Create(CultureInfo.InvariantCulture, $"max-scale=0 (unlimited), must be less than {maxScaleLimit}"), null, key));
            }
        }

        return errors;
    }

    // Go's strconv.ParseInt(v, 10, 32): a syntax error is "invalid value", a range error or a negative value is out of bounds.
    private static FieldErrors IntAtLeastZero(IReadOnlyDictionary<string, string> annotations, string canonical, out int value)
    {
        value = 0;
        if (Get(annotations, canonical) is not var (key, text))
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

    private static FieldErrors ValidateTarget(IReadOnlyDictionary<string, string> annotations)
    {
        if (Get(annotations, AutoscalingAnnotations.Target) is not var (key, text))
        {
            return FieldErrors.None;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var target))
        {
            return FieldErrors.Invalid(text, key);
        }

        return target < 0.01 ? FieldErrors.Of($"target {text} should be at least 0.01", null, key) : FieldErrors.None;
    }

    private static FieldErrors ValidateWindow(IReadOnlyDictionary<string, string> annotations)
    {
        // Knative reports window errors at the canonical key even though it is read through the same lookup.
        const string key = AutoscalingAnnotations.Window;
        if (Get(annotations, key) is not var (_, text))
        {
            return FieldErrors.None;
        }

        if (!GoDuration.TryParse(text, out var window))
        {
            return FieldErrors.Invalid(text, key);
        }

        if (window < 6 * GoDuration.Second || window > 3600 * GoDuration.Second)
        {
            return FieldErrors.Of($"expected {WindowMin} <= {text} <= {WindowMax}", null, key);
        }

        return window % GoDuration.Second != 0
            ? FieldErrors.Of("must be specified with at most second precision", null, key)
            : FieldErrors.None;
    }

    private static FieldErrors ValidateInitialScale(IReadOnlyDictionary<string, string> annotations, bool allowZero)
    {
        if (Get(annotations, AutoscalingAnnotations.InitialScale) is not var (key, text))
        {
            return FieldErrors.None;
        }

        if (!GoInteger().IsMatch(text) || !long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var scale))
        {
            return FieldErrors.Invalid(text, key);
        }

        // Knative puts the explanation into the path: "invalid value: -1: ...initial-scale must be greater than 0".
        return scale < 0 ? FieldErrors.Invalid(text, key + " must be greater than 0")
            : scale == 0 && !allowZero ? FieldErrors.Invalid(text, key + "=0 not allowed by cluster")
            : FieldErrors.None;
    }

    /// <summary>knative's <c>kmap.KeyPriority.Get</c>: the canonical key, else its alias.</summary>
    private static (string Key, string Value)? Get(IReadOnlyDictionary<string, string> annotations, string canonical)
    {
        if (annotations.TryGetValue(canonical, out var value))
        {
            return (canonical, value);
        }

        return AutoscalingAnnotations.Aliases.TryGetValue(canonical, out var alias) && annotations.TryGetValue(alias, out value)
            ? (alias, value)
            : null;
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex GoInteger();
}
