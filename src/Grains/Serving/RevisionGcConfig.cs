using System.Globalization;
using Knative.Orleans.Contracts.Meta;

namespace Knative.Orleans.Grains.Serving;

/// <summary>
/// Knative's <c>config-gc</c> (knative/serving pkg/gc/config.go), read from <c>Gc:&lt;key&gt;</c>. A null duration or
/// count is Knative's <c>disabled</c>.
/// </summary>
public sealed record RevisionGcConfig
{
    /// <summary>Knative's defaults: 48h, 15h, 20, 1000.</summary>
    public static RevisionGcConfig Default { get; } = new();

    /// <summary><c>retain-since-create-time</c>: a revision younger than this is not stale. Null = disabled.</summary>
    public TimeSpan? RetainSinceCreateTime { get; init; } = TimeSpan.FromHours(48);

    /// <summary><c>retain-since-last-active-time</c>: a revision active more recently than this is not stale. Null = disabled.</summary>
    public TimeSpan? RetainSinceLastActiveTime { get; init; } = TimeSpan.FromHours(15);

    /// <summary><c>min-non-active-revisions</c>: at least this many non-active revisions are kept.</summary>
    public long MinNonActiveRevisions { get; init; } = 20;

    /// <summary><c>max-non-active-revisions</c>: beyond this many non-active revisions the oldest go, stale or not. Null = disabled.</summary>
    public long? MaxNonActiveRevisions { get; init; } = 1000;

    /// <summary>True when every deletion rule is disabled (Knative's early return): nothing is ever collected.</summary>
    public bool Disabled => MaxNonActiveRevisions is null && RetainSinceCreateTime is null && RetainSinceLastActiveTime is null;

    /// <summary>
    /// How often an owner re-checks its revisions while it is active (our rule; staleness grows with time, so the
    /// check cannot only follow changes): half the shortest enabled retention, within [1 s; 1 min]. Null when both
    /// time rules are disabled: then only the count rule applies, and counts only change with the revisions.
    /// </summary>
    public TimeSpan? CheckPeriod
    {
        get
        {
            var shortest = new[] { RetainSinceCreateTime, RetainSinceLastActiveTime }.Where(d => d is not null).Min();
            return shortest is { } s ? TimeSpan.FromTicks(Math.Clamp(s.Ticks / 2, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute)) : null;
        }
    }
}

/// <summary>Reads <see cref="RevisionGcConfig"/> from <c>Gc:&lt;key&gt;</c> with Knative's rules; every error at once.</summary>
public static class RevisionGcConfigParser
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Gc";

    /// <summary>Knative's value for a disabled setting (case-insensitive).</summary>
    public const string DisabledValue = "disabled";

    /// <summary>Every key Knative's config-gc knows.</summary>
    public static readonly IReadOnlySet<string> Keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "retain-since-create-time", "retain-since-last-active-time", "min-non-active-revisions", "max-non-active-revisions",
    };

    /// <summary>Parses and validates; returns the config and every error (empty when valid).</summary>
    public static (RevisionGcConfig Config, IReadOnlyList<string> Errors) Parse(IEnumerable<KeyValuePair<string, string?>> values)
    {
        var errors = new List<string>();
        var map = ConfigMapValues.Collect(values, Section, "config-gc", Keys, errors);

        var d = RevisionGcConfig.Default;
        var config = new RevisionGcConfig
        {
            RetainSinceCreateTime = Duration(map, "retain-since-create-time", d.RetainSinceCreateTime, errors),
            RetainSinceLastActiveTime = Duration(map, "retain-since-last-active-time", d.RetainSinceLastActiveTime, errors),
            MinNonActiveRevisions = Min(map, d.MinNonActiveRevisions, errors),
            MaxNonActiveRevisions = Max(map, d.MaxNonActiveRevisions, errors),
        };
        if (config.MaxNonActiveRevisions is { } max && config.MinNonActiveRevisions > max)
        {
            errors.Add($"{Section}:min-non-active-revisions({config.MinNonActiveRevisions}) must be <= max-non-active-revisions({max})");
        }

        return (config, errors);
    }

    // An empty value keeps the default, as Knative's parseDisabledOr*.
    private static TimeSpan? Duration(Dictionary<string, string> map, string key, TimeSpan? fallback, List<string> errors)
    {
        if (!map.TryGetValue(key, out var value) || value.Length == 0)
        {
            return fallback;
        }

        if (value.Equals(DisabledValue, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (!GoDuration.TryParse(value, out var ns))
        {
            errors.Add($"{Section}:{key} = {value}, must be a duration (e.g. 48h, 15h30m) or \"{DisabledValue}\"");
            return fallback;
        }

        if (ns < 0)
        {
            errors.Add($"{Section}:{key} = {value}, must be non-negative");
            return fallback;
        }

        return TimeSpan.FromTicks(ns / 100);
    }

    private static long Min(Dictionary<string, string> map, long fallback, List<string> errors)
    {
        const string Key = "min-non-active-revisions";
        if (!map.TryGetValue(Key, out var value))
        {
            return fallback;
        }

        if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
        {
            errors.Add($"{Section}:{Key} = {value}, must be an integer");
            return fallback;
        }

        if (n < 0)
        {
            errors.Add($"{Section}:{Key} must be non-negative, was: {n}");
            return fallback;
        }

        return n;
    }

    private static long? Max(Dictionary<string, string> map, long? fallback, List<string> errors)
    {
        const string Key = "max-non-active-revisions";
        if (!map.TryGetValue(Key, out var value) || value.Length == 0)
        {
            return fallback;
        }

        if (value.Equals(DisabledValue, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            errors.Add($"{Section}:{Key} = {value}, must be a non-negative integer or \"{DisabledValue}\"");
            return fallback;
        }

        return n;
    }
}
