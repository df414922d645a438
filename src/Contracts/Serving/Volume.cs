using System.Text.Json.Serialization;

namespace Knative.Orleans.Contracts.Serving;

/// <summary>
/// A pod volume (<c>spec.template.spec.volumes[]</c>): a name and exactly one source. Knative (default features) allows
/// <c>secret</c>, <c>configMap</c>, <c>projected</c> (of secrets and config maps) and <c>emptyDir</c>;
/// <c>persistentVolumeClaim</c> needs <c>kubernetes.podspec-persistent-volume-claim</c>, which is off, so it is refused.
/// Mounted only by the Kubernetes runtime.
/// </summary>
[GenerateSerializer, Alias("kn.Volume")]
public sealed record Volume
{
    /// <summary>Volume name (DNS-1123 label), referenced by <c>volumeMounts[].name</c>.</summary>
    [Id(0)] public string? Name { get; init; }

    /// <summary>A Secret's keys as files.</summary>
    [Id(1)] public SecretVolumeSource? Secret { get; init; }

    /// <summary>A ConfigMap's keys as files.</summary>
    [Id(2)] public ConfigMapVolumeSource? ConfigMap { get; init; }

    /// <summary>Several secrets and config maps in one directory.</summary>
    [Id(3)] public ProjectedVolumeSource? Projected { get; init; }

    /// <summary>A scratch directory that lives as long as the instance (the only writable source).</summary>
    [Id(4)] public EmptyDirVolumeSource? EmptyDir { get; init; }

    /// <summary>A persistent volume claim: read so that it can be refused with Knative's message (feature off).</summary>
    [Id(5)] public PersistentVolumeClaimVolumeSource? PersistentVolumeClaim { get; init; }

    /// <summary>Other Kubernetes volume sources (hostPath, nfs, …), read only to refuse them. Never stored.</summary>
    [JsonExtensionData]
    [field: NonSerialized]
    public Dictionary<string, System.Text.Json.JsonElement>? OtherFields { get; init; }
}

/// <summary>A Secret volume source.</summary>
[GenerateSerializer, Alias("kn.SecretVolumeSource")]
public sealed record SecretVolumeSource
{
    /// <summary>The Secret's name (same namespace).</summary>
    [Id(0)] public string? SecretName { get; init; }

    /// <summary>Which keys to project, and where; all keys when empty.</summary>
    [Id(1)] public List<KeyToPath>? Items { get; init; }

    /// <summary>File mode bits (e.g. 420 = 0644).</summary>
    [Id(2)] public int? DefaultMode { get; init; }

    /// <summary>Whether the Secret may be missing.</summary>
    [Id(3)] public bool? Optional { get; init; }
}

/// <summary>A ConfigMap volume source.</summary>
[GenerateSerializer, Alias("kn.ConfigMapVolumeSource")]
public sealed record ConfigMapVolumeSource
{
    /// <summary>The ConfigMap's name (same namespace).</summary>
    [Id(0)] public string? Name { get; init; }

    /// <summary>Which keys to project, and where; all keys when empty.</summary>
    [Id(1)] public List<KeyToPath>? Items { get; init; }

    /// <summary>File mode bits.</summary>
    [Id(2)] public int? DefaultMode { get; init; }

    /// <summary>Whether the ConfigMap may be missing.</summary>
    [Id(3)] public bool? Optional { get; init; }
}

/// <summary>A projected volume source.</summary>
[GenerateSerializer, Alias("kn.ProjectedVolumeSource")]
public sealed record ProjectedVolumeSource
{
    /// <summary>The projections, each exactly one of <c>secret</c> or <c>configMap</c>.</summary>
    [Id(0)] public List<VolumeProjection>? Sources { get; init; }

    /// <summary>File mode bits.</summary>
    [Id(1)] public int? DefaultMode { get; init; }
}

/// <summary>One projection of a projected volume.</summary>
[GenerateSerializer, Alias("kn.VolumeProjection")]
public sealed record VolumeProjection
{
    /// <summary>A Secret's keys.</summary>
    [Id(0)] public ObjectProjection? Secret { get; init; }

    /// <summary>A ConfigMap's keys.</summary>
    [Id(1)] public ObjectProjection? ConfigMap { get; init; }

    /// <summary>Other projections (serviceAccountToken, downwardAPI, …), read only to refuse them. Never stored.</summary>
    [JsonExtensionData]
    [field: NonSerialized]
    public Dictionary<string, System.Text.Json.JsonElement>? OtherFields { get; init; }
}

/// <summary>A Secret or ConfigMap inside a projected volume.</summary>
[GenerateSerializer, Alias("kn.ObjectProjection")]
public sealed record ObjectProjection
{
    /// <summary>The object's name (same namespace).</summary>
    [Id(0)] public string? Name { get; init; }

    /// <summary>Which keys to project, and where.</summary>
    [Id(1)] public List<KeyToPath>? Items { get; init; }

    /// <summary>Whether the object may be missing.</summary>
    [Id(2)] public bool? Optional { get; init; }
}

/// <summary>A key projected to a relative file path.</summary>
[GenerateSerializer, Alias("kn.KeyToPath")]
public sealed record KeyToPath
{
    /// <summary>The key.</summary>
    [Id(0)] public string? Key { get; init; }

    /// <summary>The relative file path.</summary>
    [Id(1)] public string? Path { get; init; }

    /// <summary>File mode bits.</summary>
    [Id(2)] public int? Mode { get; init; }
}

/// <summary>An emptyDir volume source.</summary>
[GenerateSerializer, Alias("kn.EmptyDirVolumeSource")]
public sealed record EmptyDirVolumeSource
{
    /// <summary><c>""</c> (node disk) or <c>Memory</c>.</summary>
    [Id(0)] public string? Medium { get; init; }

    /// <summary>Size limit, a Kubernetes quantity (<c>1Gi</c>).</summary>
    [Id(1)] public string? SizeLimit { get; init; }
}

/// <summary>A persistentVolumeClaim volume source (refused: Knative's feature flag is off by default).</summary>
[GenerateSerializer, Alias("kn.PersistentVolumeClaimVolumeSource")]
public sealed record PersistentVolumeClaimVolumeSource
{
    /// <summary>The claim's name.</summary>
    [Id(0)] public string? ClaimName { get; init; }

    /// <summary>Whether it is mounted read-only.</summary>
    [Id(1)] public bool? ReadOnly { get; init; }
}

/// <summary>A container's mount of a volume (<c>containers[].volumeMounts[]</c>).</summary>
[GenerateSerializer, Alias("kn.VolumeMount")]
public sealed record VolumeMount
{
    /// <summary>The volume's name.</summary>
    [Id(0)] public string? Name { get; init; }

    /// <summary>Absolute path in the container, unique per container.</summary>
    [Id(1)] public string? MountPath { get; init; }

    /// <summary>Read-only; defaults to true except for emptyDir volumes (Knative's default).</summary>
    [Id(2)] public bool? ReadOnly { get; init; }

    /// <summary>A path inside the volume to mount instead of its root.</summary>
    [Id(3)] public string? SubPath { get; init; }

    /// <summary>Other mount fields (mountPropagation, …), read only to refuse them. Never stored.</summary>
    [JsonExtensionData]
    [field: NonSerialized]
    public Dictionary<string, System.Text.Json.JsonElement>? OtherFields { get; init; }
}
