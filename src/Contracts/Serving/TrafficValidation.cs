using System.Globalization;
using Knative.Orleans.Contracts.Errors;
using Knative.Orleans.Contracts.Meta;

namespace Knative.Orleans.Contracts.Serving;

/// <summary>
/// Knative's checks of <c>spec.traffic</c> (knative/serving <c>route_validation.go</c>), with its messages. Paths are relative
/// to the traffic list (<c>[0].percent</c>); callers prefix them with <c>spec.traffic</c>.
/// </summary>
public static class TrafficValidation
{
    /// <summary>
    /// Percents are in [0, 100] and sum to exactly 100 (nil counts as 0); tags are DNS-1035 labels and unique;
    /// <c>latestRevision</c> agrees with <c>revisionName</c>; a target names a revision or a configuration, not both;
    /// <c>url</c> is status-only. In a Service (<paramref name="inService"/>) the configuration is implied, so
    /// <c>configurationName</c> is refused and a target may name neither.
    /// </summary>
    public static FieldErrors Validate(IReadOnlyList<TrafficTarget>? traffic, bool inService)
    {
        var errors = FieldErrors.None;
        var tags = new Dictionary<string, int>(StringComparer.Ordinal);
        long sum = 0;
        for (var i = 0; i < (traffic?.Count ?? 0); i++)
        {
            var target = traffic![i];
            errors = errors.Also(Target(target, inService).ViaIndex(i));
            sum += target.Percent ?? 0;
            if (string.IsNullOrEmpty(target.Tag))
            {
                continue;
            }

            if (NameRules.Dns1035Label(target.Tag) is { Count: > 0 } messages)
            {
                // Knative's ErrInvalidArrayValue puts the index after the field: "spec.traffic.tag[0]".
                errors = errors.Also(FieldErrors.Invalid("not a DNS 1035 label: " + NameRules.GoList(messages), Index("tag", i)));
            }

            if (tags.TryGetValue(target.Tag, out var first))
            {
                errors = errors.Also(FieldErrors.Of("Multiple definitions for " + NameRules.GoQuote(target.Tag), null,
                    Index("", i) + ".tag", Index("", first) + ".tag"));
            }
            else
            {
                tags[target.Tag] = i;
            }
        }

        // Knative checks the sum only when there are targets: a Route may have none (a Service never does once defaulted).
        return sum == 100 || traffic is null or { Count: 0 }
            ? errors
            : errors.Also(FieldErrors.Of(string.Create(CultureInfo.InvariantCulture, $"Traffic targets sum to {sum}, want 100"), null, ""));
    }

    private static FieldErrors Target(TrafficTarget target, bool inService)
    {
        var errors = FieldErrors.None;
        var revision = target.RevisionName ?? "";
        var configuration = target.ConfigurationName ?? "";
        if (target.LatestRevision is { } latest && latest == (revision.Length > 0))
        {
            errors = errors.Also(FieldErrors.Of(
                $"may not set revisionName {NameRules.GoQuote(revision)} when latestRevision is {(latest ? "true" : "false")}",
                null, "latestRevision"));
        }

        errors = errors.Also((inService, revision.Length > 0, configuration.Length > 0) switch
        {
            (true, _, true) => FieldErrors.Disallowed("configurationName"),
            (_, true, true) => FieldErrors.OneOfBoth("revisionName", "configurationName"),
            (_, true, _) => InvalidKeyName(revision, "revisionName"),
            (_, _, true) => InvalidKeyName(configuration, "configurationName"),
            (true, _, _) => FieldErrors.None,
            _ => FieldErrors.OneOfNeither("revisionName", "configurationName"),
        });

        if (target.Percent is { } percent && percent is < 0 or > 100)
        {
            errors = errors.Also(FieldErrors.OutOfBounds(percent, 0, 100, "percent"));
        }

        if (!string.IsNullOrEmpty(target.Url))
        {
            // Not allowed in a spec at all, and never without a tag: both rules report the same path.
            errors = errors.Also(FieldErrors.Disallowed("url"));
        }

        return errors;
    }

    private static FieldErrors InvalidKeyName(string name, string path) =>
        NameRules.QualifiedName(name) is { Count: > 0 } messages
            ? FieldErrors.Of("invalid key name " + NameRules.GoQuote(name), string.Join(", ", messages), path)
            : FieldErrors.None;

    private static string Index(string field, int i) => string.Create(CultureInfo.InvariantCulture, $"{field}[{i}]");
}
