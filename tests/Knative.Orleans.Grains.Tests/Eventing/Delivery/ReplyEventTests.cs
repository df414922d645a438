using CloudNative.CloudEvents;
using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Grains.Eventing.Delivery;

namespace Knative.Orleans.Grains.Tests.Eventing.Delivery;

public sealed class ReplyEventTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static BrokerEvent Event(string id, string? ttl, EventContentMode mode = EventContentMode.Binary)
    {
        var ce = new CloudEvent { Id = id, Source = new Uri("/t", UriKind.Relative), Type = "t", [EventingNames.ArrivalTime] = "2020-01-01T00:00:00Z" };
        if (ttl is not null)
        {
            ce[EventingNames.BrokerTtl] = ttl;
        }

        return new BrokerEvent { Mode = mode, Payload = CloudEventCodec.Encode(ce) };
    }

    [Theory]
    [InlineData("254", null, "253")] // the original's TTL is carried over and decremented as at ingress
    [InlineData("254", "9", "253")] // the reply's own TTL is replaced
    [InlineData(null, null, "255")] // no TTL on the original (not through ingress): a fresh budget
    [InlineData("2", "200", "1")]
    public void A_reply_keeps_the_originals_ttl_minus_one_and_gets_a_new_arrival_time(string? original, string? own, string expected)
    {
        var prepared = ReplyEvent.Prepare(Event("r", own, EventContentMode.Structured), Event("o", original), Now);
        Assert.NotNull(prepared);
        Assert.Equal(EventContentMode.Structured, prepared.Mode);
        var ce = CloudEventCodec.Decode(prepared.Payload);
        Assert.Equal("r", ce.Id);
        Assert.Equal(expected, ce[EventingNames.BrokerTtl]);
        Assert.Equal("2026-11-26T12:00:00.0000000Z", ce[EventingNames.ArrivalTime]);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("0")]
    public void A_reply_with_an_exhausted_ttl_is_dropped(string original) =>
        Assert.Null(ReplyEvent.Prepare(Event("r", null), Event("o", original), Now));
}
