namespace Knative.Orleans.Contracts.Serving;

/// <summary>Knative label and annotation keys used by Serving.</summary>
public static class ServingLabels
{
    /// <summary>Group name.</summary>
    public const string Group = "serving.knative.dev";

    /// <summary>API version of the v1 resources.</summary>
    public const string ApiVersion = "serving.knative.dev/v1";

    /// <summary>The owning Service.</summary>
    public const string Service = "serving.knative.dev/service";

    /// <summary>The owning Configuration.</summary>
    public const string Configuration = "serving.knative.dev/configuration";

    /// <summary>The uid of the owning Service (on Revisions).</summary>
    public const string ServiceUid = "serving.knative.dev/serviceUID";

    /// <summary>The uid of the owning Configuration (on Revisions).</summary>
    public const string ConfigurationUid = "serving.knative.dev/configurationUID";

    /// <summary>The Configuration generation a Revision was stamped from.</summary>
    public const string ConfigurationGeneration = "serving.knative.dev/configurationGeneration";

    /// <summary>The Route (on Revisions).</summary>
    public const string Route = "serving.knative.dev/route";

    /// <summary>Who created the object.</summary>
    public const string Creator = "serving.knative.dev/creator";

    /// <summary>Who last changed the object.</summary>
    public const string LastModifier = "serving.knative.dev/lastModifier";

    /// <summary>Routing state of a revision: <c>pending</c>, <c>active</c>, <c>reserve</c>.</summary>
    public const string RoutingState = "serving.knative.dev/routingState";

    /// <summary>A revision annotated <c>"true"</c> is never garbage collected (Knative's RevisionPreservedAnnotationKey).</summary>
    public const string NoGc = "serving.knative.dev/no-gc";
}

/// <summary>Condition types and reasons Knative Serving reports.</summary>
public static class ServingConditions
{
    /// <summary>Ready.</summary>
    public const string Ready = "Ready";

    /// <summary>Service: the configuration is ready.</summary>
    public const string ConfigurationsReady = "ConfigurationsReady";

    /// <summary>Service: the route is ready.</summary>
    public const string RoutesReady = "RoutesReady";

    /// <summary>Revision: the container came up healthy.</summary>
    public const string ContainerHealthy = "ContainerHealthy";

    /// <summary>Revision: resources (instances) are available.</summary>
    public const string ResourcesAvailable = "ResourcesAvailable";

    /// <summary>Revision: instances are running (informational).</summary>
    public const string Active = "Active";

    /// <summary>Route: every traffic target is resolved.</summary>
    public const string AllTrafficAssigned = "AllTrafficAssigned";

    /// <summary>Route: the ingress (our gateway) serves it.</summary>
    public const string IngressReady = "IngressReady";

    /// <summary>Route: certificate (TLS is not enabled here).</summary>
    public const string CertificateProvisioned = "CertificateProvisioned";
}
