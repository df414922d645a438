using Knative.Orleans.Gateway.Routing;

namespace Knative.Orleans.Gateway.Tests;

public sealed class HostRoutingTests
{
    [Theory]
    [InlineData("hello.default.example.com", "default/hello")]
    [InlineData("Hello.DEFAULT.Example.Com", "default/hello")]
    [InlineData("hello.default.example.com.", "default/hello")]
    [InlineData("a-b.team-1.example.com", "team-1/a-b")]
    public void Maps_name_namespace_domain_to_service_key(string host, string expected)
    {
        Assert.True(HostRouting.TryGetServiceKey(host, "example.com", out var key));
        Assert.Equal(expected, key);
    }

    [Theory]
    [InlineData("example.com")]
    [InlineData("default.example.com")]
    [InlineData("x.hello.default.example.com")]
    [InlineData("hello.default.example.org")]
    [InlineData("hello.defaultexample.com")]
    [InlineData(".default.example.com")]
    [InlineData("hello..example.com")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    [InlineData("")]
    public void Rejects_hosts_outside_the_domain_template(string host)
    {
        Assert.False(HostRouting.TryGetServiceKey(host, "example.com", out var key));
        Assert.Null(key);
    }
}
