using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Grains.Ports;

namespace Knative.Orleans.Grains.Serving;

/// <summary>Turns a revision into what the driver runs (pure; Knative's runtime contract).</summary>
public static class WorkloadSpecBuilder
{
    /// <summary>The instance spec: the serving container's command, args, env plus K_SERVICE, K_CONFIGURATION, K_REVISION.</summary>
    public static WorkloadSpec Make(string revisionKey, Revision revision, string instanceId)
    {
        var spec = revision.Spec!;
        var container = spec.Containers!.FirstOrDefault(c => c.Ports is { Count: > 0 }) ?? spec.Containers![0];
        var labels = revision.Metadata?.Labels ?? [];
        var env = new Dictionary<string, string>();
        foreach (var e in container.Env ?? [])
        {
            if (!string.IsNullOrEmpty(e.Name))
            {
                env[e.Name] = e.Value ?? "";
            }
        }

        env["K_SERVICE"] = labels.GetValueOrDefault(ServingLabels.Service, "");
        env["K_CONFIGURATION"] = labels.GetValueOrDefault(ServingLabels.Configuration, "");
        env["K_REVISION"] = revision.Metadata!.Name!;
        return new WorkloadSpec
        {
            RevisionKey = revisionKey,
            InstanceId = instanceId,
            CommandLine = [.. container.Command ?? [], .. container.Args ?? []],
            WorkingDir = container.WorkingDir,
            Env = env,
            ReadinessProbe = container.ReadinessProbe,
            LivenessProbe = container.LivenessProbe,
            PortName = container.Ports?.FirstOrDefault()?.Name,
            Image = container.Image,
            Command = container.Command ?? [],
            Args = container.Args ?? [],
            ContainerPort = container.Ports?.FirstOrDefault() is { ContainerPort: > 0 } p ? p.ContainerPort : null,
            Resources = container.Resources,
            ImagePullPolicy = container.ImagePullPolicy,
            TimeoutSeconds = spec.TimeoutSeconds,
            RevisionUid = revision.Metadata.Uid,
            Volumes = spec.Volumes ?? [],
            VolumeMounts = container.VolumeMounts ?? [],
        };
    }
}
