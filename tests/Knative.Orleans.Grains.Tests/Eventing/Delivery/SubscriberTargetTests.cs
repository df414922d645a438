using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Grains.Eventing.Delivery;

namespace Knative.Orleans.Grains.Tests.Eventing.Delivery;

public sealed class SubscriberTargetTests
{
    private static KReference Service(string name, string? ns = null) => new() { ApiVersion = "serving.knative.dev/v1", Kind = "Service", Name = name, Namespace = ns };

    [Fact]
    public void A_uri_is_used_as_is()
    {
        var target = SubscriberTarget.Resolve(new Destination { Uri = "http://127.0.0.1:9/x" }, "ns", "example.com", "http://127.0.0.1:8080");
        Assert.Equal(new SubscriberTarget(new Uri("http://127.0.0.1:9/x"), new Uri("http://127.0.0.1:9/x"), null, "http://127.0.0.1:9/x"), target);
    }

    [Fact]
    public void A_service_ref_is_delivered_through_the_gateway_with_the_service_host()
    {
        var target = SubscriberTarget.Resolve(new Destination { Ref = Service("hello") }, "ns", "example.com", "http://127.0.0.1:8080/");
        Assert.Equal("http://hello.ns.example.com", target.Display);
        Assert.Equal(new Uri("http://127.0.0.1:8080/"), target.Target);
        Assert.Equal("hello.ns.example.com", target.Host);
    }

    [Fact]
    public void A_uri_beside_a_ref_is_resolved_against_the_services_url()
    {
        var target = SubscriberTarget.Resolve(new Destination { Ref = Service("hello", "other"), Uri = "/echo?a=1" }, "ns", "kn.local", "http://gw:81");
        Assert.Equal("http://hello.other.kn.local/echo?a=1", target.Display);
        Assert.Equal(new Uri("http://gw:81/echo?a=1"), target.Target);
        Assert.Equal("hello.other.kn.local", target.Host);
    }
}
