using Knative.Orleans.Contracts.Conditions;
using Knative.Orleans.Contracts.Serving;

namespace Knative.Orleans.Grains.Serving;

/// <summary>Persisted state of a <see cref="RevisionGrain"/>. Instances are not persisted: they never outlive the platform.</summary>
[GenerateSerializer, Alias("kn.RevisionState")]
public sealed class RevisionState
{
    /// <summary>The revision (metadata and spec; status is computed).</summary>
    [Id(0)] public Revision? Revision { get; set; }

    /// <summary>Ready, ContainerHealthy, ResourcesAvailable, Active.</summary>
    [Id(1)] public List<Condition> Conditions { get; set; } = [];

    /// <summary>True once an instance has passed its readiness probe (the revision proved it can run).</summary>
    [Id(2)] public bool EverReady { get; set; }

    /// <summary>The last desired scale.</summary>
    [Id(3)] public int DesiredReplicas { get; set; }

    /// <summary>The autoscaler's bounds state (Active condition, initialized, replicas); null until the first decision.</summary>
    [Id(4)] public Autoscaling.ScaleBoundsState? Bounds { get; set; }

    /// <summary>True while a route names the revision (or it is its configuration's latest created revision).</summary>
    [Id(5)] public bool Routed { get; set; } = true;
}
