using CloudNative.CloudEvents;
using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Contracts.Meta;
using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Grains.Ports;

namespace Knative.Orleans.Grains.Tests.Eventing;

[Collection(ClusterCollection.Name)]
public sealed class TriggerReplyTests(ClusterFixture fixture)
{
    private static BrokerEvent Event(string id, string type, string ttl = "254") => new()
    {
        Mode = EventContentMode.Binary,
        Payload = CloudEventCodec.Encode(new CloudEvent
        {
            Id = id,
            Source = new Uri("/test", UriKind.Relative),
            Type = type,
            [EventingNames.BrokerTtl] = ttl,
        }),
    };

    private static CloudEvent Sent(DispatchRequest request) => CloudEventCodec.Decode(request.Event.Payload);

    /// <summary>Answers an <c>order</c> event with a <c>reply</c> CloudEvent (id "re-{id}") and anything else with an empty 200.</summary>
    private static DispatchResult Replier(DispatchRequest request, int status = 200) => Sent(request) is { Type: "order" } ce
        ? new DispatchResult(status, [], Reply: new BrokerEvent
        {
            Mode = EventContentMode.Structured,
            Payload = CloudEventCodec.Encode(new CloudEvent { Id = "re-" + ce.Id, Source = new Uri("/replier", UriKind.Relative), Type = "reply" }),
        })
        : new DispatchResult(200, []);

    private async Task<IBrokerGrain> BrokerAsync(string ns)
    {
        var broker = fixture.Client.GetGrain<IBrokerGrain>(ns + "/default");
        Assert.True((await broker.ApplyAsync(new Broker { Metadata = new ObjectMeta { Name = "default" } }, ApplyMode.Create, "test")).Succeeded);
        return broker;
    }

    private async Task TriggerAsync(string ns, string name, string host, string? cesql = null, DeliverySpec? delivery = null)
    {
        var spec = new TriggerSpec
        {
            Broker = "default",
            Filters = cesql is null ? null : [new SubscriptionsApiFilter { Cesql = cesql }],
            Subscriber = new Destination { Uri = $"http://{host}/" },
            Delivery = delivery,
        };
        var result = await fixture.Client.GetGrain<ITriggerGrain>(ns + "/" + name)
            .ApplyAsync(new Trigger { Metadata = new ObjectMeta { Name = name }, Spec = spec }, ApplyMode.Create, "test");
        Assert.True(result.Succeeded, result.Message);
    }

    private List<DispatchRequest> To(string host) => fixture.Dispatcher.Requests.Where(r => r.Target.Host == host).ToList();

    [Fact]
    public async Task A_reply_is_a_new_event_of_the_broker_seen_by_every_trigger_including_the_producer()
    {
        const string ns = "reply-basic";
        var broker = await BrokerAsync(ns);
        fixture.Dispatcher.AnswerByHost["replier." + ns] = r => Replier(r);
        await TriggerAsync(ns, "producer", "replier." + ns, "type IN ('order', 'reply')");
        await TriggerAsync(ns, "consumer", "consumer." + ns, "type = 'reply'");

        Assert.Equal(IngestOutcome.Accepted, await broker.IngestAsync(Event("1", "order", ttl: "254")));

        var delivered = await Eventually.Until(() => Task.FromResult(To("consumer." + ns)), l => l.Count == 1, "the reply reaches the consumer");
        var reply = Sent(delivered[0]);
        Assert.Equal("re-1", reply.Id);
        Assert.Equal(EventContentMode.Structured, delivered[0].Event.Mode);
        Assert.Null(reply[EventingNames.BrokerTtl]);
        Assert.NotNull(reply[EventingNames.ArrivalTime]);
        await Eventually.Until(() => Task.FromResult(To("replier." + ns).Select(r => Sent(r).Id).ToList()), ids => ids.SequenceEqual(["1", "re-1"]),
            "the producing trigger also evaluates the reply");

        var stored = await fixture.EventStore.ReadAsync(ns + "/default", 0, 10);
        Assert.Equal("253", CloudEventCodec.Decode(stored[1].Event.Payload)[EventingNames.BrokerTtl]); // carried over, minus one
    }

