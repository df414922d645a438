using Knative.Orleans.Grains.Ports;

namespace Knative.Orleans.Silo.Drivers.Kubernetes;

/// <summary>
/// What the driver knows of one revision: its Deployment, its pods (from the watch) and the instances the revision grain
/// asked for, each bound to at most one pod. No I/O: <see cref="Settle"/> binds and computes the reports; the driver
/// holds its lock around every use and writes replicas under <see cref="Writes"/>.
/// </summary>
internal sealed class RevisionWorkloads(string revisionKey, int port)
{
    public string Key { get; } = revisionKey;

    public string DeploymentName { get; } = KubernetesNames.Deployment(revisionKey);

    /// <summary>Serializes the API writes of this revision (create, adopt, scale, delete).</summary>
    public SemaphoreSlim Writes { get; } = new(1, 1);

    /// <summary>The Deployment is known to exist (created, adopted or found on a conflict).</summary>
    public bool Exists { get; set; }

    /// <summary><c>spec.replicas</c> as last written or read.</summary>
    public int? Replicas { get; set; }

    /// <summary>The latest spec the grain started an instance with; null for a Deployment only adopted so far.</summary>
    public WorkloadSpec? Spec { get; set; }

    /// <summary>The serving port of the pods (the address is <c>http://{podIP}:{Port}</c>).</summary>
    public int Port { get; set; } = port;

    /// <summary>Until then an adopted Deployment keeps at least <see cref="AdoptedReplicas"/> (running pods wait for their grain).</summary>
    public DateTimeOffset? AdoptedUntil { get; set; }

    public int AdoptedReplicas { get; set; }

    public List<InstanceSlot> Instances { get; } = [];

    public Dictionary<string, PodObservation> Pods { get; } = new(StringComparer.Ordinal);

    /// <summary>Pods whose instance was stopped or failed: bound again only when no other pod is free.</summary>
    public HashSet<string> Released { get; } = new(StringComparer.Ordinal);

    /// <summary>Replicas to write: one per instance, or more while an adoption grace lasts.</summary>
    public int DesiredReplicas(DateTimeOffset now) =>
        AdoptedUntil is { } until && now < until ? Math.Max(Instances.Count, AdoptedReplicas) : Instances.Count;

    /// <summary>
    /// Unbinds instances whose pod is gone or terminating (a ready one reports Unready), reports never-ready instances
    /// whose container ended or cannot start as Exited (and forgets them), binds free pods to unbound instances (oldest
    /// request first; fresh pods before released ones, ready before not ready, oldest first), then reports Starting
    /// (once the pod has an IP), Ready and Unready. Returns true when instances were forgotten (replicas must follow).
    /// </summary>
    public bool Settle(List<WorkloadStatus> reports)
    {
        var removed = false;
        foreach (var slot in Instances.ToList())
        {
            if (slot.Pod is null)
            {
                continue;
            }

            if (!Pods.TryGetValue(slot.Pod, out var pod) || pod.Terminating)
            {
                if (slot.Reported == WorkloadPhase.Ready)
                {
                    reports.Add(Report(slot, WorkloadPhase.Unready, slot.Address));
                    slot.Reported = WorkloadPhase.Unready;
                }

                slot.Pod = null;
                continue;
            }

            if (!slot.WasReady && (pod.Stuck || (pod.ExitCode is not null && (pod.RestartCount > slot.BaselineRestarts || !slot.BaselineHadExit))))
            {
                reports.Add(Report(slot, WorkloadPhase.Exited, slot.Address, pod.Stuck ? -1 : pod.ExitCode, pod.FailureMessage));
                Instances.Remove(slot);
                Released.Add(pod.Name);
                removed = true;
            }
        }

        var owned = Instances.Where(s => s.Pod is not null).Select(s => s.Pod!).ToHashSet(StringComparer.Ordinal);
        using var free = Pods.Values.Where(p => !p.Terminating && !owned.Contains(p.Name))
            .OrderBy(p => Released.Contains(p.Name)).ThenBy(p => !p.Ready).ThenBy(p => p.Created).ThenBy(p => p.Name, StringComparer.Ordinal)
            .GetEnumerator();
        foreach (var slot in Instances.Where(s => s.Pod is null).ToList())
        {
            if (!free.MoveNext())
            {
                break;
            }

            var pod = free.Current;
            slot.Pod = pod.Name;
            slot.BaselineRestarts = pod.RestartCount;
            slot.BaselineHadExit = pod.ExitCode is not null;
            Released.Remove(pod.Name);
        }

        foreach (var slot in Instances)
        {
            if (slot.Pod is null || !Pods.TryGetValue(slot.Pod, out var pod) || pod.Ip is null)
            {
                continue;
            }

            var address = Address(pod.Ip);
            if (slot.Reported is null)
            {
                slot.Address = address;
                slot.Reported = WorkloadPhase.Starting;
                reports.Add(Report(slot, WorkloadPhase.Starting, address));
            }

            if (pod.Ready && (slot.Reported != WorkloadPhase.Ready || slot.Address != address))
            {
                slot.Address = address;
                slot.Reported = WorkloadPhase.Ready;
                slot.WasReady = true;
                reports.Add(Report(slot, WorkloadPhase.Ready, address));
            }
            else if (!pod.Ready && slot.Reported == WorkloadPhase.Ready)
            {
                slot.Reported = WorkloadPhase.Unready;
                reports.Add(Report(slot, WorkloadPhase.Unready, slot.Address));
            }
        }

        return removed;
    }

    private string Address(string ip) =>
        ip.Contains(':', StringComparison.Ordinal) ? $"http://[{ip}]:{Port}" : $"http://{ip}:{Port}";

    private WorkloadStatus Report(InstanceSlot slot, WorkloadPhase phase, string? address, int? exitCode = null, string? message = null) =>
        new() { RevisionKey = Key, InstanceId = slot.Id, Phase = phase, Address = address, ExitCode = exitCode, Message = message };
}

/// <summary>One instance the revision grain asked for.</summary>
internal sealed class InstanceSlot(string id)
{
    public string Id { get; } = id;

    /// <summary>The bound pod, or null while none is free.</summary>
    public string? Pod { get; set; }

    /// <summary>The last phase reported to the grain, null before the first report.</summary>
    public WorkloadPhase? Reported { get; set; }

    public string? Address { get; set; }

    public bool WasReady { get; set; }

    /// <summary>The pod's restart count when bound: only later terminations fail this instance.</summary>
    public int BaselineRestarts { get; set; }

    public bool BaselineHadExit { get; set; }
}
