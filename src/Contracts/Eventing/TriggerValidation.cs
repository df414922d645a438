using System.Text.RegularExpressions;
using Knative.Orleans.Contracts.Errors;
using Knative.Orleans.Contracts.Meta;

namespace Knative.Orleans.Contracts.Eventing;

/// <summary>Validation of a Trigger manifest with Knative's messages.</summary>
public static partial class TriggerValidation
{
    private const string KeyNameDetails = "Attribute name must start with a letter and can only contain lowercase alphanumeric";

    /// <summary>
    /// Every error. <paramref name="cesqlError"/> parses a CESQL expression and returns its parse error, or null when it
    /// parses (the engine lives in the grains project). <paramref name="previous"/> is the stored trigger on an update
    /// (<c>spec.broker</c> is immutable).
    /// </summary>
    public static FieldErrors Validate(Trigger trigger, Func<string, string?> cesqlError, Trigger? previous = null)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(cesqlError);
        var spec = trigger.Spec ?? new TriggerSpec();
        var errors = FieldErrors.None;
        if (string.IsNullOrEmpty(spec.Broker))
        {
            errors = errors.Also(FieldErrors.Missing("broker"));
        }
        else if (previous?.Spec?.Broker is { } old && old != spec.Broker)
        {
            errors = errors.Also(FieldErrors.Of("Immutable fields changed (-old +new)", $"{{string}}:\n\t-: \"{old}\"\n\t+: \"{spec.Broker}\"\n", "broker"));
        }

        foreach (var key in (spec.Filter?.Attributes ?? []).Keys.Order(StringComparer.Ordinal))
        {
            errors = errors.Also(KeyName(key).ViaKey(key).ViaField("filter.attributes"));
        }

        for (var i = 0; i < (spec.Filters?.Count ?? 0); i++)
        {
            errors = errors.Also(ValidateFilter(spec.Filters![i], cesqlError).ViaFieldIndex("filters", i));
        }

        errors = errors.Also(DeliveryValidation.ValidateDestination(spec.Subscriber, allowServiceRef: true).ViaField("subscriber"))
            .Also(DeliveryValidation.Validate(spec.Delivery).ViaField("delivery"));
        return BrokerValidation.TypeMeta(trigger.ApiVersion, trigger.Kind, "Trigger")
            .Also(ObjectMetaValidation.Names(trigger.Metadata).ViaField("metadata"))
            .Also(TriggerDeliveryAnnotations.Validate(trigger.Metadata?.Annotations).ViaField("metadata.annotations"))
            .Also(errors.ViaField("spec"));
    }

    /// <summary>One Subscriptions API filter: exactly one non-empty dialect, valid key names, parsable CESQL.</summary>
    public static FieldErrors ValidateFilter(SubscriptionsApiFilter? filter, Func<string, string?> cesqlError)
    {
        ArgumentNullException.ThrowIfNull(cesqlError);
        if (filter is null)
        {
            return FieldErrors.Missing("");
        }

        var dialects = (filter.Exact is not null ? 1 : 0) + (filter.Prefix is not null ? 1 : 0) + (filter.Suffix is not null ? 1 : 0)
            + (filter.All is not null ? 1 : 0) + (filter.Any is not null ? 1 : 0) + (filter.Not is not null ? 1 : 0)
            + (filter.Cesql is not null ? 1 : 0);
        if (dialects > 1)
        {
            return FieldErrors.Of("multiple dialects found, filters can have only one dialect set");
        }

        if (dialects == 0)
        {
            return FieldErrors.Missing("");
        }

        return filter switch
        {
            { Exact: { } exact } => Attributes(exact, "exact"),
            { Prefix: { } prefix } => Attributes(prefix, "prefix"),
            { Suffix: { } suffix } => Attributes(suffix, "suffix"),
            { All: { } all } => Children(all, "all", cesqlError),
            { Any: { } any } => Children(any, "any", cesqlError),
            { Not: { } not } => ValidateFilter(not, cesqlError).ViaField("not"),
            _ => filter.Cesql!.Length == 0 ? FieldErrors.Missing("cesql")
                : cesqlError(filter.Cesql) is { } parse ? FieldErrors.Invalid(filter.Cesql, "cesql", parse) : FieldErrors.None,
        };
    }

    private static FieldErrors Attributes(Dictionary<string, string> map, string dialect)
    {
        if (map.Count == 0)
        {
            return FieldErrors.Missing(dialect);
        }

        var errors = FieldErrors.None;
        foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            errors = errors.Also(KeyName(key).ViaKey(key).ViaField(dialect));
            if (string.IsNullOrEmpty(value))
            {
                errors = errors.Also(FieldErrors.Missing($"{dialect}[{key}]"));
            }
        }

        return errors;
    }

    private static FieldErrors Children(List<SubscriptionsApiFilter> children, string dialect, Func<string, string?> cesqlError)
    {
        if (children.Count == 0)
        {
            return FieldErrors.Missing(dialect);
        }

        var errors = FieldErrors.None;
        for (var i = 0; i < children.Count; i++)
        {
            errors = errors.Also(ValidateFilter(children[i], cesqlError).ViaFieldIndex(dialect, i));
        }

        return errors;
    }

    private static FieldErrors KeyName(string key) =>
        AttributeName().IsMatch(key) ? FieldErrors.None : FieldErrors.Of($"invalid key name \"{key}\"", KeyNameDetails);

    [GeneratedRegex("^[a-z][a-z0-9]*$", RegexOptions.CultureInvariant)]
    private static partial Regex AttributeName();
}
