namespace Knative.Orleans.Grains.Ports;

/// <summary>
/// Runs the instances of revisions (local processes, or one Kubernetes Deployment per revision). Grains see only this port.
/// Readiness and exits are reported asynchronously to <see cref="IWorkloadStatusSink"/>.
/// </summary>
public interface IWorkloadDriver
{
    /// <summary>
    /// Starts one instance. Returns once it is spawned; then reports <see cref="WorkloadPhase.Ready"/> when its readiness
    /// probe first passes, <see cref="WorkloadPhase.Unready"/> when a ready instance stops passing it, and
    /// <see cref="WorkloadPhase.Exited"/> when the process ends for any reason other than <see cref="StopAsync"/>.
    /// A spawn failure is reported as <see cref="WorkloadPhase.Exited"/> with exit code -1 (never thrown).
    /// </summary>
    Task StartAsync(WorkloadSpec spec, CancellationToken cancellationToken);

    /// <summary>
    /// Stops one instance: SIGTERM, then SIGKILL after <paramref name="gracePeriod"/>. Completes when it is gone.
    /// Idempotent; an unknown instance is a no-op. Nothing is reported to the sink for a stopped instance.
    /// </summary>
    Task StopAsync(string revisionKey, string instanceId, TimeSpan gracePeriod, CancellationToken cancellationToken);

    /// <summary>
    /// The revision was deleted: removes what the driver keeps for it beyond its instances (the Kubernetes driver deletes
    /// the revision's Deployment). Called after every instance was stopped. Idempotent. Default: nothing to remove.
    /// </summary>
    Task DeleteRevisionAsync(string revisionKey, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The last <paramref name="tailLines"/> lines of output (stdout and stderr) of a revision's instances, oldest first.</summary>
    string GetOutput(string revisionKey, int tailLines);
}

/// <summary>Receives instance status changes from a driver.</summary>
public interface IWorkloadStatusSink
{
    /// <summary>Delivers one status change.</summary>
    Task ReportAsync(WorkloadStatus status);
}
