using Knative.Orleans.Contracts.Routing;

namespace Knative.Orleans.Gateway.Metrics;

/// <summary>Where the gateway's load samples go (best effort; a failed send is logged and dropped).</summary>
public interface IMetricsSink
{
    /// <summary>Sends one sample straight to its revision: the cold-start poke, which must not wait for a batch.</summary>
    Task SendAsync(string revisionKey, RevisionMetricSample sample, CancellationToken cancellationToken);

    /// <summary>Sends one second of samples of every reported revision in one call.</summary>
    Task SendBatchAsync(RevisionMetricBatch batch, CancellationToken cancellationToken);
}
