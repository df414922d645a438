using Knative.Orleans.Contracts.Routing;
using Knative.Orleans.Gateway.Metrics;

namespace Knative.Orleans.Gateway.Tests.Fakes;

internal sealed class RecordingMetricsSink : IMetricsSink
{
    public List<(string RevisionKey, RevisionMetricSample Sample)> Sent { get; } = [];

    public List<RevisionMetricBatch> Batches { get; } = [];

    public Task SendAsync(string revisionKey, RevisionMetricSample sample, CancellationToken cancellationToken)
    {
        lock (Sent)
        {
            Sent.Add((revisionKey, sample));
        }

        return Task.CompletedTask;
    }

    public Task SendBatchAsync(RevisionMetricBatch batch, CancellationToken cancellationToken)
    {
        lock (Batches)
        {
            Batches.Add(batch);
        }

        return Task.CompletedTask;
    }
}
