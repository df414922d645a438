using Knative.Orleans.Contracts.Errors;

namespace Knative.Orleans.Contracts.Serving;

/// <summary>Knative's admission checks for a Service, with Knative's messages and field paths; returns every error.</summary>
public static class ServiceValidation
{
    /// <summary>Validates a Service manifest (before defaults are applied).</summary>
    public static FieldErrors Validate(Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var errors = FieldErrors.None;
        if (string.IsNullOrEmpty(service.Metadata?.Name))
        {
            errors = errors.Also(FieldErrors.Of("name or generateName is required", null, "metadata.name"));
        }

        if (service.Spec?.Template?.Spec?.Containers is not { Count: > 0 })
        {
            errors = errors.Also(FieldErrors.Missing("spec.template.spec.containers"));
        }

        return errors; // TODO(#2): full rule set (being written).
    }

    /// <summary>Validates a namespace name (DNS-1123 label).</summary>
    public static FieldErrors ValidateNamespace(string ns) =>
        System.Text.RegularExpressions.Regex.IsMatch(ns, "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$") && ns.Length <= 63
            ? FieldErrors.None
            : FieldErrors.Invalid(ns, "metadata.namespace");
}
