using Knative.Orleans.Contracts.Routing;
using Microsoft.Extensions.Logging;

namespace Knative.Orleans.Grains.Serving;

/// <summary>
/// Scale-down never drops a request (notes §3 "Draining", our rule): a victim leaves the routing snapshot first (the hub
/// waits until every gateway has switched), then the grain waits until every gateway has reported, in a sample taken after
/// the switch, that it has nothing in flight at that instance — or until timeoutSeconds has passed — and only then stops it.
/// </summary>
public sealed partial class RevisionGrain
{
    private readonly Dictionary<string, GatewayReport> _gatewayLoad = [];

    private void RecordGatewayLoad(RevisionMetricSample sample, DateTimeOffset now)
    {
        var takenAt = sample.TimestampUnixMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(sample.TimestampUnixMs) : now;
        _gatewayLoad[sample.GatewayId] = new GatewayReport(
            sample.InFlight, sample.Instances.ToDictionary(i => i.InstanceId, i => i.InFlight), takenAt, now);
    }

    private int InFlightAt(string instanceId) => _gatewayLoad.Values.Sum(g => g.Instances.GetValueOrDefault(instanceId));

    /// <summary>Stops every draining instance whose requests are done (or whose drain timed out).</summary>
    private void StopDrained(DateTimeOffset now)
    {
        var timeout = TimeSpan.FromSeconds(state.State.Revision?.Spec?.TimeoutSeconds ?? 300);
        foreach (var instance in _instances.Values.Where(i => i.Stopping && i.DrainSince is not null).ToList())
        {
            var since = instance.DrainSince!.Value;
            var verdict = DrainPolicy.Decide(instance.Id, since, now, timeout, GatewayReportExpiry, _gatewayLoad.Values);
            if (verdict != DrainVerdict.Draining)
            {
                var timedOut = verdict == DrainVerdict.TimedOut;
                _instances.Remove(instance.Id);
                LogDrained(logger, Key, instance.Id, (now - since).TotalMilliseconds, timedOut);
                _ = StopQuietlyAsync(instance.Id);
            }
        }
    }

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information,
        Message = "Revision {RevisionKey} instance {InstanceId} drained after {DrainMs} ms (timed out: {TimedOut}); stopping it")]
    private static partial void LogDrained(ILogger logger, string revisionKey, string instanceId, double drainMs, bool timedOut);
}
