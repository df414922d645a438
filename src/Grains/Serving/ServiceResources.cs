using Knative.Orleans.Contracts.Meta;
using Knative.Orleans.Contracts.Serving;

namespace Knative.Orleans.Grains.Serving;

/// <summary>Pure builders of a service's child objects (knative/serving pkg/reconciler/*/resources).</summary>
public static class ServiceResources
{
    /// <summary>The revision stamped from <paramref name="service"/>'s template at configuration generation <paramref name="generation"/>.</summary>
    public static Revision MakeRevision(Service service, long generation, string user)
    {
        var meta = service.Metadata!;
        var template = service.Spec!.Template!;
        var name = string.IsNullOrEmpty(template.Metadata?.Name) ? Names.RevisionName(meta.Name!, generation) : template.Metadata!.Name!;
        var labels = new Dictionary<string, string>(template.Metadata?.Labels ?? [])
        {
            [ServingLabels.Service] = meta.Name!,
            [ServingLabels.Configuration] = meta.Name!,
            [ServingLabels.ConfigurationGeneration] = generation.ToString(System.Globalization.CultureInfo.InvariantCulture),

            // The Configuration view shares the Service's uid (MakeConfiguration).
            [ServingLabels.ServiceUid] = meta.Uid ?? "",
            [ServingLabels.ConfigurationUid] = meta.Uid ?? "",
        };
        var annotations = new Dictionary<string, string>(template.Metadata?.Annotations ?? [])
        {
            [ServingLabels.Creator] = user,
        };
        return new Revision
        {
            ApiVersion = ServingLabels.ApiVersion,
            Kind = "Revision",
            Metadata = new ObjectMeta
            {
                Name = name,
                Namespace = meta.Namespace,
                Generation = 1,
                Uid = Guid.NewGuid().ToString(),
                Labels = labels,
                Annotations = annotations,
                OwnerReferences =
                [
                    new OwnerReference
                    {
                        ApiVersion = ServingLabels.ApiVersion, Kind = "Configuration", Name = meta.Name, Uid = meta.Uid, Controller = true,
                    },
                ],
            },
            Spec = template.Spec,
        };
    }

    /// <summary>The service as its grain answers it: the stored object with the computed status.</summary>
    public static Service MakeService(ServiceState state) => state.Service! with { Status = state.Status };

    /// <summary>The Configuration owned by a service.</summary>
    public static Configuration MakeConfiguration(ServiceState state)
    {
        var svc = state.Service!;
        var meta = svc.Metadata!;
        var status = state.Status;
        var ready = Contracts.Conditions.ConditionSet.Get(status?.Conditions, ServingConditions.ConfigurationsReady);
        return new Configuration
        {
            ApiVersion = ServingLabels.ApiVersion,
            Kind = "Configuration",
            Metadata = ChildMeta(meta, state.ConfigurationGeneration),
            Spec = new ConfigurationSpec { Template = svc.Spec!.Template },
            Status = new ConfigurationStatus
            {
                ObservedGeneration = state.ConfigurationGeneration,
                LatestCreatedRevisionName = status?.LatestCreatedRevisionName,
                LatestReadyRevisionName = status?.LatestReadyRevisionName,
                Conditions = ready is null ? [] : [ready with { Type = ServingConditions.Ready }],
            },
        };
    }

    /// <summary>The Route owned by a service.</summary>
    public static Route MakeRoute(ServiceState state)
    {
        var svc = state.Service!;
        var meta = svc.Metadata!;
        return new Route
        {
            ApiVersion = ServingLabels.ApiVersion,
            Kind = "Route",
            Metadata = ChildMeta(meta, meta.Generation),
            Spec = new RouteSpec { Traffic = svc.Spec!.Traffic },
            Status = new RouteStatus
            {
                ObservedGeneration = meta.Generation,
                Conditions = state.RouteConditions,
                Url = state.Status?.Url,
                Address = state.Status?.Address,
                Traffic = state.Status?.Traffic,
            },
        };
    }

    private static ObjectMeta ChildMeta(ObjectMeta parent, long generation) => new()
    {
        Name = parent.Name,
        Namespace = parent.Namespace,
        Uid = parent.Uid,
        Generation = generation,
        CreationTimestamp = parent.CreationTimestamp,
        ResourceVersion = parent.ResourceVersion,
        Labels = new Dictionary<string, string>(parent.Labels ?? []) { [ServingLabels.Service] = parent.Name! },
        Annotations = parent.Annotations,
        OwnerReferences =
        [
            new OwnerReference { ApiVersion = ServingLabels.ApiVersion, Kind = "Service", Name = parent.Name, Uid = parent.Uid, Controller = true },
        ],
    };
}
