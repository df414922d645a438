namespace Knative.Orleans.Contracts.Serving;

/// <summary>Keys of Knative's autoscaling annotations; they only work on <c>spec.template.metadata.annotations</c>.</summary>
public static class AutoscalingAnnotations
{
    /// <summary>Every autoscaling annotation key starts with this (knative's <c>autoscaling.GroupName</c>).</summary>
    public const string Group = "autoscaling.knative.dev";

    /// <summary>Lower bound of instances (integer ≥ 0; default 0). Alias <c>autoscaling.knative.dev/minScale</c>.</summary>
    public const string MinScale = "autoscaling.knative.dev/min-scale";

    /// <summary>Upper bound of instances (integer ≥ 0; 0 = unlimited). Alias <c>autoscaling.knative.dev/maxScale</c>.</summary>
    public const string MaxScale = "autoscaling.knative.dev/max-scale";

    /// <summary>Instances started for a new revision (integer ≥ 0; default 1). Alias <c>autoscaling.knative.dev/initialScale</c>.</summary>
    public const string InitialScale = "autoscaling.knative.dev/initial-scale";

    /// <summary>Per-instance target of the scaling metric (concurrent requests or requests per second; ≥ 0.01).</summary>
    public const string Target = "autoscaling.knative.dev/target";

    /// <summary>Stable window, a Go duration in [6s, 1h] with whole seconds (default <c>60s</c>).</summary>
    public const string Window = "autoscaling.knative.dev/window";

    /// <summary>Older spellings Knative still reads; the canonical key wins when both are present.</summary>
    internal static readonly IReadOnlyDictionary<string, string> Aliases = new Dictionary<string, string>
    {
        [MinScale] = Group + "/minScale",
        [MaxScale] = Group + "/maxScale",
        [InitialScale] = Group + "/initialScale",
    };
}
