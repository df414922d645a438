using CloudNative.CloudEvents;
using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Contracts.Meta;
using Knative.Orleans.Contracts.Serving;

namespace Knative.Orleans.Grains.Tests.Eventing;

[Collection(ClusterCollection.Name)]
public sealed class BrokerStatusTests(ClusterFixture fixture)
{
    private static BrokerEvent Event(string id) => new()
    {
        Payload = CloudEventCodec.Encode(new CloudEvent { Id = id, Source = new Uri("/t", UriKind.Relative), Type = "t" }),
    };

    private static (string? Status, string? Reason, string? Message) Condition(Broker broker, string type) =>
        broker.Status!.Conditions!.Single(c => c.Type == type) is var c ? (c.Status, c.Reason, c.Message) : default;

    [Fact]
    public async Task A_broker_whose_store_fails_shows_TriggerChannelReady_and_Ready_False_and_recovers_when_the_store_works()
    {
        const string key = "br-status/default";
        var broker = fixture.Client.GetGrain<IBrokerGrain>(key);
        Assert.True((await broker.ApplyAsync(new Broker { Metadata = new ObjectMeta { Name = "default" } }, ApplyMode.Create, "test")).Succeeded);
        var view = (await broker.GetAsync())!;
        Assert.Equal("True", Condition(view, "TriggerChannelReady").Status);
        Assert.Equal("True", Condition(view, "Ready").Status);

        fixture.EventStore.Down[key] = true;
        try
        {
            Assert.Equal(IngestOutcome.StoreUnavailable, await broker.IngestAsync(Event("lost")));
            view = (await broker.GetAsync())!;
            Assert.Equal(("False", "ChannelNotReady", "the event store is unavailable: store down"), Condition(view, "TriggerChannelReady"));
            Assert.Equal(("False", "ChannelNotReady", "the event store is unavailable: store down"), Condition(view, "Ready"));
            Assert.Equal("True", Condition(view, "IngressReady").Status);
        }
        finally
        {
            fixture.EventStore.Down.TryRemove(key, out _);
        }

        view = (await broker.GetAsync())!; // the status read probes the store: it answers again
        Assert.Equal(("True", null, null), Condition(view, "TriggerChannelReady"));
        Assert.Equal("True", Condition(view, "Ready").Status);
        Assert.Equal(IngestOutcome.Accepted, await broker.IngestAsync(Event("kept")));
    }

    [Fact]
    public async Task An_accepted_event_clears_a_store_failure()
    {
        const string key = "br-status2/default";
        var broker = fixture.Client.GetGrain<IBrokerGrain>(key);
        Assert.True((await broker.ApplyAsync(new Broker { Metadata = new ObjectMeta { Name = "default" } }, ApplyMode.Create, "test")).Succeeded);
        fixture.EventStore.Down[key] = true;
        Assert.Equal(IngestOutcome.StoreUnavailable, await broker.IngestAsync(Event("lost")));
        fixture.EventStore.Down.TryRemove(key, out _);
        Assert.Equal(IngestOutcome.Accepted, await broker.IngestAsync(Event("kept")));
        fixture.EventStore.Down[key] = true; // a probe would fail now: only the accepted event cleared the failure
        try
        {
            Assert.Equal("True", Condition((await broker.GetAsync())!, "Ready").Status);
        }
        finally
        {
            fixture.EventStore.Down.TryRemove(key, out _);
        }
    }
}
