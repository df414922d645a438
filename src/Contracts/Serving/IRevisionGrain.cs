using Knative.Orleans.Contracts.Routing;
using Orleans.Concurrency;

namespace Knative.Orleans.Contracts.Serving;

/// <summary>
/// An immutable Revision, keyed <c>{namespace}/{revision}</c>. Owns its scaling state: starts workloads,
/// watches readiness, scales to zero when idle and back from zero on demand.
/// </summary>
[Alias("kn.IRevisionGrain")]
public interface IRevisionGrain : IGrainWithStringKey
{
    /// <summary>Creates the revision; idempotent for the same spec and owner. False when it exists with another spec or configuration (the name is taken).</summary>
    [Alias("Create")]
    Task<bool> CreateAsync(Revision revision);

    /// <summary>The revision with its status, or null.</summary>
    [Alias("Get")]
    Task<Revision?> GetAsync();

    /// <summary>Stops every workload and removes the revision.</summary>
    [Alias("Delete")]
    Task DeleteAsync();

    /// <summary>
    /// A request needs this revision: scale from zero if it has no instance (a cold start). Returns the current endpoints
    /// at once; use <see cref="WaitForReadyAsync"/> to wait for the first ready instance.
    /// </summary>
    [Alias("Activate")]
    Task<RevisionEndpoints> ActivateAsync();

    /// <summary>
    /// Waits until an instance is ready, the revision fails, or <paramref name="timeout"/> passes, and returns the endpoints.
    /// Interleaves with other calls so that readiness reports can arrive while it waits.
    /// </summary>
    [AlwaysInterleave, Alias("WaitForReady")]
    Task<RevisionEndpoints> WaitForReadyAsync(TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>The current routing view of the revision.</summary>
    [Alias("GetEndpoints")]
    Task<RevisionEndpoints> GetEndpointsAsync();

    /// <summary>Per-second load sample from a gateway (one-way).</summary>
    [OneWay, Alias("ReportMetrics")]
    Task ReportMetricsAsync(RevisionMetricSample sample);

    /// <summary>
    /// Whether a route names the revision (or it is its configuration's latest created revision). Only routed revisions
    /// keep their min-scale; sent one-way by the owning service whenever it changes.
    /// </summary>
    [OneWay, Alias("SetRouted")]
    Task SetRoutedAsync(bool routed);

    /// <summary>The last <paramref name="tailLines"/> lines of output of the revision's workloads.</summary>
    [Alias("GetLogs")]
    Task<string> GetLogsAsync(int tailLines);
}
