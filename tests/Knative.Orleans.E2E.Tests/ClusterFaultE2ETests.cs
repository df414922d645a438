using System.Diagnostics;
using System.Net;
using Knative.Orleans.E2E.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Knative.Orleans.E2E.Tests;

/// <summary>
/// Clustered mode under faults, for real: redis-server, silo and gateway processes on loopback, kill -9.
/// Recovery times are written to the test output (run with <c>--logger "console;verbosity=detailed"</c>).
/// </summary>
[Trait("Category", "E2E")]
public sealed class ClusterFaultE2ETests(ITestOutputHelper output)
{
    private const string Ns = "fault";

    [Fact]
    public async Task Killing_one_of_three_silos_under_load_brings_its_revisions_back_on_the_others_within_10_s()
    {
        await using var cluster = await ClusterHarness.StartAsync(silos: 3, gateways: 1);
        var admin = cluster.Silos[0].Admin;
        var services = Enumerable.Range(1, 5).Select(i => $"load{i}").ToList();
        var markers = services.ToDictionary(s => s, _ => Guid.NewGuid().ToString("N"));
        foreach (var service in services)
        {
            using var created = await admin.PostAsync(Manifests.ServicePath(Ns), Manifests.Yaml(Manifests.HelloYaml(service, markers[service], service)));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        // No traffic at all: min-scale keeps one instance, so only the resumer can bring it back after its silo died.
        var pinnedMarker = Guid.NewGuid().ToString("N");
        using (var pinned = await admin.PostAsync(Manifests.ServicePath(Ns), Manifests.Yaml(PinnedYaml("pinned", pinnedMarker))))
        {
            Assert.Equal(HttpStatusCode.Created, pinned.StatusCode);
        }

        foreach (var service in services.Append("pinned"))
        {
            await admin.WaitForAsync(Manifests.ServicePath(Ns, service), s => Manifests.Condition(s, "Ready") == "True", "ready", seconds: 90);
        }

        var gateway = cluster.Gateways[0];
        await using var load = new HttpLoad(() => gateway.Gateway, Ns, services, workers: 4);
        await WaitUntil(() => load.AllHealthySince(services, TimeSpan.Zero, 3), "every service answers through the gateway", 60);

        // The victim: the silo running the most of these workloads (the pinned one included).
        var owners = services.Append("pinned").ToDictionary(s => s, s => OwnerOf(cluster, s == "pinned" ? pinnedMarker : markers[s]));
        var victim = owners.Values.OfType<PlatformProcess>().GroupBy(p => p).OrderByDescending(g => g.Count()).First().Key;
        var moved = owners.Where(o => o.Value == victim).Select(o => o.Key).ToList();
        var survivors = cluster.Silos.Where(s => s != victim).ToList();
        output.WriteLine($"victim silo pid {victim.Pid} runs {string.Join(", ", moved)}");

        var killedAt = load.Now;
        var watch = Stopwatch.StartNew();
        await victim.CrashAsync();
        TimeSpan? declaredDead = null;
        await WaitUntil(() =>
        {
            if (declaredDead is null && survivors.Any(s => s.Output.Contains("declared dead", StringComparison.Ordinal)))
            {
                declaredDead = watch.Elapsed;
            }

            return load.Now - killedAt > TimeSpan.FromSeconds(5) && load.AllHealthySince(services, load.Now - TimeSpan.FromSeconds(3), 3);
        }, "every service answers again for 3 s", 60);
        var recovered = load.RecoveredAt(services, killedAt);
        var worst = recovered.Values.Max() - killedAt;
        foreach (var (service, at) in recovered)
        {
            output.WriteLine($"{service}: answering again {(at - killedAt).TotalSeconds:0.00} s after the kill{(moved.Contains(service) ? " (its silo was killed)" : "")}");
        }

        var failures = load.Results.Where(r => r.At >= killedAt && !r.Ok).ToList();
        output.WriteLine($"silo declared dead (resumer log) after {declaredDead?.TotalSeconds:0.00} s; worst recovery {worst.TotalSeconds:0.00} s; " +
            $"{failures.Count} failed of {load.Results.Count(r => r.At >= killedAt)} requests after the kill; failures: " +
            string.Join(" | ", failures.Select(f => f.Detail).Distinct().Take(5)));
        Assert.True(worst <= TimeSpan.FromSeconds(10), $"requests failed until {worst.TotalSeconds:0.00} s after the kill");

        // The workloads the dead silo ran run again under a surviving silo, the idle pinned one included.
        foreach (var service in moved)
        {
            var marker = service == "pinned" ? pinnedMarker : markers[service];
            await WaitUntil(() => OwnerOf(cluster, marker) is { } owner && survivors.Contains(owner), $"{service} runs on a surviving silo", 60);
        }

        if (moved.Contains("pinned"))
        {
            output.WriteLine($"pinned (no traffic, min-scale 1) running again on a survivor {watch.Elapsed.TotalSeconds:0.00} s after the kill");
        }

        // Nothing stored is lost: every service, with its revision, from each survivor.
        foreach (var silo in survivors)
        {
            var list = await silo.Admin.GetJsonAsync(Manifests.ServicePath(Ns));
            var names = list["items"]!.AsArray().Select(i => (string)i!["metadata"]!["name"]!).Order().ToList();
            Assert.Equal(services.Append("pinned").Order(), names);
            foreach (var service in services)
            {
                var svc = await silo.Admin.GetJsonAsync(Manifests.ServicePath(Ns, service));
                Assert.Equal($"{service}-00001", (string?)svc["status"]!["latestReadyRevisionName"]);
            }
        }
    }

    [Fact]
    public async Task Killing_one_of_two_gateways_leaves_the_other_serving_and_a_restarted_one_serves_again()
    {
        await using var cluster = await ClusterHarness.StartAsync(silos: 1, gateways: 2);
        var marker = Guid.NewGuid().ToString("N");
        using (var created = await cluster.Silos[0].Admin.PostAsync(Manifests.ServicePath(Ns), Manifests.Yaml(Manifests.HelloYaml("gw", marker))))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        await cluster.Silos[0].Admin.WaitForAsync(Manifests.ServicePath(Ns, "gw"), s => Manifests.Condition(s, "Ready") == "True", "ready", seconds: 90);
        var (a, b) = (cluster.Gateways[0], cluster.Gateways[1]);
        await using (var both = new HttpLoad(() => a.Gateway, Ns, ["gw"], workers: 1))
        {
            await using var other = new HttpLoad(() => b.Gateway, Ns, ["gw"], workers: 1);
            await WaitUntil(() => both.AllHealthySince(["gw"], TimeSpan.Zero, 3) && other.AllHealthySince(["gw"], TimeSpan.Zero, 3), "both gateways serve", 60);
        }

        await using var survivor = new HttpLoad(() => b.Gateway, Ns, ["gw"], workers: 2);
        await WaitUntil(() => survivor.AllHealthySince(["gw"], TimeSpan.Zero, 3), "the second gateway serves", 30);
        var killedAt = survivor.Now;
        await a.CrashAsync();
        await WaitUntil(() => survivor.Results.Count(r => r.At > killedAt + TimeSpan.FromSeconds(3)) >= 5, "load on the survivor for 3 s after the kill", 30);
        var afterKill = survivor.Results.Where(r => r.At >= killedAt).ToList();
        Assert.All(afterKill, r => Assert.True(r.Ok, r.Detail));
        output.WriteLine($"surviving gateway: {afterKill.Count} requests after the kill, all 200");

        var watch = Stopwatch.StartNew();
        await a.StartAsync(); // same port, no state carried over
        var ready = watch.Elapsed;
        await using var restarted = new HttpLoad(() => a.Gateway, Ns, ["gw"], workers: 1);
        await WaitUntil(() => restarted.Results.Any(r => r.Ok), "the restarted gateway serves", 60);
        output.WriteLine($"restarted gateway: ready {ready.TotalSeconds:0.00} s after launch, first 200 after {watch.Elapsed.TotalSeconds:0.00} s");
        await WaitUntil(() => restarted.AllHealthySince(["gw"], restarted.Now - TimeSpan.FromSeconds(2), 3), "the restarted gateway keeps serving", 30);
    }

    [Fact]
    public async Task A_redis_restart_loses_no_acknowledged_write_and_the_platform_resumes_by_itself()
    {
        await using var cluster = await ClusterHarness.StartAsync(silos: 2, gateways: 1);
        var admins = cluster.Silos.Select(s => s.Admin).ToList();
        var acknowledged = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            using var created = await admins[i % 2].PostAsync(Manifests.ServicePath(Ns), Manifests.Yaml(Manifests.HelloYaml($"before{i}", Guid.NewGuid().ToString("N"))));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            acknowledged.Add($"before{i}");
        }

        await admins[0].WaitForAsync(Manifests.ServicePath(Ns, "before0"), s => Manifests.Condition(s, "Ready") == "True", "ready", seconds: 90);
        await cluster.Redis.KillAsync();
        var watch = Stopwatch.StartNew();

        // While Redis is down writes are refused (503, nothing acknowledged) rather than hanging; any that were
        // acknowledged anyway must be there afterwards too.
        var refused = 0;
        for (var i = 0; i < 3; i++)
        {
            using var attempt = await admins[i % 2].PostAsync(Manifests.ServicePath(Ns), Manifests.Yaml(Manifests.HelloYaml($"during{i}", Guid.NewGuid().ToString("N"))));
            if (attempt.IsSuccessStatusCode)
            {
                acknowledged.Add($"during{i}");
            }
            else
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, attempt.StatusCode);
                refused++;
            }
        }

        output.WriteLine($"while Redis was down: {refused} of 3 creates refused with 503 within {watch.Elapsed.TotalSeconds:0.00} s");
        await cluster.Redis.StartAsync();
        var restartedAt = watch.Elapsed;

        // Admin writes are accepted again without restarting anything.
        TimeSpan? writable = null;
        for (var i = 0; writable is null; i++)
        {
            Assert.True(watch.Elapsed - restartedAt < TimeSpan.FromSeconds(60), "admin writes not accepted 60 s after Redis restarted");
            using var attempt = await admins[i % 2].PostAsync(Manifests.ServicePath(Ns), Manifests.Yaml(Manifests.HelloYaml("after", Guid.NewGuid().ToString("N"))));
            if (attempt.StatusCode == HttpStatusCode.Created)
            {
                writable = watch.Elapsed - restartedAt;
                acknowledged.Add("after");
            }
            else
            {
                await Task.Delay(200);
            }
        }

        output.WriteLine($"admin writes accepted again {writable.Value.TotalSeconds:0.00} s after Redis restarted");
        foreach (var admin in admins)
        {
            var list = await admin.GetJsonAsync(Manifests.ServicePath(Ns));
            var names = list["items"]!.AsArray().Select(i => (string)i!["metadata"]!["name"]!).ToHashSet();
            Assert.All(acknowledged, name => Assert.Contains(name, names));
        }

        // And the data plane serves old and new services.
        await admins[0].WaitForAsync(Manifests.ServicePath(Ns, "after"), s => Manifests.Condition(s, "Ready") == "True", "ready", seconds: 90);
        await using var load = new HttpLoad(() => cluster.Gateways[0].Gateway, Ns, ["before0", "before3", "after"], workers: 2);
        await WaitUntil(() => load.AllHealthySince(["before0", "before3", "after"], load.Now - TimeSpan.FromSeconds(2), 2), "the gateway serves every service", 60);
    }

    private static PlatformProcess? OwnerOf(ClusterHarness cluster, string marker) =>
        Workloads.WithMarker(marker).Select(cluster.SiloOf).FirstOrDefault(s => s is not null);

    private static string PinnedYaml(string name, string marker) => $"""
        apiVersion: serving.knative.dev/v1
        kind: Service
        metadata:
          name: {name}
        spec:
          template:
            metadata:
              annotations:
                autoscaling.knative.dev/min-scale: "1"
            spec:
              containers:
                - image: ghcr.io/knative/helloworld-go:latest
                  command: ["/usr/bin/python3", "{Repo.HelloPy}"]
                  env:
                    - name: E2E_MARKER
                      value: "{marker}"
        """;

    private static async Task WaitUntil(Func<bool> condition, string what, int seconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out after {seconds} s waiting for: {what}");
            await Task.Delay(100);
        }
    }
}