    [Fact]
    public async Task A_202_never_carries_a_reply_and_an_exhausted_ttl_drops_the_reply_but_not_the_delivery()
    {
        const string ns = "reply-ignored";
        var broker = await BrokerAsync(ns);
        fixture.Dispatcher.AnswerByHost["r202." + ns] = r => Replier(r, 202);
        fixture.Dispatcher.AnswerByHost["replier." + ns] = r => Replier(r);
        await TriggerAsync(ns, "accepted", "r202." + ns, "type = 'order' AND id = 'a'");
        await TriggerAsync(ns, "ttl", "replier." + ns, "type = 'order' AND id = 'b'",
            new DeliverySpec { Retry = 1, DeadLetterSink = new Destination { Uri = "http://dls." + ns + "/" } });

        Assert.Equal(IngestOutcome.Accepted, await broker.IngestAsync(Event("a", "order")));
        Assert.Equal(IngestOutcome.Accepted, await broker.IngestAsync(Event("b", "order", ttl: "1")));
        var head = await fixture.EventStore.GetHeadAsync(ns + "/default");
        await Eventually.Until(async () => (await fixture.Client.GetGrain<ITriggerGrain>(ns + "/accepted").GetCursorAsync(),
            await fixture.Client.GetGrain<ITriggerGrain>(ns + "/ttl").GetCursorAsync()), c => c.Item1 == head && c.Item2 == head, "both done");

        Assert.Equal(2, (await fixture.EventStore.ReadAsync(ns + "/default", 0, 10)).Count); // no reply stored
        Assert.Single(To("r202." + ns));
        Assert.Single(To("replier." + ns)); // succeeded at once
        Assert.Empty(To("dls." + ns));
    }

    [Fact]
    public async Task A_2xx_body_that_is_not_a_cloudevent_fails_like_a_502_and_is_dead_lettered()
    {
        const string ns = "reply-bad";
        var broker = await BrokerAsync(ns);
        fixture.Dispatcher.AnswerByHost["bad." + ns] = _ => new DispatchResult(200, "hello"u8.ToArray(), ReplyError: "not a CloudEvent");
        await TriggerAsync(ns, "bad", "bad." + ns,
            delivery: new DeliverySpec { Retry = 2, DeadLetterSink = new Destination { Uri = "http://dls." + ns + "/" } });

        Assert.Equal(IngestOutcome.Accepted, await broker.IngestAsync(Event("1", "order")));

        var dead = await Eventually.Until(() => Task.FromResult(To("dls." + ns)), l => l.Count == 1, "dead-lettered");
        Assert.Equal(3, To("bad." + ns).Count);
        var ce = Sent(dead[0]);
        Assert.Equal("502", Convert.ToString(ce[EventingNames.ErrorCode], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("http://bad.reply-bad/", ce[EventingNames.ErrorDest]);
        Assert.Equal(Convert.ToBase64String("hello"u8.ToArray()), ce[EventingNames.ErrorData]);
    }

    [Fact]
    public async Task A_reply_that_cannot_be_stored_fails_the_delivery_which_is_retried_then_dead_lettered_to_the_reply_url()
    {
        const string ns = "reply-store";
        var broker = await BrokerAsync(ns);
        fixture.Dispatcher.AnswerByHost["replier." + ns] = r => Replier(r);
        await TriggerAsync(ns, "retried", "replier." + ns, "type = 'order' AND id = '1'", new DeliverySpec { Retry = 20, BackoffDelay = "PT1S", BackoffPolicy = "linear" });
        await TriggerAsync(ns, "dead", "replier." + ns, "type = 'order' AND id = '2'",
            new DeliverySpec { Retry = 1, DeadLetterSink = new Destination { Uri = "http://dls." + ns + "/" } });
        await TriggerAsync(ns, "consumer", "consumer." + ns, "type = 'reply'");

        fixture.EventStore.Refuse = e => CloudEventCodec.Decode(e.Payload).Id!.StartsWith("re-", StringComparison.Ordinal);
        try
        {
            Assert.Equal(IngestOutcome.Accepted, await broker.IngestAsync(Event("1", "order")));
            Assert.Equal(IngestOutcome.Accepted, await broker.IngestAsync(Event("2", "order")));
        }
        catch
        {
            fixture.EventStore.Refuse = null;
            throw;
        }

        try
        {
            var dead = await Eventually.Until(() => Task.FromResult(To("dls." + ns)), l => l.Count == 1, "event 2 dead-lettered");
            var ce = Sent(dead[0]);
            Assert.Equal("2", ce.Id);
            Assert.Equal("503", Convert.ToString(ce[EventingNames.ErrorCode], System.Globalization.CultureInfo.InvariantCulture));
            Assert.EndsWith("/" + ns + "/default", (string)ce[EventingNames.ErrorDest]!, StringComparison.Ordinal);
            await Eventually.Until(() => Task.FromResult(To("replier." + ns).Count(r => Sent(r).Id == "1")), n => n >= 2, "event 1 retried",
                before: () => fixture.Time.Advance(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            fixture.EventStore.Refuse = null;
        }

        var delivered = await Eventually.Until(() => Task.FromResult(To("consumer." + ns)), l => l.Count >= 1, "the stored reply reaches the consumer",
            before: () => fixture.Time.Advance(TimeSpan.FromSeconds(30)));
        Assert.All(delivered, r => Assert.Equal("re-1", Sent(r).Id));
    }
}
