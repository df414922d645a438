using CloudNative.CloudEvents;
using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Contracts.Meta;
using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Grains.Tests.Serving;

namespace Knative.Orleans.Grains.Tests.Eventing;

[Collection(ClusterCollection.Name)]
public sealed class DeadLetterSinkRefTests(ClusterFixture fixture)
{
    private static KReference ServiceRef(string name) => new() { ApiVersion = "serving.knative.dev/v1", Kind = "Service", Name = name };

    private static (string? Status, string? Reason, string? Message) Condition(List<Contracts.Conditions.Condition>? conditions, string type) =>
        conditions!.Single(c => c.Type == type) is var c ? (c.Status, c.Reason, c.Message) : default;

    private async Task CreateServiceAsync(string ns, string name)
    {
        var service = ServiceGrainTests.Hello(name) with { Metadata = new ObjectMeta { Name = name, Namespace = ns } };
        Assert.True((await fixture.Client.GetGrain<IServiceGrain>(ns + "/" + name).ApplyAsync(service, ApplyMode.Create, "test")).Succeeded);
    }

    [Fact]
    public async Task A_dead_letter_sink_service_that_does_not_exist_holds_the_event_until_the_service_is_created_which_wakes_the_trigger()
    {
        const string ns = "ev-dlsref";
        fixture.Dispatcher.StatusByHost["sub." + ns] = 500;
        var broker = fixture.Client.GetGrain<IBrokerGrain>(ns + "/default");
        Assert.True((await broker.ApplyAsync(new Broker { Metadata = new ObjectMeta { Name = "default" } }, ApplyMode.Create, "test")).Succeeded);
        var trigger = fixture.Client.GetGrain<ITriggerGrain>(ns + "/t");
        var applied = await trigger.ApplyAsync(new Trigger
        {
            Metadata = new ObjectMeta { Name = "t" },
            Spec = new TriggerSpec
            {
                Broker = "default",
                Subscriber = new Destination { Uri = $"http://sub.{ns}/" },
                Delivery = new DeliverySpec { DeadLetterSink = new Destination { Ref = ServiceRef("sink") } },
            },
        }, ApplyMode.Create, "test");
        Assert.True(applied.Succeeded, applied.Message);
        Assert.Equal(ns, applied.Value!.Spec!.Delivery!.DeadLetterSink!.Ref!.Namespace); // defaulted to the trigger's
        var notFound = $"failed to get object {ns}/sink: services.serving.knative.dev \"sink\" not found";
        Assert.Equal(("False", "Unable to get the dead letter sink's URI", notFound), Condition(applied.Value.Status!.Conditions, "DeadLetterSinkResolved"));
        Assert.Equal(("False", "Unable to get the dead letter sink's URI", notFound), Condition(applied.Value.Status.Conditions, "Ready"));
        Assert.Null(applied.Value.Status.DeadLetterSinkUri);

        Assert.Equal(IngestOutcome.Accepted, await broker.IngestAsync(new BrokerEvent
        {
            Payload = CloudEventCodec.Encode(new CloudEvent { Id = "needs-dls", Source = new Uri("/t", UriKind.Relative), Type = "t" }),
        }));
        var waiters = fixture.Client.GetGrain<IServiceWaitersGrain>(ns);
        await Eventually.Until(() => waiters.GetWaitersAsync("sink"), w => w.Contains(ns + "/t"), "the trigger waits for the sink service");
        Assert.Contains(fixture.Dispatcher.Requests, r => r.Target.Host == "sub." + ns);
        Assert.DoesNotContain(fixture.Dispatcher.Requests, r => r.Host == $"sink.{ns}.example.com");
        var head = await fixture.EventStore.GetHeadAsync(ns + "/default");
        Assert.Equal(head - 1, await trigger.GetCursorAsync()); // not finished: held, not dropped

        await CreateServiceAsync(ns, "sink");

        var dead = await Eventually.Until(() => Task.FromResult(fixture.Dispatcher.Requests.Where(r => r.Host == $"sink.{ns}.example.com").ToList()),
            l => l.Count == 1, "dead-lettered to the service once it exists");
        Assert.Equal(new Uri("http://127.0.0.1:8080/"), dead[0].Target); // through the gateway, with the service host
        Assert.False(dead[0].PreferReply);
        var ce = CloudEventCodec.Decode(dead[0].Event.Payload);
        Assert.Equal(("needs-dls", $"http://sub.{ns}/"), (ce.Id, ce[EventingNames.ErrorDest] as string));
        Assert.Empty(await waiters.GetWaitersAsync("sink")); // woken by the creation
        await Eventually.Until(trigger.GetCursorAsync, c => c == head, "the cursor passes the dead-lettered event");

        var view = (await trigger.GetAsync())!;
        Assert.Equal(("True", null, null), Condition(view.Status!.Conditions, "DeadLetterSinkResolved"));
        Assert.Equal($"http://sink.{ns}.example.com", view.Status.DeadLetterSinkUri);
        Assert.Equal("True", Condition(view.Status.Conditions, "Ready").Status);
    }

    [Fact]
    public async Task A_brokers_dead_letter_sink_ref_is_resolved_into_its_status_and_the_triggers()
    {
        const string ns = "ev-bdlsref";
        var broker = fixture.Client.GetGrain<IBrokerGrain>(ns + "/default");
        var applied = await broker.ApplyAsync(new Broker
        {
            Metadata = new ObjectMeta { Name = "default" },
            Spec = new BrokerSpec { Delivery = new DeliverySpec { DeadLetterSink = new Destination { Ref = ServiceRef("bsink") } } },
        }, ApplyMode.Create, "test");
        Assert.True(applied.Succeeded, applied.Message);
        var notFound = $"failed to get object {ns}/bsink: services.serving.knative.dev \"bsink\" not found";
        Assert.Equal(("False", "Unable to get the dead letter sink's URI", notFound), Condition(applied.Value!.Status!.Conditions, "DeadLetterSinkResolved"));
        Assert.Equal("False", Condition(applied.Value.Status.Conditions, "Ready").Status);
        var trigger = fixture.Client.GetGrain<ITriggerGrain>(ns + "/t");
        Assert.True((await trigger.ApplyAsync(new Trigger
        {
            Metadata = new ObjectMeta { Name = "t" },
            Spec = new TriggerSpec { Broker = "default", Subscriber = new Destination { Uri = $"http://sub.{ns}/" } },
        }, ApplyMode.Create, "test")).Succeeded);
        Assert.Equal("False", Condition((await trigger.GetAsync())!.Status!.Conditions, "DeadLetterSinkResolved").Status);

        await CreateServiceAsync(ns, "bsink");

        var view = (await broker.GetAsync())!;
        Assert.Equal(("True", null, null), Condition(view.Status!.Conditions, "DeadLetterSinkResolved"));
        Assert.Equal("True", Condition(view.Status.Conditions, "Ready").Status);
        Assert.Equal($"http://bsink.{ns}.example.com", view.Status.DeadLetterSinkUri);
        var triggerView = (await trigger.GetAsync())!;
        Assert.Equal($"http://bsink.{ns}.example.com", triggerView.Status!.DeadLetterSinkUri);
        Assert.Equal("True", Condition(triggerView.Status.Conditions, "Ready").Status);
    }
}
