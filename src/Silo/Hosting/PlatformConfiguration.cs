using System.Net;
using Knative.Orleans.Contracts.Client;
using Knative.Orleans.Grains.Autoscaling;
using Knative.Orleans.Grains.Serving;
using Knative.Orleans.Silo.Api;

namespace Knative.Orleans.Silo.Hosting;

/// <summary>Reads and validates the platform's configuration at start; every problem is reported at once.</summary>
public sealed record PlatformConfiguration
{
    /// <summary>Autoscaler settings (<c>Autoscaler:*</c>).</summary>
    public required AutoscalerConfig Autoscaler { get; init; }

    /// <summary>Revision garbage collection (<c>Gc:*</c>, Knative's config-gc keys).</summary>
    public required RevisionGcConfig Gc { get; init; }

    /// <summary>Data directory (absolute).</summary>
    public required string StoragePath { get; init; }

    /// <summary>Gateway listen URL.</summary>
    public required Uri GatewayUrl { get; init; }

    /// <summary>Admin listen URL.</summary>
    public required Uri AdminUrl { get; init; }

    /// <summary>Orleans silo-to-silo port (<c>Cluster:SiloPort</c>, default 11111).</summary>
    public int SiloPort { get; init; }

    /// <summary>Orleans client gateway port (<c>Cluster:GatewayPort</c>, default 30000).</summary>
    public int OrleansGatewayPort { get; init; }

    /// <summary>Orleans service id (<c>Cluster:ServiceId</c>, default <c>knative-orleans</c>).</summary>
    public required string ServiceId { get; init; }

    /// <summary>Orleans cluster id (<c>Cluster:ClusterId</c>, default <c>embedded</c>).</summary>
    public required string ClusterId { get; init; }

    /// <summary>
    /// Redis (<c>Redis:ConnectionString</c>, a StackExchange.Redis configuration string): set = clustered mode (Redis
    /// membership, grain storage and reminders); null = the embedded single-node default (localhost clustering, SQLite).
    /// </summary>
    public string? RedisConnectionString { get; init; }

    /// <summary>True in clustered mode (<see cref="RedisConnectionString"/> set).</summary>
    public bool Clustered => RedisConnectionString is not null;

    /// <summary>
    /// The address other silos and clients use to reach this silo (<c>Cluster:AdvertisedIp</c>, default 127.0.0.1).
    /// A loopback address listens on loopback only; any other listens on every interface.
    /// </summary>
    public required IPAddress AdvertisedIp { get; init; }

    /// <summary>Whether this process also serves the data plane on <see cref="GatewayUrl"/> (<c>Gateway:Enabled</c>, default true).</summary>
    public bool GatewayEnabled { get; init; } = true;

    /// <summary>
    /// Whether socket completions and Kestrel's request processing run on the socket threads rather than hopping to the
    /// thread pool (<c>Gateway:InlineScheduling</c>, default true; see <c>InlineScheduling</c> in src/Gateway/Hosting).
    /// </summary>
    public bool InlineScheduling { get; init; } = true;

    /// <summary>Failure detection (<c>Cluster:ProbeTimeout</c>, <c>Cluster:NumMissedProbesLimit</c>, <c>Cluster:NumVotesForDeathDeclaration</c>).</summary>
    public required FailureDetection FailureDetection { get; init; }

    /// How long a grain may stay idle before Orleans deactivates it (<c>Cluster:GrainCollectionAge</c>, default 15 min,
    /// Orleans' own default). An idle service or revision then costs no memory, only its row in storage.
    /// </summary>
    public TimeSpan GrainCollectionAge { get; init; } = DefaultGrainCollectionAge;

    /// <summary>Default of <see cref="GrainCollectionAge"/>.</summary>
    public static readonly TimeSpan DefaultGrainCollectionAge = TimeSpan.FromMinutes(15);

    /// <summary>Grace for the whole shutdown (<c>Shutdown:TimeoutSeconds</c>, default 9).</summary>
    public TimeSpan ShutdownTimeout { get; init; }

