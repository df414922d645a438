using Knative.Orleans.Contracts.Routing;

namespace Knative.Orleans.Gateway.Metrics;

/// <summary>Where <see cref="MetricsReporter"/> sends samples; a batching sink can replace the direct one.</summary>
public interface IMetricsSink
{
    /// <summary>Hands one sample of <paramref name="revisionKey"/> off for delivery (best effort).</summary>
    Task SendAsync(string revisionKey, RevisionMetricSample sample, CancellationToken cancellationToken);
}
