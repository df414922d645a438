using Knative.Orleans.Contracts.Client;
using Orleans.Hosting;

namespace Knative.Orleans.Gateway;

/// <summary>The standalone gateway: an Orleans client that serves the data plane on <c>Gateway:Url</c>.</summary>
public static class Program
{
    /// <summary>Runs the gateway until it is stopped.</summary>
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var config = builder.Configuration;

        // Localhost clustering until the Redis issue lands: the silo's Orleans gateway port on this machine.
        builder.UseOrleansClient(client => client.UseLocalhostClustering(
            gatewayPort: config.GetValue("Cluster:GatewayPort", ClusterDefaults.GatewayPort),
            serviceId: config["Cluster:ServiceId"] ?? ClusterDefaults.ServiceId,
            clusterId: config["Cluster:ClusterId"] ?? ClusterDefaults.ClusterId));
        builder.WebHost.UseUrls(config[$"{GatewayOptions.SectionName}:Url"] ?? GatewayOptions.DefaultUrl);
        builder.Services.AddKnativeGateway(config);

        var app = builder.Build();
        app.UseKnativeGateway();
        app.Run();
    }
}
