using Knative.Orleans.Contracts.Errors;
using Knative.Orleans.Contracts.Meta;

namespace Knative.Orleans.Contracts.Serving;

/// <summary>
/// Knative's admission checks for a Service, with Knative's messages and field paths; returns every error. Callers render
/// them as <c>validation failed: </c> + <see cref="FieldErrors.ToString"/>.
/// </summary>
public static class ServiceValidation
{
    /// <summary>
    /// Validates a Service manifest for the embedded local-process runtime: <see cref="Validate(Service, bool)"/> with
    /// <c>localProcessRuntime: true</c>.
    /// </summary>
    public static FieldErrors Validate(Service service) => Validate(service, localProcessRuntime: true);

    /// <summary>
    /// <see cref="Validate(Service, bool, AutoscalingLimits)"/> with Knative's default cluster settings
    /// (<see cref="AutoscalingLimits.Default"/>: zero initial scale refused, no max-scale limit).
    /// </summary>
    public static FieldErrors Validate(Service service, bool localProcessRuntime) =>
        Validate(service, localProcessRuntime, AutoscalingLimits.Default);

    /// <summary>
    /// Validates a Service manifest as Knative's webhook does: on the defaulted service (<see cref="ServiceDefaults"/>), so
    /// unset fields are never reported. Checks <c>apiVersion</c> and <c>kind</c> when given, the metadata (name, no
    /// autoscaling annotations, rollout duration, visibility label), the template (<see cref="RevisionTemplateValidation"/>,
    /// its autoscaling annotations against the cluster's <paramref name="limits"/>) and the traffic
    /// (<see cref="TrafficValidation"/>). With <paramref name="localProcessRuntime"/>, also the limits of that runtime
    /// (<see cref="LocalRuntimeValidation"/>).
    /// </summary>
    public static FieldErrors Validate(Service service, bool localProcessRuntime, AutoscalingLimits limits)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(limits);
        var defaulted = ServiceDefaults.WithDefaults(service);
        var meta = defaulted.Metadata;
        var spec = defaulted.Spec!;
        var metadataErrors = ObjectMetaValidation.Names(meta)
            .Also(ServingMetadataValidation.Labels(meta?.Labels).ViaField("labels"))
            .Also(ServingMetadataValidation.NoAutoscalingAnnotations(meta?.Annotations).ViaField("annotations"))
            .Also(ServingMetadataValidation.RolloutDurationAnnotation(meta?.Annotations).ViaField("annotations"));
        var specErrors = RevisionTemplateValidation.Validate(spec.Template, meta, limits).ViaField("template")
            .Also(TrafficValidation.Validate(spec.Traffic, inService: true).ViaField("traffic"));
        if (localProcessRuntime)
        {
            specErrors = specErrors.Also(LocalRuntimeValidation.ValidateProbeHandlers(spec.Template?.Spec).ViaField("template.spec"))
                .Also(LocalRuntimeValidation.ValidateCommand(spec.Template?.Spec).ViaField("template.spec"))
                .Also(LocalRuntimeValidation.ValidateVolumes(spec.Template?.Spec).ViaField("template.spec"));
        }

        return TypeMeta(service).Also(metadataErrors.ViaField("metadata")).Also(specErrors.ViaField("spec"));
    }

    /// <summary>
    /// A namespace must be a DNS-1123 label (<c>[a-z0-9]([-a-z0-9]*[a-z0-9])?</c>, at most 63 characters). Path
    /// <c>metadata.namespace</c>; one error per problem, with apimachinery's explanation as details.
    /// </summary>
    public static FieldErrors ValidateNamespace(string ns)
    {
        if (string.IsNullOrEmpty(ns))
        {
            return FieldErrors.Missing("metadata.namespace");
        }

        var errors = FieldErrors.None;
        foreach (var message in NameRules.Dns1123Label(ns))
        {
            errors = errors.Also(FieldErrors.Invalid(ns, "metadata.namespace", message));
        }

        return errors;
    }

    // apiVersion and kind may be omitted (the request path says what the object is), but must not name something else.
    private static FieldErrors TypeMeta(Service service)
    {
        var errors = FieldErrors.None;
        if (!string.IsNullOrEmpty(service.ApiVersion) && service.ApiVersion != ServingLabels.ApiVersion)
        {
            errors = errors.Also(FieldErrors.Invalid(service.ApiVersion, "apiVersion", $"expected \"{ServingLabels.ApiVersion}\""));
        }

        if (!string.IsNullOrEmpty(service.Kind) && service.Kind != "Service")
        {
            errors = errors.Also(FieldErrors.Invalid(service.Kind, "kind", "expected \"Service\""));
        }

        return errors;
    }
}
