using Knative.Orleans.Contracts.Routing;
using Knative.Orleans.Gateway.Routing;
using Knative.Orleans.Gateway.Throttling;

namespace Knative.Orleans.Gateway.Metrics;

/// <summary>
/// Every second, sends one <see cref="RevisionMetricBatch"/> with one sample per revision that had requests (see
/// <see cref="InFlightTracker.Collect"/>) or has ready instances in the route cache, zeros included.
/// </summary>
/// <remarks>
/// Our rule (KNATIVE-NOTES §2.2): without the zeros, a revision's window average would only fall once a whole window
/// had passed without a sample, and scale-down would then drop at once. One batch per tick keeps that affordable:
/// 10 000 revisions are one call per second, which the ingress grain fans out inside the cluster. Each sample also
/// carries this gateway's in-flight count per instance, which the revision grain needs to drain an instance.
/// </remarks>
public sealed partial class MetricsReporter(
    InFlightTracker tracker,
    RouteCache cache,
    ThrottlerRegistry throttlers,
    GatewayMembership membership,
    IMetricsSink sink,
    TimeProvider timeProvider,
    ILogger<MetricsReporter> logger) : BackgroundService
{
    /// <summary>Knative's metric bucket: one sample per revision per second.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>Collects and sends one batch (what each timer tick does); sends nothing when there is nothing to report.</summary>
    internal async Task TickAsync(CancellationToken cancellationToken)
    {
        var timestamp = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var entries = new List<RevisionMetricEntry>();
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var load in tracker.Collect())
        {
            reported.Add(load.RevisionKey);
            entries.Add(Entry(load.RevisionKey, timestamp, load.AverageConcurrency, load.RequestCount, load.InFlight));
        }

        foreach (var revisionKey in cache.RevisionKeys)
        {
            if (cache.TryGetEndpoints(revisionKey, out var endpoints) && endpoints.Ready.Length > 0 && reported.Add(revisionKey))
            {
                entries.Add(Entry(revisionKey, timestamp, 0, 0, 0));
            }
        }

        if (entries.Count == 0)
        {
            return;
        }

        var batch = new RevisionMetricBatch { GatewayId = membership.SelfId, TimestampUnixMs = timestamp, Entries = [.. entries] };
        try
        {
            await sink.SendBatchAsync(batch, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.ReportFailed(logger, entries.Count, ex);
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await TickAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private RevisionMetricEntry Entry(string revisionKey, long timestamp, double average, int requests, int inFlight) => new()
    {
        RevisionKey = revisionKey,
        Sample = new RevisionMetricSample
        {
            GatewayId = membership.SelfId,
            TimestampUnixMs = timestamp,
            AverageConcurrency = average,
            RequestCount = requests,
            InFlight = inFlight,
            Instances = throttlers.GetInstanceLoads(revisionKey),
        },
    };
}
