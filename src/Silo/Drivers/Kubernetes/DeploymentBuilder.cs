using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Models;
using Knative.Orleans.Grains.Ports;
using ContractProbe = Knative.Orleans.Contracts.Serving.Probe;
using KeyToPath = Knative.Orleans.Contracts.Serving.KeyToPath;
using Volume = Knative.Orleans.Contracts.Serving.Volume;
using VolumeMount = Knative.Orleans.Contracts.Serving.VolumeMount;

namespace Knative.Orleans.Silo.Drivers.Kubernetes;

/// <summary>Turns a revision's <see cref="WorkloadSpec"/> into its Deployment (pure; Knative's runtime contract on Kubernetes).</summary>
public static class DeploymentBuilder
{
    /// <summary>Knative's default <c>timeoutSeconds</c>, used as termination grace when the spec has none.</summary>
    public const long DefaultTimeoutSeconds = 300;

    /// <summary>
    /// The Deployment of <paramref name="spec"/>'s revision with <paramref name="replicas"/>: one container
    /// <c>user-container</c> with the image, command, args, working dir, env (+ <c>PORT</c>), one container port, the
    /// readiness and liveness probes aimed at that port when they name none, resources copied, and
    /// <c>terminationGracePeriodSeconds</c> = <c>timeoutSeconds</c> (as Knative does).
    /// </summary>
    public static V1Deployment Make(WorkloadSpec spec, string k8sNamespace, int replicas, int defaultPort, string? serviceAccount = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var port = spec.ContainerPort ?? defaultPort;
        var labels = KubernetesNames.Labels(spec.RevisionKey, spec.Env, spec.RevisionUid);
        var env = spec.Env.Where(e => e.Key != "PORT").Select(e => new V1EnvVar { Name = e.Key, Value = e.Value }).ToList();
        env.Add(new V1EnvVar { Name = "PORT", Value = port.ToString(CultureInfo.InvariantCulture) });
        var container = new V1Container
        {
            Name = KubernetesNames.UserContainer,
            Image = spec.Image,
            Command = spec.Command.Count > 0 ? [.. spec.Command] : null,
            Args = spec.Args.Count > 0 ? [.. spec.Args] : null,
            WorkingDir = spec.WorkingDir,
            Env = env,
            Ports = [new V1ContainerPort { ContainerPort = port, Name = spec.PortName ?? "user-port", Protocol = "TCP" }],
            ReadinessProbe = Probe(spec.ReadinessProbe, port) ?? new V1Probe { TcpSocket = new V1TCPSocketAction { Port = port }, PeriodSeconds = 1 },
            LivenessProbe = Probe(spec.LivenessProbe, port),
            Resources = spec.Resources is { } r
                ? new V1ResourceRequirements
                {
                    Limits = r.Limits?.ToDictionary(kv => kv.Key, kv => new ResourceQuantity(kv.Value)),
                    Requests = r.Requests?.ToDictionary(kv => kv.Key, kv => new ResourceQuantity(kv.Value)),
                }
                : null,
            ImagePullPolicy = spec.ImagePullPolicy,
            TerminationMessagePolicy = "FallbackToLogsOnError",
            VolumeMounts = spec.VolumeMounts.Count > 0 ? [.. spec.VolumeMounts.Select(m => VolumeMount(m, spec.Volumes))] : null,
        };
        var template = new V1PodTemplateSpec
        {
            Metadata = new V1ObjectMeta { Labels = labels },
            Spec = new V1PodSpec
            {
                Containers = [container],
                TerminationGracePeriodSeconds = spec.TimeoutSeconds ?? DefaultTimeoutSeconds,
                EnableServiceLinks = false,
                ServiceAccountName = serviceAccount,
                Volumes = spec.Volumes.Count > 0 ? [.. spec.Volumes.Select(Volume)] : null,
            },
        };
        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta
            {
                Name = KubernetesNames.Deployment(spec.RevisionKey),
                NamespaceProperty = k8sNamespace,
                Labels = new Dictionary<string, string>(labels),
                Annotations = new Dictionary<string, string> { [KubernetesNames.TemplateHash] = Hash(template) },
            },
            Spec = new V1DeploymentSpec
            {
                Replicas = replicas,
                Selector = new V1LabelSelector { MatchLabels = KubernetesNames.Selector(spec.RevisionKey) },
                Template = template,
                ProgressDeadlineSeconds = 600,
            },
        };
    }

    /// <summary>The template hash a Deployment was written with, or null.</summary>
    public static string? HashOf(V1Deployment deployment) =>
        deployment.Metadata?.Annotations?.TryGetValue(KubernetesNames.TemplateHash, out var h) == true ? h : null;

    /// <summary>Copies a Knative probe; a port of 0 or none targets the container port (Kubernetes needs one); period ≥ 1 s.</summary>
    internal static V1Probe? Probe(ContractProbe? probe, int port)
    {
        if (probe is null)
        {
            return null;
        }

        var result = new V1Probe
        {
            InitialDelaySeconds = probe.InitialDelaySeconds,
            // Knative's periodSeconds 0 means "probe aggressively" (its queue-proxy does); Kubernetes' fastest is 1 s.
            PeriodSeconds = probe.PeriodSeconds is > 0 ? probe.PeriodSeconds : 1,
            TimeoutSeconds = probe.TimeoutSeconds,
            SuccessThreshold = probe.SuccessThreshold,
            FailureThreshold = probe.FailureThreshold,
        };
        if (probe.HttpGet is { } http)
        {
            result.HttpGet = new V1HTTPGetAction
            {
                Port = PortOf(http.Port, port),
                Path = http.Path,
                Scheme = http.Scheme,
                HttpHeaders = http.HttpHeaders?.Select(h => new V1HTTPHeader { Name = h.Name ?? "", Value = h.Value ?? "" }).ToList(),
            };
        }
        else if (probe.Exec is { } exec)
        {
            result.Exec = new V1ExecAction { Command = exec.Command };
        }
        else if (probe.Grpc is { } grpc)
        {
            result.Grpc = new V1GRPCAction { Port = grpc.Port is > 0 ? grpc.Port.Value : port, Service = grpc.Service };
        }
        else
        {
            result.TcpSocket = new V1TCPSocketAction { Port = PortOf(probe.TcpSocket?.Port, port) };
        }

        return result;
    }

    /// <summary>A mount; read-only unless its volume is an emptyDir (Knative's default: secrets and config maps are read-only).</summary>
    internal static V1VolumeMount VolumeMount(VolumeMount mount, IReadOnlyList<Volume> volumes)
    {
        var scratch = volumes.FirstOrDefault(v => v.Name == mount.Name)?.EmptyDir is not null;
        return new V1VolumeMount
        {
            Name = mount.Name,
            MountPath = mount.MountPath,
            SubPath = mount.SubPath,
            ReadOnlyProperty = !scratch || mount.ReadOnly == true,
        };
    }

    /// <summary>A volume with its one source (secret, configMap, projected or emptyDir; validation refused the others).</summary>
    internal static V1Volume Volume(Volume volume) => new()
    {
        Name = volume.Name,
        Secret = volume.Secret is { } s
            ? new V1SecretVolumeSource { SecretName = s.SecretName, Items = Items(s.Items), DefaultMode = s.DefaultMode, Optional = s.Optional }
            : null,
        ConfigMap = volume.ConfigMap is { } c
            ? new V1ConfigMapVolumeSource { Name = c.Name, Items = Items(c.Items), DefaultMode = c.DefaultMode, Optional = c.Optional }
            : null,
        Projected = volume.Projected is { } p
            ? new V1ProjectedVolumeSource
            {
                DefaultMode = p.DefaultMode,
                Sources = (p.Sources ?? []).Select(source => new V1VolumeProjection
                {
                    Secret = source.Secret is { } ps ? new V1SecretProjection { Name = ps.Name, Items = Items(ps.Items), Optional = ps.Optional } : null,
                    ConfigMap = source.ConfigMap is { } pc ? new V1ConfigMapProjection { Name = pc.Name, Items = Items(pc.Items), Optional = pc.Optional } : null,
                }).ToList(),
            }
            : null,
        EmptyDir = volume.EmptyDir is { } e
            ? new V1EmptyDirVolumeSource { Medium = e.Medium, SizeLimit = e.SizeLimit is { Length: > 0 } size ? new ResourceQuantity(size) : null }
            : null,
    };

    private static List<V1KeyToPath>? Items(List<KeyToPath>? items) =>
        items is { Count: > 0 } ? [.. items.Select(i => new V1KeyToPath { Key = i.Key, Path = i.Path, Mode = i.Mode })] : null;

    private static IntOrString PortOf(Contracts.Serving.IntOrString? value, int port) =>
        value switch
        {
            { IntValue: > 0 } v => v.IntValue.Value,
            { StringValue: { Length: > 0 } s } => s,
            _ => port,
        };

    private static string Hash(V1PodTemplateSpec template) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(KubernetesJson.Serialize(template))))[..16];
}
