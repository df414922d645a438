using Knative.Orleans.Contracts.Routing;
using Knative.Orleans.Contracts.Serving;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace Knative.Orleans.Grains.Serving;

/// <summary>
/// Unpacks a gateway's per-second metric batch into one-way <see cref="IRevisionGrain.ReportMetricsAsync"/> calls.
/// </summary>
/// <remarks>
/// Our rule (KNATIVE-NOTES §2.2) is one sample per revision per second from every gateway, zeros included: with 10 000
/// revisions that would be 10 000 calls per second over each gateway's client connection. The gateway sends one batch
/// instead; a stateless worker has activations on every silo, so the fan-out runs inside the cluster.
/// </remarks>
[StatelessWorker]
[GrainType("metricsingress")]
public sealed partial class MetricsIngressGrain(ILogger<MetricsIngressGrain> logger) : Grain, IMetricsIngressGrain
{
    /// <inheritdoc />
    public Task ReportBatchAsync(RevisionMetricBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        foreach (var entry in batch.Entries)
        {
            try
            {
                // One-way: the call returns once the message is queued, so a slow revision does not hold the batch.
                _ = GrainFactory.GetGrain<IRevisionGrain>(entry.RevisionKey).ReportMetricsAsync(entry.Sample);
            }
            catch (Exception e)
            {
                LogForwardFailed(logger, e, entry.RevisionKey);
            }
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 3300, Level = LogLevel.Warning, Message = "Forwarding a metric sample to {RevisionKey} failed")]
    private static partial void LogForwardFailed(ILogger logger, Exception exception, string revisionKey);
}
