using Knative.Orleans.Contracts.Serving;

namespace Knative.Orleans.Grains.Ports;

/// <summary>One instance to run. The driver adds <c>PORT</c> (a free port it picks) to <see cref="Env"/>.</summary>
public sealed record WorkloadSpec
{
    /// <summary><c>{namespace}/{revision}</c>.</summary>
    public required string RevisionKey { get; init; }

    /// <summary>Unique within the revision, e.g. <c>hello-00001-1</c>.</summary>
    public required string InstanceId { get; init; }

    /// <summary>Executable followed by its arguments (container <c>command</c> + <c>args</c>); never empty.</summary>
    public required IReadOnlyList<string> CommandLine { get; init; }

    /// <summary>Working directory, or null for the driver's default.</summary>
    public string? WorkingDir { get; init; }

    /// <summary>User environment plus <c>K_SERVICE</c>, <c>K_CONFIGURATION</c>, <c>K_REVISION</c>.</summary>
    public required IReadOnlyDictionary<string, string> Env { get; init; }

    /// <summary>The readiness probe; null means a TCP connect to PORT.</summary>
    public Probe? ReadinessProbe { get; init; }

    /// <summary>The liveness probe, or null (the local driver does not use it).</summary>
    public Probe? LivenessProbe { get; init; }

    /// <summary><c>h2c</c> when the app speaks HTTP/2 cleartext, else null.</summary>
    public string? PortName { get; init; }

    /// <summary>The container image (only a label for the local driver).</summary>
    public string? Image { get; init; }

    /// <summary>Container <c>command</c> alone (Kubernetes keeps it apart from <see cref="Args"/>: empty = the image's entrypoint).</summary>
    public IReadOnlyList<string> Command { get; init; } = [];

    /// <summary>Container <c>args</c> alone.</summary>
    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>The user's <c>containerPort</c>, or null for the runtime's default (Knative: 8080).</summary>
    public int? ContainerPort { get; init; }

    /// <summary>The container's <c>resources</c> (requests and limits), copied as they are.</summary>
    public ResourceRequirements? Resources { get; init; }

    /// <summary><c>imagePullPolicy</c> of the container, or null.</summary>
    public string? ImagePullPolicy { get; init; }

    /// <summary>The revision's <c>timeoutSeconds</c> (Knative: the pod's termination grace period), or null.</summary>
    public long? TimeoutSeconds { get; init; }

    /// <summary>The revision's metadata <c>uid</c>, or null.</summary>
    public string? RevisionUid { get; init; }

    /// <summary>The revision's volumes (validated; only the Kubernetes driver mounts them).</summary>
    public IReadOnlyList<Volume> Volumes { get; init; } = [];

    /// <summary>The serving container's volume mounts.</summary>
    public IReadOnlyList<VolumeMount> VolumeMounts { get; init; } = [];
}

/// <summary>Lifecycle phase of an instance.</summary>
[GenerateSerializer, Alias("kn.WorkloadPhase")]
public enum WorkloadPhase
{
    /// <summary>Spawned, not ready yet.</summary>
    Starting = 0,

    /// <summary>Readiness probe passed; takes traffic at <see cref="WorkloadStatus.Address"/>.</summary>
    Ready = 1,

    /// <summary>Was ready, now fails its probe.</summary>
    Unready = 2,

    /// <summary>The process ended (or could not be spawned: exit code -1).</summary>
    Exited = 3,
}

/// <summary>A status change of one instance.</summary>
[GenerateSerializer, Immutable, Alias("kn.WorkloadStatus")]
public sealed record WorkloadStatus
{
    /// <summary><c>{namespace}/{revision}</c>.</summary>
    [Id(0)] public required string RevisionKey { get; init; }

    /// <summary>The instance.</summary>
    [Id(1)] public required string InstanceId { get; init; }

    /// <summary>New phase.</summary>
    [Id(2)] public required WorkloadPhase Phase { get; init; }

    /// <summary>Base URL, e.g. <c>http://127.0.0.1:41234</c> (set from Starting on).</summary>
    [Id(3)] public string? Address { get; init; }

    /// <summary>Exit code when <see cref="WorkloadPhase.Exited"/> (128 + N = killed by signal N, as Kubernetes reports it; -1 = spawn failed).</summary>
    [Id(4)] public int? ExitCode { get; init; }

    /// <summary>For Exited: the last lines of the instance's output (or the spawn error).</summary>
    [Id(5)] public string? Message { get; init; }
}
