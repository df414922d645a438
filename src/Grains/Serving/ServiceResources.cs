using Knative.Orleans.Contracts.Meta;
using Knative.Orleans.Contracts.Serving;

namespace Knative.Orleans.Grains.Serving;

/// <summary>Pure builders of a service's child objects (knative/serving pkg/reconciler/*/resources).</summary>
public static class ServiceResources
{
    /// <summary>The revision stamped from <paramref name="service"/>'s template at configuration generation <paramref name="generation"/>.</summary>
    public static Revision MakeRevision(Service service, long generation, string user) =>
        // The Configuration view shares the Service's metadata (MakeConfiguration).
        MakeRevision(service.Metadata!, service.Spec!.Template!, generation, user, service.Metadata);

    /// <summary>
    /// The revision stamped from <paramref name="template"/> of the configuration <paramref name="configuration"/> at
    /// generation <paramref name="generation"/>: the BYO name or <c>{config}-{generation:D5}</c>; the template's labels and
    /// annotations plus <c>serving.knative.dev/{configuration,configurationGeneration,configurationUID}</c> (and
    /// <c>service</c>/<c>serviceUID</c> when <paramref name="service"/> owns the configuration); creator = <paramref name="user"/>
    /// (the configuration's lastModifier). The configuration's own labels and annotations are not copied, as in Knative.
    /// </summary>
    public static Revision MakeRevision(ObjectMeta configuration, RevisionTemplateSpec template, long generation, string user, ObjectMeta? service)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(template);
        var name = string.IsNullOrEmpty(template.Metadata?.Name) ? Names.RevisionName(configuration.Name!, generation) : template.Metadata!.Name!;
        var labels = new Dictionary<string, string>(template.Metadata?.Labels ?? [])
        {
            [ServingLabels.Configuration] = configuration.Name!,
            [ServingLabels.ConfigurationGeneration] = generation.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [ServingLabels.ConfigurationUid] = configuration.Uid ?? "",
        };
        if (service is not null)
        {
            labels[ServingLabels.Service] = service.Name!;
            labels[ServingLabels.ServiceUid] = service.Uid ?? "";
        }

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
                Namespace = configuration.Namespace,
                Generation = 1,
                Uid = Guid.NewGuid().ToString(),
                Labels = labels,
                Annotations = annotations,
                OwnerReferences =
                [
                    new OwnerReference
                    {
                        ApiVersion = ServingLabels.ApiVersion, Kind = "Configuration", Name = configuration.Name, Uid = configuration.Uid, Controller = true,
                    },
                ],
            },
            Spec = template.Spec,
        };
    }

    /// <summary>The service as its grain answers it: the stored object with the computed status.</summary>
    public static Service MakeService(ServiceState state) => state.Service! with { Status = state.Status };

    /// <summary>Whether the service exists and owns the Configuration of its name (no standalone one holds it).</summary>
    public static bool OwnsConfiguration(ServiceState state) => state.Service is not null && state.NotOwned != "Configuration";

    /// <summary>
    /// Whether the service exists and owns the Route of its name. As in Knative, a service that does not own its
    /// Configuration goes no further, so it has no Route either.
    /// </summary>
    public static bool OwnsRoute(ServiceState state) => state.Service is not null && state.NotOwned is null;

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
