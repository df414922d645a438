using System.Text.Json.Serialization;

namespace Knative.Orleans.Contracts.Serving;

/// <summary>
/// A container of a revision template. In the embedded runtime it runs as a local process:
/// <see cref="Command"/> + <see cref="Args"/> in <see cref="WorkingDir"/> with <see cref="Env"/>;
/// <see cref="Image"/> is required, as in Knative, but is only a label there.
/// </summary>
[GenerateSerializer, Alias("kn.Container")]
public sealed record Container
{
    /// <summary>Container name; defaults to <c>user-container</c>.</summary>
    [Id(0)] public string? Name { get; init; }

    /// <summary>Image reference (required).</summary>
    [Id(1)] public string? Image { get; init; }

    /// <summary>Executable and its leading arguments.</summary>
    [Id(2)] public List<string>? Command { get; init; }

    /// <summary>Arguments appended after <see cref="Command"/>.</summary>
    [Id(3)] public List<string>? Args { get; init; }

    /// <summary>Working directory of the process.</summary>
    [Id(4)] public string? WorkingDir { get; init; }

    /// <summary>Environment variables.</summary>
    [Id(5)] public List<EnvVar>? Env { get; init; }

    /// <summary>At most one port across all containers; the app receives it as <c>PORT</c>.</summary>
    [Id(6)] public List<ContainerPortSpec>? Ports { get; init; }

    /// <summary>Readiness probe; absent means a TCP connect to the serving port.</summary>
    [Id(7)] public Probe? ReadinessProbe { get; init; }

    /// <summary>Liveness probe (accepted; not enforced by the embedded runtime).</summary>
    [Id(8)] public Probe? LivenessProbe { get; init; }

    /// <summary>Resource requests and limits (accepted; not enforced by the embedded runtime).</summary>
    [Id(9)] public ResourceRequirements? Resources { get; init; }

    /// <summary>Image pull policy (accepted, ignored locally).</summary>
    [Id(10)] public string? ImagePullPolicy { get; init; }

    /// <summary>Mounts of <see cref="RevisionSpec.Volumes"/>; Kubernetes runtime only.</summary>
    [Id(11)] public List<VolumeMount>? VolumeMounts { get; init; }

    /// <summary>
    /// Kubernetes container fields this model does not carry, as read from a manifest; only used to refuse the ones
    /// Knative disallows (<c>lifecycle</c>, <c>stdin</c>, <c>tty</c>, …). Not sent to grains, never stored.
    /// </summary>
    [JsonExtensionData]
    [field: NonSerialized]
    public Dictionary<string, System.Text.Json.JsonElement>? OtherFields { get; init; }
}

/// <summary>An environment variable (<c>name</c>, <c>value</c>).</summary>
[GenerateSerializer, Alias("kn.EnvVar")]
public sealed record EnvVar
{
    /// <summary>Variable name.</summary>
    [Id(0)] public string? Name { get; init; }

    /// <summary>Value (may be empty).</summary>
    [Id(1)] public string? Value { get; init; }
}

/// <summary>A container port.</summary>
[GenerateSerializer, Alias("kn.ContainerPort")]
public sealed record ContainerPortSpec
{
    /// <summary>Empty, <c>http1</c> or <c>h2c</c>.</summary>
    [Id(0)] public string? Name { get; init; }

    /// <summary>Port number the app is told to listen on in Kubernetes; the embedded runtime picks a free port instead.</summary>
    [Id(1)] public int ContainerPort { get; init; }

    /// <summary>Protocol, <c>TCP</c>.</summary>
    [Id(2)] public string? Protocol { get; init; }

    /// <summary>Other port fields as read from a manifest (<c>hostPort</c>, <c>hostIP</c>: refused); never stored.</summary>
    [JsonExtensionData]
    [field: NonSerialized]
    public Dictionary<string, System.Text.Json.JsonElement>? OtherFields { get; init; }
}

/// <summary>Resource requests and limits, as quantity strings.</summary>
[GenerateSerializer, Alias("kn.ResourceRequirements")]
public sealed record ResourceRequirements
{
    /// <summary>Limits, e.g. <c>cpu: "1"</c>, <c>memory: 128Mi</c>; bare numbers (<c>cpu: 1</c>) are read as their text.</summary>
    [Id(0), JsonConverter(typeof(QuantityMapJsonConverter))]
    public Dictionary<string, string>? Limits { get; init; }

    /// <summary>Requests, in the same form as <see cref="Limits"/>.</summary>
    [Id(1), JsonConverter(typeof(QuantityMapJsonConverter))]
    public Dictionary<string, string>? Requests { get; init; }
}
