using System.Globalization;

using Knative.Orleans.Contracts.Meta;

namespace Knative.Orleans.Grains.Autoscaling;

/// <summary>
/// Reads <c>autoscaling.knative.dev/*</c> annotations the way knative/serving
/// <c>pkg/apis/autoscaling/v1alpha1/pa_lifecycle.go</c> does (<c>kmap.KeyPriority</c>: the canonical key, else its legacy
/// camelCase alias; Go number and duration syntax). A value that does not parse or lies outside Knative's validation range
/// reads as absent, so the config value applies: annotations are validated on admission, this is only a safety net.
/// </summary>
internal sealed class AutoscalingAnnotationReader(IReadOnlyDictionary<string, string>? annotations)
{
    private const string Group = "autoscaling.knative.dev/";

    /// <summary>Canonical key → legacy alias (knative/serving <c>pkg/apis/autoscaling/register.go</c>).</summary>
    private static readonly Dictionary<string, string> Aliases = new()
    {
        [Group + "min-scale"] = Group + "minScale",
        [Group + "max-scale"] = Group + "maxScale",
        [Group + "initial-scale"] = Group + "initialScale",
        [Group + "scale-down-delay"] = Group + "scaleDownDelay",
        [Group + "target-utilization-percentage"] = Group + "targetUtilizationPercentage",
        [Group + "target-burst-capacity"] = Group + "targetBurstCapacity",
        [Group + "panic-window-percentage"] = Group + "panicWindowPercentage",
        [Group + "panic-threshold-percentage"] = Group + "panicThresholdPercentage",
        [Group + "scale-to-zero-pod-retention-period"] = Group + "scaleToZeroPodRetentionPeriod",
        [Group + "metric-aggregation-algorithm"] = Group + "metricAggregationAlgorithm",
    };

    /// <summary>The trimmed value of <c>autoscaling.knative.dev/<paramref name="key"/></c> (or its alias), if present.</summary>
    public string? String(string key)
    {
        if (annotations is null)
        {
            return null;
        }

        var canonical = Group + key;
        if (annotations.TryGetValue(canonical, out var value)
            || (Aliases.TryGetValue(canonical, out var alias) && annotations.TryGetValue(alias, out value)))
        {
            return value.Trim();
        }

        return null;
    }

    /// <summary>Go's <c>strconv.ParseInt(s, 10, 32)</c>, kept only when <paramref name="valid"/>.</summary>
    public int? Int(string key, Func<int, bool> valid) =>
        int.TryParse(String(key), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) && valid(v) ? v : null;

    /// <summary>Go's <c>strconv.ParseFloat(s, 64)</c> (finite values), kept only when <paramref name="valid"/>.</summary>
    public double? Double(string key, Func<double, bool> valid) =>
        double.TryParse(String(key), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) && valid(v)
            ? v
            : null;

    /// <summary>Go's <c>time.ParseDuration</c>, kept only when <paramref name="valid"/>.</summary>
    public TimeSpan? Duration(string key, Func<TimeSpan, bool> valid) =>
        GoDuration.TryParseTimeSpan(String(key), out var v) && valid(v) ? v : null;
}
