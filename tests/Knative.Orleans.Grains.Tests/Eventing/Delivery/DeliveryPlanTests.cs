using System.Text;
using CloudNative.CloudEvents;
using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Grains.Eventing.Delivery;

namespace Knative.Orleans.Grains.Tests.Eventing.Delivery;

public sealed class DeliveryPlanTests
{
    [Fact]
    public void A_trigger_delivery_replaces_the_brokers_as_a_whole()
    {
        var broker = new DeliverySpec { Retry = 10, BackoffDelay = "PT0.2S", DeadLetterSink = new Destination { Uri = "http://dls/" } };
        var plan = DeliveryPlan.Resolve(new DeliverySpec { Timeout = "PT2S" }, broker);
        Assert.Equal(new DeliveryPlan(0, null, TimeSpan.Zero, TimeSpan.FromSeconds(2), null), plan);
        Assert.Equal(new DeliveryPlan(10, null, TimeSpan.FromSeconds(0.2), DeliveryPlan.DefaultTimeout, new Destination { Uri = "http://dls/" }),
            DeliveryPlan.Resolve(null, broker));
    }

    [Fact]
    public void Dead_letter_extensions_carry_dest_code_and_cut_base64_body()
    {
        var ce = new CloudEvent { Id = "1", Source = new Uri("/s", UriKind.Relative), Type = "t", Data = Encoding.UTF8.GetBytes("x"), DataContentType = "text/plain" };
        var body = new byte[2000];
        var decorated = DeadLetter.Decorate(ce, EventContentMode.Binary, new Uri("http://sub/x"), new DispatchOutcome(503, body));
        Assert.Equal(EventContentMode.Binary, decorated.Mode);
        var dead = CloudEventCodec.Decode(decorated.Payload);
        Assert.Equal("http://sub/x", dead[EventingNames.ErrorDest]);
        Assert.Equal("503", Convert.ToString(dead[EventingNames.ErrorCode], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1024, ((string)dead[EventingNames.ErrorData]!).Length);
        Assert.Equal("x", Encoding.UTF8.GetString((byte[])dead.Data!));

        var noResponse = CloudEventCodec.Decode(DeadLetter.Decorate(new CloudEvent { Id = "2", Source = new Uri("/s", UriKind.Relative), Type = "t" },
            EventContentMode.Structured, new Uri("http://sub/x"), new DispatchOutcome(0, [])).Payload);
        Assert.Equal("500", Convert.ToString(noResponse[EventingNames.ErrorCode], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Null(noResponse[EventingNames.ErrorData]);
    }
}
