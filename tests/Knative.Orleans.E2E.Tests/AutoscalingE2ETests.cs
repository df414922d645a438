using System.Collections.Concurrent;
using System.Net;
using Knative.Orleans.E2E.Tests.Infrastructure;

namespace Knative.Orleans.E2E.Tests;

/// <summary>The KPA and the concurrency-aware data plane against real processes (own platform: load must not disturb others).</summary>
[Collection(AutoscalingCollection.Name)]
[Trait("Category", "E2E")]
public sealed class AutoscalingE2ETests(AutoscalingFixture fx) : IDisposable
{
    private readonly string _stats = Directory.CreateTempSubdirectory("kno-stats-").FullName;

    private PlatformProcess P => fx.Platform;

    [Fact]
    public async Task A_burst_scales_up_within_seconds_never_exceeds_cc_1_loses_nothing_and_returns_to_zero()
    {
        var marker = Guid.NewGuid().ToString("N");
        await CreateAsync("burst", marker, cc: 1);
        await WaitAtZeroAsync("burst");

        // 8 clients, back-to-back 300 ms requests: 8 in flight, target 0.7 per instance ⇒ ceil(8 / 0.7) = 12 instances.
        var peak = 0;
        var results = await LoadAsync("burst", clients: 8, requestsPerClient: 20, sleepMs: 300, onTick: async () =>
        {
            var r = await P.Admin.GetJsonAsync(Manifests.RevisionPath("auto", "burst-00001"));
            peak = Math.Max(peak, (int)r["status"]!["desiredReplicas"]!);
        });

        Assert.All(results, code => Assert.Equal(HttpStatusCode.OK, code));
        // The time-averaged concurrency is a little under 8 (client turnaround between requests), so 10..12.
        Assert.InRange(peak, 10, 12);
        Assert.All(Directory.GetFiles(_stats, "*.max"), f => Assert.Equal("1", File.ReadAllText(f)));
        Assert.True(Directory.GetFiles(_stats, "*.max").Length >= 2, "the load was spread over several instances");
        await WaitAtZeroAsync("burst");
        Assert.Empty(await Workloads.WaitGoneAsync(marker, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Max_scale_caps_the_instances_and_requests_wait_for_a_free_slot()
    {
        var marker = Guid.NewGuid().ToString("N");
        await CreateAsync("capped", marker, cc: 1, annotations: new() { ["autoscaling.knative.dev/max-scale"] = "2" });

        var peak = 0;
        var results = await LoadAsync("capped", clients: 6, requestsPerClient: 4, sleepMs: 200, onTick: async () =>
        {
            var r = await P.Admin.GetJsonAsync(Manifests.RevisionPath("auto", "capped-00001"));
            peak = Math.Max(peak, (int)r["status"]!["desiredReplicas"]!);
        });

        Assert.All(results, code => Assert.Equal(HttpStatusCode.OK, code));
        Assert.Equal(2, peak);
        Assert.True(Workloads.WithMarker(marker).Count <= 2);
        Assert.All(Directory.GetFiles(_stats, "*.max"), f => Assert.Equal("1", File.ReadAllText(f)));
        await P.Admin.DeleteAsync(Manifests.ServicePath("auto", "capped"));
    }

    [Fact]
    public async Task Min_scale_keeps_a_floor_when_idle()
    {
        var marker = Guid.NewGuid().ToString("N");
        await CreateAsync("floor", marker, cc: 0, annotations: new() { ["autoscaling.knative.dev/min-scale"] = "2" });

        await P.Admin.WaitForAsync(Manifests.RevisionPath("auto", "floor-00001"), r => (int?)r["status"]!["actualReplicas"] == 2, "2 ready");
        // Idle for longer than the stable window (6 s): still 2.
        var idleUntil = DateTime.UtcNow.AddSeconds(9);
        while (DateTime.UtcNow < idleUntil)
        {
            var r = await P.Admin.GetJsonAsync(Manifests.RevisionPath("auto", "floor-00001"));
            Assert.Equal(2, (int)r["status"]!["desiredReplicas"]!);
            await Task.Delay(500);
        }

        Assert.Equal(2, Workloads.WithMarker(marker).Count);
        await P.Admin.DeleteAsync(Manifests.ServicePath("auto", "floor"));
    }

    [Fact]
    public async Task Steady_load_across_repeated_scale_up_and_down_loses_no_request()
    {
        var marker = Guid.NewGuid().ToString("N");
        await CreateAsync("steady", marker, cc: 1);
        await P.Admin.WaitForAsync(Manifests.RevisionPath("auto", "steady-00001"), r => (int?)r["status"]!["actualReplicas"] >= 1, "ready");

        var failures = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var steady = Task.Run(async () =>
        {
            var ok = 0;
            while (!stop.IsCancellationRequested)
            {
                using var response = await P.Gateway.SendAsync(Manifests.ToService("steady", "auto", "/sleep?ms=20"));
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failures.Add($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }

                ok++;
            }

            return ok;
        });

        // Two cycles: a burst scales the revision up, then idles long enough for the stable window to scale it down.
        for (var cycle = 0; cycle < 2; cycle++)
        {
            var burst = await LoadAsync("steady", clients: 5, requestsPerClient: 6, sleepMs: 250, onTick: () => Task.CompletedTask);
            Assert.All(burst, code => Assert.Equal(HttpStatusCode.OK, code));
            await P.Admin.WaitForAsync(Manifests.RevisionPath("auto", "steady-00001"),
                r => (int?)r["status"]!["desiredReplicas"] <= 2, "scaled down", 40);
        }

        stop.Cancel();
        var served = await steady;
        Assert.True(served > 50, $"steady client served {served}");
        Assert.Empty(failures);
        await P.Admin.DeleteAsync(Manifests.ServicePath("auto", "steady"));
    }

    public void Dispose() => Directory.Delete(_stats, recursive: true);

    private async Task CreateAsync(string name, string marker, int cc, Dictionary<string, string>? annotations = null)
    {
        var metadata = annotations is null
            ? ""
            : "    metadata:\n      annotations:\n" + string.Concat(annotations.Select(a => $"        {a.Key}: \"{a.Value}\"\n"));
        var yaml = Manifests.HelloYaml(name, marker, env: new Dictionary<string, string> { ["STATS_DIR"] = _stats })
            .Replace("    spec:\n      containers:", $"{metadata}    spec:\n      containerConcurrency: {cc}\n      containers:");
        using var created = await P.Admin.PostAsync(Manifests.ServicePath("auto"), Manifests.Yaml(yaml));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
    }

    private Task WaitAtZeroAsync(string name) => P.Admin.WaitForAsync(Manifests.RevisionPath("auto", name + "-00001"),
        r => (int?)r["status"]!["actualReplicas"] == 0 && (int?)r["status"]!["desiredReplicas"] == 0, "at zero", 60);

    private async Task<HttpStatusCode[]> LoadAsync(string name, int clients, int requestsPerClient, int sleepMs, Func<Task> onTick)
    {
        var load = Enumerable.Range(0, clients).Select(async _ =>
        {
            var codes = new List<HttpStatusCode>();
            for (var i = 0; i < requestsPerClient; i++)
            {
                using var response = await P.Gateway.SendAsync(Manifests.ToService(name, "auto", $"/sleep?ms={sleepMs}"));
                codes.Add(response.StatusCode);
            }

            return codes;
        }).ToArray();
        var all = Task.WhenAll(load);
        while (!all.IsCompleted)
        {
            await onTick();
            await Task.WhenAny(all, Task.Delay(200));
        }

        return (await all).SelectMany(c => c).ToArray();
    }
}

/// <summary>A platform of its own: load tests must not disturb the timing of the others.</summary>
public sealed class AutoscalingFixture : PlatformFixture;

[CollectionDefinition(Name)]
public sealed class AutoscalingCollection : ICollectionFixture<AutoscalingFixture>
{
    public const string Name = "autoscaling";
}
