using Knative.Orleans.Contracts.Routing;
using Knative.Orleans.Gateway.Routing;

namespace Knative.Orleans.Gateway.Metrics;

/// <summary>
/// Tells a revision's autoscaler at once that requests wait for it (Knative's "first request" stat), outside the 1 s
/// batches, so a cold start does not wait for the next tick.
/// </summary>
public sealed partial class ColdStartPoke(
    InFlightTracker tracker,
    IMetricsSink sink,
    GatewayMembership membership,
    TimeProvider timeProvider,
    ILogger<ColdStartPoke> logger)
{
    /// <summary>Sends the current load of <paramref name="revisionKey"/> now, as a direct one-way call (fire and forget).</summary>
    /// <remarks>
    /// The sample carries the held requests as concurrency and no request count: the count is reported once, by the
    /// next tick, so a revision grain that adds up samples in a bucket does not count an arrival twice.
    /// </remarks>
    public void Report(string revisionKey)
    {
        var inFlight = tracker.GetInFlight(revisionKey);
        var sample = new RevisionMetricSample
        {
            GatewayId = membership.SelfId,
            TimestampUnixMs = timeProvider.GetUtcNow().ToUnixTimeMilliseconds(),
            AverageConcurrency = Math.Max(1, inFlight),
            RequestCount = 0,
            InFlight = inFlight,
            IsPoke = true,
        };
        _ = SendAsync(revisionKey, sample);
    }

    private async Task SendAsync(string revisionKey, RevisionMetricSample sample)
    {
        try
        {
            await sink.SendAsync(revisionKey, sample, CancellationToken.None);
        }
        catch (Exception ex)
        {
            Log.PokeFailed(logger, revisionKey, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2031, Level = LogLevel.Warning, Message = "Poking the autoscaler of {RevisionKey} failed")]
        public static partial void PokeFailed(ILogger logger, string revisionKey, Exception exception);
    }
}
