namespace Knative.Orleans.Contracts.Meta;

/// <summary>Kubernetes object metadata, as it appears in Knative manifests.</summary>
[GenerateSerializer, Alias("kn.ObjectMeta")]
public sealed record ObjectMeta
{
    /// <summary>Object name; a DNS-1035 label for Knative resources.</summary>
    [Id(0)] public string? Name { get; init; }

    /// <summary>Prefix for a generated name (used when <see cref="Name"/> is empty).</summary>
    [Id(1)] public string? GenerateName { get; init; }

    /// <summary>Namespace; taken from the request path when absent.</summary>
    [Id(2)] public string? Namespace { get; init; }

    /// <summary>Unique id assigned by the platform at creation.</summary>
    [Id(3)] public string? Uid { get; init; }

    /// <summary>Opaque version string that changes on every stored change.</summary>
    [Id(4)] public string? ResourceVersion { get; init; }

    /// <summary>Spec generation: incremented on every change of <c>spec</c>.</summary>
    [Id(5)] public long Generation { get; init; }

    /// <summary>Creation time, RFC 3339 UTC (for example <c>2026-11-26T11:00:00Z</c>).</summary>
    [Id(6)] public string? CreationTimestamp { get; init; }

    /// <summary>Labels (string map).</summary>
    [Id(7)] public Dictionary<string, string>? Labels { get; init; }

    /// <summary>Annotations (string map).</summary>
    [Id(8)] public Dictionary<string, string>? Annotations { get; init; }

    /// <summary>Owners of this object (for example the Configuration that stamped a Revision).</summary>
    [Id(9)] public List<OwnerReference>? OwnerReferences { get; init; }
}

/// <summary>A reference to the object that owns another one.</summary>
[GenerateSerializer, Alias("kn.OwnerReference")]
public sealed record OwnerReference
{
    /// <summary>API version of the owner, e.g. <c>serving.knative.dev/v1</c>.</summary>
    [Id(0)] public string? ApiVersion { get; init; }

    /// <summary>Kind of the owner, e.g. <c>Configuration</c>.</summary>
    [Id(1)] public string? Kind { get; init; }

    /// <summary>Name of the owner.</summary>
    [Id(2)] public string? Name { get; init; }

    /// <summary>Uid of the owner.</summary>
    [Id(3)] public string? Uid { get; init; }

    /// <summary>True when the owner is the managing controller.</summary>
    [Id(4)] public bool? Controller { get; init; }
}
