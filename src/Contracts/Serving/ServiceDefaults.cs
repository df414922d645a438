using System.Globalization;

namespace Knative.Orleans.Contracts.Serving;

/// <summary>
/// Knative's defaulting (<c>SetDefaults</c> of Service, RevisionSpec and Route) with the stock <c>config-defaults</c> values.
/// Every method returns a new object and never changes its input; unchanged nested lists are shared with the input.
/// </summary>
public static class ServiceDefaults
{
    /// <summary><c>revision-timeout-seconds</c>: the request timeout when none (or 0) is given, in seconds.</summary>
    public const long RevisionTimeoutSeconds = 300;

    /// <summary><c>container-concurrency</c>: 0 = unlimited concurrent requests per instance.</summary>
    public const long ContainerConcurrency = 0;

    /// <summary>The name of a single container without a name; with several they are <c>user-container-{index}</c>.</summary>
    public const string UserContainerName = "user-container";

    /// <summary>
    /// The service with defaults: <see cref="WithDefaults(RevisionSpec)"/> on the template, and traffic
    /// <c>[{latestRevision: true, percent: 100}]</c> when none is given; on each target <c>latestRevision</c> defaults to
    /// "no <c>revisionName</c>".
    /// </summary>
    public static Service WithDefaults(Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var spec = service.Spec ?? new ServiceSpec();
        var template = spec.Template ?? new RevisionTemplateSpec();
        return service with
        {
            Spec = spec with
            {
                Template = template with { Spec = WithDefaults(template.Spec ?? new RevisionSpec()) },
                Traffic = WithDefaults(spec.Traffic),
            },
        };
    }

    /// <summary>A Configuration with defaults: <see cref="WithDefaults(RevisionSpec)"/> on the template.</summary>
    public static Configuration WithDefaults(Configuration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var spec = configuration.Spec ?? new ConfigurationSpec();
        var template = spec.Template ?? new RevisionTemplateSpec();
        return configuration with { Spec = spec with { Template = template with { Spec = WithDefaults(template.Spec ?? new RevisionSpec()) } } };
    }

    /// <summary>A Route with defaults: on each target <c>latestRevision</c> defaults to "no <c>revisionName</c>"; no traffic stays none.</summary>
    public static Route WithDefaults(Route route)
    {
        ArgumentNullException.ThrowIfNull(route);
        var spec = route.Spec ?? new RouteSpec();
        return route with
        {
            Spec = spec with
            {
                Traffic = (spec.Traffic ?? []).Select(t => t with { LatestRevision = t.LatestRevision ?? string.IsNullOrEmpty(t.RevisionName) }).ToList(),
            },
        };
    }

    /// <summary>
    /// The revision spec with defaults: <c>timeoutSeconds</c> 300 when nil or 0, <c>containerConcurrency</c> 0,
    /// <c>enableServiceLinks</c> false, container names <c>user-container</c> (or <c>user-container-{i}</c> with several),
    /// and on the serving container (the only one, or each one that declares ports) the readiness probe of
    /// <see cref="WithDefaults(Probe?)"/>.
    /// </summary>
    public static RevisionSpec WithDefaults(RevisionSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var containers = spec.Containers?.Select((c, i) => WithDefaults(c, i, spec.Containers.Count)).ToList();
        return spec with
        {
            TimeoutSeconds = spec.TimeoutSeconds is null or 0 ? RevisionTimeoutSeconds : spec.TimeoutSeconds,
            ContainerConcurrency = spec.ContainerConcurrency ?? ContainerConcurrency,
            EnableServiceLinks = spec.EnableServiceLinks ?? false,
            Containers = containers,
        };
    }

    /// <summary>
    /// A readiness probe with defaults: absent → <c>tcpSocket: {port: 0}</c> (the serving port); no handler → that TCP
    /// handler is added; <c>successThreshold</c> nil or 0 → 1; with <c>periodSeconds</c> &gt; 0 Kubernetes' own defaults
    /// <c>failureThreshold</c> 3 and <c>timeoutSeconds</c> 1 where nil or 0. <c>periodSeconds</c> 0 (the default) keeps
    /// Knative's aggressive probing, so those two stay unset.
    /// </summary>
    public static Probe WithDefaults(Probe? probe)
    {
        var p = probe ?? new Probe();
        if (p is { HttpGet: null, TcpSocket: null, Exec: null, Grpc: null })
        {
            p = p with { TcpSocket = new TcpSocketAction { Port = new IntOrString { IntValue = 0 } } };
        }

        p = p with { SuccessThreshold = p.SuccessThreshold is null or 0 ? 1 : p.SuccessThreshold };
        return p.PeriodSeconds is > 0
            ? p with
            {
                FailureThreshold = p.FailureThreshold is null or 0 ? 3 : p.FailureThreshold,
                TimeoutSeconds = p.TimeoutSeconds is null or 0 ? 1 : p.TimeoutSeconds,
            }
            : p;
    }

    private static Container WithDefaults(Container container, int index, int count)
    {
        var name = string.IsNullOrEmpty(container.Name)
            ? count > 1 ? UserContainerName + "-" + index.ToString(CultureInfo.InvariantCulture) : UserContainerName
            : container.Name;
        var serving = count == 1 || container.Ports is { Count: > 0 };
        return container with { Name = name, ReadinessProbe = serving ? WithDefaults(container.ReadinessProbe) : container.ReadinessProbe };
    }

    private static List<TrafficTarget> WithDefaults(List<TrafficTarget>? traffic) =>
        traffic is null or { Count: 0 }
            ? [new TrafficTarget { LatestRevision = true, Percent = 100 }]
            : traffic.Select(t => t with { LatestRevision = t.LatestRevision ?? string.IsNullOrEmpty(t.RevisionName) }).ToList();
}
