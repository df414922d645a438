using k8s;
using k8s.Models;
using Knative.Orleans.Grains.Ports;

namespace Knative.Orleans.Silo.Drivers.Kubernetes;

public sealed partial class KubernetesDriver
{
    /// <summary>
    /// Adopts every Deployment carrying the platform's labels (a restarted control plane reconciles what exists instead
    /// of creating twins), then opens the pod watch and the adoption sweep. An API server that cannot be reached is
    /// logged, not fatal: the watch keeps retrying and creates adopt on AlreadyExists anyway.
    /// </summary>
    async Task IHostedService.StartAsync(CancellationToken cancellationToken)
    {
        _reporter = Task.Run(ReportLoopAsync, CancellationToken.None);
        try
        {
            var list = await _api.CallAsync("list deployments",
                ct => _client.AppsV1.ListNamespacedDeploymentAsync(Namespace, labelSelector: KubernetesNames.ManagedSelector, cancellationToken: ct),
                cancellationToken).ConfigureAwait(false);
            var until = _time.GetUtcNow() + _options.AdoptionGracePeriod;
            lock (_gate)
            {
                foreach (var deployment in list.Items)
                {
                    if (KubernetesNames.RevisionKeyOf(deployment.Metadata?.Labels) is not { } key)
                    {
                        continue;
                    }

                    var revision = Revision(key);
                    revision.Exists = true;
                    revision.Replicas = deployment.Spec?.Replicas ?? 1;
                    revision.AdoptedReplicas = revision.Replicas.Value;
                    revision.AdoptedUntil = until;
                    revision.Port = deployment.Spec?.Template?.Spec?.Containers?.FirstOrDefault()?.Ports?.FirstOrDefault()?.ContainerPort
                        ?? _options.DefaultContainerPort;
                    Log.Adopted(_logger, deployment.Metadata!.Name, key, revision.Replicas.Value);
                }
            }
        }
        catch (KubernetesApiException e)
        {
            Log.AdoptionListFailed(_logger, e.Message);
        }

        _watcher = Task.Run(() => WatchLoopAsync(_stopping.Token), CancellationToken.None);
        _sweeper = Task.Run(() => SweepLoopAsync(_stopping.Token), CancellationToken.None);
    }

    /// <summary>
    /// Stops watching. Deployments are left as they are: pods do not depend on the control plane, and the next start
    /// adopts them (the revision grains stop their instances when they deactivate, before this runs).
    /// </summary>
    async Task IHostedService.StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        _reports.Writer.TryComplete();
        await Task.WhenAll(_watcher, _sweeper, _reporter).ConfigureAwait(false);
    }

    /// <summary>List, then watch from the list's resourceVersion; on any end or error, wait and list again.</summary>
    private async Task WatchLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var list = await _api.CallAsync("list pods",
                    ct => _client.CoreV1.ListNamespacedPodAsync(Namespace, labelSelector: KubernetesNames.ManagedSelector, cancellationToken: ct),
                    cancellationToken).ConfigureAwait(false);
                ApplyList(list.Items);
                _firstList.TrySetResult();
                Exception? streamError = null;
                var watch = _client.CoreV1.WatchListNamespacedPodAsync(Namespace, labelSelector: KubernetesNames.ManagedSelector,
                    resourceVersion: list.Metadata?.ResourceVersion, onError: e => streamError = e, cancellationToken: cancellationToken);
                await foreach (var (type, pod) in watch.ConfigureAwait(false))
                {
                    Apply(type, pod);
                }

                Log.WatchEnded(_logger, streamError?.Message ?? "closed by the server");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.WatchFailed(_logger, e.Message);
            }

            try
            {
                await Task.Delay(_options.WatchRestartDelay, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void ApplyList(IList<V1Pod> pods)
    {
        var observed = pods.Select(PodObservation.From).OfType<PodObservation>().ToList();
        var reports = new List<WorkloadStatus>();
        var resync = new List<RevisionWorkloads>();
        lock (_gate)
        {
            foreach (var revision in _revisions.Values)
            {
                revision.Pods.Clear();
            }

            foreach (var pod in observed)
            {
                Revision(pod.RevisionKey).Pods[pod.Name] = pod;
            }

            foreach (var revision in _revisions.Values)
            {
                revision.Released.IntersectWith(revision.Pods.Keys);
                if (revision.Settle(reports))
                {
                    resync.Add(revision);
                }
            }
        }

        Publish(reports);
        resync.ForEach(ResyncInBackground);
    }

    private void Apply(WatchEventType type, V1Pod pod)
    {
        if (type is not (WatchEventType.Added or WatchEventType.Modified or WatchEventType.Deleted) || PodObservation.From(pod) is not { } observed)
        {
            return;
        }

        var reports = new List<WorkloadStatus>();
        RevisionWorkloads revision;
        bool removed;
        lock (_gate)
        {
            revision = Revision(observed.RevisionKey);
            if (type == WatchEventType.Deleted)
            {
                revision.Pods.Remove(observed.Name);
                revision.Released.Remove(observed.Name);
            }
            else
            {
                revision.Pods[observed.Name] = observed;
            }

            removed = revision.Settle(reports);
        }

        Publish(reports);
        if (removed)
        {
            ResyncInBackground(revision);
        }
    }

    /// <summary>Failed instances were forgotten: lower the replicas (errors are logged; the next start or stop writes again).</summary>
    private void ResyncInBackground(RevisionWorkloads revision) =>
        _ = Task.Run(async () =>
        {
            try
            {
                await SyncReplicasAsync(revision, _stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is KubernetesApiException or OperationCanceledException)
            {
                Log.ResyncFailed(_logger, revision.Key, e.Message);
            }
        });
}
