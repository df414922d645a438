using Knative.Orleans.Contracts.Conditions;
using Knative.Orleans.Contracts.Meta;

namespace Knative.Orleans.Contracts.Serving;

/// <summary>A Route (<c>serving.knative.dev/v1</c>); maps a host to revisions by percent.</summary>
[GenerateSerializer, Alias("kn.Route")]
public sealed record Route
{
    /// <summary><c>serving.knative.dev/v1</c>.</summary>
    [Id(0)] public string? ApiVersion { get; init; }

    /// <summary><c>Route</c>.</summary>
    [Id(1)] public string? Kind { get; init; }

    /// <summary>Metadata.</summary>
    [Id(2)] public ObjectMeta? Metadata { get; init; }

    /// <summary>Spec: traffic targets.</summary>
    [Id(3)] public RouteSpec? Spec { get; init; }

    /// <summary>Status.</summary>
    [Id(4)] public RouteStatus? Status { get; init; }
}

/// <summary>Route spec.</summary>
[GenerateSerializer, Alias("kn.RouteSpec")]
public sealed record RouteSpec
{
    /// <summary>Traffic targets.</summary>
    [Id(0)] public List<TrafficTarget>? Traffic { get; init; }
}

/// <summary>Route status.</summary>
[GenerateSerializer, Alias("kn.RouteStatus")]
public sealed record RouteStatus
{
    /// <summary>The generation this status describes.</summary>
    [Id(0)] public long ObservedGeneration { get; init; }

    /// <summary>Ready, AllTrafficAssigned, IngressReady, CertificateProvisioned.</summary>
    [Id(1)] public List<Condition>? Conditions { get; init; }

    /// <summary>Public URL.</summary>
    [Id(2)] public string? Url { get; init; }

    /// <summary>Cluster-local address.</summary>
    [Id(3)] public Addressable? Address { get; init; }

    /// <summary>Resolved traffic.</summary>
    [Id(4)] public List<TrafficTarget>? Traffic { get; init; }
}
