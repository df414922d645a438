using Knative.Orleans.Contracts.Eventing;

namespace Knative.Orleans.Grains.Eventing.Delivery;

/// <summary>The stored event as it leaves the broker (pure).</summary>
public static class DeliveryEvent
{
    /// <summary>Removes <c>knativebrokerttl</c>: the hop budget never leaves the broker, not even toward a DLS.</summary>
    public static BrokerEvent ForDelivery(BrokerEvent stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var ce = CloudEventCodec.Decode(stored.Payload);
        if (ce[EventingNames.BrokerTtl] is null)
        {
            return stored;
        }

        ce[EventingNames.BrokerTtl] = null;
        return stored with { Payload = CloudEventCodec.Encode(ce) };
    }
}
