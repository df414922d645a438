using Knative.Orleans.Contracts.Errors;
using Knative.Orleans.Contracts.Meta;

namespace Knative.Orleans.Contracts.Serving;

/// <summary>Checks of Service labels and annotations (knative/serving <c>metadata_validation.go</c>, <c>service_validation.go</c>).</summary>
internal static class ServingMetadataValidation
{
    /// <summary>The gradual-rollout duration annotation (and its older spelling).</summary>
    public const string RolloutDuration = "serving.knative.dev/rollout-duration";

    /// <summary>The visibility label; its only valid value is <see cref="ClusterLocal"/>.</summary>
    public const string VisibilityLabel = "networking.knative.dev/visibility";

    /// <summary>Makes a service reachable only inside the cluster.</summary>
    public const string ClusterLocal = "cluster-local";

    private const string RolloutDurationAlias = "serving.knative.dev/rolloutDuration";

    /// <summary>The revision's progress deadline annotation (template metadata).</summary>
    public const string ProgressDeadline = "serving.knative.dev/progress-deadline";

    /// <summary>
    /// <c>serving.knative.dev/progress-deadline</c> on a revision template: a Go duration, whole seconds, greater than 0
    /// (knative's <c>ValidateProgressDeadlineAnnotation</c>). Paths are relative to the annotations.
    /// </summary>
    public static FieldErrors ProgressDeadlineAnnotation(IReadOnlyDictionary<string, string>? annotations)
    {
        if (annotations is null || !annotations.TryGetValue(ProgressDeadline, out var text) || text.Length == 0)
        {
            return FieldErrors.None;
        }

        if (!GoDuration.TryParse(text, out var duration))
        {
            return FieldErrors.Invalid(text, ProgressDeadline);
        }

        return duration % GoDuration.Second != 0 ? FieldErrors.Of($"progress-deadline={text} is not at second precision", null, ProgressDeadline)
            : duration <= 0 ? FieldErrors.Of($"progress-deadline={text} must be positive", null, ProgressDeadline)
            : FieldErrors.None;
    }

    /// <summary>Autoscaling annotations on a Service do nothing; Knative refuses them. Paths are relative to the annotations.</summary>
    public static FieldErrors NoAutoscalingAnnotations(IReadOnlyDictionary<string, string>? annotations)
    {
        var errors = FieldErrors.None;
        foreach (var key in (annotations?.Keys ?? []).Where(k => k.StartsWith(AutoscalingAnnotations.Group, StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal))
        {
            errors = errors.Also(FieldErrors.Of("invalid key name " + NameRules.GoQuote(key),
                "autoscaling annotations must be put under \"spec.template.metadata.annotations\" to work", ""));
        }

        return errors;
    }

    /// <summary><c>serving.knative.dev/rollout-duration</c>: a Go duration, whole seconds, not negative.</summary>
    public static FieldErrors RolloutDurationAnnotation(IReadOnlyDictionary<string, string>? annotations)
    {
        var key = annotations?.ContainsKey(RolloutDuration) == true ? RolloutDuration : RolloutDurationAlias;
        if (annotations is null || !annotations.TryGetValue(key, out var text) || text.Length == 0)
        {
            return FieldErrors.None;
        }

        if (!GoDuration.TryParse(text, out var duration))
        {
            return FieldErrors.Invalid(text, key);
        }

        return duration % GoDuration.Second != 0 ? FieldErrors.Of($"rollout-duration={text} is not at second precision", null, key)
            : duration < 0 ? FieldErrors.Of($"rollout-duration={text} must be positive", null, key)
            : FieldErrors.None;
    }

    /// <summary><c>networking.knative.dev/visibility</c> may only be <c>cluster-local</c>. Paths are relative to the labels.</summary>
    public static FieldErrors Labels(IReadOnlyDictionary<string, string>? labels) =>
        labels is not null && labels.TryGetValue(VisibilityLabel, out var value) && value != ClusterLocal
            ? FieldErrors.Invalid(value, VisibilityLabel)
            : FieldErrors.None;
}
