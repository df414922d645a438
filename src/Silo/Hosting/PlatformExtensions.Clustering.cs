using System.Net;
using Knative.Orleans.Silo.Storage;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Knative.Orleans.Silo.Hosting;

public static partial class PlatformExtensions
{
    /// <summary>
    /// Membership: Redis when <c>Redis:ConnectionString</c> is set (several silos, each with its own
    /// <c>Cluster:SiloPort</c>/<c>Cluster:GatewayPort</c>), else localhost clustering; failure detection from <c>Cluster:*</c>.
    /// </summary>
    private static void UsePlatformClustering(this ISiloBuilder silo, PlatformConfiguration config)
    {
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = config.FailureDetection.ProbeTimeout;
            o.NumMissedProbesLimit = config.FailureDetection.NumMissedProbesLimit;
            o.NumVotesForDeathDeclaration = config.FailureDetection.NumVotesForDeathDeclaration;
        });
        if (config.RedisConnectionString is not { } redis)
        {
            silo.UseLocalhostClustering(config.SiloPort, config.OrleansGatewayPort, serviceId: config.ServiceId, clusterId: config.ClusterId);
            silo.Configure<EndpointOptions>(o => o.AdvertisedIPAddress = config.AdvertisedIp);
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
    }

    /// <summary>
    /// Grain storage <c>"store"</c> and reminders: Redis when <c>Redis:ConnectionString</c> is set, else SQLite in
    /// <c>Storage:Path</c> (no reminder service). Grain state is plain System.Text.Json in both, so the formats match.
    /// </summary>
    public static ISiloBuilder AddPlatformStorage(this ISiloBuilder silo, PlatformConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(config);
        silo.UseSystemTextJsonGrainStorageSerializer();
        if (config.RedisConnectionString is not { } redis)
        {
            // Names for listing are rows of the same SQLite file (one small write per create).
            return silo.AddSqliteGrainStorage("store", o => o.Path = config.StoragePath).AddSqliteResourceIndex("store");
        }

        silo.AddRedisGrainStorage("store", o => o.ConfigurationOptions = RedisOptions(redis));
        return silo.UseRedisReminderService(o => o.ConfigurationOptions = RedisOptions(redis));
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
