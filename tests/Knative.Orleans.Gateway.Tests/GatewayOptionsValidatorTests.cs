namespace Knative.Orleans.Gateway.Tests;

public sealed class GatewayOptionsValidatorTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8080")]
    [InlineData("http://127.0.0.1:8080/")]
    [InlineData("http://localhost:80")]
    [InlineData("http://*:8080")]
    [InlineData("http://[::1]:8080")]
    public void Accepts_absolute_http_urls_with_a_port(string url)
    {
        var result = new GatewayOptionsValidator().Validate(null, new GatewayOptions { Url = url });
        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData("http://127.0.0.1")]
    [InlineData("https://127.0.0.1:8443")]
    [InlineData("127.0.0.1:8080")]
    [InlineData("http://127.0.0.1:0")]
    [InlineData("http://127.0.0.1:70000")]
    [InlineData("http://[::1]")]
    [InlineData("http://127.0.0.1:8080/prefix")]
    [InlineData("http://:8080")]
    [InlineData("")]
    public void Rejects_urls_without_an_explicit_http_port(string url)
    {
        var result = new GatewayOptionsValidator().Validate(null, new GatewayOptions { Url = url });
        Assert.True(result.Failed);
        Assert.Contains($"Gateway:Url = '{url}'", result.FailureMessage);
    }

    [Fact]
    public void Reports_every_error_with_key_and_value()
    {
        var result = new GatewayOptionsValidator().Validate(null, new GatewayOptions
        {
            Url = "http://x",
            Domain = ".example.com",
            SubscriptionRenewalPeriod = TimeSpan.Zero,
            WaitForReadyInterval = TimeSpan.FromMilliseconds(10),
            MaxQueuedPerRevision = 0,
        });

        Assert.Equal(5, result.Failures!.Count());
        Assert.Contains("Gateway:MaxQueuedPerRevision = 0, must be in [1; 1000000]", result.FailureMessage);
        Assert.Contains("Serving:Domain = '.example.com'", result.FailureMessage);
        Assert.Contains("Gateway:SubscriptionRenewalPeriod = 00:00:00, must be in (0; 5m]", result.FailureMessage);
        Assert.Contains("Gateway:WaitForReadyInterval = 00:00:00.0100000, must be in [1s; 10m]", result.FailureMessage);
    }

    [Fact]
    public void Defaults_are_valid()
    {
        var options = new GatewayOptions();
        Assert.True(new GatewayOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(8080, options.Port);
        Assert.Equal("example.com", options.Domain);
        Assert.Equal(10_000, options.MaxQueuedPerRevision);
    }

    [Theory]
    [InlineData("Enabled", true)]
    [InlineData("enabled", true)]
    [InlineData("Disabled", false)]
    public void Tag_header_based_routing_accepts_enabled_and_disabled(string value, bool enabled)
    {
        var options = new GatewayOptions { TagHeaderBasedRouting = value };
        Assert.True(new GatewayOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(enabled, options.TagHeaderBasedRoutingEnabled);
        Assert.False(new GatewayOptions().TagHeaderBasedRoutingEnabled);
    }

    [Fact]
    public void Tag_header_based_routing_rejects_other_values()
    {
        var result = new GatewayOptionsValidator().Validate(null, new GatewayOptions { TagHeaderBasedRouting = "Allowed" });
        Assert.True(result.Failed);
        Assert.Contains("Serving:TagHeaderBasedRouting = 'Allowed', must be Enabled or Disabled", result.FailureMessage);
    }

    [Theory]
    [InlineData("Direct", true)]
    [InlineData("direct", true)]
    [InlineData("Yarp", false)]
    public void Forwarder_accepts_direct_and_yarp(string value, bool direct)
    {
        var options = new GatewayOptions { Forwarder = value };
        Assert.True(new GatewayOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(direct, options.DirectForwarding);
        Assert.True(new GatewayOptions().DirectForwarding);
    }

    [Fact]
    public void Forwarder_rejects_other_values()
    {
        var result = new GatewayOptionsValidator().Validate(null, new GatewayOptions { Forwarder = "Nginx" });
        Assert.True(result.Failed);
        Assert.Contains("Gateway:Forwarder = 'Nginx', must be Direct or Yarp", result.FailureMessage);
    }
}
