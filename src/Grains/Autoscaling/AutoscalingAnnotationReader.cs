using System.Globalization;

using Knative.Orleans.Contracts.Meta;
using Knative.Orleans.Contracts.Serving;

namespace Knative.Orleans.Grains.Autoscaling;

/// <summary>
/// Reads <c>autoscaling.knative.dev/*</c> annotations the way knative/serving
/// <c>pkg/apis/autoscaling/v1alpha1/pa_lifecycle.go</c> does (<c>kmap.KeyPriority</c>: the canonical key, else its legacy
/// camelCase alias; Go number and duration syntax). Keys and aliases come from <see cref="AutoscalingAnnotations"/>, shared
/// with the admission checks. A value that does not parse or lies outside Knative's validation range
/// reads as absent, so the config value applies: annotations are validated on admission, this is only a safety net.
/// </summary>
internal sealed class AutoscalingAnnotationReader(IReadOnlyDictionary<string, string>? annotations)
{
    /// <summary>
    /// The trimmed value of <paramref name="key"/>, a canonical key of <see cref="AutoscalingAnnotations"/> (or of its
    /// legacy alias, through the same <see cref="AutoscalingAnnotations.TryGet"/> the admission checks use), if present.
    /// </summary>
    public string? String(string key) =>
        AutoscalingAnnotations.TryGet(annotations, key, out _, out var value) ? value.Trim() : null;

    /// <summary>Go's <c>strconv.ParseInt(s, 10, 32)</c>, kept only when <paramref name="valid"/>.</summary>
    public int? Int(string key, Func<int, bool> valid) =>
        int.TryParse(String(key), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) && valid(v) ? v : null;

    /// <summary>Go's <c>strconv.ParseFloat(s, 64)</c> (finite values), kept only when <paramref name="valid"/>.</summary>
    public double? Double(string key, Func<double, bool> valid) =>
        GoFloat.TryParse(String(key), out var v) && double.IsFinite(v) && valid(v)
            ? v
            : null;

    /// <summary>Go's <c>time.ParseDuration</c>, kept only when <paramref name="valid"/>.</summary>
    public TimeSpan? Duration(string key, Func<TimeSpan, bool> valid) =>
        GoDuration.TryParseTimeSpan(String(key), out var v) && valid(v) ? v : null;
}
