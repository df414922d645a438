using CloudNative.CloudEvents;
using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Contracts.Meta;
using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Grains.Tests.Serving;

namespace Knative.Orleans.Grains.Tests.Eventing;

[Collection(ClusterCollection.Name)]
public sealed class TriggerServiceRefTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_service_ref_waits_until_the_service_exists_then_delivers_through_the_gateway_with_the_service_host()
    {
        const string ns = "ev-ref";
        var broker = fixture.Client.GetGrain<IBrokerGrain>(ns + "/default");
        Assert.True((await broker.ApplyAsync(new Broker { Metadata = new ObjectMeta { Name = "default" } }, ApplyMode.Create, "test")).Succeeded);
        var trigger = fixture.Client.GetGrain<ITriggerGrain>(ns + "/to-svc");
        var applied = await trigger.ApplyAsync(new Trigger
        {
            Metadata = new ObjectMeta { Name = "to-svc" },
            Spec = new TriggerSpec
            {
                Broker = "default",
                Subscriber = new Destination { Ref = new KReference { ApiVersion = "serving.knative.dev/v1", Kind = "Service", Name = "hello" }, Uri = "/echo" },
            },
        }, ApplyMode.Create, "test");
        Assert.True(applied.Succeeded, applied.Message);
        Assert.Equal(ns, applied.Value!.Spec!.Subscriber!.Ref!.Namespace); // defaulted to the trigger's

        var view = (await trigger.GetAsync())!;
        var resolved = view.Status!.Conditions!.Single(c => c.Type == "SubscriberResolved");
        Assert.Equal(("False", "Unable to get the Subscriber's URI"), (resolved.Status, resolved.Reason));
        Assert.Equal($"failed to get object {ns}/hello: services.serving.knative.dev \"hello\" not found", resolved.Message);
        Assert.Equal("False", view.Status.Conditions!.Single(c => c.Type == "Ready").Status);
        Assert.Null(view.Status.SubscriberUri);

        Assert.Equal(IngestOutcome.Accepted, await broker.IngestAsync(new BrokerEvent
        {
            Payload = CloudEventCodec.Encode(new CloudEvent { Id = "1", Source = new Uri("/t", UriKind.Relative), Type = "t" }),
        }));
        var waiters = fixture.Client.GetGrain<IServiceWaitersGrain>(ns);
        await Eventually.Until(() => waiters.GetWaitersAsync("hello"), w => w.Contains(ns + "/to-svc"), "the trigger waits for the service");
        Assert.DoesNotContain(fixture.Dispatcher.Requests, r => r.Host?.EndsWith(ns + ".example.com", StringComparison.Ordinal) == true);
        Assert.Equal(0, await trigger.GetCursorAsync() - (await fixture.EventStore.GetHeadAsync(ns + "/default") - 1)); // still before the event

        var service = ServiceGrainTests.Hello("hello") with { Metadata = new ObjectMeta { Name = "hello", Namespace = ns } };
        Assert.True((await fixture.Client.GetGrain<IServiceGrain>(ns + "/hello").ApplyAsync(service, ApplyMode.Create, "test")).Succeeded);

        var sent = await Eventually.Until(() => Task.FromResult(fixture.Dispatcher.Requests.Where(r => r.Host == $"hello.{ns}.example.com").ToList()),
            l => l.Count == 1, "delivered to the service");
        Assert.Equal(new Uri("http://127.0.0.1:8080/echo"), sent[0].Target);
        Assert.Empty(await waiters.GetWaitersAsync("hello")); // woken by the service's creation
        view = (await trigger.GetAsync())!;
        Assert.Equal($"http://hello.{ns}.example.com/echo", view.Status!.SubscriberUri);
        Assert.Equal("True", view.Status.Conditions!.Single(c => c.Type == "Ready").Status);
    }
}
