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

    /// <summary>
    /// <see cref="ForDelivery(BrokerEvent)"/> when the caller already decoded <paramref name="stored"/> into
    /// <paramref name="decoded"/> (saves a decode per delivery); <paramref name="decoded"/> loses its TTL.
    /// </summary>
    public static BrokerEvent ForDelivery(BrokerEvent stored, CloudNative.CloudEvents.CloudEvent decoded)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(decoded);
        if (decoded[EventingNames.BrokerTtl] is null)
        {
            return stored;
        }

        decoded[EventingNames.BrokerTtl] = null;
        return stored with { Payload = CloudEventCodec.Encode(decoded) };
    }
}
