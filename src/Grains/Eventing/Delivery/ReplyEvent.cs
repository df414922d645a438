using Knative.Orleans.Contracts.Eventing;

namespace Knative.Orleans.Grains.Eventing.Delivery;

/// <summary>Turns a subscriber's reply into a new event of the same broker (pure; KNATIVE-NOTES §4.2, §4.5).</summary>
public static class ReplyEvent
{
    /// <summary>
    /// The reply as the broker stores it: the original's <c>knativebrokerttl</c> carried over (the reply's own is replaced)
    /// and decremented as at ingress, and a new <c>knativearrivaltime</c>. Null when the TTL is exhausted (the reply is
    /// dropped; the original delivery still succeeded).
    /// </summary>
    public static BrokerEvent? Prepare(BrokerEvent reply, BrokerEvent original, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(original);
        var ce = CloudEventCodec.Decode(reply.Payload);
        var ttl = BrokerTtl.Read(CloudEventCodec.Decode(original.Payload));
        ce[EventingNames.BrokerTtl] = null;
        if (ttl is { } carried)
        {
            ce[EventingNames.BrokerTtl] = carried.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (!BrokerTtl.Apply(ce))
        {
            return null;
        }

        BrokerTtl.StampArrival(ce, now);
        return reply with { Payload = CloudEventCodec.Encode(ce) };
    }
}
