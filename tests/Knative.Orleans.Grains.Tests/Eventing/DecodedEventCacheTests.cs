using CloudNative.CloudEvents;
using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Grains.Eventing;

namespace Knative.Orleans.Grains.Tests.Eventing;

public sealed class DecodedEventCacheTests
{
    private static StoredEvent Stored(long sequence, string id, int dataBytes = 5, bool ttl = true) => new()
    {
        Sequence = sequence,
        Event = new BrokerEvent
        {
            Mode = EventContentMode.Binary,
            Payload = CloudEventCodec.Encode(new CloudEvent
            {
                Id = id,
                Source = new Uri("/test", UriKind.Relative),
                Type = "t",
                DataContentType = "text/plain",
                Data = new byte[dataBytes],
                [EventingNames.BrokerTtl] = ttl ? "254" : null,
            }),
        },
    };

    [Fact]
    public void An_event_is_decoded_once_for_every_reader_filters_see_the_ttl_and_the_outgoing_event_has_none()
    {
        var cache = new DecodedEventCache();
        var stored = Stored(7, "e7");

        var first = cache.Get("ns/b", stored);
        Assert.Same(first, cache.Get("ns/b", stored with { })); // another trigger's copy of the same stored event
        Assert.True(first.Attributes.TryGetText(EventingNames.BrokerTtl, out var ttl));
        Assert.Equal("254", ttl);
        Assert.Null(CloudEventCodec.Decode(first.Outgoing.Payload)[EventingNames.BrokerTtl]);
        Assert.Equal("e7", CloudEventCodec.Decode(first.Outgoing.Payload).Id);
        Assert.Same(first.Outgoing, first.Outgoing); // encoded once, when asked
        Assert.Null(first.OutgoingEvent[EventingNames.BrokerTtl]);
        Assert.Equal("e7", first.OutgoingEvent.Id);

        // Without a TTL the outgoing event is the stored one: nothing to encode.
        var plain = Stored(8, "e8", ttl: false);
        Assert.Same(plain.Event, cache.Get("ns/b", plain).Outgoing);

        // Written for HTTP once, on first use, for every trigger's delivery: without the TTL, binary as it arrived.
        var http = first.Http;
        Assert.Same(http, cache.Get("ns/b", stored).Http);
        Assert.Contains(KeyValuePair.Create("ce-id", "e7"), http.ContentHeaders);
        Assert.DoesNotContain(http.ContentHeaders, h => h.Key == "ce-" + EventingNames.BrokerTtl);
        Assert.Equal(("text/plain", 5), (http.ContentType, http.Body.Length));

        // Once written, the entry lets its decoded event go: asked again (a dead letter), it is decoded anew, still without the TTL.
        var again = first.OutgoingEvent;
        Assert.NotSame(again, first.OutgoingEvent);
        Assert.Equal(("e7", null), (again.Id, again[EventingNames.BrokerTtl]));
        Assert.Equal("e7", first.Id);
    }

    [Fact]
    public void Entries_are_per_broker_and_position_and_large_events_are_not_kept()
    {
        var cache = new DecodedEventCache();
        var a = cache.Get("ns/a", Stored(1, "a1"));
        var b = cache.Get("ns/b", Stored(1, "b1")); // same position, another broker
        Assert.Equal(("a1", "b1"), (a.OutgoingEvent.Id, b.OutgoingEvent.Id));
        Assert.Equal("a1", cache.Get("ns/a", Stored(1, "a1")).OutgoingEvent.Id);

        var large = Stored(2, "big", DecodedEventCache.MaxCachedBytes);
        var once = cache.Get("ns/a", large);
        Assert.NotSame(once, cache.Get("ns/a", large));
        Assert.Equal("big", once.OutgoingEvent.Id);
    }

    [Fact]
    public void A_run_of_consecutive_events_as_long_as_the_cache_stays_decoded_for_the_triggers_behind()
    {
        var cache = new DecodedEventCache();
        var first = Enumerable.Range(1, DecodedEventCache.Slots).Select(i => cache.Get("ns/b", Stored(i, "e" + i))).ToList();
        for (var i = 1; i <= DecodedEventCache.Slots; i++)
        {
            Assert.Same(first[i - 1], cache.Get("ns/b", Stored(i, "e" + i))); // a slower trigger reading the same run
        }

        // One more event takes the oldest one's slot: that one is decoded again (same content, new entry).
        cache.Get("ns/b", Stored(1 + DecodedEventCache.Slots, "next"));
        var again = cache.Get("ns/b", Stored(1, "e1"));
        Assert.NotSame(first[0], again);
        Assert.Equal("e1", again.OutgoingEvent.Id);
    }
}
