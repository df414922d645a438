using Knative.Orleans.Contracts.Client;
using Knative.Orleans.Gateway.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;
using StackExchange.Redis;

namespace Knative.Orleans.Gateway;

/// <summary>
/// The standalone gateway: an Orleans client that serves the data plane on <c>Gateway:Url</c>. It holds nothing a
/// restart loses (routes, endpoints and membership are re-read from the grains), so any number of them can serve the
/// same hosts.
/// </summary>
public static class Program
{
    /// <summary>Runs the gateway until it is stopped.</summary>
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var config = builder.Configuration;
        if (config.GetValue($"{GatewayOptions.SectionName}:InlineScheduling", true))
        {
            InlineScheduling.EnableSocketCompletions(); // before the first socket: the runtime reads it once
            builder.WebHost.UseInlineScheduling();
        }

        var serviceId = config["Cluster:ServiceId"] ?? ClusterDefaults.ServiceId;
        var clusterId = config["Cluster:ClusterId"] ?? ClusterDefaults.ClusterId;
        builder.UseOrleansClient(client =>
        {
            if (config["Redis:ConnectionString"] is { Length: > 0 } redis)
            {
                // Clustered mode: the live silos' Orleans gateways come from the Redis membership table.
                client.UseRedisClustering(o =>
                {
                    o.ConfigurationOptions = ConfigurationOptions.Parse(redis);
                    if (!redis.Contains("abortConnect", StringComparison.OrdinalIgnoreCase))
                    {
                        o.ConfigurationOptions.AbortOnConnectFail = false; // retried in the background; Redis may start later
                    }

                });
                client.Configure<ClusterOptions>(o =>
                {
                    o.ServiceId = serviceId;
                    o.ClusterId = clusterId;
                });
                // A silo that (re)starts is used within seconds, not after the default minute.
                client.Configure<global::Orleans.Configuration.GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
            }
            else
            {
                // Embedded mode: the all-in-one silo's Orleans gateway port on this machine.
                client.UseLocalhostClustering(
                    gatewayPort: config.GetValue("Cluster:GatewayPort", ClusterDefaults.GatewayPort), serviceId: serviceId, clusterId: clusterId);
            }
        });
        builder.WebHost.UseUrls(config[$"{GatewayOptions.SectionName}:Url"] ?? GatewayOptions.DefaultUrl);
        builder.Services.AddKnativeGateway(config);

        var app = builder.Build();
        app.UseKnativeGateway();
        app.Run();
    }
}
