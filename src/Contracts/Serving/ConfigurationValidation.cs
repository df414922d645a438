using Knative.Orleans.Contracts.Errors;
using Knative.Orleans.Contracts.Meta;

namespace Knative.Orleans.Contracts.Serving;

/// <summary>Knative's admission checks for a standalone Configuration (knative/serving <c>configuration_validation.go</c>); returns every error.</summary>
public static class ConfigurationValidation
{
    /// <summary>
    /// Validates a Configuration as the webhook does, on the defaulted object: <c>apiVersion</c>/<c>kind</c> when given, the
    /// metadata (name, no autoscaling annotations) and the template (<see cref="RevisionTemplateValidation"/>, whose BYO
    /// revision name must start with <c>{configuration}-</c>). With <paramref name="localProcessRuntime"/>, also the limits
    /// of that runtime.
    /// </summary>
    public static FieldErrors Validate(Configuration configuration, bool localProcessRuntime, AutoscalingLimits limits)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(limits);
        var defaulted = ServiceDefaults.WithDefaults(configuration);
        var meta = defaulted.Metadata;
        var template = defaulted.Spec!.Template;
        var metadataErrors = ObjectMetaValidation.Names(meta)
            .Also(ServingMetadataValidation.NoAutoscalingAnnotations(meta?.Annotations).ViaField("annotations"));
        var specErrors = RevisionTemplateValidation.Validate(template, meta, limits).ViaField("template");
        if (localProcessRuntime)
        {
            specErrors = specErrors.Also(LocalRuntimeValidation.ValidateProbeHandlers(template?.Spec).ViaField("template.spec"))
                .Also(LocalRuntimeValidation.ValidateCommand(template?.Spec).ViaField("template.spec"))
                .Also(LocalRuntimeValidation.ValidateVolumes(template?.Spec).ViaField("template.spec"));
        }

        return TypeMetaValidation.Check(configuration.ApiVersion, configuration.Kind, "Configuration")
            .Also(metadataErrors.ViaField("metadata")).Also(specErrors.ViaField("spec"));
    }
}

/// <summary>Knative's admission checks for a standalone Route (knative/serving <c>route_validation.go</c>); returns every error.</summary>
public static class RouteValidation
{
    /// <summary>
    /// Validates a Route on the defaulted object: <c>apiVersion</c>/<c>kind</c> when given, the metadata (name, visibility
    /// label, rollout duration) and <c>spec.traffic</c> (<see cref="TrafficValidation"/>: every target names exactly one of
    /// <c>revisionName</c>/<c>configurationName</c>; an empty list is allowed).
    /// </summary>
    public static FieldErrors Validate(Route route)
    {
        ArgumentNullException.ThrowIfNull(route);
        var defaulted = ServiceDefaults.WithDefaults(route);
        var meta = defaulted.Metadata;
        var metadataErrors = ObjectMetaValidation.Names(meta)
            .Also(ServingMetadataValidation.Labels(meta?.Labels).ViaField("labels"))
            .Also(ServingMetadataValidation.RolloutDurationAnnotation(meta?.Annotations).ViaField("annotations"));
        var specErrors = TrafficValidation.Validate(defaulted.Spec!.Traffic, inService: false).ViaField("traffic");
        return TypeMetaValidation.Check(route.ApiVersion, route.Kind, "Route")
            .Also(metadataErrors.ViaField("metadata")).Also(specErrors.ViaField("spec"));
    }
}

/// <summary><c>apiVersion</c> and <c>kind</c> may be omitted (the request path says what the object is), but must not name something else.</summary>
internal static class TypeMetaValidation
{
    public static FieldErrors Check(string? apiVersion, string? kind, string expectedKind)
    {
        var errors = FieldErrors.None;
        if (!string.IsNullOrEmpty(apiVersion) && apiVersion != ServingLabels.ApiVersion)
        {
            errors = errors.Also(FieldErrors.Invalid(apiVersion, "apiVersion", $"expected \"{ServingLabels.ApiVersion}\""));
        }

        if (!string.IsNullOrEmpty(kind) && kind != expectedKind)
        {
            errors = errors.Also(FieldErrors.Invalid(kind, "kind", $"expected \"{expectedKind}\""));
        }

        return errors;
    }
}
