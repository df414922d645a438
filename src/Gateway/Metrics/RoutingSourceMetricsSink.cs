using Knative.Orleans.Contracts.Routing;
using Knative.Orleans.Gateway.Routing;

namespace Knative.Orleans.Gateway.Metrics;

/// <summary>
/// Sends samples through <see cref="IRoutingSource"/>: a poke as a one-way call to the revision grain, a batch as one
/// one-way call to the metrics ingress grain.
/// </summary>
public sealed class RoutingSourceMetricsSink(IRoutingSource source) : IMetricsSink
{
    public Task SendAsync(string revisionKey, RevisionMetricSample sample, CancellationToken cancellationToken) =>
        source.ReportMetricsAsync(revisionKey, sample);

    public Task SendBatchAsync(RevisionMetricBatch batch, CancellationToken cancellationToken) =>
        source.ReportMetricsBatchAsync(batch);
}
