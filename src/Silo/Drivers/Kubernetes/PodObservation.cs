using k8s.Models;

namespace Knative.Orleans.Silo.Drivers.Kubernetes;

/// <summary>What the driver needs from one pod (pure; read from the watch).</summary>
/// <param name="Name">Pod name.</param>
/// <param name="RevisionKey"><c>{namespace}/{revision}</c> from its labels.</param>
/// <param name="Ip">Pod IP, null until assigned.</param>
/// <param name="Ready">The pod's <c>Ready</c> condition is True (its readiness probe passes) and it is not terminating.</param>
/// <param name="Terminating">It has a deletion timestamp, or has ended (<c>Succeeded</c>/<c>Failed</c>).</param>
/// <param name="RestartCount">Restarts of the user container.</param>
/// <param name="ExitCode">Exit code of the user container's current or last termination, null when it never ended.</param>
/// <param name="FailureMessage">Why the container cannot run or ended: reason and message (and the termination message).</param>
/// <param name="Stuck">
/// The container cannot start at all (image pull or configuration errors): reported like a spawn failure (exit code -1).
/// </param>
/// <param name="DeletionCost">The pod's deletion cost annotation (0 when absent).</param>
/// <param name="Created">Creation time, for ordering.</param>
public sealed record PodObservation(
    string Name,
    string RevisionKey,
    string? Ip,
    bool Ready,
    bool Terminating,
    int RestartCount,
    int? ExitCode,
    string? FailureMessage,
    bool Stuck,
    int DeletionCost,
    DateTime Created)
{
    /// <summary>Waiting reasons that mean the container will not start without a change (Knative reports them too).</summary>
    public static readonly string[] StuckReasons =
        ["ImagePullBackOff", "ErrImagePull", "InvalidImageName", "CreateContainerConfigError", "CreateContainerError", "ErrImageNeverPull"];

    /// <summary>Reads a pod; null when it is not one of the driver's (no revision labels).</summary>
    public static PodObservation? From(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var key = KubernetesNames.RevisionKeyOf(pod.Metadata?.Labels);
        if (key is null || pod.Metadata?.Name is not { } name)
        {
            return null;
        }

        var status = pod.Status;
        var terminating = pod.Metadata.DeletionTimestamp is not null || status?.Phase is "Succeeded" or "Failed";
        var ready = !terminating && status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
        var container = status?.ContainerStatuses?.FirstOrDefault(c => c.Name == KubernetesNames.UserContainer)
            ?? status?.ContainerStatuses?.FirstOrDefault();
        var terminated = container?.State?.Terminated ?? container?.LastState?.Terminated;
        var waiting = container?.State?.Waiting;
        var stuck = waiting?.Reason is { } reason && StuckReasons.Contains(reason);
        string? message = null;
        if (stuck)
        {
            message = Join(waiting!.Reason, waiting.Message);
        }
        else if (terminated is not null)
        {
            message = Join(terminated.Reason, terminated.Message);
        }

        var cost = pod.Metadata.Annotations?.TryGetValue(KubernetesNames.PodDeletionCost, out var c) == true
            && int.TryParse(c, System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
        return new PodObservation(name, key, string.IsNullOrEmpty(status?.PodIP) ? null : status.PodIP, ready, terminating,
            container?.RestartCount ?? 0, terminated?.ExitCode, message, stuck, cost,
            pod.Metadata.CreationTimestamp ?? DateTime.MinValue);
    }

    private static string Join(string? reason, string? message) =>
        string.Join(": ", new[] { reason, message?.Trim() }.Where(s => !string.IsNullOrEmpty(s)));
}
