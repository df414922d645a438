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
