using System.Threading.Channels;
using k8s;
using Knative.Orleans.Grains.Ports;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Knative.Orleans.Silo.Drivers.Kubernetes;

/// <summary>
/// Runs each revision as one Kubernetes Deployment (<c>Runtime:Kind=kubernetes</c>). An instance of the port is a pod:
/// starting one raises <c>spec.replicas</c>, the pod watch binds a pod to it and reports its address
/// (<c>http://{podIP}:{port}</c>) and readiness; stopping one marks its pod cheapest to delete and lowers the replicas.
/// See <c>README.md</c> in this folder.
/// </summary>
public sealed partial class KubernetesDriver : IWorkloadDriver, IHostedService, IAsyncDisposable
{
    private readonly KubernetesDriverOptions _options;
    private readonly IKubernetes _client;
    private readonly IWorkloadStatusSink _sink;
    private readonly IAdoptionArbiter? _arbiter;
    private readonly ILogger<KubernetesDriver> _logger;
    private readonly TimeProvider _time;
    private readonly KubernetesApi _api;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, RevisionWorkloads> _revisions = new(StringComparer.Ordinal);
    private readonly Channel<WorkloadStatus> _reports = Channel.CreateUnbounded<WorkloadStatus>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private Task _reporter = Task.CompletedTask;
    private Task _watcher = Task.CompletedTask;
    private Task _sweeper = Task.CompletedTask;
    private TaskCompletionSource _firstList = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public KubernetesDriver(
        IOptions<KubernetesDriverOptions> options,
        IKubernetes client,
        IWorkloadStatusSink sink,
        ILogger<KubernetesDriver> logger,
        TimeProvider? timeProvider = null,
        IAdoptionArbiter? arbiter = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validation = new KubernetesDriverOptionsValidator().Validate(Options.DefaultName, options.Value);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(KubernetesDriverOptions), validation.Failures);
        }

        _options = options.Value;
        _client = client;
        _sink = sink;
        _arbiter = arbiter;
        _logger = logger;
        _time = timeProvider ?? TimeProvider.System;
        _api = new KubernetesApi(_options, _time, logger);
        Namespace = KubernetesConnection.ResolveNamespace(_options);
    }

    /// <summary>The Kubernetes namespace of every Deployment.</summary>
    public string Namespace { get; }

    /// <summary>Completes once the first pod list was applied (tests wait on it; starts do not).</summary>
    public Task FirstListApplied => _firstList.Task;

    /// <inheritdoc />
    /// <remarks>
    /// Raises the Deployment's replicas to the number of instances (creating it with that many on the first start; when
    /// it already exists, after a crash or a lost answer, it is adopted and corrected instead of duplicated). A free
    /// running pod of the revision is bound at once. An API failure after every retry is reported as Exited with exit
    /// code -1 and the API server's message.
    /// </remarks>
    public async Task StartAsync(WorkloadSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        RevisionWorkloads revision;
        var reports = new List<WorkloadStatus>();
        lock (_gate)
        {
            revision = Revision(spec.RevisionKey);
            if (revision.Instances.Any(i => i.Id == spec.InstanceId))
            {
                return;
            }

            revision.Spec = spec;
            revision.Port = spec.ContainerPort ?? _options.DefaultContainerPort;
            revision.Instances.Add(new InstanceSlot(spec.InstanceId));
            revision.Settle(reports);
        }

        Publish(reports);
        try
        {
            await SyncReplicasAsync(revision, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is KubernetesApiException or OperationCanceledException)
        {
            Log.StartFailed(_logger, spec.RevisionKey, spec.InstanceId, e.Message);
            lock (_gate)
            {
                revision.Instances.RemoveAll(i => i.Id == spec.InstanceId);
            }

            Publish([new WorkloadStatus
            {
                RevisionKey = spec.RevisionKey, InstanceId = spec.InstanceId, Phase = WorkloadPhase.Exited, ExitCode = -1, Message = e.Message,
            }]);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Marks the instance's pod with the lowest <c>controller.kubernetes.io/pod-deletion-cost</c> and lowers the replicas,
    /// so the ReplicaSet removes that pod; it then terminates with the pod's own grace period (the revision's
    /// <c>timeoutSeconds</c>), so <paramref name="gracePeriod"/> is not used. Returns once the replicas are written.
    /// </remarks>
    public async Task StopAsync(string revisionKey, string instanceId, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        RevisionWorkloads? revision;
        string? pod = null;
        lock (_gate)
        {
            if (!_revisions.TryGetValue(revisionKey, out revision) || revision.Instances.Find(i => i.Id == instanceId) is not { } slot)
            {
                return;
            }

            revision.Instances.Remove(slot);
            if (slot.Pod is not null)
            {
                pod = slot.Pod;
                revision.Released.Add(pod);
            }
        }

        if (pod is not null)
        {
            await MarkForDeletionAsync(pod, cancellationToken).ConfigureAwait(false);
        }

        await SyncReplicasAsync(revision, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>Deletes the revision's Deployment (its ReplicaSet and pods go with it); a missing one is fine.</remarks>
    public async Task DeleteRevisionAsync(string revisionKey, CancellationToken cancellationToken)
    {
        RevisionWorkloads revision;
        lock (_gate)
        {
            revision = Revision(revisionKey);
            revision.Instances.Clear();
            revision.AdoptedUntil = null;
        }

        await DeleteDeploymentAsync(revision, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>Pod logs are not collected by this driver: the answer points to <c>kubectl logs</c>.</remarks>
    public string GetOutput(string revisionKey, int tailLines)
    {
        var (ns, revision) = KubernetesNames.Split(revisionKey);
        return $"workload output is kept by Kubernetes: kubectl logs -n {Namespace} -l {KubernetesNames.KnativeNamespace}={ns},{KubernetesNames.Revision}={revision} -c {KubernetesNames.UserContainer} --tail={tailLines}\n";
    }

    private RevisionWorkloads Revision(string revisionKey)
    {
        if (!_revisions.TryGetValue(revisionKey, out var revision))
        {
            revision = new RevisionWorkloads(revisionKey, _options.DefaultContainerPort);
            _revisions[revisionKey] = revision;
        }

        return revision;
    }

    private void Publish(List<WorkloadStatus> reports)
    {
        foreach (var report in reports)
        {
            _reports.Writer.TryWrite(report);
        }
    }

    private async Task ReportLoopAsync()
    {
        await foreach (var status in _reports.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await _sink.ReportAsync(status).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Log.SinkFailed(_logger, status.RevisionKey, status.InstanceId, status.Phase, ex);
            }
        }
    }
}
