using CloudNative.CloudEvents;
using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Grains.Eventing.Filters;

namespace Knative.Orleans.Grains.Eventing;

/// <summary>
/// Decodes each stored event once per silo for all the triggers of its broker: every trigger reads the same events
/// shortly after the others, and without this each one decoded each event, built its filter attributes, re-encoded it
/// without <c>knativebrokerttl</c> and the dispatcher decoded that again and wrote its HTTP form (with 10 triggers, 20
/// JSON decodes, 10 encodes and 10 HTTP encodings per event). An entry holds the attributes (as stored, TTL included),
/// the outgoing event decoded (TTL removed) and its HTTP form (<see cref="DecodedEvent.Http"/>, written once, on first
/// use), which the trigger hands to the dispatcher; the outgoing event is encoded again only if something asks for it
/// (<see cref="DecodedEvent.Outgoing"/>). A dead letter decodes its own copy (<see cref="DecodedEvent.DecodeOutgoing"/>),
/// adds the error extensions and encodes that once.
/// <para>
/// Bounded: one array of <see cref="Slots"/> entries shared by all brokers, indexed by the position plus a hash of the
/// broker (consecutive events of a broker take consecutive slots, so the events triggers are working on do not evict
/// each other; a newer event overwrites an older one); events above <see cref="MaxCachedBytes"/> are decoded per use. A miss costs
/// what decoding always cost. Entries are shared between grains, so nothing may change them.
/// </para>
/// </summary>
public sealed class DecodedEventCache
{
    /// <summary>Entries kept (about 50 MB at most with <see cref="MaxCachedBytes"/>-sized events; usually far less).</summary>
    public const int Slots = 2048;

    /// <summary>Larger payloads are not cached.</summary>
    public const int MaxCachedBytes = 8 * 1024;

    private readonly DecodedEvent?[] _slots = new DecodedEvent?[Slots];

    /// <summary>The decoded form of <paramref name="stored"/> of broker <paramref name="brokerKey"/>.</summary>
    public DecodedEvent Get(string brokerKey, StoredEvent stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (stored.Event.Payload.Length > MaxCachedBytes)
        {
            return Decode(brokerKey, stored);
        }

        var slot = (int)((uint)(brokerKey.GetHashCode() + stored.Sequence) % Slots);
        if (Volatile.Read(ref _slots[slot]) is { } hit && hit.Sequence == stored.Sequence && hit.BrokerKey == brokerKey
            && (ReferenceEquals(hit.Stored, stored.Event) || hit.Stored.Payload.AsSpan().SequenceEqual(stored.Event.Payload)))
        {
            return hit;
        }

        var decoded = Decode(brokerKey, stored);
        Volatile.Write(ref _slots[slot], decoded);
        return decoded;
    }

    private static DecodedEvent Decode(string brokerKey, StoredEvent stored)
    {
        var cloudEvent = CloudEventCodec.Decode(stored.Event.Payload);
        var attributes = EventAttributes.From(cloudEvent);
        return new DecodedEvent(brokerKey, stored.Sequence, stored.Event, attributes, cloudEvent, DecodedEvent.RemoveTtl(cloudEvent));
    }
}

/// <summary>One stored event, decoded once (see <see cref="DecodedEventCache"/>); shared, so never changed.</summary>
/// <remarks>
/// Entries live about a second in the cache, long enough to survive a collection or two, so they are kept small: once
/// the HTTP form is written (the first delivery), the decoded event (a few dictionaries, attribute objects and strings,
/// more than half of an entry) is let go, and <see cref="OutgoingEvent"/> decodes it again if anything asks (a dead
/// letter). The collector's pauses grow with what survives them.
/// </remarks>
/// <param name="brokerKey">The broker.</param>
/// <param name="sequence">Its position.</param>
/// <param name="stored">The event as stored.</param>
/// <param name="attributes">What filters see (the stored attributes, <c>knativebrokerttl</c> included).</param>
/// <param name="outgoingEvent">The event as delivered: <c>knativebrokerttl</c> removed.</param>
/// <param name="storedWithTtl">Whether <paramref name="stored"/> carries <c>knativebrokerttl</c>.</param>
public sealed class DecodedEvent(string brokerKey, long sequence, BrokerEvent stored, EventAttributes attributes, CloudEvent outgoingEvent, bool storedWithTtl)
{
    private CloudEvent? _outgoingEvent = outgoingEvent;
    private OutgoingHttpEvent? _http;
    private BrokerEvent? _outgoing;

    /// <summary>The broker.</summary>
    public string BrokerKey { get; } = brokerKey;

    /// <summary>Its position.</summary>
    public long Sequence { get; } = sequence;

    /// <summary>The event as stored.</summary>
    public BrokerEvent Stored { get; } = stored;

    /// <summary>What filters see (the stored attributes, <c>knativebrokerttl</c> included).</summary>
    public EventAttributes Attributes { get; } = attributes;

    /// <summary>The event's id.</summary>
    public string? Id { get; } = outgoingEvent.Id;

    /// <summary>
    /// The event as delivered (<c>knativebrokerttl</c> removed): the decoded instance until the HTTP form is written,
    /// then decoded again from <see cref="Stored"/> on each use (equal, not the same instance; callers only read it).
    /// </summary>
    public CloudEvent OutgoingEvent => Volatile.Read(ref _outgoingEvent) ?? DecodeOutgoing();

    /// <summary>
    /// <see cref="OutgoingEvent"/> as sent over HTTP in its content mode (<see cref="CloudEventWriter.Encode"/>), written
    /// on first use and then shared by every delivery of this event (two threads may both write it; either result is
    /// the same and kept).
    /// </summary>
    public OutgoingHttpEvent Http
    {
        get
        {
            if (Volatile.Read(ref _http) is { } http)
            {
                return http;
            }

            var written = CloudEventWriter.Encode(OutgoingEvent, Stored.Mode);
            var kept = Interlocked.CompareExchange(ref _http, written, null) ?? written;
            Volatile.Write(ref _outgoingEvent, null); // from now on deliveries only need the HTTP form
            return kept;
        }
    }

    /// <summary>
    /// <see cref="OutgoingEvent"/> encoded as stored events are (<see cref="CloudEventCodec"/>): <see cref="Stored"/> when it
    /// had no TTL, else encoded on first use (deliveries send <see cref="Http"/>; <see cref="Ports.DispatchRequest.Event"/> and tests ask for this).
    /// </summary>
    public BrokerEvent Outgoing
    {
        get
        {
            if (!storedWithTtl)
            {
                return Stored;
            }

            if (Volatile.Read(ref _outgoing) is { } outgoing)
            {
                return outgoing;
            }

            var encoded = Stored with { Payload = CloudEventCodec.Encode(OutgoingEvent) };
            return Interlocked.CompareExchange(ref _outgoing, encoded, null) ?? encoded;
        }
    }

    /// <summary>Removes <c>knativebrokerttl</c> (the hop budget never leaves the broker, not even toward a dead letter sink); whether it was there.</summary>
    internal static bool RemoveTtl(CloudEvent cloudEvent)
    {
        var had = cloudEvent[EventingNames.BrokerTtl] is not null;
        cloudEvent[EventingNames.BrokerTtl] = null;
        return had;
    }

    /// <summary>The event as delivered, decoded from <see cref="Stored"/> on every call: an instance of the caller's own, free to change (a dead letter's extensions).</summary>
    public CloudEvent DecodeOutgoing()
    {
        var cloudEvent = CloudEventCodec.Decode(Stored.Payload);
        RemoveTtl(cloudEvent);
        return cloudEvent;
    }
}
