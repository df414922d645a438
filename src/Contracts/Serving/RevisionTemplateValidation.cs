using Knative.Orleans.Contracts.Errors;
using Knative.Orleans.Contracts.Meta;

namespace Knative.Orleans.Contracts.Serving;

/// <summary>
/// Knative's checks of a revision template (knative/serving <c>RevisionTemplateSpec.Validate</c>): the spec, the autoscaling
/// annotations and a bring-your-own revision name. Paths are relative to the template (<c>metadata.name</c>).
/// </summary>
public static class RevisionTemplateValidation
{
    /// <summary>
    /// Validates <paramref name="template"/> of the object described by <paramref name="parent"/> (the Service or
    /// Configuration metadata, for the name prefix rule) against Knative's default <see cref="AutoscalingLimits"/>.
    /// Expects a defaulted template.
    /// </summary>
    public static FieldErrors Validate(RevisionTemplateSpec? template, ObjectMeta? parent) =>
        Validate(template, parent, AutoscalingLimits.Default);

    /// <summary>
    /// Validates <paramref name="template"/> of the object described by <paramref name="parent"/>, checking the
    /// autoscaling annotations against the cluster's <paramref name="limits"/>. Expects a defaulted template.
    /// </summary>
    public static FieldErrors Validate(RevisionTemplateSpec? template, ObjectMeta? parent, AutoscalingLimits limits) =>
        RevisionSpecValidation.Validate(template?.Spec).ViaField("spec")
            .Also(AutoscalingAnnotationValidation.Validate(template?.Metadata?.Annotations, limits).ViaField("metadata.annotations"))
            .Also(ServingMetadataValidation.ProgressDeadlineAnnotation(template?.Metadata?.Annotations).ViaField("metadata.annotations"))
            .Also(RevisionName(template?.Metadata, parent));

    // validateRevisionName: a BYO name is a DNS-1035 label starting with "{parent}-", and not allowed under generateName.
    private static FieldErrors RevisionName(ObjectMeta? meta, ObjectMeta? parent)
    {
        var name = meta?.Name ?? "";
        var generateName = meta?.GenerateName ?? "";
        if (generateName.Length > 0 && NameRules.Dns1035Name(generateName, prefix: true) is { Count: > 0 } prefixErrors)
        {
            return FieldErrors.Invalid("not a DNS 1035 label prefix: " + NameRules.GoList(prefixErrors), "metadata.generateName");
        }

        if (name.Length == 0)
        {
            return FieldErrors.None;
        }

        if (NameRules.Dns1035Name(name, prefix: false) is { Count: > 0 } nameErrors)
        {
            return FieldErrors.Invalid("not a DNS 1035 label: " + NameRules.GoList(nameErrors), "metadata.name");
        }

        var parentName = parent?.Name ?? "";
        if (parentName.Length == 0 && !string.IsNullOrEmpty(parent?.GenerateName))
        {
            return FieldErrors.Disallowed("metadata.name");
        }

        var prefix = parentName + "-";
        return name.StartsWith(prefix, StringComparison.Ordinal)
            ? FieldErrors.None
            : FieldErrors.Invalid(NameRules.GoQuote(name) + " must have prefix " + NameRules.GoQuote(prefix), "metadata.name");
    }
}
