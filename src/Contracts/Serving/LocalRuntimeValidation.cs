using Knative.Orleans.Contracts.Errors;

namespace Knative.Orleans.Contracts.Serving;

/// <summary>
/// Limits of the embedded local-process runtime, which Knative itself does not have. Kept apart from Knative's rules so the
/// Kubernetes runtime can skip them (<see cref="ServiceValidation.Validate(Service, bool)"/>). Paths are relative to the
/// revision spec.
/// </summary>
public static class LocalRuntimeValidation
{
    /// <summary>Message for an exec probe: the runtime cannot run a command inside a local process.</summary>
    public const string ExecProbeMessage = "exec probes are not supported by the local process runtime";

    /// <summary>Message for a gRPC probe: the runtime only probes over HTTP or TCP.</summary>
    public const string GrpcProbeMessage = "grpc probes are not supported by the local process runtime";

    /// <summary>What to use instead (the details line of both messages).</summary>
    public const string ProbeAdvice = "use an httpGet or tcpSocket probe, or run on the Kubernetes runtime";

    /// <summary>Details of a missing command: there is no image entrypoint to fall back on.</summary>
    public const string CommandAdvice =
        "the local process runtime runs command + args as a process (image is only a label); set command, e.g. [\"/usr/bin/python3\", \"app.py\"]";

    /// <summary>Message for volumes: a local process has no mount namespace of its own.</summary>
    public const string VolumesMessage = "volumes are not supported by the local process runtime";

    /// <summary>What to do instead (the details line).</summary>
    public const string VolumesAdvice =
        "a local process cannot mount secrets, config maps or emptyDir volumes; pass settings as env, or run on the Kubernetes runtime";

    /// <summary>Refuses volumes and volume mounts (all paths in one error).</summary>
    public static FieldErrors ValidateVolumes(RevisionSpec? spec)
    {
        var paths = new List<string>();
        if (spec?.Volumes is { Count: > 0 })
        {
            paths.Add("volumes");
        }

        var containers = spec?.Containers ?? [];
        for (var i = 0; i < containers.Count; i++)
        {
            if (containers[i].VolumeMounts is { Count: > 0 })
            {
                paths.Add($"containers[{i}].volumeMounts");
            }
        }

        return paths.Count == 0 ? FieldErrors.None : FieldErrors.Of(VolumesMessage, VolumesAdvice, [.. paths]);
    }

    /// <summary>Requires a command on the serving container (the one that declares ports, else the first).</summary>
    public static FieldErrors ValidateCommand(RevisionSpec? spec)
    {
        var containers = spec?.Containers ?? [];
        var index = containers.FindIndex(c => c.Ports is { Count: > 0 });
        index = index < 0 ? 0 : index;
        return containers.Count > 0 && containers[index].Command is not { Count: > 0 }
            ? FieldErrors.Of("missing field(s)", CommandAdvice, "command").ViaFieldIndex("containers", index)
            : FieldErrors.None;
    }

    /// <summary>Refuses exec and gRPC readiness and liveness probes on any container.</summary>
    public static FieldErrors ValidateProbeHandlers(RevisionSpec? spec)
    {
        var errors = FieldErrors.None;
        var containers = spec?.Containers ?? [];
        for (var i = 0; i < containers.Count; i++)
        {
            foreach (var (probe, field) in new[] { (containers[i].ReadinessProbe, "readinessProbe"), (containers[i].LivenessProbe, "livenessProbe") })
            {
                if (probe?.Exec is not null)
                {
                    errors = errors.Also(FieldErrors.Of(ExecProbeMessage, ProbeAdvice, "exec").ViaField(field).ViaFieldIndex("containers", i));
                }

                if (probe?.Grpc is not null)
                {
                    errors = errors.Also(FieldErrors.Of(GrpcProbeMessage, ProbeAdvice, "grpc").ViaField(field).ViaFieldIndex("containers", i));
                }
            }
        }

        return errors;
    }
}
