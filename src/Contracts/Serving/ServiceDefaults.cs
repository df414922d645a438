namespace Knative.Orleans.Contracts.Serving;

/// <summary>Knative's defaults (placeholder; replaced by the full rule set).</summary>
public static class ServiceDefaults
{
    /// <summary>Returns the service with defaults applied.</summary>
    public static Service WithDefaults(Service s)
    {
        var spec = s.Spec ?? new ServiceSpec();
        var traffic = spec.Traffic is { Count: > 0 } t ? t : [new TrafficTarget { LatestRevision = true, Percent = 100 }];
        var template = spec.Template ?? new RevisionTemplateSpec();
        var rs = template.Spec ?? new RevisionSpec();
        rs = rs with { TimeoutSeconds = rs.TimeoutSeconds ?? 300, ContainerConcurrency = rs.ContainerConcurrency ?? 0 };
        return s with { Spec = spec with { Traffic = traffic, Template = template with { Spec = rs } } };
    }
}
