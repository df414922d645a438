using Knative.Orleans.Contracts.Routing;

namespace Knative.Orleans.Gateway.Metrics;

/// <summary>
/// Every second, sends one <see cref="RevisionMetricSample"/> per active revision (see
/// <see cref="InFlightTracker.Collect"/>), and a sample at once when a request is held for a revision at zero so
/// that its autoscaler does not wait for the next tick.
/// </summary>
public sealed partial class MetricsReporter(
    InFlightTracker tracker,
    IMetricsSink sink,
    TimeProvider timeProvider,
    ILogger<MetricsReporter> logger) : BackgroundService
{
    /// <summary>Knative's metric bucket: one sample per revision per second.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>Identifies this gateway process in its samples.</summary>
    public string GatewayId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>
    /// Reports the current load of <paramref name="revisionKey"/> now, outside the 1 s rhythm (fire and forget).
    /// </summary>
    /// <remarks>
    /// The sample carries the held requests as concurrency and no request count: the count is reported once, by the
    /// next tick, so a revision grain that adds up samples in a bucket does not count an arrival twice.
    /// </remarks>
    public void ReportNow(string revisionKey)
    {
        var inFlight = tracker.GetInFlight(revisionKey);
        var sample = new RevisionMetricSample
        {
            GatewayId = GatewayId,
            TimestampUnixMs = timeProvider.GetUtcNow().ToUnixTimeMilliseconds(),
            AverageConcurrency = Math.Max(1, inFlight),
            RequestCount = 0,
            InFlight = inFlight,
        };
        _ = SendAsync(revisionKey, sample, CancellationToken.None);
    }

    /// <summary>Collects and sends one round of samples (what each timer tick does).</summary>
    internal async Task TickAsync(CancellationToken cancellationToken)
    {
        var timestamp = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var load in tracker.Collect())
        {
            var sample = new RevisionMetricSample
            {
                GatewayId = GatewayId,
                TimestampUnixMs = timestamp,
                AverageConcurrency = load.AverageConcurrency,
                RequestCount = load.RequestCount,
                InFlight = load.InFlight,
            };
            await SendAsync(load.RevisionKey, sample, cancellationToken);
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

    private async Task SendAsync(string revisionKey, RevisionMetricSample sample, CancellationToken cancellationToken)
    {
        try
        {
            await sink.SendAsync(revisionKey, sample, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.ReportFailed(logger, revisionKey, ex);
        }
    }
}
