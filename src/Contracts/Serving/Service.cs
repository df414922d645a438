using Knative.Orleans.Contracts.Conditions;
using Knative.Orleans.Contracts.Meta;

namespace Knative.Orleans.Contracts.Serving;

/// <summary>A Knative Service (<c>serving.knative.dev/v1</c>, <c>kind: Service</c>).</summary>
[GenerateSerializer, Alias("kn.Service")]
public sealed record Service
{
    /// <summary><c>serving.knative.dev/v1</c>.</summary>
    [Id(0)] public string? ApiVersion { get; init; }

    /// <summary><c>Service</c>.</summary>
    [Id(1)] public string? Kind { get; init; }

    /// <summary>Metadata.</summary>
    [Id(2)] public ObjectMeta? Metadata { get; init; }

    /// <summary>Desired state.</summary>
    [Id(3)] public ServiceSpec? Spec { get; init; }

    /// <summary>Observed state (ignored on input).</summary>
    [Id(4)] public ServiceStatus? Status { get; init; }
}

/// <summary>Service spec: a revision template plus traffic.</summary>
[GenerateSerializer, Alias("kn.ServiceSpec")]
public sealed record ServiceSpec
{
    /// <summary>The template every revision is stamped from.</summary>
    [Id(0)] public RevisionTemplateSpec? Template { get; init; }

    /// <summary>Traffic targets; empty means 100% to the latest ready revision.</summary>
    [Id(1)] public List<TrafficTarget>? Traffic { get; init; }
}

/// <summary>Service status, as Knative reports it.</summary>
[GenerateSerializer, Alias("kn.ServiceStatus")]
public sealed record ServiceStatus
{
    /// <summary>The generation this status describes.</summary>
    [Id(0)] public long ObservedGeneration { get; init; }

    /// <summary>Ready, ConfigurationsReady, RoutesReady.</summary>
    [Id(1)] public List<Condition>? Conditions { get; init; }

    /// <summary><c>http://{name}.{ns}.{domain}</c>.</summary>
    [Id(2)] public string? Url { get; init; }

    /// <summary>Cluster-local address.</summary>
    [Id(3)] public Addressable? Address { get; init; }

    /// <summary>Resolved traffic.</summary>
    [Id(4)] public List<TrafficTarget>? Traffic { get; init; }

    /// <summary>Newest stamped revision.</summary>
    [Id(5)] public string? LatestCreatedRevisionName { get; init; }

    /// <summary>Newest ready revision.</summary>
    [Id(6)] public string? LatestReadyRevisionName { get; init; }
}
