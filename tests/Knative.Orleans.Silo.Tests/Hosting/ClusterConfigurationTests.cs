using System.Net;
using Knative.Orleans.Silo.Hosting;
using Microsoft.Extensions.Configuration;

namespace Knative.Orleans.Silo.Tests.Hosting;

/// <summary>The clustered-mode keys: defaults, parsing and the errors reported at start.</summary>
public sealed class ClusterConfigurationTests
{
    [Fact]
    public void Without_Redis_the_platform_stays_embedded_with_the_default_failure_detection()
    {
        var config = Read();
        Assert.False(config.Clustered);
        Assert.Null(config.RedisConnectionString);
        Assert.True(config.GatewayEnabled);
        Assert.True(config.InlineScheduling);
        Assert.Equal(IPAddress.Loopback, config.AdvertisedIp);
        Assert.Equal(new FailureDetection { ProbeTimeout = TimeSpan.FromSeconds(2), NumMissedProbesLimit = 2, NumVotesForDeathDeclaration = 2 },
            config.FailureDetection);
    }

    [Fact]
    public void Clustered_keys_are_read()
    {
        var config = Read(
            ("Redis:ConnectionString", "10.0.0.9:6379,password=x"),
            ("Gateway:Enabled", "false"),
            ("Gateway:InlineScheduling", "false"),
            ("Cluster:AdvertisedIp", "10.0.0.5"),
            ("Cluster:ProbeTimeout", "00:00:03"),
            ("Cluster:NumMissedProbesLimit", "3"),
            ("Cluster:NumVotesForDeathDeclaration", "1"),
            ("Gateway:Url", "http://127.0.0.1:8081")); // same port as the admin URL: fine without a gateway
        Assert.True(config.Clustered);
        Assert.Equal("10.0.0.9:6379,password=x", config.RedisConnectionString);
        Assert.False(config.GatewayEnabled);
        Assert.False(config.InlineScheduling);
        Assert.Equal(IPAddress.Parse("10.0.0.5"), config.AdvertisedIp);
        Assert.Equal(new FailureDetection { ProbeTimeout = TimeSpan.FromSeconds(3), NumMissedProbesLimit = 3, NumVotesForDeathDeclaration = 1 },
            config.FailureDetection);
    }

    [Theory]
    [InlineData("Redis:ConnectionString", "password=only", "Redis:ConnectionString = password=only, must be a StackExchange.Redis configuration string with at least one host:port")]
    [InlineData("Cluster:AdvertisedIp", "my-host", "Cluster:AdvertisedIp = my-host, must be an IP address")]
    [InlineData("Cluster:AdvertisedIp", "0.0.0.0", "Cluster:AdvertisedIp = 0.0.0.0, must be an IP address")]
    [InlineData("Cluster:ProbeTimeout", "00:00:00.100", "Cluster:ProbeTimeout = 00:00:00.100, must be a duration in [00:00:00.500; 00:01:00]")]
    [InlineData("Cluster:ProbeTimeout", "2s", "Cluster:ProbeTimeout = 2s, must be a duration")]
    [InlineData("Cluster:NumMissedProbesLimit", "0", "Cluster:NumMissedProbesLimit = 0, must be an integer in [1, 10]")]
    [InlineData("Cluster:NumVotesForDeathDeclaration", "11", "Cluster:NumVotesForDeathDeclaration = 11, must be an integer in [1, 10]")]
    [InlineData("Gateway:Enabled", "no", "Gateway:Enabled = no, must be true or false")]
    [InlineData("Gateway:InlineScheduling", "yes", "Gateway:InlineScheduling = yes, must be true or false")]
    public void Invalid_values_are_reported_with_key_value_and_range(string key, string value, string expected)
    {
        var (config, errors) = PlatformConfiguration.Read(Build((key, value)));
        Assert.Null(config);
        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    private static PlatformConfiguration Read(params (string Key, string Value)[] settings)
    {
        var (config, errors) = PlatformConfiguration.Read(Build(settings));
        Assert.Empty(errors);
        return config!;
    }

    private static IConfiguration Build(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
}
