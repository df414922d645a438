using CloudNative.CloudEvents;
using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Contracts.Meta;
using Knative.Orleans.Contracts.Serving;

namespace Knative.Orleans.Grains.Tests.Eventing;

[Collection(ClusterCollection.Name)]
public sealed class TriggerGrainTests(ClusterFixture fixture)
{
    private static BrokerEvent Event(string id, string type) => new()
    {
        Mode = EventContentMode.Binary,
        Payload = CloudEventCodec.Encode(new CloudEvent
        {
            Id = id,
            Source = new Uri("/test", UriKind.Relative),
            Type = type,
            DataContentType = "text/plain",
            Data = "hello"u8.ToArray(),
            [EventingNames.BrokerTtl] = "254",
        }),
    };

    private async Task<ITriggerGrain> TriggerAsync(string ns, string name, TriggerSpec spec)
    {
        var grain = fixture.Client.GetGrain<ITriggerGrain>(ns + "/" + name);
        var result = await grain.ApplyAsync(new Trigger { Metadata = new ObjectMeta { Name = name }, Spec = spec }, ApplyMode.Create, "test");
        Assert.True(result.Succeeded, result.Message);
        return grain;
    }

    private async Task<IBrokerGrain> BrokerAsync(string ns)
    {
        var broker = fixture.Client.GetGrain<IBrokerGrain>(ns + "/default");
        Assert.Equal(ApplyOutcome.Created, (await broker.ApplyAsync(new Broker { Metadata = new ObjectMeta { Name = "default" } }, ApplyMode.Create, "test")).Outcome);
        return broker;
    }

