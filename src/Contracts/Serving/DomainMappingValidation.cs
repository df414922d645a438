using Knative.Orleans.Contracts.Errors;
using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Contracts.Meta;

namespace Knative.Orleans.Contracts.Serving;

/// <summary>
/// Knative's DomainMapping validation (knative/serving pkg/apis/serving/v1beta1/domainmapping_validation.go and
/// knative.dev/pkg KReference.Validate), with its messages; every error at once.
/// </summary>
public static class DomainMappingValidation
{
    /// <summary>Knative's cluster domain: a mapping may not be a subdomain of it.</summary>
    public const string ClusterLocalDomain = "cluster.local";

    /// <summary>Validates <paramref name="mapping"/> as stored in <paramref name="namespace"/>.</summary>
    public static FieldErrors Validate(DomainMapping mapping, string @namespace)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        var meta = mapping.Metadata ?? new ObjectMeta();
        var errors = FieldErrors.None;
        if (!string.IsNullOrEmpty(meta.GenerateName))
        {
            errors = errors.Also(FieldErrors.Disallowed("metadata.generateName"));
        }

        var name = meta.Name ?? "";
        if (FullyQualifiedDomainName(name) is { } problem)
        {
            errors = errors.Also(FieldErrors.Of($"invalid name \"{name}\": {problem}", null, "metadata.name"));
        }

        if (name.EndsWith("." + ClusterLocalDomain, StringComparison.Ordinal))
        {
            errors = errors.Also(FieldErrors.Of(
                $"invalid name \"{name}\": must not be a subdomain of cluster local domain \"{ClusterLocalDomain}\"", null, "metadata.name"));
        }

        var reference = mapping.Spec?.Ref;
        if (reference is null)
        {
            return errors.Also(FieldErrors.Missing("spec.ref.name", "spec.ref.apiVersion", "spec.ref.kind"));
        }

        if (string.IsNullOrEmpty(reference.Name))
        {
            errors = errors.Also(FieldErrors.Missing("spec.ref.name"));
        }

        if (string.IsNullOrEmpty(reference.ApiVersion))
        {
            errors = errors.Also(FieldErrors.Missing("spec.ref.apiVersion"));
        }

        if (string.IsNullOrEmpty(reference.Kind))
        {
            errors = errors.Also(FieldErrors.Missing("spec.ref.kind"));
        }

        if (!string.IsNullOrEmpty(reference.Namespace) && reference.Namespace != @namespace)
        {
            errors = errors.Also(FieldErrors.Of("mismatched namespaces",
                $"parent namespace: \"{@namespace}\" does not match ref: \"{reference.Namespace}\"", "spec.ref.namespace"));
        }

        return errors;
    }

    /// <summary>
    /// apimachinery's IsFullyQualifiedDomainName rendered as its aggregate (<c>name: Invalid value: "x": ...</c>), or
    /// null when <paramref name="name"/> is one.
    /// </summary>
    internal static string? FullyQualifiedDomainName(string name)
    {
        if (name.Length == 0)
        {
            return "name: Required value";
        }

        var trimmed = name.EndsWith('.') ? name[..^1] : name;
        if (NameRules.Dns1123Subdomain(trimmed) is { Count: > 0 } subdomain)
        {
            return $"name: Invalid value: \"{trimmed}\": {string.Join(",", subdomain)}";
        }

        var labels = trimmed.Split('.');
        if (labels.Length < 2)
        {
            return $"name: Invalid value: \"{trimmed}\": should be a domain with at least two segments separated by dots";
        }

        foreach (var label in labels)
        {
            if (NameRules.Dns1123Label(label) is { Count: > 0 } problems)
            {
                return $"name: Invalid value: \"{label}\": {string.Join(",", problems)}";
            }
        }

        return null;
    }
}
