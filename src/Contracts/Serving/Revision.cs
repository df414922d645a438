using Knative.Orleans.Contracts.Conditions;
using Knative.Orleans.Contracts.Meta;

namespace Knative.Orleans.Contracts.Serving;

/// <summary>An immutable Revision (<c>serving.knative.dev/v1</c>, <c>kind: Revision</c>).</summary>
[GenerateSerializer, Alias("kn.Revision")]
public sealed record Revision
{
    /// <summary><c>serving.knative.dev/v1</c>.</summary>
    [Id(0)] public string? ApiVersion { get; init; }

    /// <summary><c>Revision</c>.</summary>
    [Id(1)] public string? Kind { get; init; }

    /// <summary>Metadata (labels <c>serving.knative.dev/service</c>, <c>/configuration</c>, <c>/configurationGeneration</c>).</summary>
    [Id(2)] public ObjectMeta? Metadata { get; init; }

    /// <summary>The revision spec, copied from the template.</summary>
    [Id(3)] public RevisionSpec? Spec { get; init; }

    /// <summary>Observed state.</summary>
    [Id(4)] public RevisionStatus? Status { get; init; }
}

/// <summary>Revision status.</summary>
[GenerateSerializer, Alias("kn.RevisionStatus")]
public sealed record RevisionStatus
{
    /// <summary>The generation this status describes.</summary>
    [Id(0)] public long ObservedGeneration { get; init; }

    /// <summary>Ready, ContainerHealthy, ResourcesAvailable, Active.</summary>
    [Id(1)] public List<Condition>? Conditions { get; init; }

    /// <summary>Ready instances.</summary>
    [Id(2)] public int ActualReplicas { get; init; }

    /// <summary>Instances the scaler wants.</summary>
    [Id(3)] public int DesiredReplicas { get; init; }

    /// <summary>Admin API path where the output of the revision's workloads can be read.</summary>
    [Id(4)] public string? LogUrl { get; init; }
}