    [Fact]
    public async Task Matching_events_are_delivered_failing_ones_retried_then_dead_lettered_and_cursors_advance()
    {
        const string ns = "grain-delivery";
        var broker = await BrokerAsync(ns);
        fixture.Dispatcher.StatusByHost["bad.grain-delivery"] = 503;
        var ok = await TriggerAsync(ns, "ok", new TriggerSpec
        {
            Broker = "default",
            Filters = [new SubscriptionsApiFilter { Exact = new() { ["type"] = "a" } }],
            Subscriber = new Destination { Uri = "http://ok.grain-delivery/" },
        });
        var bad = await TriggerAsync(ns, "bad", new TriggerSpec
        {
            Broker = "default",
            Subscriber = new Destination { Uri = "http://bad.grain-delivery/x" },
            Delivery = new DeliverySpec { Retry = 2, DeadLetterSink = new Destination { Uri = "http://dls.grain-delivery/" } },
        });

        Assert.Equal(IngestOutcome.Accepted, await broker.IngestAsync(Event("1", "a")));
        Assert.Equal(IngestOutcome.Accepted, await broker.IngestAsync(Event("2", "b")));

        var head = await fixture.EventStore.GetHeadAsync(ns + "/default");
        await Eventually.Until(async () => (await ok.GetCursorAsync(), await bad.GetCursorAsync()), c => c.Item1 == head && c.Item2 == head, "both cursors at the head");
        var requests = fixture.Dispatcher.Requests.Where(r => r.Target.Host.EndsWith(ns, StringComparison.Ordinal)).ToList();

        var delivered = Assert.Single(requests, r => r.Target.Host == "ok." + ns);
        Assert.True(delivered.PreferReply);
        Assert.Equal(ns, delivered.Namespace);
        var sent = CloudEventCodec.Decode(delivered.Event.Payload);
        Assert.Equal("1", sent.Id);
        Assert.Null(sent[EventingNames.BrokerTtl]); // the TTL never leaves the broker

        Assert.Equal(6, requests.Count(r => r.Target.Host == "bad." + ns)); // 2 events x (1 + 2 retries)
        var dead = requests.Where(r => r.Target.Host == "dls." + ns).Select(r => CloudEventCodec.Decode(r.Event.Payload)).ToList();
        Assert.Equal(["1", "2"], dead.Select(d => d.Id).Order());
        Assert.All(dead, d =>
        {
            Assert.Equal("503", Convert.ToString(d[EventingNames.ErrorCode], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal("http://bad.grain-delivery/x", d[EventingNames.ErrorDest]);
            Assert.Equal(Convert.ToBase64String("nope"u8.ToArray()), d[EventingNames.ErrorData]);
        });
        Assert.All(requests.Where(r => r.Target.Host == "dls." + ns), r => Assert.False(r.PreferReply));
    }

    [Fact]
    public async Task A_trigger_told_the_new_head_reads_up_to_it_without_a_read_that_finds_nothing()
    {
        const string ns = "grain-head";
        var broker = await BrokerAsync(ns);
        var trigger = await TriggerAsync(ns, "t", new TriggerSpec { Broker = "default", Subscriber = new Destination { Uri = "http://t.grain-head/" } });
        var started = DateTimeOffset.UtcNow;
        var emptyBefore = fixture.EventStore.EmptyReadsByBroker.GetValueOrDefault(ns + "/default");

        const int events = 20;
        for (var i = 0; i < events; i++)
        {
            Assert.Equal(IngestOutcome.Accepted, await broker.IngestAsync(Event("h" + i, "a")));
            var head = await fixture.EventStore.GetHeadAsync(ns + "/default");
            await Eventually.Until(trigger.GetCursorAsync, c => c == head, "the cursor at the head");
        }

        // Each append is read once and the loop stops there: only a wake-up that is not an append (the trigger's apply and
        // its resync timer, every ResyncPeriod = 10 s) reads until a read is empty. Reading until empty after every
        // append would make 20 empty reads here.
        var emptyReads = fixture.EventStore.EmptyReadsByBroker.GetValueOrDefault(ns + "/default") - emptyBefore;
        var resyncs = 2 + (int)((DateTimeOffset.UtcNow - started) / TimeSpan.FromSeconds(10));
        Assert.InRange(emptyReads, 0, resyncs);
        Assert.Equal(events, fixture.Dispatcher.Requests.Count(r => r.Target.Host == "t." + ns));
    }

    [Fact]
    public async Task Ingest_answers_not_found_for_a_missing_broker()
    {
        Assert.Equal(IngestOutcome.BrokerNotFound, await fixture.Client.GetGrain<IBrokerGrain>("grain-ingest/none").IngestAsync(Event("1", "a")));
        var trigger = await TriggerAsync("grain-ingest", "early", new TriggerSpec { Broker = "none", Subscriber = new Destination { Uri = "http://x.grain-ingest/" } });
        var view = await trigger.GetAsync();
        Assert.Equal("False", view!.Status!.Conditions!.Single(c => c.Type == "Ready").Status);
        Assert.Equal("BrokerDoesNotExist", view.Status.Conditions!.Single(c => c.Type == "BrokerReady").Reason);
    }

    [Fact]
    public async Task A_trigger_added_or_removed_while_events_flow_is_woken_or_left_alone_from_then_on()
    {
        // The broker keeps its triggers' references between commit groups: a trigger added after events were already
        // announced must be woken for the next ones (triggers do not poll: without the wake-up it would never deliver),
        // and the list follows a deletion too.
        const string ns = "grain-added";
        var broker = await BrokerAsync(ns);
        var first = await TriggerAsync(ns, "first", new TriggerSpec { Broker = "default", Subscriber = new Destination { Uri = "http://first.grain-added/" } });
        Assert.Equal(IngestOutcome.Accepted, await broker.IngestAsync(Event("1", "a")));
        await Eventually.Until(() => Task.FromResult(Delivered("first")), ids => ids.SequenceEqual(["1"]), "event 1 at the first trigger");

        var second = await TriggerAsync(ns, "second", new TriggerSpec { Broker = "default", Subscriber = new Destination { Uri = "http://second.grain-added/" } });
        Assert.Equal(IngestOutcome.Accepted, await broker.IngestAsync(Event("2", "a")));
        await Eventually.Until(() => Task.FromResult(Delivered("second")), ids => ids.SequenceEqual(["2"]), "event 2 at the trigger added after event 1");
        await Eventually.Until(() => Task.FromResult(Delivered("first")), ids => ids.SequenceEqual(["1", "2"]), "event 2 at the first trigger");

        Assert.True(await first.DeleteAsync());
        Assert.Equal(IngestOutcome.Accepted, await broker.IngestAsync(Event("3", "a")));
        await Eventually.Until(() => Task.FromResult(Delivered("second")), ids => ids.SequenceEqual(["2", "3"]), "event 3 at the remaining trigger");
        Assert.Equal(["1", "2"], Delivered("first"));
        await second.DeleteAsync();

        List<string> Delivered(string host) => [.. fixture.Dispatcher.Requests
            .Where(r => r.Target.Host == host + "." + ns)
            .Select(r => CloudEventCodec.Decode(r.Event.Payload).Id!)];
    }
}
