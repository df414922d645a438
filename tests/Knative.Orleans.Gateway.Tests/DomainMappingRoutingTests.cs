using System.Net;
using Knative.Orleans.Contracts.Routing;
using Knative.Orleans.Gateway.Routing;
using Knative.Orleans.Gateway.Tests.Fakes;
using Knative.Orleans.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Knative.Orleans.Gateway.Tests;

/// <summary>A DomainMapping's host is routed like its service's main host; unmapped hosts stay the platform's.</summary>
public sealed class DomainMappingRoutingTests : IAsyncLifetime
{
    private readonly FakeRoutingSource _source = new();
    private readonly FakeTimeProvider _time = new();
    private TestBackend _backend = null!;
    private GatewayHost _gateway = null!;

    public async Task InitializeAsync()
    {
        _backend = await TestBackend.StartAsync("mapped");
        _source.AddService("shop", "web", [("web-00001", 100)]);
        _source.SetEndpoints("shop/web-00001", 1, [_backend.Url]);
        _gateway = await GatewayHost.StartAsync(_source, s => s.AddSingleton<TimeProvider>(_time));
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _backend.DisposeAsync();
    }

    [Fact]
    public async Task A_mapped_host_reaches_the_service_with_its_host_kept()
    {
        _source.SetDomainMapping("shop.example.org", "shop/web", 1);

        using var response = await _gateway.SendAsync("Shop.Example.org.", "/cart?x=1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = await TestBackend.Echo.ReadAsync(response);
        Assert.Equal("mapped", echo.Backend);
        Assert.Equal("/cart", echo.Path);
        Assert.Equal("Shop.Example.org.", echo.Header("Host"));
    }

    [Fact]
    public async Task An_unmapped_host_is_the_platforms_and_is_remembered_until_a_push_or_the_ttl()
    {
        using (var health = await _gateway.SendAsync("other.example.org", "/healthz"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        using (var unknown = await _gateway.SendAsync("other.example.org", "/"))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        Assert.Equal(1, _source.GetDomainMappingCalls); // the second request used the remembered answer

        // A push maps it at once.
        var cache = _gateway.Get<RouteCache>();
        cache.ApplyDomainMapping(_source.SetDomainMapping("other.example.org", "shop/web", 2));
        using (var mapped = await _gateway.SendAsync("other.example.org", "/"))
        {
            Assert.Equal(HttpStatusCode.OK, mapped.StatusCode);
        }

        // Released: 404 again, without waiting for anything.
        cache.ApplyDomainMapping(_source.SetDomainMapping("other.example.org", null, 3));
        using (var released = await _gateway.SendAsync("other.example.org", "/"))
        {
            Assert.Equal(HttpStatusCode.NotFound, released.StatusCode);
        }

        // An older push never wins over a newer one.
        cache.ApplyDomainMapping(new DomainMappingSnapshot { Host = "other.example.org", Version = 2, Exists = true, ServiceKey = "shop/web" });
        using (var stale = await _gateway.SendAsync("other.example.org", "/"))
        {
            Assert.Equal(HttpStatusCode.NotFound, stale.StatusCode);
        }

        // Past the TTL an unmapped host is asked again.
        var calls = _source.GetDomainMappingCalls;
        _time.Advance(RouteCache.UnmappedHostTtl + TimeSpan.FromSeconds(1));
        using (var again = await _gateway.SendAsync("other.example.org", "/"))
        {
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        }

        Assert.Equal(calls + 1, _source.GetDomainMappingCalls);
    }

    [Fact]
    public async Task A_mapping_to_a_missing_service_answers_404()
    {
        _source.SetDomainMapping("gone.example.org", "shop/nope", 1);
        using var response = await _gateway.SendAsync("gone.example.org");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("localhost", false)]
    [InlineData("[::1]", false)]
    [InlineData("::1", false)]
    [InlineData("shop.example.org", true)]
    [InlineData("shop.example.org.", true)]
    [InlineData("a.b", true)]
    public void Only_domain_names_are_looked_up(string host, bool expected) =>
        Assert.Equal(expected, HostRouting.IsDomainMappingCandidate(host));
}
