using System.Globalization;
using CloudNative.CloudEvents;

namespace Knative.Orleans.Contracts.Eventing;

/// <summary><c>knativebrokerttl</c>, the hop budget of an event inside a broker (KNATIVE-NOTES §4.2).</summary>
public static class BrokerTtl
{
    /// <summary>
    /// Applied at every broker entry (ingress and replies): absent or not an integer → 255, else minus 1 (floor 0); false
    /// when the result is ≤ 0 (the event is dropped).
    /// </summary>
    public static bool Apply(CloudEvent cloudEvent)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        var ttl = Read(cloudEvent) is { } parsed ? Math.Max(0, parsed - 1) : EventingNames.MaxTtl;
        if (ttl <= 0)
        {
            return false;
        }

        // Extensions are not pre-registered, so knativebrokerttl is always String-typed.
        cloudEvent[EventingNames.BrokerTtl] = null;
        cloudEvent[EventingNames.BrokerTtl] = ttl.ToString(CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>The event's TTL as an integer, or null when absent or not an integer.</summary>
    public static int? Read(CloudEvent cloudEvent)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        return cloudEvent[EventingNames.BrokerTtl] is { } value
            && int.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : null;
    }

    /// <summary>Sets <c>knativearrivaltime</c> to <paramref name="now"/> (RFC 3339 UTC, 7 fraction digits).</summary>
    public static void StampArrival(CloudEvent cloudEvent, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        cloudEvent[EventingNames.ArrivalTime] = null;
        cloudEvent[EventingNames.ArrivalTime] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
    }
}
