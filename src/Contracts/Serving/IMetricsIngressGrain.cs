using Knative.Orleans.Contracts.Routing;
using Orleans.Concurrency;

namespace Knative.Orleans.Contracts.Serving;

/// <summary>
/// Where gateways send their per-second metric batches (use key 0). The grain is a stateless worker, so every silo
/// has local activations; each one hands every sample of a batch to its revision grain's
/// <see cref="IRevisionGrain.ReportMetricsAsync"/> (one-way calls inside the cluster).
/// </summary>
[Alias("kn.IMetricsIngressGrain")]
public interface IMetricsIngressGrain : IGrainWithIntegerKey
{
    /// <summary>Delivers one gateway's samples of one second (one-way, best effort).</summary>
    [OneWay, Alias("ReportBatch")]
    Task ReportBatchAsync(RevisionMetricBatch batch);
}
