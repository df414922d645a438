using System.Net;
using k8s;
using k8s.Models;

namespace Knative.Orleans.Silo.Drivers.Kubernetes;

public sealed partial class KubernetesDriver
{
    /// <summary>The pod-deletion-cost of a stopped instance's pod (int.MinValue: removed before any other).</summary>
    public const string LowestDeletionCost = "-2147483648";

    /// <summary>
    /// Writes the replicas the revision wants (one per instance, see <see cref="RevisionWorkloads.DesiredReplicas"/>):
    /// creates the Deployment when it is not known to exist, adopts it on AlreadyExists, else updates it. One writer per
    /// revision at a time; the count is read again under the writer lock, so concurrent starts and stops coalesce.
    /// </summary>
    private async Task SyncReplicasAsync(RevisionWorkloads revision, CancellationToken cancellationToken)
    {
        await revision.Writes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // A Deployment deleted behind our back (404 on update) is created again in the next round.
            for (var round = 0; round < 3; round++)
            {
                int desired;
                Grains.Ports.WorkloadSpec? spec;
                bool exists;
                lock (_gate)
                {
                    desired = revision.DesiredReplicas(_time.GetUtcNow());
                    spec = revision.Spec;
                    exists = revision.Exists;
                    if (exists && revision.Replicas == desired)
                    {
                        return;
                    }
                }

                if (exists)
                {
                    if (await UpdateAsync(revision, d => d.Spec.Replicas == desired ? null : WithReplicas(d, desired), cancellationToken)
                        .ConfigureAwait(false))
                    {
                        return;
                    }

                    continue;
                }

                if (spec is null)
                {
                    return; // known only from its pods: nothing to create it from
                }

                var body = DeploymentBuilder.Make(spec, Namespace, desired, _options.DefaultContainerPort, _options.ServiceAccountName);
                try
                {
                    await _api.CallAsync($"create deployment {revision.DeploymentName}",
                        ct => _client.AppsV1.CreateNamespacedDeploymentAsync(body, Namespace, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
                    Log.Created(_logger, revision.DeploymentName, revision.Key, desired);
                    SetWritten(revision, desired);
                    return;
                }
                catch (KubernetesApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
                {
                    // AlreadyExists: a crashed control plane (or a create whose answer was lost) made it: adopt, never duplicate.
                    Log.Adopting(_logger, revision.DeploymentName, revision.Key);
                }

                if (await UpdateAsync(revision, existing => Adopt(existing, body), cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        finally
        {
            revision.Writes.Release();
        }
    }

    /// <summary>
    /// Read, change, replace with the read resourceVersion; a 409 Conflict reads again and retries. False when the
    /// Deployment does not exist (then <see cref="RevisionWorkloads.Exists"/> is false).
    /// </summary>
    private async Task<bool> UpdateAsync(RevisionWorkloads revision, Func<V1Deployment, V1Deployment?> change, CancellationToken cancellationToken)
    {
        var name = revision.DeploymentName;
        for (var attempt = 1; ; attempt++)
        {
            var existing = await _api.CallOrNotFoundAsync($"read deployment {name}",
                ct => _client.AppsV1.ReadNamespacedDeploymentAsync(name, Namespace, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                lock (_gate)
                {
                    revision.Exists = false;
                    revision.Replicas = null;
                }

                return false;
            }

            var updated = change(existing);
            if (updated is null)
            {
                SetWritten(revision, existing.Spec.Replicas ?? 1);
                return true;
            }

            try
            {
                var written = await _api.CallAsync($"update deployment {name}",
                    ct => _client.AppsV1.ReplaceNamespacedDeploymentAsync(updated, name, Namespace, cancellationToken: ct), cancellationToken)
                    .ConfigureAwait(false);
                SetWritten(revision, written.Spec?.Replicas ?? updated.Spec.Replicas ?? 1);
                Log.Scaled(_logger, name, revision.Key, updated.Spec.Replicas ?? 1);
                return true;
            }
            catch (KubernetesApiException e) when (e.StatusCode == HttpStatusCode.Conflict && attempt < _options.MaxAttempts)
            {
                Log.UpdateConflict(_logger, name, attempt);
            }
            catch (KubernetesApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                lock (_gate)
                {
                    revision.Exists = false;
                    revision.Replicas = null;
                }

                return false;
            }
        }
    }

    private void SetWritten(RevisionWorkloads revision, int replicas)
    {
        lock (_gate)
        {
            revision.Exists = true;
            revision.Replicas = replicas;
        }
    }

    /// <summary>An existing Deployment made ours: desired template when it drifted, desired replicas.</summary>
    private static V1Deployment? Adopt(V1Deployment existing, V1Deployment desired)
    {
        if (DeploymentBuilder.HashOf(existing) == DeploymentBuilder.HashOf(desired) && existing.Spec.Replicas == desired.Spec.Replicas)
        {
            return null;
        }

        existing.Metadata.Labels = desired.Metadata.Labels;
        existing.Metadata.Annotations ??= new Dictionary<string, string>();
        existing.Metadata.Annotations[KubernetesNames.TemplateHash] = DeploymentBuilder.HashOf(desired)!;
        existing.Spec.Template = desired.Spec.Template;
        existing.Spec.Replicas = desired.Spec.Replicas;
        return existing;
    }

    private static V1Deployment WithReplicas(V1Deployment existing, int replicas)
    {
        existing.Spec.Replicas = replicas;
        return existing;
    }

    /// <summary>Lowest deletion cost on the pod, so the ReplicaSet removes this one when the replicas go down.</summary>
    private async Task MarkForDeletionAsync(string pod, CancellationToken cancellationToken)
    {
        var patch = new V1Patch(
            "{\"metadata\":{\"annotations\":{\"" + KubernetesNames.PodDeletionCost + "\":\"" + LowestDeletionCost + "\"}}}",
            V1Patch.PatchType.MergePatch);
        try
        {
            await _api.CallOrNotFoundAsync($"annotate pod {pod}",
                ct => _client.CoreV1.PatchNamespacedPodAsync(patch, pod, Namespace, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e)
        {
            // Scaling down still works; the ReplicaSet then picks the victim itself and the watch rebinds.
            Log.MarkFailed(_logger, pod, e.Message);
        }
    }

    private async Task DeleteDeploymentAsync(RevisionWorkloads revision, CancellationToken cancellationToken)
    {
        await revision.Writes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var name = revision.DeploymentName;
            await _api.CallOrNotFoundAsync($"delete deployment {name}",
                ct => _client.AppsV1.DeleteNamespacedDeploymentAsync(name, Namespace, propagationPolicy: "Background", cancellationToken: ct),
                cancellationToken).ConfigureAwait(false);
            Log.Deleted(_logger, name, revision.Key);
            lock (_gate)
            {
                revision.Exists = false;
                revision.Replicas = null;
                if (revision.Instances.Count == 0)
                {
                    _revisions.Remove(revision.Key);
                }
            }
        }
        finally
        {
            revision.Writes.Release();
        }
    }
}
