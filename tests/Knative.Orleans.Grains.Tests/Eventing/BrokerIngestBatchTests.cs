using CloudNative.CloudEvents;
using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Contracts.Meta;
using Knative.Orleans.Contracts.Serving;

namespace Knative.Orleans.Grains.Tests.Eventing;

/// <summary><see cref="IBrokerGrain.IngestBatchAsync"/>: all or nothing, in order, delivered like single events.</summary>
[Collection(ClusterCollection.Name)]
public sealed class BrokerIngestBatchTests(ClusterFixture fixture)
{
    private static BrokerEvent Event(string id) => new()
    {
        Mode = EventContentMode.Binary,
        Payload = CloudEventCodec.Encode(new CloudEvent
        {
            Id = id,
            Source = new Uri("/test", UriKind.Relative),
            Type = "batch",
            [EventingNames.BrokerTtl] = "254",
        }),
    };

    private async Task<IBrokerGrain> BrokerAsync(string ns)
    {
        var broker = fixture.Client.GetGrain<IBrokerGrain>(ns + "/default");
        Assert.Equal(ApplyOutcome.Created, (await broker.ApplyAsync(new Broker { Metadata = new ObjectMeta { Name = "default" } }, ApplyMode.Create, "test")).Outcome);
        return broker;
    }

    private async Task<List<string>> StoredIdsAsync(string broker) =>
        (await fixture.EventStore.ReadAsync(broker, 0, 10_000)).Select(e => CloudEventCodec.Decode(e.Event.Payload).Id!).ToList();

    [Fact]
    public async Task A_batch_is_stored_in_one_append_in_order_and_every_event_reaches_the_trigger()
    {
        const string ns = "grain-batch";
        var broker = await BrokerAsync(ns);
        var trigger = fixture.Client.GetGrain<ITriggerGrain>(ns + "/all");
        Assert.True((await trigger.ApplyAsync(new Trigger
        {
            Metadata = new ObjectMeta { Name = "all" },
            Spec = new TriggerSpec { Broker = "default", Subscriber = new Destination { Uri = "http://all.grain-batch/" } },
        }, ApplyMode.Create, "test")).Succeeded);

        var ids = Enumerable.Range(0, 50).Select(i => "b" + i).ToList();
        Assert.Equal(IngestOutcome.Accepted, await broker.IngestBatchAsync(ids.Select(Event).ToArray()));

        Assert.Equal(ids, await StoredIdsAsync(ns + "/default"));
        Assert.Contains((ns + "/default", 50), fixture.EventStore.Batches);
        var head = await fixture.EventStore.GetHeadAsync(ns + "/default");
        await Eventually.Until(trigger.GetCursorAsync, c => c == head, "the trigger's cursor at the head");
        var delivered = fixture.Dispatcher.Requests.Where(r => r.Target.Host == "all." + ns).Select(r => CloudEventCodec.Decode(r.Event.Payload).Id).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), delivered.Order(StringComparer.Ordinal)); // each once (deliveries run in parallel)
    }

    [Fact]
    public async Task A_batch_with_one_event_the_store_refuses_is_not_kept_at_all()
    {
        const string ns = "grain-batch-fail";
        var broker = await BrokerAsync(ns);
        Assert.Equal(IngestOutcome.Accepted, await broker.IngestBatchAsync([Event("before")]));

        fixture.EventStore.Refuse = e => CloudEventCodec.Decode(e.Payload).Id == "poison";
        try
        {
            Assert.Equal(IngestOutcome.StoreUnavailable, await broker.IngestBatchAsync([Event("ok-1"), Event("poison"), Event("ok-2")]));
        }
        finally
        {
            fixture.EventStore.Refuse = null;
        }

        Assert.Equal(IngestOutcome.Accepted, await broker.IngestBatchAsync([Event("after")]));
        Assert.Equal(["before", "after"], await StoredIdsAsync(ns + "/default"));
    }

    [Fact]
    public async Task A_batch_for_a_missing_broker_is_not_found_and_not_stored()
    {
        var broker = fixture.Client.GetGrain<IBrokerGrain>("grain-batch-none/default");
        Assert.Equal(IngestOutcome.BrokerNotFound, await broker.IngestBatchAsync([Event("x"), Event("y")]));
        Assert.Empty(await StoredIdsAsync("grain-batch-none/default"));
    }
}
