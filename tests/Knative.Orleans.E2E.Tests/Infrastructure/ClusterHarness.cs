using System.Globalization;
using Knative.Orleans.Tests.Shared;

namespace Knative.Orleans.E2E.Tests.Infrastructure;

/// <summary>
/// A clustered platform on loopback: a real redis-server, N silos (<c>Redis:ConnectionString</c>,
/// <c>Gateway:Enabled=false</c>, each with its own ports and <c>Storage:Path</c>) and M standalone gateways. Each fault
/// test builds its own, since it kills parts of it.
/// </summary>
public sealed class ClusterHarness : IAsyncDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "kno-cluster-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _clusterId = "e2e-" + Guid.NewGuid().ToString("N")[..8];

    private ClusterHarness(RedisServer redis) => Redis = redis;

    public RedisServer Redis { get; }

    public List<PlatformProcess> Silos { get; } = [];

    public List<PlatformProcess> Gateways { get; } = [];

    /// <summary>Starts Redis, then the silos (in parallel), then the gateways (in parallel).</summary>
    public static async Task<ClusterHarness> StartAsync(int silos, int gateways, IDictionary<string, string?>? siloSettings = null)
    {
        var harness = new ClusterHarness(await RedisServer.StartNewAsync());
        try
        {
            for (var i = 0; i < silos; i++)
            {
                harness.Silos.Add(harness.NewSilo(i, siloSettings));
            }

            await Task.WhenAll(harness.Silos.Select(s => s.StartAsync()));
            for (var i = 0; i < gateways; i++)
            {
                harness.Gateways.Add(harness.NewGateway(i));
            }

            await Task.WhenAll(harness.Gateways.Select(g => g.StartAsync()));
            return harness;
        }
        catch
        {
            await harness.DisposeAsync();
            throw;
        }
    }

    /// <summary>The silo whose process is <paramref name="pid"/> or one of its ancestors (a workload's owner), or null.</summary>
    public PlatformProcess? SiloOf(int pid)
    {
        for (var p = pid; p > 1; p = ParentOf(p))
        {
            if (Silos.FirstOrDefault(s => s.Pid == p) is { } silo)
            {
                return silo;
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in Gateways.Concat(Silos))
        {
            await process.DisposeAsync();
        }

        await Redis.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private PlatformProcess NewSilo(int index, IDictionary<string, string?>? extra)
    {
        var settings = new Dictionary<string, string?>(Common())
        {
            ["Gateway:Enabled"] = "false",
            // Gateway:Url stays the (first) gateway's address for eventing deliveries to Knative Services.
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
        {
            settings[k] = v;
        }

        return new PlatformProcess(Path.Combine(_root, "silo" + index.ToString(CultureInfo.InvariantCulture)), settings);
    }

    private PlatformProcess NewGateway(int index) =>
        new(Path.Combine(_root, "gateway" + index.ToString(CultureInfo.InvariantCulture)), Common(), PlatformBinary.Gateway);

    private Dictionary<string, string?> Common() => new()
    {
        ["Redis:ConnectionString"] = Redis.ConnectionString,
        ["Cluster:ClusterId"] = _clusterId,
        ["Cluster:ServiceId"] = "knative-orleans-e2e",
    };

    private static int ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return 0;
        }
    }
}