    /// <summary>Reads everything; returns the errors instead when something is invalid.</summary>
    public static (PlatformConfiguration? Config, IReadOnlyList<string> Errors) Read(IConfiguration configuration)
    {
        var errors = new List<string>();
        var (autoscaler, autoscalerErrors) = AutoscalerConfigParser.Parse(
            configuration.GetSection(AutoscalerConfigParser.Section).GetChildren().Select(c => KeyValuePair.Create(c.Key, c.Value)));
        errors.AddRange(autoscalerErrors);
        var (gc, gcErrors) = RevisionGcConfigParser.Parse(
            configuration.GetSection(RevisionGcConfigParser.Section).GetChildren().Select(c => KeyValuePair.Create(c.Key, c.Value)));
        errors.AddRange(gcErrors);
        var gateway = ReadUrl(configuration, "Gateway:Url", "http://127.0.0.1:8080", errors);
        var admin = ReadUrl(configuration, $"{AdminOptions.Section}:Url", "http://127.0.0.1:8081", errors);
        var gatewayEnabled = ReadBool(configuration, "Gateway:Enabled", true, errors);
        var inlineScheduling = ReadBool(configuration, "Gateway:InlineScheduling", true, errors);
        if (gatewayEnabled && gateway is not null && admin is not null && gateway.Port == admin.Port)
        {
            errors.Add($"Gateway:Url ({gateway}) and Admin:Url ({admin}) must use different ports");
        }

        var domain = configuration["Serving:Domain"] ?? "example.com";
        if (!System.Text.RegularExpressions.Regex.IsMatch(domain, @"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"))
        {
            errors.Add($"Serving:Domain = {domain}, must be a DNS domain of lower-case labels (e.g. example.com)");
        }

        if (configuration["Serving:RolloutDuration"] is { Length: > 0 } rollout
            && (!TimeSpan.TryParse(rollout, System.Globalization.CultureInfo.InvariantCulture, out var rolloutDuration)
                || rolloutDuration < TimeSpan.Zero || rolloutDuration > TimeSpan.FromDays(1)))
        {
            errors.Add($"Serving:RolloutDuration = {rollout}, must be a duration in [00:00:00; 1.00:00:00] (e.g. 00:02:00)");
        }

        var siloPort = ReadInt(configuration, "Cluster:SiloPort", ClusterDefaults.SiloPort, 1, 65535, errors);
        var orleansGateway = ReadInt(configuration, "Cluster:GatewayPort", ClusterDefaults.GatewayPort, 1, 65535, errors);
        var shutdown = ReadInt(configuration, "Shutdown:TimeoutSeconds", 9, 1, 3600, errors);
        var redis = ReadRedis(configuration, errors);
        var advertised = configuration["Cluster:AdvertisedIp"] ?? "127.0.0.1";
        if (!IPAddress.TryParse(advertised, out var advertisedIp) || advertisedIp.Equals(IPAddress.Any) || advertisedIp.Equals(IPAddress.IPv6Any))
        {
            errors.Add($"Cluster:AdvertisedIp = {advertised}, must be an IP address other silos and clients can reach (e.g. 10.0.0.5)");
        }

        var failureDetection = FailureDetection.Read(configuration, errors);
        var collectionAge = ReadTimeSpan(configuration, "Cluster:GrainCollectionAge", DefaultGrainCollectionAge,
            TimeSpan.FromSeconds(2), TimeSpan.FromDays(7), errors);
        var storage = configuration[$"{StorageOptions.Section}:Path"] ?? new StorageOptions().Path;
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new PlatformConfiguration
        {
            Autoscaler = autoscaler,
            Gc = gc,
            StoragePath = Path.GetFullPath(storage),
            GatewayUrl = gateway!,
            AdminUrl = admin!,
            SiloPort = siloPort,
            OrleansGatewayPort = orleansGateway,
            ShutdownTimeout = TimeSpan.FromSeconds(shutdown),
            RedisConnectionString = redis,
            AdvertisedIp = advertisedIp!,
            GatewayEnabled = gatewayEnabled,
            InlineScheduling = inlineScheduling,
            FailureDetection = failureDetection,
            GrainCollectionAge = collectionAge,
            ServiceId = configuration["Cluster:ServiceId"] ?? ClusterDefaults.ServiceId,
            ClusterId = configuration["Cluster:ClusterId"] ?? ClusterDefaults.ClusterId,
        }, errors);
    }

    private static Uri? ReadUrl(IConfiguration configuration, string key, string fallback, List<string> errors)
    {
        var value = configuration[key] ?? fallback;
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && !uri.IsDefaultPort
            && uri.Port > 0 && uri.AbsolutePath == "/")
        {
            return uri;
        }

        errors.Add($"{key} = {value}, must be an http URL with an explicit non-zero port and no path (e.g. {fallback})");
        return null;
    }

    private static string? ReadRedis(IConfiguration configuration, List<string> errors)
    {
        var value = configuration["Redis:ConnectionString"];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        try
        {
            if (StackExchange.Redis.ConfigurationOptions.Parse(value).EndPoints.Count > 0)
            {
                return value;
            }
        }
        catch (ArgumentException)
        {
        }

        errors.Add($"Redis:ConnectionString = {value}, must be a StackExchange.Redis configuration string with at least one host:port (e.g. 127.0.0.1:6379)");
        return null;
    }

    private static bool ReadBool(IConfiguration configuration, string key, bool fallback, List<string> errors)
    {
        var value = configuration[key];
        if (value is null)
        {
            return fallback;
        }

        if (bool.TryParse(value, out var b))
        {
            return b;
        }

        errors.Add($"{key} = {value}, must be true or false");
        return fallback;
    }

    private static TimeSpan ReadTimeSpan(IConfiguration configuration, string key, TimeSpan fallback, TimeSpan min, TimeSpan max, List<string> errors)
    {
        var value = configuration[key];
        if (value is null)
        {
            return fallback;
        }

        if (TimeSpan.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var span) && span >= min && span <= max)
        {
            return span;
        }

        errors.Add($"{key} = {value}, must be a duration in [{min:c}, {max:c}] (e.g. 00:15:00)");
        return fallback;
    }

    internal static int ReadInt(IConfiguration configuration, string key, int fallback, int min, int max, List<string> errors)
    {
        var value = configuration[key];
        if (value is null)
        {
            return fallback;
        }

        if (int.TryParse(value, out var n) && n >= min && n <= max)
        {
            return n;
        }

        errors.Add($"{key} = {value}, must be an integer in [{min}, {max}]");
        return fallback;
    }
}
