using System.Net;
using Knative.Orleans.Silo.Storage;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Knative.Orleans.Silo.Hosting;

public static partial class PlatformExtensions
{
    /// <summary>
    /// Membership, grain storage and reminders: Redis for all three when <c>Redis:ConnectionString</c> is set (several
    /// silos, each with its own <c>Cluster:SiloPort</c>/<c>Cluster:GatewayPort</c>), else localhost clustering and
    /// SQLite in <c>Storage:Path</c>. Grain state is plain System.Text.Json in both, so the formats match.
    /// </summary>
    private static void UsePlatformClustering(this ISiloBuilder silo, PlatformConfiguration config)
    {
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = config.FailureDetection.ProbeTimeout;
            o.NumMissedProbesLimit = config.FailureDetection.NumMissedProbesLimit;
            o.NumVotesForDeathDeclaration = config.FailureDetection.NumVotesForDeathDeclaration;
        });
        silo.UseSystemTextJsonGrainStorageSerializer();
        if (config.RedisConnectionString is not { } redis)
        {
            silo.UseLocalhostClustering(config.SiloPort, config.OrleansGatewayPort, serviceId: config.ServiceId, clusterId: config.ClusterId);
            silo.Configure<EndpointOptions>(o => o.AdvertisedIPAddress = config.AdvertisedIp);
            silo.AddSqliteGrainStorage("store", o => o.Path = config.StoragePath);
            return;
        }

        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = config.ClusterId;
            o.ServiceId = config.ServiceId;
        });
        silo.ConfigureEndpoints(config.AdvertisedIp, config.SiloPort, config.OrleansGatewayPort,
            listenOnAnyHostAddress: !IPAddress.IsLoopback(config.AdvertisedIp));
        silo.UseRedisClustering(o => o.ConfigurationOptions = RedisOptions(redis));
        silo.AddRedisGrainStorage("store", o => o.ConfigurationOptions = RedisOptions(redis));
        silo.UseRedisReminderService(o => o.ConfigurationOptions = RedisOptions(redis));
    }

    /// <summary>
    /// The connection string's options; unless it says otherwise, a connection that fails at start is retried in the
    /// background (StackExchange.Redis reconnects by itself after a Redis restart either way).
    /// </summary>
    internal static ConfigurationOptions RedisOptions(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        if (!connectionString.Contains("abortConnect", StringComparison.OrdinalIgnoreCase))
        {
            options.AbortOnConnectFail = false;
        }

        return options;
    }
}
