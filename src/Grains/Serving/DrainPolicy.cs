namespace Knative.Orleans.Grains.Serving;

/// <summary>The last sample of one gateway for a revision: total and per-instance in-flight, when it was taken and received.</summary>
/// <param name="InFlight">Requests in flight at the revision.</param>
/// <param name="Instances">Requests in flight per instance id (absent = 0).</param>
/// <param name="TakenAt">When the gateway took the sample.</param>
/// <param name="ReceivedAt">When the revision grain received it.</param>
public sealed record GatewayReport(int InFlight, IReadOnlyDictionary<string, int> Instances, DateTimeOffset TakenAt, DateTimeOffset ReceivedAt);

/// <summary>Where a draining instance stands.</summary>
public enum DrainVerdict
{
    /// <summary>Requests may still be in flight: keep it running.</summary>
    Draining = 0,

    /// <summary>Every live gateway reported, after the switch, nothing in flight at it: stop it.</summary>
    Drained = 1,

    /// <summary>timeoutSeconds passed since the switch: stop it anyway (no request may run longer).</summary>
    TimedOut = 2,
}

/// <summary>
/// When a victim that left the routing snapshot may be stopped (pure). A sample counts only if it was taken after the
/// switch (an older one cannot see requests forwarded just before it). A gateway reports every second while anything is in
/// flight through it, removed instances included, so a gateway that stays silent for <see cref="QuietPeriod"/> after the
/// switch has nothing in flight there. Gateways silent for longer than the expiry are dead and do not hold the drain up.
/// </summary>
public static class DrainPolicy
{
    /// <summary>Two report periods: a gateway with requests in flight reports within this time.</summary>
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(2);

    /// <summary>Decides for one instance.</summary>
    public static DrainVerdict Decide(
        string instanceId, DateTimeOffset switchedAt, DateTimeOffset now, TimeSpan timeout, TimeSpan reportExpiry, IEnumerable<GatewayReport> reports)
    {
        if (now - switchedAt >= timeout)
        {
            return DrainVerdict.TimedOut;
        }

        var live = reports.Where(r => now - r.ReceivedAt <= reportExpiry);
        var quiet = now - switchedAt >= QuietPeriod;
        return live.All(r => r.TakenAt > switchedAt ? r.Instances.GetValueOrDefault(instanceId) == 0 : quiet)
            ? DrainVerdict.Drained
            : DrainVerdict.Draining;
    }
}
