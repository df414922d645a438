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

    [Theory]
    [InlineData("hello.default.example.com", "default", "hello")]
    [InlineData("One-Hello.Team-1.example.com.", "team-1", "one-hello")]
    [InlineData("a-b-c.ns.example.com", "ns", "a-b-c")]
    public void Parses_the_first_label_and_the_namespace(string host, string ns, string label)
    {
        Assert.True(HostRouting.TryParse(host, "example.com", out var parsedNs, out var parsedLabel));
        Assert.Equal((ns, label), (parsedNs, parsedLabel));
    }

    [Theory]
    [InlineData("hello", "")]
    [InlineData("a-b", "a|b")]
    [InlineData("a-b-c", "a|b-c;a-b|c")]
    [InlineData("blue-my-svc", "blue|my-svc;blue-my|svc")]
    [InlineData("-a", "")]
    [InlineData("a-", "")]
    [InlineData("a--b", "")]
    [InlineData("a--b-c", "a--b|c")]
    public void Tag_candidates_split_at_each_dash_from_the_left(string label, string expected)
    {
        var candidates = string.Join(';', HostRouting.TagCandidates(label).Select(c => $"{c.Tag}|{c.Service}"));
        Assert.Equal(expected, candidates);
    }
}
