using Knative.Orleans.Contracts.Conditions;
using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Contracts.Meta;

namespace Knative.Orleans.Contracts.Serving;

/// <summary>
/// A DomainMapping (<c>serving.knative.dev/v1beta1</c>): its name is a host that the gateway routes to the Knative
/// Service named in <c>spec.ref</c>.
/// </summary>
[GenerateSerializer, Alias("kn.DomainMapping")]
public sealed record DomainMapping
{
    /// <summary>The API version of DomainMappings.</summary>
    public const string V1Beta1 = "serving.knative.dev/v1beta1";

    /// <summary><c>serving.knative.dev/v1beta1</c>.</summary>
    [Id(0)] public string? ApiVersion { get; init; }

    /// <summary><c>DomainMapping</c>.</summary>
    [Id(1)] public string? Kind { get; init; }

    /// <summary>Metadata; the name is the mapped host (a fully qualified domain name).</summary>
    [Id(2)] public ObjectMeta? Metadata { get; init; }

    /// <summary>Spec: what the host maps to.</summary>
    [Id(3)] public DomainMappingSpec? Spec { get; init; }

    /// <summary>Status.</summary>
    [Id(4)] public DomainMappingStatus? Status { get; init; }
}

/// <summary>DomainMapping spec.</summary>
[GenerateSerializer, Alias("kn.DomainMappingSpec")]
public sealed record DomainMappingSpec
{
    /// <summary>The target: a Knative Service (<c>kind: Service</c>, <c>apiVersion: serving.knative.dev/v1</c>) in the same namespace.</summary>
    [Id(0)] public KReference? Ref { get; init; }
}

/// <summary>DomainMapping status.</summary>
[GenerateSerializer, Alias("kn.DomainMappingStatus")]
public sealed record DomainMappingStatus
{
    /// <summary>The generation this status describes.</summary>
    [Id(0)] public long ObservedGeneration { get; init; }

    /// <summary>Ready, DomainClaimed, ReferenceResolved, CertificateProvisioned, IngressReady.</summary>
    [Id(1)] public List<Condition>? Conditions { get; init; }

    /// <summary><c>http://{name}</c>.</summary>
    [Id(2)] public string? Url { get; init; }

    /// <summary>The same URL as an address.</summary>
    [Id(3)] public Addressable? Address { get; init; }
}
