using System.Net;
using Knative.Orleans.Gateway.Proxy;

namespace Knative.Orleans.Gateway.Tests;

public sealed class ForwardingTransformerTests
{
    [Theory]
    [InlineData("192.0.2.7", "hello.default.example.com", "for=192.0.2.7;host=hello.default.example.com;proto=http")]
    [InlineData("2001:db8::1", "hello.default.example.com:8080", "for=\"[2001:db8::1]\";host=\"hello.default.example.com:8080\";proto=http")]
    [InlineData(null, "", "proto=http")]
    [InlineData("192.0.2.7", "", "for=192.0.2.7;proto=http")]
    [InlineData(null, "hello.default.example.com", "host=hello.default.example.com;proto=http")]
    [InlineData("2001:db8::1", "", "for=\"[2001:db8::1]\";proto=http")]
    public void Forwarded_element_follows_rfc_7239(string? ip, string host, string expected)
    {
        var value = ForwardingHeaders.ForwardedValue(ip is null ? null : IPAddress.Parse(ip), host, "http");
        Assert.Equal(expected, value);
    }
}
