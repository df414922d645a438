using Knative.Orleans.Contracts.Routing;
using Knative.Orleans.Gateway.Routing;

namespace Knative.Orleans.Gateway.Metrics;

/// <summary>Sends each sample straight to its revision grain (a one-way call).</summary>
public sealed class RoutingSourceMetricsSink(IRoutingSource source) : IMetricsSink
{
    public Task SendAsync(string revisionKey, RevisionMetricSample sample, CancellationToken cancellationToken) =>
        source.ReportMetricsAsync(revisionKey, sample);
}
